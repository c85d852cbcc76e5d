"""The letter-completeness check (IRCC reference-letter contents) on real letters and on variants of
them with one element taken out; the flags; the ``check`` command; the check inside a match."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from conftest import LETTERS, REPO

from nocmatch.checklist.completeness import ELEMENTS, Completeness, check_completeness
from nocmatch.letter import parse_letter

#: home and matcher are the small test index: nothing here depends on the other unit groups
pytestmark = pytest.mark.small_index

DEV_LETTERS = REPO / "benchmarks" / "data" / "dev_letters"
ALL_LETTERS = sorted(LETTERS.glob("*.txt")) + sorted(DEV_LETTERS.glob("*.txt"))
L01 = LETTERS / "l01_senior-swe-dept-head.txt"


def check(text: str) -> Completeness:
    return check_completeness(parse_letter(text))


def status(text: str, element: str) -> str:
    return check(text).item(element).status


@pytest.fixture(scope="module")
def l01() -> str:
    return L01.read_text(encoding="utf-8")


# -- real letters ---------------------------------------------------------------------------
@pytest.mark.parametrize("line, number", [
    ("Tel.: +55 11 5550-3321 – contato@coraldigital.example", "+55 11 5550-3321"),
    ("Email: hr@zenithpoint.example   Tel: +234 1 555 0174", "+234 1 555 0174"),
    ("Contact: Ms. Liu Fang, HR Manager, +86 755 5550 1234", "+86 755 5550 1234"),
    ("Tel: +90 212 555 48 90 | ik@anadolufintek.example", "+90 212 555 48 90"),
    ("Tél. : +33 1 23 45 67 89", "+33 1 23 45 67 89"),
    ("Tel. No. (02) 8555-0176  |  hr@brightwavebpo.example", "(02) 8555-0176"),
    ("Ph: +91-20-555-0187 | Email: hr@vedantasoftlink.example", "+91-20-555-0187"),
    ("Tel: (+84) 28 5550 1234 - Email: hr@saigonsoftworks.example", "(+84) 28 5550 1234"),
    ("Trunkline: (+63 32) 555 8800", "(+63 32) 555 8800"),
])
def test_a_telephone_number_abroad_is_found(line, number, l01):
    letter = l01.replace("Tel: (416) 555-0142  |  ", "").replace("(416) 555-0142 ext. 210\n", "")
    letter = letter.replace("MAPLEGROVE SYSTEMS INC.\n", "MAPLEGROVE SYSTEMS INC.\n" + line + "\n", 1)
    assert number in check(letter).item("company_phone").found



@pytest.mark.parametrize("line, name", [
    ("Employee: Marc-André Gauthier", "Marc-André Gauthier"),          # a template's field
    ("| Employee            | Hamid Rezaei       |", "Hamid Rezaei"),    # the same field in a table row
    ("RE: Wei Zhang", "Wei Zhang"),
    ("Reference - Sofia Lindqvist-Okafor", "Sofia Lindqvist-Okafor"),
    ("Employment letter: Nnamdi Okafor", "Nnamdi Okafor"),
    ("Jordan Blakeley worked for us as Software Engineer, Mar 2021 - Sep 2024, full-time.", "Jordan Blakeley"),
    ("Nadia Hashemi - Data Analyst, Customer Analytics. Full time since Sept 2021 (40 h/wk).", "Nadia Hashemi"),
    ("We certify that Eng. Karim Mostafa Abdelrahman, Egyptian national, is working in our company since "
     "15/01/2015.", "Karim Mostafa Abdelrahman"),
    ("THIS IS TO CERTIFY THAT MR. LIU JIANHONG (PASSPORT NO. EK5550193) HAS WORKED IN OUR COMPANY FROM 2019-07-01 "
     "TO 2024-08-31.", "LIU JIANHONG"),
    ('This is to confirm that Mr. Devendra ("Dev") Raghunathan has been employed by us since June 4, 2019.',
     'Devendra ("Dev") Raghunathan'),
    ("We hereby attest that Mr. Étienne Gagné-Lachapelle occupies the position of IT Consultant since 2019.",
     "Étienne Gagné-Lachapelle"),
])
def test_the_employee_is_named_as_terse_templates_and_foreign_offices_write_it(line, name, l01):
    """The ways nine of 40 letters written apart from this code named the employee, none of them found before."""
    letter = l01.replace("Mr. Arjun Mehta", "the employee").replace(" - Arjun Mehta", "")
    assert check(letter).item("employee_name").status == "missing"
    letter = letter.replace("To Whom It May Concern,", line + "\n\nTo Whom It May Concern,", 1)
    assert line in letter
    assert check(letter).item("employee_name").found == [name]


@pytest.mark.parametrize("field", [
    "| Signed        | Marisol Kwan, HR Business Partner, 250-555-0113 |",
    "Verified by: Marisol Kwan, HR Business Partner",
])
def test_the_signer_is_read_from_a_templates_signature_field(field, l01):
    letter = l01[:l01.index("Sincerely,")] + field + "\n"
    result = check(letter)
    assert result.item("signer_name").found == ["Marisol Kwan"]
    assert result.item("signer_title").found == ["HR Business Partner"]


@pytest.mark.parametrize("line", ["He works at full time, 37.5 hours by week.",
                                  "HE WORKED FULL TIME AND HAS WORKED IN OUR COMPANY SINCE 2019."])
def test_a_pronoun_or_verb_is_not_taken_for_the_employee(line, l01):
    letter = l01.replace("Mr. Arjun Mehta", "the employee").replace(" - Arjun Mehta", "")
    letter = letter.replace("To Whom It May Concern,", line + "\n\nTo Whom It May Concern,", 1)
    assert line in letter
    assert check(letter).item("employee_name").status == "missing"


def test_a_position_after_re_is_not_taken_for_the_employee(l01):
    letter = l01.replace("Mr. Arjun Mehta", "the employee").replace(" - Arjun Mehta", "")
    letter = letter.replace("To Whom It May Concern,", "RE: Senior Data Engineer\n\nTo Whom It May Concern,", 1)
    assert "RE: Senior Data Engineer" in letter
    assert check(letter).item("employee_name").status == "missing"


def test_a_complete_letter_reports_every_element_with_the_text_found(l01):
    result = check(l01)
    assert [i.element for i in result.items] == [e for e, _ in ELEMENTS]
    found = {i.element: i.found for i in result.items}
    assert found["letterhead"] == ["MAPLEGROVE SYSTEMS INC."]
    assert "220 King Street West, Suite 1400" in found["company_address"]
    assert "(416) 555-0142" in found["company_phone"]
    assert found["company_email"] == ["danielle.fortin@maplegrovesystems.example.com"]
    assert found["signer_name"] == ["Danielle Fortin"]
    assert found["signer_title"] == ["Director, Human Resources"]
    assert found["employee_name"] == ["Arjun Mehta"]
    assert found["job_title"] == ["Senior Software Engineer"]
    assert "start June 3, 2019" in found["employment_dates"]
    assert "40 hours per week" in found["hours_per_week"]
    assert found["salary"] == ["$148,500"]
    assert {"dental", "RRSP", "vacation"} <= set(found["benefits"])
    assert result.missing == [] and result.flags == []
    # a plain-text letter cannot show a signature: a human must look at the original
    assert result.item("signature_line").status == "ambiguous"
    assert "signed" in result.item("signature_line").note


@pytest.mark.parametrize("path", ALL_LETTERS, ids=lambda p: p.stem[:24])
def test_every_real_letter_names_its_people_from_the_right_places(path):
    """On all 96 letters: the employee and the signer are found, are different people, and the signer
    is named after the letter's body (in the signature block)."""
    text = path.read_text(encoding="utf-8")
    result = check(text)
    employee, signer = result.item("employee_name"), result.item("signer_name")
    assert employee.status == "present" and signer.status == "present"
    assert employee.found[0] != signer.found[0]
    assert employee.found[0] in text
    assert text.rindex(signer.found[0]) > len(text) * 0.7
    assert result.item("duties").status == "present"
    assert result.item("employment_dates").status == "present"


def test_what_real_letters_lack_is_reported():
    # l19 states no salary and no benefits; l09 no hours; d014 says "full-time" without the hours
    l19 = check((LETTERS / "l19_graphic-designer.txt").read_text(encoding="utf-8"))
    assert l19.item("salary").status == "missing" and l19.item("benefits").status == "missing"
    assert l19.missing == ["salary", "benefits"]
    assert status((LETTERS / "l09_mainframe-programmer-semicolons.txt").read_text(encoding="utf-8"),
                  "hours_per_week") == "missing"
    d014 = check(next(DEV_LETTERS.glob("d014_*.txt")).read_text(encoding="utf-8")).item("hours_per_week")
    assert d014.status == "ambiguous" and "full-time" in d014.found and "hours per week" in d014.note


def test_a_promotion_gives_each_position_with_its_dates():
    result = check(next(DEV_LETTERS.glob("d004_*.txt")).read_text(encoding="utf-8"))
    assert set(result.item("job_title").found) == {"Manager, Application Development", "Software Developer"}
    dates = result.item("employment_dates")
    assert dates.status == "present"
    assert "end March 31, 2019" in dates.found
    assert any(f.startswith("Software Developer:") for f in dates.found)
    assert not any(f.kind == "positions_without_dates" for f in result.flags)


def test_an_hourly_rate_is_salary_and_twelve_hour_shifts_are_not_part_time():
    d068 = check(next(DEV_LETTERS.glob("d068_*.txt")).read_text(encoding="utf-8"))
    assert "$49.80" in d068.item("salary").found and "$97,110" in d068.item("salary").found
    assert d068.item("hours_per_week").found[0] == "37.5 hours per week"
    assert d068.flags == []


def test_allowances_and_budgets_are_not_the_salary():
    d003 = check(next(DEV_LETTERS.glob("d003_*.txt")).read_text(encoding="utf-8"))
    assert d003.item("salary").found == ["$139,000 a year"]   # not the "$1,500 annual learning allowance"
    l01 = check(L01.read_text(encoding="utf-8"))
    assert "$3.4" not in " ".join(l01.item("salary").found)   # the department's budget, in a duty


@pytest.mark.parametrize("sentence, amount", [
    ("His salary is INR 18,00,000 per annum.", "INR 18,00,000 per annum"),
    ("Her annual salary is 180,000 RMB.", "180,000 RMB"),
    ("His gross salary is ₹18,00,000 per annum.", "₹18,00,000 per annum"),
    ("His salary is Rs. 12 lakhs per annum.", "Rs. 12 lakhs per annum"),
    ("Her gross salary was EUR 52.000 per year.", "EUR 52.000 per year"),
    ("His salary is PHP 480,000 annually.", "PHP 480,000 annually"),
    ("His last gross salary was 15 800 PLN monthly.", "800 PLN"),
    ("Her salary is £48,000 per year.", "£48,000 per year"),
])
def test_a_salary_in_a_foreign_currency_is_an_amount(sentence, amount, l01):
    letter = l01.replace("His current annual salary is $148,500 CAD, plus", sentence + " He receives")
    salary = check(letter).item("salary")
    assert salary.status == "present" and any(amount in found for found in salary.found), salary.found


def test_an_hourly_rate_abroad_is_annualised_in_its_own_currency(l01):
    letter = l01.replace("His current annual salary is $148,500 CAD, plus", "He is paid INR 900 per hour. He receives")
    assert "≈ INR 1,872,000 a year at 40 h/week" in check(letter).item("salary").note


@pytest.mark.parametrize("sentence", ["He is working full time 45 hours in week.", "She works 45 working hours per week.",
                                      "He works 45 hours in a week."])
def test_weekly_hours_as_foreign_offices_write_them(sentence, l01):
    letter = l01.replace(" He works 40 hours per week.", " " + sentence)
    assert check(letter).item("hours_per_week").status == "present"
    assert 45.0 in [float(v) for f in check(letter).item("hours_per_week").found for v in re.findall(r"\d+", f)]


def test_hours_a_day_are_not_hours_a_week(l01):
    letter = l01.replace(" He works 40 hours per week.", " He is rendering 8 hours a day, Monday to Friday.")
    letter = letter.replace("full-time, ", "")
    hours = check(letter).item("hours_per_week")
    assert hours.status == "ambiguous" and hours.found == ["8 hours a day"] and "not hours per week" in hours.note


@pytest.mark.parametrize("start, end", [("12-Jun-2019", "30-Aug-2024"), ("01.03.2018", "31.08.2021"),
                                        ("3rd March 2019", "31st May 2023"), ("2018/03/01", "2021/08/31")])
def test_employment_dates_in_every_written_form_are_read(start, end):
    letter = ("To whom it may concern,\n\nMs. Li Na worked at Bright Data Co. as Data Analyst from "
              f"{start} to {end}.\n\nMain duties:\n- Collect data from the business systems and clean it with SQL\n"
              "- Make the dashboards in Tableau for the sales department\n- Build models to forecast the sales\n\n"
              "Zhang Wei\nDirector, Data Center\n")
    dates = check(letter).item("employment_dates")
    assert dates.status == "present" and f"start {start}" in dates.found and f"end {end}" in dates.found


def test_a_forms_dates_of_joining_and_relieving_above_a_letter_without_greeting_are_the_employment_dates():
    form = ("EXPERIENCE CERTIFICATE\n\nName of Employee : Olusegun Adebayo\nDesignation : Senior Network Engineer\n"
            "Date of Joining : 04/01/2016\nDate of Relieving    : 30/11/2023\nSalary : NGN 9,600,000 per annum\n\n"
            "Key Responsibilities\n* Configure Cisco routers and switches for 40 branches\n* Monitor the network with "
            "Zabbix and PRTG\n* Manage the firewalls and site-to-site VPN\n\n(signed)\nHead, Human Resources\n")
    result = check(form)
    assert result.item("employment_dates").status == "present"
    assert result.item("employment_dates").found == ["start 04/01/2016", "end 30/11/2023"]
    assert result.item("salary").found == ["NGN 9,600,000 per annum"]


@pytest.mark.parametrize("line", [
    "Plot No. 42, 3rd Floor, Cyber Towers Road, HITEC City, Hyderabad - 500081, Telangana, INDIA",
    "Unit 1203, Emerald Tower, Ortigas Center, Pasig City 1605, Metro Manila, Philippines",
    "House 27, Road 11, Gulshan-1, Dhaka-1212, Bangladesh",
    "ul. Lubicz 23, 31-503 Kraków, Poland",
    "Rua das Araucárias, 1555 - Sala 804 - Centro - Curitiba/PR - CEP 80020-555 - Brasil",
    "2211 rue Notre-Dame Ouest, Montréal QC H3J 1N6",
    "#600, 505 - 3rd Street SW, Calgary, AB  T2P 3E6",
])
def test_an_address_as_letters_abroad_and_in_quebec_write_it_is_found(line, l01):
    letter = _drop_lines(l01, "220 King", "Toronto, Ontario").replace("MAPLEGROVE SYSTEMS INC.\n",
                                                                       "MAPLEGROVE SYSTEMS INC.\n" + line + "\n", 1)
    address = check(letter).item("company_address")
    assert address.status == "present" and any(line.split(",")[0] in found for found in address.found), address.found


def test_a_listed_duty_naming_office_365_is_no_address(l01):
    letter = _drop_lines(l01, "220 King", "Toronto, Ontario").replace(
        "• ", "• Install Office 365, VPN client, POS software on the new laptops\n• ", 1)
    assert check(letter).item("company_address").status == "missing"


# -- one element taken out at a time ------------------------------------------------------------
def _drop_lines(text: str, *starts: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.strip().startswith(starts))


REMOVALS = {
    # element: (how the variant is made, the status expected)
    "company_address": (lambda t: _drop_lines(t, "220 King", "Toronto, Ontario"), "missing"),
    "company_phone": (lambda t: t.replace("Tel: (416) 555-0142  |  ", "").replace("(416) 555-0142 ext. 210\n", ""),
                      "missing"),
    "company_email": (lambda t: _drop_lines(t, "danielle.fortin@"), "missing"),
    "signer_name": (lambda t: _drop_lines(t, "Danielle Fortin"), "missing"),
    "signer_title": (lambda t: _drop_lines(t, "Director, Human Resources"), "missing"),
    "signature_line": (lambda t: t[:t.index("Sincerely,")], "missing"),
    "employee_name": (lambda t: t.replace("Mr. Arjun Mehta", "the employee").replace(" - Arjun Mehta", ""), "missing"),
    "employment_dates": (lambda t: t.replace(" from June 3, 2019 to present", "").replace("Since January 2021 ", ""),
                         "missing"),
    "job_title": (lambda t: t.replace(" as a full-time, permanent Senior Software Engineer", ""), "missing"),
    "hours_per_week": (lambda t: t.replace(" He works 40 hours per week.", "").replace("full-time, ", ""), "missing"),
    "salary": (lambda t: t.replace("His current annual salary is $148,500 CAD, plus", "He receives"), "missing"),
    "benefits": (lambda t: t.replace(", plus an annual performance bonus of up to 12%, extended health and dental "
                                     "coverage, RRSP matching and four (4) weeks of paid vacation", ""), "missing"),
    "duties": (lambda t: "\n".join(line for line in t.splitlines() if not line.startswith("•")), "missing"),
    # the company is still named in the body and the signature: not missing, but no letterhead
    "letterhead": (lambda t: _drop_lines(t, "MAPLEGROVE SYSTEMS INC."), "ambiguous"),
}


@pytest.mark.parametrize("element", list(REMOVALS))
def test_removing_an_element_flips_it_and_only_it(l01, element):
    make, expected = REMOVALS[element]
    variant = make(l01)
    assert variant != l01, "the variant must change the letter"
    before, after = check(l01), check(variant)
    assert before.item(element).status in ("present", "ambiguous")
    assert after.item(element).status == expected, after.item(element)
    changed = {i.element for i, j in zip(before.items, after.items) if i.status != j.status}
    # the signature block goes with its signer; otherwise exactly one element changes
    allowed = {element} | ({"signer_name", "signer_title", "company_email", "company_phone"}
                           if element == "signature_line" else set())
    assert element in changed and changed <= allowed, changed


def test_hours_without_a_number_are_ambiguous(l01):
    item = check(l01.replace(" He works 40 hours per week.", "")).item("hours_per_week")
    assert item.status == "ambiguous" and item.found == ["full-time"]


def test_a_signature_mark_makes_the_signature_present(l01):
    item = check(l01.replace("Sincerely,\n", "Sincerely,\n\n(signed)\n")).item("signature_line")
    assert item.status == "present" and item.found == ["(signed)"]


def test_an_email_only_at_a_free_mail_domain_is_ambiguous(l01):
    variant = l01.replace("danielle.fortin@maplegrovesystems.example.com", "danielle.fortin77@gmail.com")
    item = check(variant).item("company_email")
    assert item.status == "ambiguous" and "personal" in item.note


def test_a_website_without_email_is_still_missing_the_email(l01):
    item = check(_drop_lines(l01, "danielle.fortin@")).item("company_email")
    assert item.status == "missing" and item.found == ["www.maplegrovesystems.example.com"]


# -- flags ------------------------------------------------------------------------------------
def test_part_time_hours_are_flagged(l01):
    result = check(l01.replace("40 hours per week", "20 hours per week").replace("full-time, ", ""))
    flags = {f.kind: f.message for f in result.flags}
    assert "part_time_hours" in flags and "20 hours per week" in flags["part_time_hours"]
    assert result.item("hours_per_week").status == "present"


def test_part_time_wording_alone_is_flagged(l01):
    result = check(l01.replace(" He works 40 hours per week.", "").replace("full-time", "part-time"))
    assert [f.kind for f in result.flags] == ["part_time_hours"]


def test_a_start_without_end_or_current_wording_is_flagged():
    letter = """Northwind Analytics Inc.
12 Front Street West, Toronto, Ontario M5J 2N1
416-555-0100 | hr@northwind.example.com

To whom it may concern,

This letter certifies that Ms. Ana Lopez worked for Northwind Analytics Inc. as a Data Analyst starting
March 2, 2020. She worked 40 hours per week for an annual salary of $80,000 with health benefits.

Her duties were:
- Collected and cleaned sales data from the company's databases
- Built dashboards in Power BI for the sales managers
- Wrote monthly reports on regional sales trends

Sincerely,

John Smith
HR Manager
"""
    result = check(letter)
    assert [f.kind for f in result.flags] == ["missing_end_date"]
    assert result.item("employment_dates").status == "ambiguous"
    assert "start March 2, 2020" in result.item("employment_dates").found
    ended = check(letter.replace("starting\nMarch 2, 2020", "from\nMarch 2, 2020 to June 30, 2023"))
    assert ended.flags == [] and ended.item("employment_dates").status == "present"
    current = check(letter.replace("worked for", "has been employed by"))
    assert current.flags == [] and current.item("employment_dates").status == "present"


def test_several_positions_without_their_own_dates_are_flagged():
    letter = (L01.read_text(encoding="utf-8")
              .replace("as a full-time, permanent Senior Software Engineer from June 3, 2019 to present",
                       "on a full-time, permanent basis since June 3, 2019")
              .replace("Since January 2021 Arjun has been in charge",
                       "Arjun joined us as a Software Developer and was later promoted to Engineering Manager, "
                       "and he is in charge"))
    result = check(letter)
    assert set(result.item("job_title").found) == {"Software Developer", "Engineering Manager"}
    flags = {f.kind: f.message for f in result.flags}
    assert "positions_without_dates" in flags and "Engineering Manager" in flags["positions_without_dates"]
    assert result.item("employment_dates").status == "ambiguous"
    dated = check(letter.replace("was later promoted", "on March 1, 2022 was promoted"))
    assert not any(f.kind == "positions_without_dates" for f in dated.flags)


def test_to_dict_has_the_stable_keys(l01):
    data = check(_drop_lines(l01, "220 King", "Toronto, Ontario")).to_dict()
    assert set(data) == {"items", "flags", "missing"}
    assert data["missing"] == ["company_address"]
    assert set(data["items"][0]) == {"element", "label", "status", "found", "note"}
    json.dumps(data)


# -- the command line ---------------------------------------------------------------------------
CLI = "import sys; from nocmatch.cli import main; sys.argv[0] = 'nocmatch'; main()"  # as the installed script runs


def run(args, stdin=None):
    env = dict(os.environ, COLUMNS="200", NOCMATCH_HOME="/nonexistent")  # check needs no catalog or model
    return subprocess.run([sys.executable, "-c", CLI, *args], input=stdin, capture_output=True, env=env, timeout=120)


def test_check_prints_the_checklist_without_catalog_or_model():
    proc = run(["check", str(LETTERS / "l19_graphic-designer.txt")])
    assert proc.returncode == 0, proc.stderr.decode()
    text = proc.stdout.decode()
    assert "Emily Nguyen" in text and "Jason Ruiz" in text
    assert re.search(r"✗ missing\s+Annual salary", text)
    assert "11 present, 2 missing, 1 ambiguous" in text


def test_check_json_from_stdin():
    proc = run(["check", "-", "--json"], stdin=L01.read_bytes())
    assert proc.returncode == 0, proc.stderr.decode()
    data = json.loads(proc.stdout)
    assert data["letter"] == "stdin" and data["missing"] == []
    assert {i["element"]: i["status"] for i in data["items"]}["salary"] == "present"


def test_check_a_letter_without_duties_still_gives_the_checklist(tmp_path):
    path = tmp_path / "no_duties.txt"
    path.write_text("To whom it may concern,\n\nThis is to confirm that Ms. Jane Roe has been employed by Acme "
                    "Widgets Inc. since May 1, 2020 as a Software Developer, 40 hours per week.\n\nSincerely,\n\n"
                    "John Smith\nHR Manager\n", encoding="utf-8")
    proc = run(["check", str(path), "--json"])
    assert proc.returncode == 0, proc.stderr.decode()
    data = json.loads(proc.stdout)
    assert "duties" in data["missing"] and "salary" in data["missing"]


@pytest.mark.parametrize("name, content, fragment", [
    ("empty.txt", b"  \n", "empty"),
    ("letter.rtf", b"{\\rtf1 hello}", "unsupported file type '.rtf'"),
    ("letter.doc", b"\xd0\xcf\x11\xe0" + bytes(200), "save the letter as .docx or PDF"),
    ("broken.docx", b"PK\x03\x04 this is not really a zip", "not a readable .docx file"),
    ("broken.pdf", b"%PDF-1.4\n garbage \n%%EOF", "not a readable PDF"),
])
def test_check_bad_files_get_one_line_errors(tmp_path, name, content, fragment):
    path = tmp_path / name
    path.write_bytes(content)
    proc = run(["check", str(path)])
    lines = proc.stderr.decode().strip().splitlines()
    assert proc.returncode != 0
    assert len(lines) == 1 and "Traceback" not in proc.stderr.decode(), proc.stderr.decode()
    assert fragment in lines[0]


def test_check_missing_file():
    proc = run(["check", "/nonexistent/letter.txt"])
    assert proc.returncode != 0 and "no such file" in proc.stderr.decode()


# -- inside a match -----------------------------------------------------------------------------
def test_the_match_result_carries_the_completeness(matcher):
    text = (LETTERS / "l19_graphic-designer.txt").read_text(encoding="utf-8")
    result = matcher.match(text)
    assert isinstance(result.completeness, Completeness)
    assert result.completeness.missing == ["salary", "benefits"]
    data = json.loads(result.to_json())
    assert data["completeness"]["missing"] == ["salary", "benefits"]
    assert [i["element"] for i in data["completeness"]["items"]] == [e for e, _ in ELEMENTS]


def test_match_prints_what_the_letter_lacks(home):
    env = dict(os.environ, NOCMATCH_HOME=str(home), COLUMNS="200")
    proc = subprocess.run([sys.executable, "-c", CLI, "match", str(LETTERS / "l19_graphic-designer.txt")],
                          capture_output=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()
    text = proc.stdout.decode()
    assert "Letter completeness: 11/14 elements present" in text
    assert "✗ missing: Annual salary" in text and "✗ missing: Benefits" in text


def test_the_entity_ruler_finds_nothing_in_the_sentences_it_skips():
    """The ruler runs only on sentences with a digit, '@' or web address (ENTITY_CUE); run on every
    sentence of every real letter, it finds no entity in the others."""
    from nocmatch.checklist.completeness import ENTITY_CUE, entity_ruler
    from nocmatch.letter.nlp import run
    sentences = [s.text for path in ALL_LETTERS for s in parse_letter(path.read_text(encoding="utf-8")).sentences]
    skipped = [s for s in sentences if not ENTITY_CUE.search(s)]
    assert len(skipped) > 500
    found = [(s, [e.text for e in doc.ents]) for s, doc in zip(skipped, run(entity_ruler(), skipped)) if doc.ents]
    assert found == []
    tagged = [s for s in sentences if ENTITY_CUE.search(s)]
    assert sum(bool(doc.ents) for doc in run(entity_ruler(), tagged)) > 100
