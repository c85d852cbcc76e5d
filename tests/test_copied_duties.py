"""A letter that pastes NOC duty text: the copies count when the letter's own sentences agree with them,
and are set aside when its own sentences describe another occupation (the labelling guidelines' rule)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nocmatch.checklist.completeness import MIN_DUTIES
from nocmatch.engine.decide import own_words_to_judge

#: Four duties of 21223 (database analysts and data administrators) copied word for word from the NOC.
PASTED = ("Design, construct, modify, integrate, implement and test data models and database management systems",
          "Design and develop database architecture for information systems projects",
          "Write scripts related to stored procedures and triggers",
          "Develop and implement data administration policy, standards and models")


def letter(own_duties: tuple[str, ...]) -> str:
    """A database developer's reference letter: the pasted duties, then four in the employer's own words."""
    duties = "\n".join(f"- {duty}" for duty in PASTED + own_duties)
    employment = ("This is to confirm that Mr. Tomasz Nowak has been employed full-time (40 hours per week) by Lakeshore "
                  "Freight Systems as a Database Developer since June 1, 2021, at an annual salary of $71,000.")
    return f"""Lakeshore Freight Systems Inc.
45 Front Street East, Toronto, ON M5E 1B3

November 4, 2025

To whom it may concern,

{employment}

His duties are:
{duties}

Sincerely,

Maria Santos
Operations Manager
"""


#: the own words describe a dispatcher's work
PASTE_CONTRADICTED_OWN = ("Answers phone calls and emails from drivers and customers about late or missing shipments",
                          "Books pickups and deliveries with carriers and enters the bookings in our dispatch system",
                          "Prepares bills of lading, customs paperwork and delivery receipts for each load",
                          "Tracks trucks on the map and updates customers when a delivery will be late")
PASTE_CONTRADICTED = letter(PASTE_CONTRADICTED_OWN)
#: the own words describe the same database work
PASTE_CONFIRMED = letter(("Designs the PostgreSQL schemas of our shipment tracking platform and reviews every migration",
                          "Tunes slow SQL queries and indexes, and plans the backup and recovery of the production databases",
                          "Sets the rules for who may read or change shipment and customer data",
                          "Writes PL/pgSQL functions and triggers that keep the billing tables consistent"))

@pytest.mark.parametrize("copied, duty_sentences, own_actions, judged", [
    (4, 8, 4, True),    # half the duties pasted, four of its own
    (2, 6, 4, True),    # a third pasted
    (1, 8, 7, False),   # one pasted duty among eight is not a pasted letter
    (6, 8, 2, False),   # two actions of its own are too few to judge on
    (5, 7, 8, True),    # two sentences of its own, a paragraph of eight actions
    (0, 8, 8, False),
])
def test_own_words_are_judged_when_copies_are_a_third_and_enough_remains(copied, duty_sentences, own_actions, judged):
    assert own_words_to_judge(copied, duty_sentences, own_actions, MIN_DUTIES) is judged


def test_copies_contradicted_by_the_letters_own_duties_are_set_aside(matcher):
    result = matcher.match(PASTE_CONTRADICTED)
    assert result.warnings[0].kind == "copies_set_aside"
    assert "4 of 8 duty sentences" in result.warnings[0].message and "(21223)" in result.warnings[0].message
    # the dispatcher's own duties are no tech occupation's: the letter is flagged, not given 21223
    assert result.out_of_scope and result.supported_code != "21223"
    assert "verbatim_copy" not in [w.kind for w in result.warnings]
    assert len(result.letter.duty_sentences) == 4  # the match is of the letter's own sentences


def test_copies_the_letters_own_duties_confirm_count_as_evidence(matcher):
    result = matcher.match(PASTE_CONFIRMED)
    kinds = [w.kind for w in result.warnings]
    assert "copies_set_aside" not in kinds and "verbatim_copy" in kinds
    assert result.supported_code == "21223" and not result.out_of_scope
    assert len(result.letter.duty_sentences) == 8


REPO = Path(__file__).resolve().parents[1]
BLIND = REPO / "benchmarks" / "data" / "blind_letters"


def test_one_paragraph_of_own_words_can_set_the_copies_aside(matcher):
    # five 21231 duties pasted above two sentences (eight actions) of a tester's work, labelled 22222
    path = BLIND / "xh012_nocpaste_sdet_test_execution.txt"
    result = matcher.match(path.read_text(encoding="utf-8"), name=path.name)
    assert result.warnings[0].kind == "copies_set_aside"
    assert result.out_of_scope and result.supported_code == "22222"


def test_own_words_that_still_support_the_copied_code_weakly_confirm_it(matcher):
    # seven 21233 duties pasted, and one sentence of Figma and Webflow work that leans to 21234 but
    # does not contradict web design: the copies count
    path = BLIND / "xb011_nocpaste_web_designer_studio.txt"
    result = matcher.match(path.read_text(encoding="utf-8"), name=path.name)
    assert "copies_set_aside" not in [w.kind for w in result.warnings]
    assert result.supported_code == "21233"


def test_a_long_pasted_duty_with_words_changed_is_still_a_copy(matcher):
    # a hardware engineer's letter pastes five 21231 duties, one with "including mobile applications" cut:
    # its meaning moved more than its text; found, the copies are set aside and the letter is flagged
    path = BLIND / "xa016_nocpaste_embedded_sw_engineer_telecom_equipment.txt"
    result = matcher.match(path.read_text(encoding="utf-8"), name=path.name)
    assert result.warnings[0].kind == "copies_set_aside" and "5 of 13" in result.warnings[0].message
    assert result.out_of_scope and result.supported_code == "21311"


def test_a_short_sentence_sharing_a_duty_s_words_is_no_copy(matcher):
    # "Writes technical documentation for new and updated features" shares most words of 21232's
    # "Write documentation for new and updated software": a short sentence is held to the closeness in meaning
    path = REPO / "benchmarks" / "data" / "dev_letters" / "d042_mobile_app_developer_bank.txt"
    result = matcher.match(path.read_text(encoding="utf-8"), name=path.name)
    assert "verbatim_copy" not in [w.kind for w in result.warnings]


#: 21231's lead statement ("Software engineers and designers research, design, evaluate, integrate and maintain
#: software applications, technical environments, ...") cut into four duties, as a template pastes it.
LEAD_PASTED = ("Research, design, evaluate, integrate and maintain software applications",
               "Research, design, evaluate, integrate and maintain technical environments and operating systems",
               "Research, design, evaluate, integrate and maintain embedded software and information warehouses",
               "Research, design, evaluate, integrate and maintain telecommunications software")


def test_a_lead_statement_pasted_as_duties_is_a_copy(matcher):
    result = matcher.match(letter(()).replace("\n".join(f"- {duty}" for duty in PASTED),
                                              "\n".join(f"- {duty}" for duty in LEAD_PASTED)))
    copy = next(w for w in result.warnings if w.kind == "verbatim_copy")
    assert "4 of 4 duty sentences" in copy.message and "(21231)" in copy.message


def test_a_pasted_lead_statement_contradicted_by_the_letters_own_duties_is_set_aside(matcher):
    text = letter(PASTE_CONTRADICTED_OWN).replace("\n".join(f"- {duty}" for duty in PASTED),
                                                  "\n".join(f"- {duty}" for duty in LEAD_PASTED))
    result = matcher.match(text)
    assert result.warnings[0].kind == "copies_set_aside" and "(21231)" in result.warnings[0].message
    assert result.supported_code != "21231" and result.out_of_scope


def test_own_words_that_share_a_lead_statement_s_words_are_no_copy(matcher):
    # "design ... and maintain software applications" is 21231's wording too, but not most of a long sentence
    own = ("Designs and maintains the software applications our dispatchers use, with two other developers",
           "Writes and tests the Java services behind the shipment tracking screens",
           "Reviews pull requests and fixes the defects that QA reports")
    result = matcher.match(letter(own).replace("\n".join(f"- {duty}" for duty in PASTED) + "\n", ""))
    assert "verbatim_copy" not in [w.kind for w in result.warnings]
