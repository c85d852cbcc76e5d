"""Letter parsing: bullets of every kind, prose, ';' chains, tables, non-duty content, titles."""

from __future__ import annotations

import pytest

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


@pytest.mark.parametrize("marker", ["•", "-", "*", "◦", "1.", "2)", "a)", "(b)", "iv."])
def test_bullets_of_every_kind(marker):
    body = "\n".join(f"{marker} {d}" for d in DUTIES)
    letter = parse_letter(HEAD + body + "\n" + TAIL)
    assert [s.text for s in letter.duties] == DUTIES


def test_wrapped_bullets_are_joined():
    body = "• Designs and maintains the enterprise data warehouse schema in Snowflake,\n  including the slowly changing dimensions\n• Builds data pipelines"
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


@pytest.mark.parametrize("sentence, title", [
    ("This letter confirms that Priya has been employed by Northwind Ltd. as a Senior Data Engineer since 2021.", "Senior Data Engineer"),
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
    kinds = {s.text: s.kind for s in parsed.sentences}
    assert kinds["hello@northwind.example.com"] == "contact"  # a table cell, not a "Hello" greeting
    rows = [s for s in parsed.sentences if "April 3, 2021" in s.text or "2023 – present" in s.text]
    assert rows and {s.kind for s in rows} == {"employment"}  # a position's dates, not a duty
    budget = "Manages the team's annual budget of $1.2 million (salaries, cloud spend, licences)"
    assert kinds[budget] == "duty"  # a listed duty that mentions salaries is not the employee's pay
    assert kinds["Best,"] == "closing" and kinds["Daniel Okafor"] == "signature"
    assert [s.text for s in parsed.duties] == DUTIES + [budget]
