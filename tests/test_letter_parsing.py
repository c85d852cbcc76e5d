"""Letter parsing: bullets of every kind, prose, ';' chains, tables, non-duty content, titles."""

from __future__ import annotations

import pytest
from conftest import REPO

from nocmatch.errors import InputError
from nocmatch.letter import parse_letter
from nocmatch.letter.readers import check_text
from nocmatch.letter.segment import segment

HEAD = """Northwind Analytics Ltd.
200 Front Street West, Suite 1200, Toronto, ON M5V 3K2
Tel: 416-555-0199 | careers@northwind.example.com

January 15, 2025

To Whom It May Concern:

This letter confirms that Priya Raman has been employed by Northwind Analytics Ltd. as a Senior Data Engineer
since April 3, 2021. She works 37.5 hours per week and her annual salary is $112,000 plus health and dental benefits.
Founded in 2004, Northwind is a leading provider of retail analytics to Canadian grocers.

Her main responsibilities include:
"""
TAIL = """
Priya is a valuable member of our team and we recommend her without reservation.
Please do not hesitate to contact me at 416-555-0100 should you require further information.

Sincerely,

Daniel Okafor
Director, Engineering
"""
DUTIES = [
    "Designs and maintains the enterprise data warehouse schema in Snowflake",
    "Builds batch and streaming pipelines in Python and Airflow",
    "Writes stored procedures and triggers for the billing database",
    "Defines data access rules and backup policies with the security team",
]


def kinds(letter):
    return {s.kind for s in letter.sentences}


def kind_of_each(letter):
    """Each sentence's text → its kind, for a parsed letter."""
    return {s.text: s.kind for s in letter.sentences}


@pytest.mark.parametrize("marker", ["•", "-", "*", "◦", "1.", "2)", "a)", "(b)", "iv.", "o", "  o"])
def test_bullets_of_every_kind(marker):
    body = "\n".join(f"{marker} {d}" for d in DUTIES)
    letter = parse_letter(HEAD + body + "\n" + TAIL)
    assert [s.text for s in letter.duties] == DUTIES


def test_wrapped_bullets_are_joined():
    body = ("• Designs and maintains the enterprise data warehouse schema in Snowflake,\n"
            "  including the slowly changing dimensions\n• Builds data pipelines")
    letter = parse_letter(HEAD + body + "\n" + TAIL)
    assert letter.duties[0].text.endswith("including the slowly changing dimensions")
    assert letter.duties[1].text == "Builds data pipelines"


def test_prose_paragraphs_are_split_into_sentences():
    body = ("In her role, Priya designs and maintains the data warehouse schema in Snowflake. She builds batch and "
            "streaming pipelines in Python and Airflow, e.g. the nightly sales feed. She also writes stored procedures "
            "and triggers for the billing database.\n")
    letter = parse_letter(HEAD.replace("Her main responsibilities include:\n", "") + body + TAIL)
    texts = [s.text for s in letter.duties]
    assert len(texts) == 3
    assert texts[1].startswith("She builds batch") and "e.g. the nightly sales feed" in texts[1]


def test_semicolon_chains_are_split():
    body = ("Priya designs the warehouse schema in Snowflake; builds pipelines in Python and Airflow; "
            "writes stored procedures for billing; and defines backup policies.\n")
    letter = parse_letter(HEAD + body + TAIL)
    assert len(letter.duties) == 4
    assert letter.duties[1].text == "builds pipelines in Python and Airflow"


def test_mixed_prose_and_bullets():
    body = "She leads the data platform work.\n\n" + "\n".join(f"- {d}" for d in DUTIES[:2])
    letter = parse_letter(HEAD + body + "\n" + TAIL)
    assert [s.text for s in letter.duties] == ["She leads the data platform work."] + DUTIES[:2]


def test_table_rows_become_units():
    body = ("Area        | Duties\n------------+-------------------------------\n"
            "Warehouse   | Designs and maintains the warehouse schema in Snowflake\n"
            "Pipelines   | Builds batch and streaming pipelines in Python\n")
    letter = parse_letter(HEAD + body + TAIL)
    assert "Designs and maintains the warehouse schema in Snowflake" in [s.text for s in letter.duties]
    assert "Builds batch and streaming pipelines in Python" in [s.text for s in letter.duties]


def test_a_template_tables_field_rows_are_its_fields_not_duties():
    table = ("| Field               | Value                                          |\n"
             "|---------------------|------------------------------------------------|\n"
             "| Employee            | Hamid Rezaei                                   |\n"
             "| Position            | Business Systems Analyst (Operations Office)   |\n"
             "| Department          | IT - Data Services                             |\n"
             "| Start date          | 2019-09-03                                     |\n"
             "| Duties              | Gathers requirements from plant managers       |\n"
             "| Area                | Writes functional specifications for the ERP   |\n\n")
    letter = parse_letter(HEAD + table + "\n".join(f"• {d}" for d in DUTIES) + "\n" + TAIL)
    kind = {s.text: s.kind for s in letter.sentences}
    assert kind["Position: Business Systems Analyst (Operations Office)"] == "employment"
    assert kind["Department: IT - Data Services"] == "other"
    assert kind["Start date: 2019-09-03"] == "employment"
    assert "Employee: Hamid Rezaei" in kind
    # a duties cell, and a row whose value is a duty, keep the duty as written
    assert {"Gathers requirements from plant managers", "Writes functional specifications for the ERP"} <= {
        s.text for s in letter.duties}
    assert not any("Business Systems Analyst" in s.text for s in letter.duties)


def test_a_letterhead_line_with_a_bar_is_not_a_field_row():
    letter = parse_letter("Lakeshore General Insurance\nClaims Analytics | 88 Bay Street, Toronto ON M5J 2R8\n\n"
                          + HEAD + "\n".join(f"• {d}" for d in DUTIES) + "\n" + TAIL)
    assert "Claims Analytics" in [s.text for s in letter.sentences]


@pytest.mark.parametrize("table", [
    ("| # | Duty                                                    | % time |\n"
     "|---|---------------------------------------------------------|--------|\n"
     "| 1 | Monitor firewall, IDS/IPS and SIEM (Wazuh) for attacks,  | 30%    |\n"
     "|   | intrusions and unusual activity across 38 school sites  |        |\n"
     "| 2 | Deploy and test endpoint protection and email filtering | 20%    |\n"),
    ("Area          | Duties\n"
     "Monitoring    | Monitor firewall, IDS/IPS and SIEM (Wazuh) for attacks,\n"
     "              | intrusions and unusual activity across 38 school sites\n"
     "Endpoints     | Deploy and test endpoint protection and email filtering\n"),
])
def test_a_table_cell_wrapped_over_lines_is_one_unit(table):
    letter = parse_letter(HEAD + table + TAIL)
    assert [s.text for s in letter.duties] == [
        "Monitor firewall, IDS/IPS and SIEM (Wazuh) for attacks, intrusions and unusual activity across 38 school sites",
        "Deploy and test endpoint protection and email filtering"]


@pytest.mark.parametrize("line, kind", [("Issued: April 9, 2024", "date"),
                                        ("Signed: Jennifer Halvorsen, Director of Human Resources", "signature")])
def test_template_date_and_signature_fields_are_not_duties(line, kind):
    letter = parse_letter(HEAD + "\n".join(f"• {d}" for d in DUTIES) + "\n\n" + line + "\n")
    assert [s.kind for s in letter.sentences if s.text == line] == [kind]


def test_non_duty_content_is_set_aside_but_kept():
    letter = parse_letter(HEAD + "\n".join(f"• {d}" for d in DUTIES) + "\n" + TAIL)
    by_kind = {}
    for s in letter.sentences:
        by_kind.setdefault(s.kind, []).append(s.text)
    assert "Northwind Analytics Ltd." in by_kind["letterhead"]
    assert any("@" in t for t in by_kind["contact"])
    assert by_kind["date"] == ["January 15, 2025"]
    assert by_kind["greeting"] == ["To Whom It May Concern:"]
    assert any("annual salary" in t for t in by_kind["compensation"])
    assert any("Founded in 2004" in t for t in by_kind["company"])
    assert any("valuable member" in t for t in by_kind["praise"])
    assert "Daniel Okafor" in by_kind["signature"]
    assert all(not any(word in d.text for word in ("salary", "Sincerely", "Founded", "Toronto")) for d in letter.duties)
    assert len(letter.duties) == len(DUTIES)


@pytest.mark.parametrize("signature", [
    "Erik Lindqvist, Managing Partner\n613-555-0188 | elindqvist@lmadvisory.example\n",
    "Mark Sandhu, P.Eng.\nEngineering Manager mark.sandhu@keystonepa.example 519-555-0153\n",
    "Heather Brandt, Managing Partner\nKowalski & Brandt LLP, 1200-250 Howe Street, Vancouver BC V6C 3R8\n",
    "Glen Boyd\nIT Manager\n",
])
def test_a_letter_without_closing_signs_off_after_its_last_list(signature):
    """The signer's line of a terse letter with no "Sincerely" is no duty ("Managing Partner" reads as one)."""
    letter = parse_letter("Acme Networks\n\nDuties:\n" + bullets(DUTIES) + "\n" + signature)
    assert [s.text for s in letter.duties] == DUTIES
    assert letter.sentences[-1].kind == "signature"
    assert signature.split("\n")[0] in [s.text for s in letter.layout.signature]


def test_title_case_duty_lines_at_the_end_are_not_a_signature():
    lines = ["Maintain Jenkins Pipelines", "Build Android Screens", "Review Pull Requests"]
    letter = parse_letter("Acme Networks\n\nDuties:\n" + bullets(DUTIES) + "\n" + "\n".join(lines) + "\n")
    assert not any(s.kind == "signature" for s in letter.sentences)


@pytest.mark.parametrize("mark", ["(signed and sealed)", "(Signed)", "(signed, sealed)"])
def test_a_signature_mark_in_brackets_is_no_duty(mark):
    letter = parse_letter(HEAD + "\n".join(f"• {d}" for d in DUTIES) + "\n\n" + mark + "\n" + TAIL)
    assert [s.kind for s in letter.sentences if s.text == mark] in (["other"], ["signature"])
    assert [s.text for s in letter.duties] == DUTIES


@pytest.mark.parametrize("heading", ["DUTIES AND RESPONSIBILITIES", "Key Responsibilities",
                                     "Period    Position    Main Duties"])
def test_a_duties_heading_without_a_colon_opens_the_list_and_is_no_duty(heading):
    items = ["Nightly backups, DR drills", "Schematics and PCB layout in Altium"]  # no verb: a list's items
    letter = parse_letter("Acme Networks\n\nTo whom it may concern,\n\n" + heading + "\n" + bullets(items)
                          + "\nSincerely,\nJane Roe\n")
    assert [s.kind for s in letter.sentences if s.text == heading] == ["heading"]
    assert [s.text for s in letter.duties] == items


UNBULLETED = ["Phone/Teams/remote support (ConnectWise Control) for end users at ~30 client offices (dental clinics)",
              "~25 tickets/day in ConnectWise Manage - logs problem, steps taken, resolution",
              "Looks up vendor KB articles / manuals for unfamiliar errors",
              "Laptop + desktop deployments (Autopilot), software installs, peripheral swaps on site",
              "Documents fixes in IT Glue so other techs can reuse them"]


def test_duties_pasted_one_per_line_without_bullets_are_one_unit_each():
    """Lines of any length broken where an item ends (the next line's first word would have fit) are a list."""
    letter = parse_letter("Acme IT Services\n\nTo whom it may concern,\n\nDuties:\n" + "\n".join(UNBULLETED)
                          + "\n\nSincerely,\nJane Roe\n")
    assert [s.text for s in letter.duties] == UNBULLETED


def test_prose_wrapped_at_a_width_stays_one_paragraph_even_where_a_line_opens_with_a_capital():
    prose = ("Ms. Raman designs and maintains the enterprise data warehouse schema in Snowflake and the\n"
             "Airflow pipelines that load it every night from our billing, claims and policy systems, and\n"
             "SQL Server stored procedures that feed the finance team's month-end reports and dashboards")
    units = [u.text for u in segment(prose)]
    assert units == [" ".join(prose.split("\n"))]


def test_a_letter_pasted_below_an_emails_sign_off_is_read_as_the_letter():
    """An e-mail that carries the letter: its own "Kind regards, Priya" does not make the letter a signature."""
    email = ("From: Priya Nandakumar <priya@acme.example>\nSubject: RE: Employment reference letter\n\nHi Liam,\n\n"
             "As requested, please see your employment letter below.\n\nKind regards,\nPriya\n\n---\n\n")
    letter = parse_letter(email + HEAD + "\n".join(f"• {d}" for d in DUTIES) + "\n" + TAIL)
    assert [s.text for s in letter.duties] == DUTIES
    assert "Daniel Okafor" in [s.text for s in letter.layout.signature]


VERBLESS = ["Install and patch the Ubuntu web servers", "Nightly backups, DR drills",
            "CrowdStrike EDR: isolate hosts, contain malware", "Schematics and PCB layout in Altium",
            "Monitor uptime and web traffic"]
NO_HEADING = "Acme Networks\nEmployment confirmation\n\nName: Ivan Petrenko\nTitle: IT Specialist\n\n"


def bullets(items):
    return "\n".join(f"- {item}" for item in items) + "\n"


@pytest.mark.parametrize("name", ["LUZON CONNECT SOLUTIONS, INC.", "SAIGON SOFTWORKS JOINT STOCK COMPANY",
                                  "Carpatica Software Services SRL", "Information Technology Services"])
def test_an_organisation_named_at_the_top_of_a_letter_without_greeting_is_letterhead(name):
    letter = parse_letter(f"{name}\nDate issued: 2025-01-20\n\nTitle: IT Specialist\nDuties:\n" + bullets(VERBLESS))
    assert [(s.text, s.kind) for s in letter.sentences[:2]] == [(name, "letterhead"),
                                                                 ("Date issued: 2025-01-20", "date")]
    assert [s.text for s in letter.duties] == VERBLESS


@pytest.mark.parametrize("head, items", [
    (HEAD, VERBLESS),  # under a duties heading, every item of at least three words
    (NO_HEADING, VERBLESS[:1] + VERBLESS[4:] + VERBLESS[1:2] + ["Answer help requests from staff"]),  # most have verbs
])
def test_verbless_items_of_a_list_of_duties_are_duties(head, items):
    # terse letters list duties as noun phrases beside ones with verbs: a reader takes every item as a duty
    assert [s.text for s in parse_letter(head + bullets(items) + TAIL).duties] == items


def test_verbless_items_stay_other_outside_a_list_of_duties():
    items = ["Monitor uptime and web traffic", "Nightly backups, DR drills", "Schematics and PCB layout in Altium"]
    assert [s.text for s in parse_letter(NO_HEADING + bullets(items) + TAIL).duties] == items[:1]


def test_a_line_a_rule_sets_aside_stays_out_of_a_list_of_duties():
    items = ["Install and patch the Ubuntu web servers", "Monitor uptime and web traffic",
             "This certificate is issued on his request for immigration purposes"]
    for head in (HEAD, NO_HEADING):
        assert [s.text for s in parse_letter(head + bullets(items) + TAIL).duties] == items[:2]


def test_position_lines_and_short_fields_in_a_list_of_duties_stay_other():
    items = ["Install and patch the Ubuntu web servers", "Data Manager (09/2022 - currently)", "FT 40 h",
             "Answer help requests from staff"]
    for head in (HEAD, NO_HEADING):
        assert [s.text for s in parse_letter(head + bullets(items) + TAIL).duties] == [items[0], items[3]]


RUN_ON = ("We declare for the due purposes that Mrs. Juliana Albuquerque worked in our company in the position of "
          "Web Designer in the period of 01/03/2018 to 31/01/2025, with journey of 44 hours weekly and last salary of "
          "R$ 7.800,00 monthly, in this period she has done the UI designing of websites and landing pages, creating "
          "the layouts in Adobe XD and after in Figma, she made the navigable prototypes and the tests of usability "
          "with users, she was preparing and optimizing the images and banners for the web, and she coordinated "
          "the junior designers.")


def test_a_run_on_sentence_is_split_into_its_comma_spliced_clauses():
    # one sentence holding the employment, the salary and every duty: the salary must not hide the duties
    letter = parse_letter("Agencia Coral Digital\n\nDECLARATION OF WORK EXPERIENCE\n\n" + RUN_ON + "\n\nRodrigo Paiva\n")
    assert [s.text for s in letter.duties] == [
        "in this period she has done the UI designing of websites and landing pages, creating the layouts in "
        "Adobe XD and after in Figma",
        "she made the navigable prototypes and the tests of usability with users",
        "she was preparing and optimizing the images and banners for the web",
        "and she coordinated the junior designers."]
    assert "compensation" in {s.kind for s in letter.sentences if "salary" in s.text}


@pytest.mark.parametrize("line, duty", [
    ("DECLARATION OF WORK EXPERIENCE", False), ("Employment confirmation", False),
    ("Employment Verification Letter", False), ("EXPERIENCE CERTIFICATE", False),
    ("Prepare the confirmation letters for new hires", True), ("Issue certificates of employment to staff", True),
])
def test_the_documents_own_title_is_not_a_duty(line, duty):
    letter = parse_letter(f"{line}\n\nDuties:\n- Develop REST APIs using Spring Boot\n- Review pull requests\n")
    assert (line in [s.text for s in letter.duties]) is duty


@pytest.mark.parametrize("line, kind", [
    # what the letter is for and who answers for it: foreign employers' standard last lines
    ("This certificate is issued on his request for immigration purposes.", "other"),
    ("This certification is being issued upon the request of Ms. Santos for whatever legal purpose it may serve her.",
     "other"),
    ("This letter is provided at the employee's request and does not constitute a guarantee of employment.", "other"),
    ("Please note that all dates in this letter are written in the day/month/year format.", "other"),
    # a certificate's closing formula; an e-mail's disclaimer and footer
    ("This certificate is hereby issued.", "other"),
    ("This attestation is delivered at the request of the employee, for all purposes that it may serve.", "other"),
    ("This message (including any attachments) is intended only for the named recipient and may contain "
     "privileged or confidential information.", "other"),
    ("The information in this email is confidential and may contain personal health information.", "other"),
    ("Sent from my iPhone", "other"),
    ("We hereby attest that Mr. Étienne Gagné-Lachapelle occupies the position of IT Consultant since 2019.",
     "employment"),
    ("Kindly contact the undersigned for any further clarification.", "closing"),
    ("Please contact me if you need more information.", "closing"),
    ("LETTER OF EMPLOYMENT CONFIRMATION - MR. CHUKWUEMEKA OBI", "letterhead"),
    ("Employment confirmation: Tomás Herrera Quintero", "letterhead"),
    ("Hours of Work: 37.5 per week", "hours"),
    ("His scheduled hours are 35 per week.", "hours"),
    ("He is a permanent staff and he work 45 hours weekly (Monday to Friday).", "hours"),
    ("She was on our permanent rolls, working 8.5 hours per day, 6 days in a week.", "hours"),
    ("His conduct during the employment is good.", "praise"),
    ("We extend the present at the request of the interested party for the legal purposes that suit her.", "other"),
    ("We design, build and host websites for tourism operators and non-profits.", "company"),
    # template fields that name a unit or a person, not work
    ("Department: IT - Data Services", "other"),
    ("Reports To: Director, Digital Health", "other"),
    ("Supervisor: Anil Deshpande, Test Engineering Manager", "other"),
    ("Issued by: Gente & Gestão (HR)", "signature"),  # the signature block starts at who issues it
    # the employee introduced by name and title; a certificate's formula
    ("Ms. Svetlana Morozova - Senior Data Scientist, Economic Forecasting Unit.", "employment"),
    ('Given to Mr. Kovalenko Bohdan Olehovych, born 1990, that he really works in LLC "Dniprosoft" on the '
     "position of Database Developer (Oracle) from 01.09.2017 till present time.", "employment"),
    # the date-format note does not hide the employment facts of the sentence it closes
    ("He joined our company on 01.06.2016 as Programmer and was promoted to Software Engineer on 01.09.2018 "
     "(all dates in this certificate are day.month.year).", "employment"),
    ("Please note that all dates in this letter are written in the day/month/year format.", "other"),
    # what the employee does not do, work done by others, whom the employee reports to, the employer described
    ("Arjun no longer writes production code on a regular basis.", "other"),
    ("Ms. Zhou does not have direct reports.", "other"),
    ("Does not carry regular coding assignments in this position.", "other"),
    ("Note: design and coding of the website is contracted to an outside agency.", "other"),
    ("He reports to our Operations Director.", "other"),
    ("Kestrel Parts Distribution Ltd. is a family-owned distributor of automotive and truck parts.", "company"),
    ("His current title is Information Systems Quality Assurance Analyst.", "employment"),
    ("Mr. Pillai is an excellent engineer whose designs are now deployed in carrier networks.", "praise"),
    ("Her label designs have won two Ontario packaging awards.", "praise"),
    # duties that share their words
    ("Ensures Kafka consumers do not drop messages during deployments", "duty"),
    ("Makes sure data is not lost when the nightly jobs fail", "duty"),
    ("Reports security incidents to the CISO and the regulator", "duty"),
    ("Designs award-winning landing pages for product launches", "duty"),
    ("Provide 24 hours a day on-call support for the payment platform", "duty"),
    ("Review the conduct of audits and make sure their results are good", "duty"),
    ("Contact vendors to order replacement parts", "duty"),
    ("Renew SSL certificates and manage DNS records", "duty"),
    ("Prepare employment verification letters for new staff", "duty"),
])
def test_boilerplate_hours_and_titles_are_not_duties(line, kind):
    letter = parse_letter(HEAD + "\n".join(f"• {d}" for d in DUTIES) + "\n\n" + line + "\n" + TAIL)
    assert [s.kind for s in letter.sentences if s.text == line] == [kind]


@pytest.mark.parametrize("sentence", [
    # shorter than a run-on: the clause units split it later
    "He designed the schema, and he wrote the stored procedures for the billing database.",
    # a relative clause after the comma is no new clause
    "He built our retrieval pipeline that grounds summaries in the patient chart, using a pgvector index, "
    "embedding models he evaluated and selected, a re-ranking step and an offline evaluation harness that the "
    "team uses to compare model versions before every release to the clinics.",
])
def test_other_sentences_are_not_split_at_commas(sentence):
    assert [u.text for u in segment(sentence)] == [sentence]


@pytest.mark.parametrize("sentence, title", [
    ("This letter confirms that Priya has been employed by Northwind Ltd. as a Senior Data Engineer since 2021.",
     "Senior Data Engineer"),
    ("Mr. Patel worked with us as Full Stack Developer from 2020 to 2023.", "Full Stack Developer"),
    ("Job Title: Programmer Analyst", "Programmer Analyst"),
    ("She has been working as a registered nurse in our ICU since 2018.", "registered nurse"),
])
def test_job_title_is_found(sentence, title):
    letter = parse_letter(sentence + "\n\nDuties:\n- Builds pipelines in Python and Airflow\n")
    assert letter.title == title


def test_promotion_gives_titles_in_order_and_the_latest_is_used():
    text = ("Omar joined us as a Software Developer in 2019 and was promoted to Engineering Manager in 2022.\n\n"
            "Duties:\n- Manages a team of eight developers and its budget\n")
    letter = parse_letter(text)
    assert letter.titles == ["Software Developer", "Engineering Manager"]
    assert letter.title == "Engineering Manager"


def test_segment_keeps_line_numbers():
    units = segment("Intro line that is short\n\n- first duty here\n- second duty here\n")
    assert [(u.text, u.line, u.bulleted) for u in units][1:] == [("first duty here", 3, True), ("second duty here", 4, True)]


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("   \n\t  \n", "empty"),
    ("Madame, Monsieur, nous confirmons que Mme Dupont occupe le poste de développeuse logicielle au sein de notre "
     "entreprise depuis le 1er mars 2020. Elle conçoit et développe des applications web pour nos clients.", "English"),
])
def test_check_text_refuses_bad_letters(text, message):
    with pytest.raises(InputError, match=message):
        check_text(text)


def test_layout_rules_for_budgets_position_rows_short_closings_and_greeting_like_emails():
    head = HEAD.replace("Tel: 416-555-0199 | careers@", "416-555-0199 | hello@")
    body = ("Positions held:\n\n  Data Engineer ............ April 3, 2021 – March 31, 2023\n"
            "  Senior Data Engineer ..... April 1, 2023 – present\n\nHer main responsibilities include:\n"
            + "\n".join(f"- {d}" for d in DUTIES)
            + "\n- Manages the team's annual budget of $1.2 million (salaries, cloud spend, licences)\n")
    parsed = parse_letter(head.split("Her main responsibilities include:")[0] + body + "\nBest,\n\nDaniel Okafor\n")
    kinds = kind_of_each(parsed)
    assert kinds["hello@northwind.example.com"] == "contact"  # a table cell, not a "Hello" greeting
    rows = [s for s in parsed.sentences if "April 3, 2021" in s.text or "2023 – present" in s.text]
    assert rows and {s.kind for s in rows} == {"employment"}  # a position's dates, not a duty
    budget = "Manages the team's annual budget of $1.2 million (salaries, cloud spend, licences)"
    assert kinds[budget] == "duty"  # a listed duty that mentions salaries is not the employee's pay
    assert kinds["Best,"] == "closing" and kinds["Daniel Okafor"] == "signature"
    assert [s.text for s in parsed.duties] == DUTIES + [budget]


def test_the_employers_own_work_named_after_its_letterhead_is_no_duty():
    # "Tidewater develops ... software" describes the employer (its name opens the letterhead), not the
    # employee's work; a duty line that opens with another capitalised word stays a duty
    letter = ("Tidewater Systems Inc.\n12 Harbour Road, Halifax, NS B3H 1A1\n\nMarch 3, 2025\n\n"
              "To Whom It May Concern:\n\nTidewater develops fleet-tracking and port logistics software for marine "
              "operators. Ms. Ana Ruiz has worked for us as a Software Developer since May 2021.\n\n"
              "Ana writes and tests the Java services behind our vessel-tracking map.\n"
              "Kafka consumers she builds feed the position data into PostgreSQL.\n\nSincerely,\nJohn Doe\n")
    expected = {"Tidewater develops fleet-tracking and port logistics software for marine operators.": "company",
                "Ana writes and tests the Java services behind our vessel-tracking map.": "duty",
                "Kafka consumers she builds feed the position data into PostgreSQL.": "duty"}
    assert expected.items() <= kind_of_each(parse_letter(letter)).items()


def test_form_fields_of_the_post_and_a_dental_trade_are_not_duties_nor_pay():
    letter = ("Clearwater Dental Systems Inc.\n380 Wellington Street, London, ON N6A 5B5\n\n"
              "EMPLOYMENT VERIFICATION FORM\n\nEmployee name:          Sofia Ortega\n"
              "Designation:            Programmer Analyst II\nDate of joining:        September 3, 2019\n"
              "Hours per week:         37.5\nShe receives health, dental and life insurance benefits.\n\n"
              "Duties and responsibilities:\n1. Modifies and maintains the COBOL batch programs of policy billing.\n"
              "2. Writes Java code for the interface programs of the claims system.\n")
    parsed = parse_letter(letter)
    expected = {"Designation:            Programmer Analyst II": "employment",
                "Date of joining:        September 3, 2019": "employment",
                "Clearwater Dental Systems Inc.": "letterhead",  # "dental" here is a trade, not a benefit
                "She receives health, dental and life insurance benefits.": "compensation"}
    assert expected.items() <= kind_of_each(parsed).items()
    assert [s.text for s in parsed.duties] == [
        "Modifies and maintains the COBOL batch programs of policy billing.",
        "Writes Java code for the interface programs of the claims system."]


def test_work_the_letter_gives_to_others_and_a_tables_fields_are_no_duties():
    letter = ("Northwind Devices Ltd.\n14 King Street, Toronto, ON M5H 1A1\n\nTo whom it may concern,\n\n"
              "Employee\tPriya Raman\nDepartment\tEmbedded Systems\nIssued by\tHuman Resources\n\n"
              "Priya designs and builds the test fixtures for our LTE gateway boards.\n"
              "The main product firmware is done by Software Department.\n"
              "The look of the web portal (banners, colours) is supplied by our design agency.\n"
              "She writes the production test procedures (final sign-off is done by the quality team).\n"
              "The drivers are maintained by a vendor; she reviews their patches before each release.\n\n"
              "Sincerely,\nJohn Doe\n")
    parsed = parse_letter(letter)
    expected = {"Department    Embedded Systems": "other", "Issued by    Human Resources": "other",  # tabs read as cells
                "The main product firmware is done by Software Department.": "other",
                "The look of the web portal (banners, colours) is supplied by our design agency.": "other",
                "The drivers are maintained by a vendor": "other"}
    assert expected.items() <= kind_of_each(parsed).items()
    # the work of others inside a duty sentence leaves the duty whole
    assert [s.text for s in parsed.duties] == [
        "Priya designs and builds the test fixtures for our LTE gateway boards.",
        "She writes the production test procedures (final sign-off is done by the quality team).",
        "she reviews their patches before each release."]


def test_capitalised_lines_above_a_letter_without_greeting_are_no_duties():
    # no greeting: the employer's name and place, and the title under the employee's name, open the letter
    letter = ("Polaris Precision Plastics Inc. - Plant 2, Brampton ON\n\n"
              "Employment confirmation: Tomas Herrera\nSenior QA Analyst, Information Systems\n"
              "Since 2018-02-05 | FT 40 h | $101,000\n\n"
              "- Own SDLC quality policy + stage gates\n- Write QA procedures, test strategy templates\n"
              "Design Review Checklists For Every Release\n")
    parsed = parse_letter(letter)
    expected = {"Polaris Precision Plastics Inc. - Plant 2, Brampton ON": "other",
                "Senior QA Analyst, Information Systems": "other"}
    assert expected.items() <= kind_of_each(parsed).items()
    # below the letter's first list, a capitalised line that opens with a verb of work is still a duty
    assert [s.text for s in parsed.duties] == [
        "Own SDLC quality policy + stage gates", "Write QA procedures, test strategy templates",
        "Design Review Checklists For Every Release"]


# -- how foreign offices state the employment ----------------------------------------------------
FOREIGN_INTRO = ("Mr. Arjun Mehta is working in our company Infotech Solutions Pvt Ltd, Pune since 12-Jun-2019 as "
                 "Software Engineer and promoted as Senior Software Engineer on 01-Apr-2022.")


@pytest.mark.parametrize("sentence", [
    FOREIGN_INTRO,
    "Mr. Kumar (Employee Code SIS-10472) is working with our organisation.",
    "From 01.02.2016 until 31.03.2019 Mr. Wendler was occupied as Network Administrator in our IT operations.",
    "She was working with us from 02-Jul-2018 to 31-Oct-2024.",
])
def test_the_employment_statement_of_a_foreign_office_is_no_duty(sentence):
    letter = parse_letter("To whom it may concern,\n\n" + sentence + "\n\nResponsibilities:\n" +
                          "\n".join("- " + d for d in DUTIES) + "\n" + TAIL)
    assert [s.kind for s in letter.sentences if s.text == sentence] == ["employment"]
    assert [s.text for s in letter.duties] == DUTIES


def test_a_title_ends_before_the_promotion_that_follows_it():
    letter = parse_letter("To whom it may concern,\n\n" + FOREIGN_INTRO + "\n\nResponsibilities:\n" +
                          "\n".join("- " + d for d in DUTIES) + "\n" + TAIL)
    assert letter.titles[0] == "Software Engineer"


def test_a_listed_positions_heading_with_its_dates_is_no_duty_but_a_table_row_with_duties_is():
    letter = parse_letter("To whom it may concern,\n\nDuring the employment he occupied the following positions:\n\n"
                          "Responsibilities:\n"
                          "A) Senior Software Engineer - from 01.04.2022 until now\n"
                          "1. Designs the microservices of the warehouse platform in Java\n"
                          "B) Software Developer - from 15.09.2018 until 31.03.2022\n"
                          "1. Coded new functions of the warehouse mobile application in Kotlin\n" + TAIL)
    kinds = {s.text: s.kind for s in letter.sentences}
    assert kinds["Senior Software Engineer - from 01.04.2022 until now"] == "employment"
    assert kinds["Software Developer - from 15.09.2018 until 31.03.2022"] == "employment"
    assert len(letter.duties) == 2
    # a table's row of a position's dates, title and duties stays a duty
    table = next((REPO / "benchmarks" / "data").glob("*/xc002_*.txt")).read_text(encoding="utf-8")
    assert any(s.text.startswith("Jan 2017 – Mar 2020") and "Modified and tested RPG" in s.text
               for s in parse_letter(table).duties)


def test_an_employment_sentence_that_gives_the_employers_address_is_no_contact_line():
    sentence = ("I confirm that Chen Jing has worked for Lakeshore Retail Group Inc. (100 Queen St W, Toronto ON M5H 2N2) "
                "since May 2020 as a Full Stack Developer, 40 hours per week.")
    letter = parse_letter("To Whom It May Concern,\n\n" + sentence + "\n\nHer duties:\n" +
                          "\n".join("- " + d for d in DUTIES) + "\n" + TAIL)
    assert [s.kind for s in letter.sentences if s.text == sentence] == ["employment"]
    assert letter.titles == ["Full Stack Developer"]


def test_a_title_in_quotes_is_read():
    letter = parse_letter("To whom it may concern,\n\nThis is to certify that Mr. Kumar (Employee Code IBT-04412) was "
                          'working with our organisation as "Software Engineer" from 02-Jul-2018 to 31-Oct-2024.\n\n'
                          "Responsibilities:\n" + "\n".join("- " + d for d in DUTIES) + "\n" + TAIL)
    assert letter.titles == ["Software Engineer"]


def test_a_run_on_letter_with_its_greeting_and_closing_on_the_lines_of_its_text():
    letter = parse_letter(
        "Dear Sir/Madam, this letter is to confirm that Mr. Tran Van Minh has been working at Saigon Soft JSC as a "
        "Senior Mobile Developer since 05/2018 until now, full time 48 hours/week, his main work is developing the "
        "mobile banking app on iOS and Android with Swift and Kotlin, he also build the REST API in Node.js for the app, "
        "writing unit test and UI test, reviewing code of the junior developers, and he cooperate with the BA team to "
        "analyse the new requirements, his salary is 45,000,000 VND per month. Best regards, Nguyen Thi Lan, HR Manager")
    kinds = [(s.kind, s.text) for s in letter.sentences]
    assert kinds[0] == ("greeting", "Dear Sir/Madam,")
    assert ("duty", "his main work is developing the mobile banking app on iOS and Android with Swift and Kotlin") in kinds
    assert ("duty", "and he cooperate with the BA team to analyse the new requirements") in kinds
    assert ("compensation", "his salary is 45,000,000 VND per month.") in kinds
    assert kinds[-2:] == [("closing", "Best regards,"), ("signature", "Nguyen Thi Lan, HR Manager")]


def test_an_indian_offices_letterhead_and_greeting():
    letter = parse_letter("SRIVANI ANALYTICS SOLUTIONS PVT. LTD.\nPlot No. 42, 3rd Floor, Cyber Towers Road, Hyderabad - 500081\n"
                          "Tel. No. +91 40 555 0187\n\nTO WHOMSOEVER IT MAY CONCERN\n\nThis is to certify that Mr. Karthik "
                          "worked with us as Software Engineer from 02-Jul-2019 to 30-Nov-2023.\n\nResponsibilities:\n"
                          + "\n".join("- " + d for d in DUTIES) + "\n" + TAIL)
    kinds = [(s.kind, s.text) for s in letter.sentences]
    assert kinds[0] == ("letterhead", "SRIVANI ANALYTICS SOLUTIONS PVT. LTD.")
    assert ("greeting", "TO WHOMSOEVER IT MAY CONCERN") in kinds
    assert any(text.endswith("Tel. No. +91 40 555 0187") for _, text in kinds)  # "Tel." ends no sentence


def test_a_forms_aligned_fields_are_one_unit_each_and_its_wrapped_value_one_paragraph():
    # "Label:<gap>value" lines of a form: a value without a full stop ("... ON  L4G 4C3") does not run into the
    # next field, and the duties' value wrapped under its column stays one paragraph of sentences
    form = ("EMPLOYMENT VERIFICATION - HR FORM EV-2\n"
            "Employer:            Kestrel Logistics Ltd.\n"
            "Address:             77 Industrial Pkwy N, Aurora ON  L4G 4C3\n"
            "Employee name:       Tomasz Wisniewski\n"
            "Job title:           Systems Administrator II\n"
            "Status:              Permanent, full-time, 40 hours/week (plus on-call rotation)\n"
            "Salary:              $88,400 per year\n"
            "Duties:              Responsible for security of the company network,\n"
            "                     devices and data. Configures and monitors the Fortinet\n"
            "                     firewalls. Reviews VPN access logs weekly and revokes stale credentials.\n"
            "Completed by:        J. Chu, HR Generalist\n")
    parsed = parse_letter(form)
    kinds = kind_of_each(parsed)
    assert kinds["Address:             77 Industrial Pkwy N, Aurora ON  L4G 4C3"] == "contact"
    assert kinds["Status:              Permanent, full-time, 40 hours/week (plus on-call rotation)"] == "hours"
    assert kinds["Salary:              $88,400 per year"] == "compensation"
    assert kinds["Completed by:        J. Chu, HR Generalist"] == "signature"  # who completed the form signs it
    assert parsed.title == "Systems Administrator"
    assert [s.text for s in parsed.duties] == [
        "Responsible for security of the company network, devices and data.",
        "Configures and monitors the Fortinet firewalls.",
        "Reviews VPN access logs weekly and revokes stale credentials."]


def test_a_one_sentence_letter_that_joins_its_clauses_with_and_is_split_into_them():
    # a foreign office's whole letter in one sentence, its clauses joined by "and he is ..." with no comma:
    # whole, its closing formula ("without any responsibility") made all of it "other" and the letter had no duty
    letter = ("To Whom It May Concern\n\nWe are pleased to certify that Eng. Karim Soliman is working with us since "
              "01/02/2016 till date as Senior Software Engineer in full time basis 48 hours weekly and his monthly "
              "gross salary is EGP 95,000 and he is responsible on our software department which consist of 28 "
              "engineers where he is planning the yearly work of the department and he is controlling the department "
              "budget and approving the purchases of licenses and he is making the interviews and hiring of new "
              "developers, and during his work he showed high responsibility and good manners, and this certificate "
              "is given to him upon his request without any responsibility on the company.\n\nEng. Hany Girgis\nCEO\n")
    kinds = kind_of_each(parse_letter(letter))
    assert kinds["and his monthly gross salary is EGP 95,000"] == "compensation"
    assert kinds["and he is controlling the department budget and approving the purchases of licenses"] == "duty"
    assert kinds["and he is making the interviews and hiring of new developers"] == "duty"
    assert kinds["and during his work he showed high responsibility and good manners"] == "praise"
    assert kinds["and this certificate is given to him upon his request without any responsibility on the company."] \
        == "other"


def test_a_brazilian_declarations_run_on_duties_and_closing_formula():
    letter = ("DECLARATION OF WORK\n\nWe declare for the due purposes that Mrs. Larissa Oliveira was employee of this "
              "company in the function of Digital Marketing Coordinator in the period of 02/05/2017 until 15/01/2023, "
              "with workload of 44 hours weekly and last remuneration of R$ 7.850,00 monthly, being that in her "
              "function she was responsible to create the layout and visual identity of the websites of the company "
              "in Figma, to produce the banners and icons for the site, and to make tests of usability with clients "
              "and to improve the navigation of the site.\n\nBy being the expression of the truth, we sign the "
              "present.\n\nRodrigo Albuquerque\nAdministrative Director\n")
    parsed = parse_letter(letter)
    assert [s.text[:40] for s in parsed.duties] == ["being that in her function she was respo"]
    assert kind_of_each(parsed)["By being the expression of the truth, we sign the present."] == "other"


def test_a_duty_that_confirms_or_certifies_something_is_no_employment_statement_and_no_reports_is_no_duty():
    letter = ("To whom it may concern,\n\nI am pleased to confirm that Olumide Adeyemi has been employed by Fernhill "
              "Analytics Corp. since October 4, 2021.\n\nOlumide is a member of our Platform team, which reports to me. "
              "He builds our infrastructure as code in Terraform, and he models failure scenarios to confirm that each "
              "design will hold up under load. She runs the performance suites before each release to certify that "
              "the software works as intended. Olumide has no direct reports and does not hold budget authority.\n\n"
              "Sincerely,\nNaomi Whitcombe\n")
    kinds = kind_of_each(parse_letter(letter))
    assert kinds["I am pleased to confirm that Olumide Adeyemi has been employed by Fernhill Analytics Corp. since "
                 "October 4, 2021."] == "employment"
    assert kinds["Olumide is a member of our Platform team, which reports to me."] == "other"
    assert kinds["He builds our infrastructure as code in Terraform, and he models failure scenarios to confirm that "
                 "each design will hold up under load."] == "duty"
    assert kinds["She runs the performance suites before each release to certify that the software works as "
                 "intended."] == "duty"
    assert kinds["Olumide has no direct reports and does not hold budget authority."] == "other"


@pytest.mark.parametrize("line", [
    "16 hrs/week - Respond to help-desk calls, e-mails and walk-up requests from lawyers",
    "40% - Design and develop the booking APIs in Java",
    "(30%) Support users of the claims system by phone and e-mail",
    "3 hours per week: Test upgrades of the practice management application before rollout",
])
def test_a_duty_written_after_its_share_of_the_time_is_a_duty(line):
    # the share is the letter's weight of the duty, not the employment's hours
    letter = parse_letter("Her duties and the time she spends on each:\n\n" + line + "\n" + TAIL)
    assert [s.text for s in letter.duties] == [line]


def test_an_employee_code_after_emp_dot_does_not_end_the_sentence():
    text = ("This is to certify that Mr. Rohan Deshpande (Emp. Code VIS-01187) was working with our organisation "
            "from 05th July 2016 to 29th February 2024.")
    assert [s.text for s in parse_letter(text).sentences] == [text]


def test_a_listed_duty_with_a_date_or_an_amount_is_a_duty_and_a_positions_field_is_not():
    # "Responsibilities" headings open a list of duties ("responsibilit" alone once missed the plural)
    items = ["Write, modify and test COBOL and JCL batch programs", "Since March 2023, coordinate the work of two "
             "junior programmers on the billing stream", "Designation : Senior Software Engineer"]
    letter = parse_letter("Job Responsibilities:\n" + bullets(items) + TAIL)
    assert [s.text for s in letter.duties] == items[:2]
    highlights = ["Rebuilt the storefront in Next.js and TypeScript", "Evaluated headless CMS and search plug-ins, "
                  "recommended Contentful (saved ~$38k/yr in licences)"]
    assert [s.text for s in parse_letter("Highlights of Priya's work:\n" + bullets(highlights) + TAIL).duties] == highlights


def test_a_field_naming_who_signs_opens_the_signature_block_and_its_title_is_the_signers():
    text = ("Employee Name: Ahmed Samir\nDesignation: Software Developer in Test\n\nJob Responsibilities:\n"
            + bullets(["Write automated API tests in Python", "Report defects in Jira"])
            + "\nCompleted by:\nName:       Olga Shevchenko\nTitle:      QA Manager\n"
            "Authorized by: Bill Thibodeau, Director of IT\n")
    letter = parse_letter(text)
    assert [s.kind for s in letter.sentences[-4:]] == ["signature"] * 4
    assert letter.titles == ["Software Developer"]  # not the signer's "QA Manager"


def test_a_sentence_about_managing_a_budget_is_a_duty_not_pay():
    budget = ("He makes the yearly development plan of the department and he controls the budget of the department "
              "(about RMB 9 million per year) including the salaries, cloud server cost and the outsourcing contracts.")
    letter = parse_letter("His main duties are:\n\n" + budget + "\n\nHis annual salary is RMB 480,000.\n" + TAIL)
    kinds = kind_of_each(letter)
    assert kinds[budget] == "duty"
    assert kinds["His annual salary is RMB 480,000."] == "compensation"


FORWARDED = """From: People Team <people@pinecliffpay.example>
Sent: 22 January 2024 09:05
Subject: FW: reference

> Ana Vukovic - Software Developer in Test
> Employed June 1, 2021 - Dec 15, 2023.
>
> **What she did:**
> - Wrote test plans and test cases for each release of our mobile wallet app
> - Logged, tracked and retested defects in Jira
>
> This message, including any attachments, is confidential and may be privileged.
> If you are not the intended recipient, please notify the sender and delete it.
"""


def test_a_forwarded_emails_quote_marks_and_markdown_are_read_off_and_its_disclaimer_is_no_duty():
    letter = parse_letter(FORWARDED)
    duties = [s.text for s in letter.duties]
    assert duties[-2:] == ["Wrote test plans and test cases for each release of our mobile wallet app",
                           "Logged, tracked and retested defects in Jira"]  # no "> - ", no disclaimer after them
    assert kind_of_each(letter)["Sent: 22 January 2024 09:05"] == "date"


def test_a_statutory_declarations_formula_and_exhibits_are_no_duties():
    text = ("I, PRIYA RAGHUNATHAN, of the City of Toronto, in the Province of Ontario, DO SOLEMNLY DECLARE THAT:\n\n"
            "1. I make this declaration in support of my application to the OINP.\n"
            "2. A copy of the employer's e-mail confirming my dates is attached as Exhibit \"A\".\n"
            "3. I reported to Mr. Darnell Whitcombe, Manager, Mobile Commerce.\n"
            "4. My main duties in this position were:\n"
            "- writing, modifying and testing code for the order-processing services of the e-commerce storefront\n"
            "5. I did not manage staff or budgets.\n\n"
            "AND I make this solemn declaration conscientiously believing it to be true.\n")
    assert [s.text for s in parse_letter(text).duties] == [
        "writing, modifying and testing code for the order-processing services of the e-commerce storefront"]


def test_a_job_description_attached_after_the_signature_holds_the_duties_but_not_its_qualifications():
    text = ("Dear Sir or Madam,\n\nMs. Restrepo was employed by Brightwater Advisory Group LP from 2020 to 2024.\n\n"
            "Yours sincerely,\n\nMartin Kowalczyk\nPartner\n\n\nAnnex A – Job Description\n\nKey responsibilities\n"
            "1. Meet client stakeholders to elicit and document business requirements\n"
            "2. Design, configure and test Dynamics 365 business solutions\n\nQualifications\n"
            "Degree in computer science or software engineering\n")
    assert [s.text for s in parse_letter(text).duties] == [
        "Meet client stakeholders to elicit and document business requirements",
        "Design, configure and test Dynamics 365 business solutions"]


def test_a_table_row_laid_out_in_columns_that_ends_with_its_duties_is_a_duty():
    row = ("Jan 11, 2016 - Aug 31, 2018    Programmer Analyst    Wrote, modified and unit-tested COBOL and JCL batch "
           "programs for the premium billing system")
    letter = parse_letter("Period    Position    Main responsibilities\n" + row + "\n" + TAIL)
    assert kind_of_each(letter)[row] == "duty"


@pytest.mark.parametrize(("sentence", "kind"), [
    ("From April 2021 onwards he was leading a team of 6 developers and 2 testers for the design of the payment "
     "modules.", "duty"),
    ("Since 06/28/2021 he has held the position of Cybersecurity Analyst.", "employment"),
    ("From 2016 to 2019 he served as Information Systems Analyst and since March 2020 he is working as Manager IT.",
     "employment"),
    ("From 11/11/2021 she is working as IT Manager and currently is in this position.", "employment"),
])
def test_a_sentence_opening_with_a_date_is_a_duty_when_it_states_work_not_a_position(sentence, kind):
    assert kind_of_each(parse_letter("Dear Sir or Madam,\n\n" + sentence + "\n" + TAIL))[sentence] == kind


def test_a_foreign_offices_titles_before_a_name_do_not_end_the_sentence():
    text = ("TO WHOM IT MAY CONCERN\n\nThrough the present we certify that Lic. Valentina Ruiz works in our company "
            "since the 1st of August of 2019, occupying the position of Statistician.\n"
            "Furthermore Ing. Rinaldi participates in the technical part of the tenders.\n" + TAIL)
    texts = [s.text for s in parse_letter(text).sentences]
    assert any(t.startswith("Through the present we certify that Lic. Valentina Ruiz works") for t in texts)
    assert "Furthermore Ing. Rinaldi participates in the technical part of the tenders." in texts


@pytest.mark.parametrize(("sentence", "kind"), [
    ("CERTIFICATE OF SERVICES", "letterhead"),
    ("Employment Reference (Arbeitszeugnis – English version prepared by the company)", "letterhead"),
    ("Issued at the employee's request.", "other"),
    ("We confirm that the information above is true and correct.", "signature"),
    ("We certify the above is correct.", "signature"),
    ("Without other particular, we greet you very attentively.", "other"),
    ("We declare also that Mr. Rodrigo keeps active employment relationship with the company until this date.",
     "other"),
    ("His position is Engineering Manager, Payments Infrastructure.", "employment"),
    ("Actually his position is Technical Project Manager of Mobile Department.", "employment"),
    ("He performed the tasks assigned to him always to our fullest satisfaction.", "praise"),
    ("Camille left on good terms and we would gladly work with her again.", "praise"),
    # what the rules must leave alone: a duty about data that must be accurate, a reference that states a position
    ("Reviews the monthly claims extracts and ensures the information is accurate before it is loaded.", "duty"),
])
def test_a_letters_own_title_formulas_and_position_statements_are_no_duties(sentence, kind):
    assert kind_of_each(parse_letter("Dear Sir or Madam,\n\n" + sentence + "\n" + TAIL))[sentence] == kind


def test_a_reference_line_with_the_positions_facts_is_not_the_documents_title():
    line = "Reference: Aisha Rahmani - Network Security Administrator - since 2022-04-19 - full-time 40 h/wk"
    assert kind_of_each(parse_letter("Dear Sir or Madam,\n\n" + line + "\n" + TAIL))[line] != "letterhead"


def test_a_sentence_that_announces_the_duties_below_is_their_heading():
    text = ("Dear Sir or Madam,\n\nHis main duties are described below.\n\n"
            "Designs the data warehouse models and writes the stored procedures\n" + TAIL)
    kinds = kind_of_each(parse_letter(text))
    assert kinds["His main duties are described below."] == "heading"
    assert kinds["Designs the data warehouse models and writes the stored procedures"] == "duty"


def test_a_forms_to_whom_it_may_concern_is_the_greeting_and_the_name_above_it_the_letterhead():
    text = ("LEVANT RELIEF AND DEVELOPMENT ASSOCIATION (LRDA)\nWORK EXPERIENCE CERTIFICATE\n"
            "To: Whom it may concern\n\nEmployee name:     Rami Khoury\nJob title:     Information Systems Coordinator\n"
            "Main duties and responsibilities:\n- Supervising the daily administrative procedures of the office\n")
    expected = {"LEVANT RELIEF AND DEVELOPMENT ASSOCIATION (LRDA)": "letterhead", "To: Whom it may concern": "greeting",
                "Supervising the daily administrative procedures of the office": "duty"}
    kinds = kind_of_each(parse_letter(text))
    assert {line: kinds[line] for line in expected} == expected


def test_an_annexure_of_roles_after_the_signature_holds_the_duties():
    text = ("TO WHOM IT MAY CONCERN\n\nMr. Dinesh Perera has been employed as Senior Engineer - Cyber Security from "
            "01st June 2020 to date. A description of his duties is attached as Annexure A.\n\nYours faithfully,\n\n"
            "Nirmala Perera\nManager - Human Resources\n\n---------------------------------\n\n"
            "ANNEXURE A - ROLES AND RESPONSIBILITIES\n\n"
            "  o  Operates the 24x7 security monitoring function and investigates suspicious sign-ins.\n"
            "  o  Runs monthly vulnerability scans (Nessus) and coordinates remediation with the infrastructure teams.\n")
    assert [s.text for s in parse_letter(text).duties][-2:] == [
        "Operates the 24x7 security monitoring function and investigates suspicious sign-ins.",
        "Runs monthly vulnerability scans (Nessus) and coordinates remediation with the infrastructure teams."]


@pytest.mark.parametrize("glyph", ["\uf0b7\t", "\uf0a7 ", "? ", "\ufffd "])
def test_bullets_that_word_a_phone_or_an_encoding_mangled_are_still_bullets(glyph):
    text = ("Dear Sir or Madam,\n\nHis duties are:\n"
            f"{glyph}maintain and troubleshoot the office networks at both sites\n"
            f"{glyph}install and set up new laptops, printers and software for staff\n" + TAIL)
    duties = [s.text for s in parse_letter(text).duties]
    assert duties[:2] == ["maintain and troubleshoot the office networks at both sites",
                          "install and set up new laptops, printers and software for staff"]


def test_a_long_unpunctuated_sentence_is_cut_at_its_runs_of_spaces():
    run_on = ("his job day to day is writing the code for our ios app in swift and swiftui  he takes the screens our "
              "designer does in figma and builds them  writes the unit tests and ui tests  fixes the crashes that come "
              "in from crashlytics and writes up the release notes for each version  he also checks if a change in "
              "one part will break checkout before it goes out")
    duties = [s.text for s in parse_letter("hi there\n\n" + run_on + "\n\ncheers\nbec\n").duties]
    assert duties[:3] == ["his job day to day is writing the code for our ios app in swift and swiftui",
                          "he takes the screens our designer does in figma and builds them",
                          "writes the unit tests and ui tests"]
    # a short line in columns is left as it is
    columns = "Figma    Wireframes and page layouts of client sites"
    assert columns in kind_of_each(parse_letter("Dear Sir,\n\n" + columns + "\n" + TAIL))


@pytest.mark.parametrize(("line", "kind"), [
    ("Date of Issue          : 17th February, 2025", "date"),
    ("Conduct                : Good", "other"),
    ("Statement of service - Nikhil Batra", "letterhead"),
    ("Please accept, Madam, Sir, our distinguished salutations.", "other"),
    ("Quick background: I'm CTO and co-founder of Switchback Labs (fleet-telematics SaaS, ~60 people).", "other"),
    ("I've been Kenji Sato's manager since he joined on October 1, 2019.", "other"),
    ("any questions txt or call me", "closing"),
    ("(for presentation at the place of demand)", "other"),
    ("Order No. 112-k dated 11.05.2018", "other"),
    ("Vice-President for Administrative Issues    ____________  Zhaksylykov B.T.", "signature"),
    ("NOC Code .................. 2283 – Information systems testing technicians", "other"),
    ("Job Code / Grade .......... IT-0342 / Band 9 (non-union)", "other"),
    ("I am writing, in my capacity as Chief Technology Officer of Cedarline Health Systems Ltd., to confirm the "
     "employment of Ms. Natalia Vasquez-Rocha.", "other"),
    ("She prepares and controls the department's annual operating budget of approximately $7.4 million, covering "
     "salaries, contractors, cloud hosting and tooling.", "duty"),
    ("She gathered requirements from clinic administrators and mentored the four developers who joined the Clinical "
     "Platform team.", "duty"),
])
def test_a_forms_date_of_issue_and_conduct_and_a_statements_title_are_no_duties(line, kind):
    assert kind_of_each(parse_letter("Dear Sir or Madam,\n\n" + line + "\n" + TAIL))[line] == kind


def test_an_employer_named_after_its_legal_form_heads_the_letter():
    line = 'JOINT-STOCK COMPANY "QAZTRANSLOGISTICS"'
    text = line + "\nAstana, Dostyk str., 5/2\n\nREFERENCE\n\nThis reference is given to Abenov Daniyar that he works here.\n"
    assert kind_of_each(parse_letter(text))[line] == "letterhead"


def test_a_second_letter_pasted_below_the_first_ones_signature_is_read():
    text = ("To Whom It May Concern:\n\nKenji was employed by Brightwater Outfitters as Web Developer from August 15, "
            "2016 through May 21, 2021.\n\nSincerely,\nTamsin Oduya\nDirector, People Operations\n\n"
            "NORTHSTAR MUTUAL INSURANCE COMPANY\nJanuary 27, 2025\n\nRE: Employment confirmation - Kenji Sato\n\n"
            "His current position is Front-End Developer, Digital Channels.\n"
            "He designs page layouts and wireframes for new products and campaigns.\n")
    kinds = kind_of_each(parse_letter(text))
    assert kinds["He designs page layouts and wireframes for new products and campaigns."] == "duty"


def test_the_writer_vouching_for_the_letter_opens_the_signers_block():
    text = ("To Whom It May Concern\n\nDuties:\n- Develops quality assurance procedures for new systems\n\n"
            "I certify that the above information is accurate according to the records of the Agency.\n"
            "Name:      Priya Raghunathan\nTitle:     Human Resources Advisor, Shared Services\n")
    kinds = kind_of_each(parse_letter(text))
    assert kinds["Title:     Human Resources Advisor, Shared Services"] == "signature"
    assert kinds["Develops quality assurance procedures for new systems"] == "duty"


@pytest.mark.parametrize(("line", "kind"), [
    # the note of whoever forwarded the letter (fourteenth blind batch)
    ("Please find below the reference letter from my manager for my Express Entry file.", "other"),
    ("HR will send the signed PDF on letterhead separately.", "other"),
    ("Here is the text of the letter, as discussed.", "other"),
    ("The original signed copy will be sent to your home address by post.", "other"),
    ("The table with percentages is what my manager prepared.", "other"),
    ("Dana, forwarding the experience letter from Quillstone.", "other"),
    # a small employer's own words and a foreign certificate's parting
    ("I own Crumb & Kettle, a bakery with two shops and online orders.", "other"),
    ("Call me if you have questions.", "closing"),
    ("For any question you can call me.", "closing"),
    ("She has been cleared of all her account-abilities with the company.", "other"),
    ("Mr. Khoa has completed all the work handed over and has no debt with the company.", "other"),
    ("She leaves our company at her own request.", "other"),
    ("Mrs. Mazur performed her duties diligently and with high engagement.", "praise"),
    ("Signed in Makati City, Philippines.", "signature"),
    ("He holds the position of Machine Learning Engineer within our Digital & Analytics Division.", "employment"),
    ("Network switching, cabling and help desk requests are handled by the Infrastructure team and are not part of "
     "this position.", "other"),
    ("Supervisor title:   Principal Consultant", "other"),
    ("Issued to ................ To Whom It May Concern", "other"),
    ("Date of issue ............ October 4, 2023", "date"),
    # a signal's integrity is work, a person's is praise
    ("He performs signal-integrity and power-integrity simulations with HyperLynx before each board release.", "duty"),
    ("She is known for her honesty and integrity.", "praise"),
    # who else does the work (the duties the measurement against labeller I showed read as evidence)
    ("Software architecture and design are the responsibility of our Software Engineering group.", "other"),
    ("Architecture and design decisions are proposed by his two team leads and submitted to him for approval.",
     "other"),
    ("Our developers build the sites from her designs.", "other"),
    ("He builds the sites that our designers specify.", "duty"),
    # a position's heading of a title and years; a duty that names years stays one
    ("SYSTEMS PROGRAMMER (2020 – present)", "other"),
    ("Led the migration of the billing platform (2019 - 2020)", "duty"),
])
def test_forwarding_notes_partings_and_headings_of_the_fourteenth_batch(line, kind):
    assert kind_of_each(parse_letter("Dear Sir or Madam,\n\n" + line + "\n" + TAIL))[line] == kind


def test_a_long_sentence_that_announces_the_duties_below_heads_them():
    text = ("To Whom It May Concern:\n\nAt the employee's request, the main duties of the position and the approximate "
            "share of working time spent on each are listed below.\n\n- Monitor SIEM alerts and firewall logs\n" + TAIL)
    kinds = kind_of_each(parse_letter(text))
    assert kinds["At the employee's request, the main duties of the position and the approximate share of working "
                 "time spent on each are listed below."] == "heading"
    # a longer sentence that states a fact keeps its kind
    facts = ("We hereby confirm that Mr. Faisal Qureshi has been employed with us on a permanent, full-time basis "
             "(40 hours per week) in the following positions:")
    assert kind_of_each(parse_letter("To Whom It May Concern:\n\n" + facts + "\n" + TAIL))[facts] == "hours"


def test_a_bordered_tables_wrapped_cells_are_joined_and_a_cells_list_split():
    wrapped = ("Duties:\n\n| Duty                                                                   | % of time |\n"
               "|------------------------------------------------------------------------|-----------|\n"
               "| Monitor SIEM (Splunk) alerts, IDS/IPS events and firewall logs for cyber |    30%    |\n"
               "| attacks, intrusions, malware and unusual or unauthorized activity;       |           |\n"
               "| Lead the response to security incidents under the Credit Union's        |    20%    |\n"
               "| Incident Response Plan                                                  |           |\n")
    duties = [s.text for s in parse_letter("To Whom It May Concern:\n\n" + wrapped + TAIL).duties]
    assert duties[:2] == ["Monitor SIEM (Splunk) alerts, IDS/IPS events and firewall logs for cyber attacks, "
                          "intrusions, malware and unusual or unauthorized activity;",
                          "Lead the response to security incidents under the Credit Union's Incident Response Plan"]
    listed = ("+------+----------------------------------------+\n| Item | Details                                |\n"
              "+------+----------------------------------------+\n| Duties | Modifies existing RPG and COBOL programs |\n"
              "|        | Writes new batch billing and payroll jobs |\n|        | Tests and debugs code changes   |\n"
              "+------+----------------------------------------+\n")
    duties = [s.text for s in parse_letter("To Whom It May Concern:\n\n" + listed + TAIL).duties]
    assert duties == ["Modifies existing RPG and COBOL programs", "Writes new batch billing and payroll jobs",
                      "Tests and debugs code changes"]


def test_a_table_without_bars_keeps_its_rows_and_their_shares_apart():
    table = ("No.  Task description                                                  Time (%)\n"
             "1    Develop and implement gameplay features (combat, inventory,          35\n"
             "     daily rewards) for our mobile games in Unity (C#)\n"
             "2    Program character and user interface animations                      15\n"
             "3    Review code of junior programmers                                     5\n"
             "     TOTAL                                                               100\n")
    kind_of = kind_of_each(parse_letter("To Whom It May Concern:\n\nThe main tasks are as below:\n\n" + table + TAIL))
    assert kind_of["Develop and implement gameplay features (combat, inventory, daily rewards) for our mobile games "
                   "in Unity (C#)"] == "duty"
    assert kind_of["Review code of junior programmers"] == "duty"
    assert kind_of["35"] == "other"


def test_a_pdfs_wrapped_list_items_are_joined_and_a_list_that_lost_its_bullets_split():
    bullets = ("Her day-to-day responsibilities are:\n\n"
               "\uf0b7 Write unit and UI tests (XCTest, Espresso) and fix defects reported by\nQA and by customers.\n"
               "\uf0b7 Analyze crash and performance reports (Firebase Crashlytics, Android\n"
               "Vitals) and recommend modifications to existing code.\n"
               "\uf0b7 Write technical documentation and release notes for new features.\n")
    # a PDF's lines wrap at one width: the closing's lines too
    closing = "\nWe are very happy with Aisha's work and recommend her for any position in\nsoftware development.\n"
    duties = [s.text for s in parse_letter("To Whom It May Concern:\n\n" + bullets + closing).duties]
    assert duties == ["Write unit and UI tests (XCTest, Espresso) and fix defects reported by QA and by customers.",
                      "Analyze crash and performance reports (Firebase Crashlytics, Android Vitals) and recommend "
                      "modifications to existing code.",
                      "Write technical documentation and release notes for new features."]
    lost = ("Main duties:\n\nAdminister the Oracle 19c and SQL Server 2019 production and test data-\n"
            "bases: installation, patching, performance tuning, capacity planning\n"
            "Design logical and physical data models for the warehouse management and\n"
            "pharmacy dispensing projects\nWrite stored procedures, triggers and PL/SQL scripts for the\n"
            "billing services\n")
    duties = [s.text for s in parse_letter("To Whom It May Concern:\n\n" + lost + TAIL).duties]
    assert duties == ["Administer the Oracle 19c and SQL Server 2019 production and test databases: installation, "
                      "patching, performance tuning, capacity planning",
                      "Design logical and physical data models for the warehouse management and pharmacy dispensing "
                      "projects", "Write stored procedures, triggers and PL/SQL scripts for the billing services"]
