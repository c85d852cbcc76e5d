"""The positions stage (issue 12): dates and ranges as letters write them, the positions a letter
lists with their dates, hours and duties, and the months of experience each gives.

Runs without the NOC catalog and without a model: ``parse_letter`` with the default title heads.
The labelled letters are ``benchmarks/data/position_letters`` (see its README for the as-of rule).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import json
import time
from pathlib import Path

import pytest

from nocmatch.letter import parse_letter
from nocmatch.letter.classify import DEFAULT_TITLE_HEADS
from nocmatch.letter.dates import DateRange, StatedDate, day_before, day_order, find_dates, find_ranges, whole_months
from nocmatch.letter.positions import (
    DATES_LABEL,
    DUTY_LABEL,
    ELLIPTIC_CUE,
    FIELD,
    FIELD_COLON,
    HOURS,
    MAX_POSITIONS,
    PROMOTION_CUE,
    SAME_DUTIES,
    TEMPLATE_LINE,
    TITLE_FIELD,
    TITLE_INITIALS,
    TITLE_LEVEL,
    Experience,
    Position,
    experience,
    find_positions,
    held_now,
    letter_date,
    overlaps,
)

REPO = Path(__file__).resolve().parents[1]
POSITION_LETTERS = REPO / "benchmarks" / "data" / "position_letters"
REALISTIC = REPO / "benchmarks" / "data" / "realistic_letters"
#: The "today" of the labels: a current position of an undated letter is counted to it.
BENCHMARK_AS_OF = datetime.date(2025, 6, 30)
D = datetime.date


def only_date(text: str, day_first: bool | None = None) -> StatedDate:
    found = find_dates(text, day_first)
    assert len(found) == 1, found
    return found[0][2]


def only_range(text: str, day_first: bool | None = None) -> DateRange:
    found = find_ranges(text, day_first)
    assert len(found) == 1, found
    return found[0]


def positions_of(text: str) -> tuple[list[Position], dict[int, str]]:
    parsed = parse_letter(text)
    return find_positions(parsed), {s.index: s.text for s in parsed.sentences}


def duty_texts(position: Position, texts: dict[int, str]) -> list[str]:
    return [texts[i] for i in position.duty_indices]


def periods(found: list[Position]) -> list[tuple]:
    """Each position as (title, first day, last day or None, current)."""
    return [(p.title, p.start.value, p.end.last_day() if p.end else None, p.current) for p in found]


# -- dates ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, value, precision", [
    ("June 1, 2019", D(2019, 6, 1), "day"),
    ("June 1st, 2019", D(2019, 6, 1), "day"),
    ("Aug. 2, 2020", D(2020, 8, 2), "day"),
    ("1 June 2019", D(2019, 6, 1), "day"),
    ("1-Jun-2019", D(2019, 6, 1), "day"),
    ("Jun 2019", D(2019, 6, 1), "month"),
    ("Sept. 2018", D(2018, 9, 1), "month"),
    ("June, 2019", D(2019, 6, 1), "month"),
    ("2019-06-01", D(2019, 6, 1), "day"),
    ("2019/06/01", D(2019, 6, 1), "day"),
    ("2019-06", D(2019, 6, 1), "month"),
    ("25/06/2019", D(2019, 6, 25), "day"),
    ("25.06.2019", D(2019, 6, 25), "day"),
    ("06/25/2019", D(2019, 6, 25), "day"),
    ("02/2018", D(2018, 2, 1), "month"),
    ("since 2016", D(2016, 1, 1), "year"),
    ("promoted in 2021", D(2021, 1, 1), "year"),
])
def test_each_date_form_is_read_at_its_precision(text, value, precision):
    date = only_date(text)
    assert (date.value, date.precision, date.ambiguous) == (value, precision, None)


@pytest.mark.parametrize("text", [
    "SQL Server 2019 upgrade",          # a product version, not a date of employment
    "the 2021 migration",               # a bare year without a cue
    "call 416-555-2019",                # a phone number's last four digits
    "version 1.2.20",
    "31/02/2019",                       # no such day
    "13/13/2019",
])
def test_numbers_that_are_not_dates_are_not_read(text):
    assert find_dates(text) == []


def test_last_day_of_a_stated_period():
    assert only_date("Feb 2020").last_day() == D(2020, 2, 29)
    assert only_date("Feb 2021").last_day() == D(2021, 2, 28)
    assert only_date("until 2020").last_day() == D(2020, 12, 31)
    assert only_date("March 3, 2021").last_day() == D(2021, 3, 3)


def test_an_ambiguous_numeric_date_is_read_day_first_and_says_so():
    date = only_date("03/04/2019")
    assert date.value == D(2019, 4, 3)
    assert date.ambiguous == ("03/04/2019 read as 3 April 2019 (DD/MM/YYYY); "
                              "as MM/DD/YYYY it is 4 March 2019")
    assert only_date("03/03/2019").ambiguous is None  # both readings are the same day


def test_an_unambiguous_numeric_date_settles_the_order_of_the_others():
    assert day_order("joined 25/06/2019, promoted 03/04/2021") is True
    assert day_order("joined 06/25/2019, promoted 03/04/2021") is False
    assert day_order("promoted 03/04/2021") is None
    assert day_order("25/06/2019 and 06/25/2019") is None       # contradicts itself
    day_first = find_dates("joined 25/06/2019, promoted 03/04/2021")
    assert [d.value for _, _, d in day_first] == [D(2019, 6, 25), D(2021, 4, 3)]
    assert all(d.ambiguous is None for _, _, d in day_first)
    month_first = find_dates("joined 06/25/2019, promoted 03/04/2021")
    assert [d.value for _, _, d in month_first] == [D(2019, 6, 25), D(2021, 3, 4)]
    # the caller may give the order (the positions stage gives the whole letter's)
    assert only_date("03/04/2021", day_first=False).value == D(2021, 3, 4)


@pytest.mark.parametrize("text, start, end, current", [
    ("June 1, 2019 to August 31, 2022", D(2019, 6, 1), D(2022, 8, 31), False),
    ("From 02/2018 to 01/2021 he worked as", D(2018, 2, 1), D(2021, 1, 31), False),
    ("QA Analyst (Jan 2018 – Jun 2020)", D(2018, 1, 1), D(2020, 6, 30), False),
    ("2016-2020", D(2016, 1, 1), D(2020, 12, 31), False),
    ("2016 – 2020", D(2016, 1, 1), D(2020, 12, 31), False),
    ("between 2016 and 2019", D(2016, 1, 1), D(2019, 12, 31), False),
    ("2016-04-04 | 2019-08-30", D(2016, 4, 4), D(2019, 8, 30), False),
    ("Jan 2017     Jun 2019     40", D(2017, 1, 1), D(2019, 6, 30), False),
    ("She started on June 1, 2017 and her last day was August 31, 2020.", D(2017, 6, 1), D(2020, 8, 31), False),
    ("Her employment started on 5 February 2015 and ended on 30 September 2020", D(2015, 2, 5), D(2020, 9, 30),
     False),
    ("March 2019 – present", D(2019, 3, 1), None, True),
    ("from March 2019 until now", D(2019, 3, 1), None, True),
    ("Jun 2019 to date", D(2019, 6, 1), None, True),
    ("from 01-06-2017 till date", D(2017, 6, 1), None, True),
    ("Dec 2021 - Currently", D(2021, 12, 1), None, True),
    ("2019 - ongoing", D(2019, 1, 1), None, True),
    ("2019 onwards", D(2019, 1, 1), None, True),
    ("September 1, 2021 – present", D(2021, 9, 1), None, True),
])
def test_ranges(text, start, end, current):
    found = only_range(text)
    assert found.start.value == start
    assert (found.end.last_day() if found.end else None) == end
    assert found.current is current and found.current_implied is False
    assert text[found.span[0]:found.span[1]] == found.text


def test_since_is_an_open_range_whose_end_a_later_position_may_set():
    found = only_range("has been employed with us since March 2019")
    assert (found.start.value, found.end, found.current, found.current_implied) == (D(2019, 3, 1), None, True, True)
    assert found.text == "since March 2019"


def test_two_dates_of_two_positions_are_not_one_range():
    text = "She joined as Developer on June 1, 2017 and was promoted to Senior Developer on March 1, 2021."
    assert find_ranges(text) == []
    assert [d.value for _, _, d in find_dates(text)] == [D(2017, 6, 1), D(2021, 3, 1)]
    assert find_ranges("2021 - 2016") == []  # an end before its start


def test_whole_months_count_the_end_day():
    assert whole_months(D(2018, 1, 1), D(2020, 6, 30)) == 30
    assert whole_months(D(2019, 6, 1), D(2022, 8, 31)) == 39
    assert whole_months(D(2020, 1, 31), D(2020, 2, 29)) == 1      # to the end of a leap February
    assert whole_months(D(2021, 1, 31), D(2021, 2, 28)) == 1      # to the end of February
    assert whole_months(D(2021, 1, 30), D(2021, 2, 27)) == 0
    assert whole_months(D(2020, 2, 29), D(2021, 2, 28)) == 12
    assert whole_months(D(2021, 3, 15), D(2021, 4, 13)) == 0
    assert whole_months(D(2021, 3, 15), D(2021, 4, 14)) == 1


def test_the_period_before_a_start_keeps_its_precision():
    assert day_before(only_date("March 1, 2021")).last_day() == D(2021, 2, 28)
    assert day_before(only_date("in March 2021")).last_day() == D(2021, 2, 28)
    assert day_before(only_date("in March 2021")).precision == "month"
    assert day_before(only_date("in 2021")).value == D(2020, 1, 1)
    assert day_before(only_date("in 2021")).last_day() == D(2020, 12, 31)


#: Far above what a linear pass over the inputs below takes under any load; a quadratic one takes hours.
HANG_SECONDS = 20


def seconds(function, text: str) -> float:
    started = time.perf_counter()
    function(text)
    return time.perf_counter() - started


@pytest.mark.parametrize("unit", ["June ", "1 ", " ", "2019-", "12/", "June 1,   ", "since ", "2016 – ",
                                  "Jun 2019 to ", "from Jun 2019, ", "15-Jul-", "1-Jan-1"])
def test_date_patterns_cannot_hang_on_a_long_text(unit):
    """200,000 characters of a date's pieces: a linear pattern reads them in well under a second, a
    quadratic one would take hours. The bound is a hang guard, far above any load (speed itself is
    measured in benchmarks/)."""
    text = unit * (200_000 // len(unit)) + "2019"
    for function in (find_ranges, find_dates, day_order):
        assert seconds(function, text) < HANG_SECONDS


# -- experience ---------------------------------------------------------------------------------------
def position(start: str | None, end: str | None, current=False, hours=None) -> Position:
    stated = lambda text: only_date(text) if text else None  # noqa: E731
    return Position(0, "Developer", stated(start), stated(end), current, hours, None, (), False)


def test_months_and_full_time_months():
    assert experience(position("Jan 1, 2018", "June 30, 2020")).months == 30
    assert experience(position("June 1, 2019", "August 31, 2022")).months == 39
    years = experience(position("from 2016", "until 2020"))
    assert (years.start, years.end, years.months, years.fte_months) == (D(2016, 1, 1), D(2020, 12, 31), 60, 60.0)
    part_time = experience(position("September 4, 2018", "April 30, 2020", hours=20))
    assert (part_time.months, part_time.fte_months) == (19, 12.7)
    assert part_time.note.startswith("part-time: 20 hours a week")
    assert experience(position("Jan 1, 2018", "June 30, 2020", hours=37.5)).fte_months == 30.0
    assert experience(position("Jan 1, 2018", "June 30, 2020", hours=30)).fte_months == 30.0


def test_a_current_position_counts_to_the_letter_date_else_to_today():
    current = position("June 1, 2019", None, current=True)
    dated = experience(current, as_of=D(2030, 1, 1), letter_dated=D(2025, 1, 20))
    assert (dated.end, dated.counted_to, dated.months) == (D(2025, 1, 20), "letter date", 67)
    undated = experience(current, as_of=D(2025, 6, 30))
    assert (undated.end, undated.counted_to, undated.months) == (D(2025, 6, 30), "today", 73)
    assert experience(current).end == datetime.date.today()
    assert json.loads(json.dumps(dated.to_dict()))["end"] == "2025-01-20"


def test_missing_or_reversed_dates_give_no_months():
    assert experience(position(None, "June 30, 2020")).months is None
    no_end = experience(position("June 1, 2019", None))
    assert (no_end.months, no_end.fte_months, no_end.note) == (None, None, "no end date stated")
    reversed_dates = experience(position("June 1, 2021", "May 31, 2020"))
    assert reversed_dates.months is None and "before the start" in reversed_dates.note


# -- positions in letters of every style ------------------------------------------------------------
LETTERHEAD = "Acme Software Inc.\n100 King Street West, Toronto, Ontario M5X 1A9\n\nMarch 3, 2025\n\nTo Whom It May Concern:\n\n"
SIGNATURE = "\n\nSincerely,\n\nJane Roe\nHR Manager\n"


def test_two_positions_in_prose_each_with_its_own_duties():
    text = LETTERHEAD + (
        "This confirms that Mr. Lee has been employed full-time (40 hours per week) by Acme since February 2018.\n\n"
        "From 02/2018 to 01/2021 he worked as a QA Analyst. He wrote test plans for each release. "
        "He logged and tracked defects in Jira.\n\n"
        "Since 02/2021 he has worked as a Software Developer. He designs, writes and tests Java code for new "
        "features. He writes technical documentation for new software.") + SIGNATURE
    found, texts = positions_of(text)
    assert periods(found) == [
        ("QA Analyst", D(2018, 2, 1), D(2021, 1, 31), False), ("Software Developer", D(2021, 2, 1), None, True)]
    assert duty_texts(found[0], texts) == ["He wrote test plans for each release.",
                                           "He logged and tracked defects in Jira."]
    assert duty_texts(found[1], texts) == ["He designs, writes and tests Java code for new features.",
                                           "He writes technical documentation for new software."]
    assert [p.hours_per_week for p in found] == [40.0, 40.0]
    assert not any(p.shared_duties for p in found)
    assert json.loads(json.dumps([p.to_dict() for p in found]))[0]["start"] == "2018-02-01"


def test_three_positions_under_headings():
    text = LETTERHEAD + (
        "Ms. Diaz has held three positions with us.\n\n"
        "Position 1: Help Desk Analyst (June 1, 2016 – May 31, 2018)\n"
        "- Answered user calls and resolved account and printer problems\n"
        "- Kept the log of known problems and their solutions\n\n"
        "Position 2: Network Technician (June 1, 2018 – August 31, 2020), 20 hours per week\n"
        "- Maintained the local and wide area networks of our sites\n\n"
        "Position 3: Information Systems Analyst (September 1, 2020 – present)\n"
        "- Reviews our information systems and recommends improvements\n"
        "- Develops quality assurance procedures for new systems\n") + SIGNATURE
    found, texts = positions_of(text)
    assert [p.title for p in found] == ["Help Desk Analyst", "Network Technician", "Information Systems Analyst"]
    assert [p.start.value for p in found] == [D(2016, 6, 1), D(2018, 6, 1), D(2020, 9, 1)]
    assert [p.end.value if p.end else None for p in found] == [D(2018, 5, 31), D(2020, 8, 31), None]
    assert [p.current for p in found] == [False, False, True]
    assert [p.hours_per_week for p in found] == [None, 20.0, None]
    assert duty_texts(found[1], texts) == ["Maintained the local and wide area networks of our sites"]
    assert duty_texts(found[2], texts) == ["Reviews our information systems and recommends improvements",
                                           "Develops quality assurance procedures for new systems"]
    # "Ms. Diaz has held three positions with us." comes before any position: nobody's duty
    assert all("three positions" not in t for p in found for t in duty_texts(p, texts))
    assert overlaps(found) == []


def test_positions_in_a_bulleted_list_with_year_ranges():
    text = LETTERHEAD + (
        "Employee: Nadia Rahimi\n\n"
        "• Software Developer (2016–2020)\n"
        "   - Java and Kotlin coding for Android app features\n"
        "   - unit tests and bug fixing\n"
        "• Development Manager (2021–present)\n"
        "   - runs the mobile development department of 18 staff\n"
        "   - controls the department budget\n") + SIGNATURE
    found, texts = positions_of(text)
    assert [(p.title, p.start.precision) for p in found] == [("Software Developer", "year"),
                                                             ("Development Manager", "year")]
    assert experience(found[0]).months == 60
    assert duty_texts(found[0], texts) == ["Java and Kotlin coding for Android app features",
                                           "unit tests and bug fixing"]
    assert duty_texts(found[1], texts)[0] == "runs the mobile development department of 18 staff"
    assert found[1].current and found[1].end is None


def test_positions_in_a_table_with_an_hours_column():
    text = LETTERHEAD + (
        "Mr. Asante has been employed by Acme since April 4, 2016 in the positions below.\n\n"
        "| Title | Start | End | Hours per week |\n"
        "|---|---|---|---|\n"
        "| Database Analyst | 2016-04-04 | 2019-08-30 | 20 |\n"
        "| Data Scientist | 2019-09-03 | Present | 40 |\n\n"
        "Duties as Database Analyst:\n"
        "- Designed the data models of our client data warehouses\n\n"
        "Duties as Data Scientist:\n"
        "- Builds machine learning models that forecast client demand\n") + SIGNATURE
    found, texts = positions_of(text)
    assert [(p.title, p.start.value, p.end.value if p.end else None, p.current, p.hours_per_week) for p in found] == [
        ("Database Analyst", D(2016, 4, 4), D(2019, 8, 30), False, 20.0),
        ("Data Scientist", D(2019, 9, 3), None, True, 40.0)]
    assert duty_texts(found[0], texts) == ["Designed the data models of our client data warehouses"]
    assert duty_texts(found[1], texts) == ["Builds machine learning models that forecast client demand"]
    assert experience(found[0]).fte_months == round(40 * 20 / 30, 1)


def test_a_word_table_pasted_with_tabs_and_the_period_first():
    """A "Period / Position / Duties" table pasted from Word (tab-separated, no pipes): its rows are positions.
    (Before: the title in the second column of a column-aligned row raised an IndexError.)"""
    text = LETTERHEAD + (
        "Mr. Asante worked for Acme in the positions below.\n\n"
        "Period\tPosition\tDuties\n"
        "Jan 2017 – Mar 2020\tProgrammer Analyst\tModified and tested the RPG programs of the settlement system\n"
        "Apr 2020 – present\tDatabase Administrator\tAdministers the PostgreSQL production databases\n") + SIGNATURE
    found, _ = positions_of(text)
    assert periods(found) == [("Programmer Analyst", D(2017, 1, 1), D(2020, 3, 31), False),
                              ("Database Administrator", D(2020, 4, 1), None, True)]


def test_dates_before_the_title_and_one_line_pipe_rows():
    text = LETTERHEAD + (
        "Employment history:\n\n"
        "Jan 2018 – Jun 2020: QA Analyst\n- Executed test scripts and logged the defects found\n\n"
        "Jul 2020 – present — Software Developer, Payments\n- Writes Java code for the payments platform\n\n"
        "Team Lead | Sep 2021 – Current\n- Leads a team of five developers and reviews their code\n") + SIGNATURE
    found, texts = positions_of(text)
    assert periods(found) == [
        ("QA Analyst", D(2018, 1, 1), D(2020, 6, 30), False), ("Software Developer", D(2020, 7, 1), None, True),
        ("Team Lead", D(2021, 9, 1), None, True)]
    assert duty_texts(found[1], texts) == ["Writes Java code for the payments platform"]
    assert duty_texts(found[2], texts) == ["Leads a team of five developers and reviews their code"]
    assert overlaps(found) == [(1, 2)]   # two current positions: reported, not guessed away


def test_a_title_line_followed_by_duties_is_a_position_a_signers_title_is_not():
    text = ("To Whom It May Concern:\n\nMs. Okafor worked for us full-time, 40 hours per week.\n\n"
            "Junior Developer\n- Wrote and tested code for the billing system\n- Fixed defects reported by users\n\n"
            "Senior Developer\n- Designed the architecture of the new billing platform\n"
            "- Led a team of four developers\n\nRegards,\n\nDIRECTOR\n(signed)\nA. Mensah\n")
    found, texts = positions_of(text)
    assert [p.title for p in found] == ["Junior Developer", "Senior Developer"]
    assert duty_texts(found[1], texts) == ["Designed the architecture of the new billing platform",
                                           "Led a team of four developers"]
    rb033 = REALISTIC / "rb033_developer_hcmc_core_banking.txt"
    alone = find_positions(parse_letter(rb033.read_text(encoding="utf-8")))
    assert [(p.title, p.start.value, p.current) for p in alone] == [("Developer", D(2017, 4, 1), True)]


def test_a_promotion_with_the_same_duties_shares_them():
    text = LETTERHEAD + (
        "Mr. Volkov joined Acme as a Software Developer on June 3, 2019 and is currently employed with us.\n\n"
        "Mr. Volkov was promoted to Senior Developer in 2021; his duties remained the same.\n\n"
        "His main duties are:\n"
        "- Designs, writes and tests C# code for our claims system\n"
        "- Corrects defects found by testers\n") + SIGNATURE
    found, texts = positions_of(text)
    assert [p.title for p in found] == ["Software Developer", "Senior Developer"]
    assert all(p.shared_duties for p in found)
    assert found[0].duty_indices == found[1].duty_indices
    assert "Corrects defects found by testers" in duty_texts(found[1], texts)
    # the promotion "in 2021" ends the first position at the end of 2020, and says so
    assert found[0].end.last_day() == D(2020, 12, 31) and not found[0].current
    assert any(n.startswith("end inferred") for n in found[0].notes)
    assert found[1].start.value == D(2021, 1, 1) and found[1].current
    assert experience(found[0]).months == 18


def test_duties_listed_once_after_a_narrative_of_positions_are_shared():
    text = LETTERHEAD + (
        "He started as a Gameplay Programmer on August 6, 2018 and became a Senior Gameplay Programmer on "
        "September 1, 2022.\n\n"
        "His duties include:\n"
        "- Writes and tests C++ code for new gameplay systems\n"
        "- Writes documentation for new and updated code\n") + SIGNATURE
    found, texts = positions_of(text)
    assert [p.title for p in found] == ["Gameplay Programmer", "Senior Gameplay Programmer"]
    assert [p.start.value for p in found] == [D(2018, 8, 6), D(2022, 9, 1)]
    assert all(p.shared_duties for p in found)
    assert duty_texts(found[0], texts) == duty_texts(found[1], texts) == [
        "Writes and tests C++ code for new gameplay systems", "Writes documentation for new and updated code"]


def test_titles_named_again_after_and_in_the_same_sentence():
    text = LETTERHEAD + (
        "He has worked in our company in the capacity of Network Engineer from 2nd January 2015 to 30th June 2018 "
        "and as IT Manager from 1st July 2018 till now.\n\n"
        "As Network Engineer he maintained our LAN and WAN and installed network equipment.\n\n"
        "As IT Manager he plans and directs the IT department and controls its budget.\n\n"
        "Mr. Ortiz was hired on 12 September 2016 as a Junior Web Developer. He was promoted to Web Developer in "
        "October 2018 and to Senior Web Developer on 1 January 2022.\n") + SIGNATURE
    found, texts = positions_of(text)
    assert [(p.title, p.start.value, p.end.last_day() if p.end else None) for p in found] == [
        ("Network Engineer", D(2015, 1, 2), D(2018, 6, 30)), ("IT Manager", D(2018, 7, 1), None),
        ("Junior Web Developer", D(2016, 9, 12), D(2018, 9, 30)), ("Web Developer", D(2018, 10, 1), D(2021, 12, 31)),
        ("Senior Web Developer", D(2022, 1, 1), None)]
    assert found[1].current
    # the comma of a date is no clause break: the date after "and" is the promotion's
    promoted = positions_of(LETTERHEAD + "He has been employed by Acme since June 3, 2019. He joined us as a Software "
                            "Developer and on March 1, 2022 was promoted to Engineering Manager.\n" + SIGNATURE)[0]
    assert [(p.title, p.start.value) for p in promoted] == [("Software Developer", D(2019, 6, 3)),
                                                           ("Engineering Manager", D(2022, 3, 1))]
    assert promoted[0].end.value == D(2022, 2, 28) and promoted[1].current
    # "As <title>," sentences are duties of that position
    assert duty_texts(found[0], texts) == ["As Network Engineer he maintained our LAN and WAN and installed network "
                                           "equipment."]
    assert duty_texts(found[1], texts) == ["As IT Manager he plans and directs the IT department and controls its "
                                           "budget."]
    # "He reported to the CTO and to the Engineering Manager": no title cue before "and to", no position
    assert len(positions_of(LETTERHEAD + "He reported to the CTO and to the Engineering Manager on all projects. "
                            "He wrote and tested code for our billing system.\n" + SIGNATURE)[0]) == 1


def test_overlapping_positions_are_reported_not_adjusted():
    text = LETTERHEAD + (
        "IT Support Technician - March 1, 2017 to June 30, 2019\n"
        "- Helped staff with computer and account problems\n\n"
        "Network Technician - May 1, 2019 to present\n"
        "- Maintains and repairs the college network\n") + SIGNATURE
    found, _ = positions_of(text)
    assert overlaps(found) == [(0, 1)]
    assert found[0].end.value == D(2019, 6, 30) and found[1].start.value == D(2019, 5, 1)
    assert "overlaps position 2 (Network Technician)" in found[0].notes
    assert "overlaps position 1 (IT Support Technician)" in found[1].notes


def test_year_ranges_that_share_a_year_overlap():
    text = LETTERHEAD + ("Developer (2014–2016)\n- Wrote Java code for our web shop\n- Fixed defects\n\n"
                         "Senior Developer (2016–2020)\n- Designed new services\n- Reviewed code\n") + SIGNATURE
    found, _ = positions_of(text)
    assert overlaps(found) == [(0, 1)]


def test_a_letter_without_dates():
    text = ("To Whom It May Concern:\n\n"
            "Ms. Nair joined us as a Software Tester and was later promoted to Quality Assurance Analyst.\n\n"
            "As Software Tester, she:\n- Wrote test plans for each release\n- Logged and tracked defects\n\n"
            "As Quality Assurance Analyst, she:\n- Develops quality assurance procedures\n"
            "- Reviews our internal development processes\n") + SIGNATURE
    parsed = parse_letter(text)
    found = find_positions(parsed)
    texts = {s.index: s.text for s in parsed.sentences}
    assert [p.title for p in found] == ["Software Tester", "Quality Assurance Analyst"]
    assert all(p.start is None and p.end is None for p in found)
    assert all("no dates stated" in p.notes for p in found)
    assert duty_texts(found[0], texts) == ["Wrote test plans for each release", "Logged and tracked defects"]
    assert duty_texts(found[1], texts) == ["Develops quality assurance procedures",
                                           "Reviews our internal development processes"]
    assert letter_date(parsed) is None
    assert experience(found[0]).months is None


def test_part_time_hours_belong_to_their_position():
    text = LETTERHEAD + (
        "From September 4, 2018 to April 30, 2020 Ms. Zhou worked part-time as a Junior Data Analyst, "
        "20 hours per week. In that role she:\n- Designed data models for our sales data mart\n"
        "- Wrote stored procedures and triggers\n\n"
        "On May 1, 2020 she was hired full-time (40 hours per week) as a Data Scientist, the position she holds "
        "to date. In that role she:\n- Builds machine learning models\n- Runs large-scale experiments\n") + SIGNATURE
    parsed = parse_letter(text)
    found = find_positions(parsed)
    assert [(p.title, p.hours_per_week, p.current) for p in found] == [("Junior Data Analyst", 20.0, False),
                                                                       ("Data Scientist", 40.0, True)]
    first = experience(found[0])
    assert (first.months, first.fte_months) == (19, 12.7)
    second = experience(found[1], letter_dated=letter_date(parsed))
    assert (second.counted_to, second.end, second.months, second.fte_months) == ("letter date", D(2025, 3, 3), 58, 58.0)


def test_one_position_holds_every_duty():
    text = LETTERHEAD + (
        "Ms. Chen has been employed as a Web Developer since July 6, 2020, 37.5 hours per week.\n\n"
        "Her duties include:\n- Writes and tests code for our web sites\n- Monitors site functionality\n"
        "- Integrates our site with the payment system\n") + SIGNATURE
    parsed = parse_letter(text)
    found = find_positions(parsed)
    assert len(found) == 1
    assert found[0].title == "Web Developer" and found[0].current and not found[0].shared_duties
    assert found[0].duty_indices == tuple(s.index for s in parsed.duties)
    assert found[0].hours_per_week == 37.5


def test_a_letter_yields_at_most_twelve_positions():
    headings = "".join(f"Developer {i} Lead ({2000 + i} – {2001 + i})\n- Wrote code for release {i}\n- Fixed defects\n\n"
                       for i in range(20))
    found, _ = positions_of(LETTERHEAD + headings + SIGNATURE)
    assert len(found) == MAX_POSITIONS == 12


def test_find_positions_runs_in_linear_time():
    """A letter of thousands of position lines (no parser needed: sentences built by hand)."""
    from nocmatch.letter.classify import ParsedLetter, Sentence

    def letter(count: int) -> ParsedLetter:
        sentences = []
        for i in range(count):
            year = 1950 + (i // 3) % 100
            kind, text = (("other", f"Developer ({year}–{year + 1})") if i % 3 == 0 else
                          ("duty", f"Wrote and tested code for release {i} of the product"))
            sentences.append(Sentence(i, text, kind, i + 1, i % 3 != 0))
        return ParsedLetter("\n".join(s.text for s in sentences), sentences)

    large = letter(6000)
    assert seconds(find_positions, large) < HANG_SECONDS  # a hang guard, not a speed measurement
    assert len(find_positions(large)) == MAX_POSITIONS


def test_the_letter_date():
    assert letter_date(parse_letter(LETTERHEAD + "Mr. Lee works here." + SIGNATURE)) == D(2025, 3, 3)
    us = "Acme Inc.\n\n01/15/2025\n\nTo Whom It May Concern:\n\nHe worked here from 03/04/2019 to 06/25/2021."
    assert letter_date(parse_letter(us)) == D(2025, 1, 15)
    iso = "Acme Inc.\n\nDate: 2025-02-03\n\nTo whom it may concern:\n\nHe works here."
    assert letter_date(parse_letter(iso)) == D(2025, 2, 3)


# -- letters of other styles: a header without a greeting, templates, enumerated and two-line headings --------
def test_the_letter_date_on_a_header_line_after_a_place_or_a_label():
    placed = ("LUMEN GRAFICA LTDA.\nRua das Flores 88 - Curitiba/PR - Brazil\n\nCuritiba, 22 April 2024\n\n"
              "STATEMENT OF SERVICE\n\nWe state that Ms. Ana Prado works for our company as a UX Designer "
              "since May 2020.\n")
    assert letter_date(parse_letter(placed)) == D(2024, 4, 22)
    fields = "Employee: Tom Berg\nPosition: Dispatch Coordinator\nStart date: 2015-03-02\nEnd date: 2020-06-30\n"
    labelled = "ORCHARD FREIGHT INC.\nPayroll Services\n\nDate of issue: 2024-07-09\n\n" + fields
    assert letter_date(parse_letter(labelled)) == D(2024, 7, 9)
    # a "Start date:" field is not the letter's date
    assert letter_date(parse_letter("ORCHARD FREIGHT INC.\nPayroll Services\n\n" + fields)) is None


def test_a_form_under_a_letterhead_declares_one_position_and_dates_the_letter_from_its_title_line():
    # a college's name over its department and address, the form's title and its date in two columns, then
    # the form's table: the name is the employer, not a position over the table's duties
    form = ("WESTMOUNT COLLEGE OF APPLIED ARTS AND TECHNOLOGY\nHuman Resources Department\n"
            "9 College Crescent, Kitchener, ON  N2G 9T7  |  519-555-0151  |  hr@westmount.example\n\n"
            "CONFIRMATION OF EMPLOYMENT                         Date: 2025-01-30\n\n"
            "| Field      | Information        |\n|------------|--------------------|\n"
            "| Employee   | Farah Haddad       |\n| Position   | Web Developer      |\n"
            "| Start date | 2019-08-19         |\n| End date   | n/a - active employee |\n"
            "| Duties     | - Creates page layouts and mock-ups for the college website; - Designs banners and "
            "icons consistent with the college brand; - Optimizes images and video for the web |\n")
    parsed = parse_letter(form)
    assert next(s for s in parsed.sentences if s.text.startswith("CONFIRMATION")).kind == "letterhead"
    assert letter_date(parsed) == D(2025, 1, 30)
    found = find_positions(parsed)
    assert [p.title for p in found] == ["Web Developer"] and found[0].current
    assert experience(found[0], letter_dated=letter_date(parsed)).months == 65


def test_an_aligned_forms_start_date_is_not_the_letter_date_but_its_date_issued_is():
    fields = ("Employee name:       Tomasz Wisniewski\nJob title:           Systems Administrator II\n"
              "Start date:          2018-06-04\nEnd date:            N/A (current employee)\n")
    assert letter_date(parse_letter("EMPLOYMENT VERIFICATION\n" + fields)) is None
    # under a long letterhead line without a full stop, which the date line used to be read as wrapping
    issued = ("BRAMBLE HEALTH TECHNOLOGIES INC. - 400 University Avenue, Suite 1200, Toronto ON\n"
              "Date issued:         2024-09-30\n" + fields)
    assert letter_date(parse_letter(issued)) == D(2024, 9, 30)


def test_template_fields_of_each_position_and_present_as_their_end():
    def block(title: str, kind: str, hours: str, start: str, end: str, duties: str) -> str:
        # "Unit: Plant Maintenance" reads as a duty: it is a line of the template all the same
        return (f"Position: {title}\nUnit: Plant Maintenance\nEmployment type: {kind}\nHours per week: {hours}\n"
                f"Start date: {start}\nEnd date: {end}\n\nDuties:\n{duties}\n\n")
    text = ("RIVERBEND FOODS LTD.\nEmployment Verification\n\nDate: 2025-02-12\n\n"
            + block("Maintenance Clerk Assistant", "Part-time", "24", "2018-01-08", "2019-12-31",
                    "- Entered work orders into the maintenance system\n- Ordered spare parts for the packing lines")
            + block("Maintenance Coordinator", "Full-time", "37.5", "2020-01-02", "Present (current position)",
                    "- Plans the preventive maintenance of the plant\n- Schedules the work of six mechanics")
            + "Verified by: Ruth Amos, HR Advisor\n")
    parsed = parse_letter(text)
    found = find_positions(parsed)
    assert [(p.title, p.start.value, p.end.value if p.end else None, p.current, p.hours_per_week) for p in found] == [
        ("Maintenance Clerk Assistant", D(2018, 1, 8), D(2019, 12, 31), False, 24.0),
        ("Maintenance Coordinator", D(2020, 1, 2), None, True, 37.5)]
    assert experience(found[1], letter_dated=letter_date(parsed)).months == 61


@pytest.mark.parametrize("field", ["Date of Relieving", "Relieving Date", "Date of Leaving", "Last Working Day",
                                   "Date of Separation"])
def test_a_templates_date_of_relieving_ends_the_position(field):
    text = ("EXPERIENCE CERTIFICATE\n\nName of Employee : Olusegun Adebayo\nDesignation : Senior Network Engineer\n"
            f"Date of Joining : 04/01/2016\n{field} : 30/11/2023\n\nKey Responsibilities\n"
            "* Configure Cisco routers and switches for 40 branches\n* Monitor the network with Zabbix and PRTG\n"
            "* Manage the firewalls and site-to-site VPN\n\n(signed)\nHead, Human Resources\n")
    found = find_positions(parse_letter(text))
    assert [(p.title, p.start.value, p.end.value if p.end else None, p.current) for p in found] == [
        ("Senior Network Engineer", D(2016, 1, 4), D(2023, 11, 30), False)]


def test_a_translated_certificates_occupied_as_and_active_as_are_two_positions():
    text = ("Hallstadt Logistik GmbH\nLandsberger Strasse 302, 80687 Munich, Germany\n\nMunich, 15.08.2025\n\n"
            "CERTIFICATE OF EMPLOYMENT\n\nMr. Tobias Wendler is employed in our company since 01.02.2016 on full-time "
            "basis with 40 hours per week.\n\nFrom 01.02.2016 until 31.03.2019 Mr. Wendler was occupied as Network "
            "Administrator in our IT operations. His field of tasks comprised:\n- care and repair of our LAN and WAN\n"
            "- monitoring of servers and network lines with PRTG\n\nSince 01.04.2019 Mr. Wendler is active as IT Security "
            "Specialist and holds this position to date. His tasks are:\n- evaluation of security risks for the systems\n"
            "- quarterly review of user accounts and access rights\n\nHallstadt Logistik GmbH\n")
    found = find_positions(parse_letter(text))
    assert [(p.title, p.start.value, p.end.value if p.end else None, p.current) for p in found] == [
        ("Network Administrator", D(2016, 2, 1), D(2019, 3, 31), False), ("IT Security Specialist", D(2019, 4, 1), None, True)]


@pytest.mark.parametrize("before, among_duties", [
    ("", "Assemble and staff project teams for new initiatives (2023 Shopify Plus re-platform)\t\t10%\n"),
    ("Pixel Maple Studios is an independent game studio founded in 2016.\n\n", ""),
])
def test_a_duty_or_a_company_fact_that_names_a_year_is_no_position(before, among_duties):
    # "staff" and "studio" end NOC example titles (the catalog's heads, which the matcher passes)
    heads = DEFAULT_TITLE_HEADS | {"staff", "studio"}
    text = (LETTERHEAD + before + "I confirm that Ms. Elif Yildiz has been employed by Acme Software Inc. as a Game "
            "Developer since January 4, 2022.\n\nHer duties:\n- Programs gameplay systems in C# and Unity\n"
            + among_duties + "- Profiles and optimizes rendering on Nintendo Switch\n" + SIGNATURE)
    found = find_positions(parse_letter(text, title_heads=heads), heads)
    assert [(p.title, p.start.value) for p in found] == [("Game Developer", D(2022, 1, 4))]


def test_a_heading_with_the_employer_before_its_dates_is_a_position():
    text = (LETTERHEAD + "Software Developer at Acme Software (March 2019 – June 2021)\n- Wrote the billing services in "
            "Java\n- Tested the releases\nSenior Developer in the Payments team (July 2021 – present)\n- Designs the "
            "payment APIs\n- Reviews the code of the team" + SIGNATURE)
    found, _ = positions_of(text)
    assert [p.title for p in found] == ["Software Developer", "Senior Developer"]


@pytest.mark.parametrize("closing", ["Given this 15th day of October 2025 at Pasig City, Philippines.",
                                     "Issued on 15 October 2025.", "Done at Lagos, this 15th day of October, 2025."])
def test_a_certificates_closing_formula_dates_the_letter(closing):
    text = ("CERTIFICATE OF EMPLOYMENT\n\nThis is to certify that MR. JOHN PAUL REYES has been employed with Bayside "
            "Outsourcing Solutions Inc. from March 1, 2019 up to present as IT SUPPORT SPECIALIST.\n\nHis duties include:\n"
            "1. Answer the calls and tickets of the agents about their computer problems\n2. Install and configure "
            "Windows 10 in new workstations\n3. Reset passwords in Active Directory\n\nThis certification is issued upon "
            f"the request of Mr. Reyes for whatever legal purpose it may serve.\n\n{closing}\n\nMARIA LOURDES CRUZ\n"
            "HR Manager\n")
    parsed = parse_letter(text)
    assert letter_date(parsed) == D(2025, 10, 15)
    assert experience(find_positions(parsed)[0], letter_dated=letter_date(parsed)).months == 79


def test_a_section_heading_with_duty_words_names_the_position_of_a_table_row():
    text = LETTERHEAD + (
        "Mr. Costa is employed full-time in the positions below.\n\n"
        "| Role | From | To | Hours |\n|---|---|---|---|\n"
        "| Field Technician | Mar 2015 | Aug 2018 | 40 |\n| Operations Supervisor | Sep 2018 | current | 40 |\n\n"
        "RESPONSIBILITIES AS FIELD TECHNICIAN (Mar 2015 - Aug 2018)\n"
        "- Installed and repaired refrigeration units at client sites\n- Kept the service log of each unit\n\n"
        "Main activities as Operations Supervisor (Sep 2018 - current)\n"
        "- Schedules the work of twelve field technicians\n- Trains new technicians on safety rules\n") + SIGNATURE
    found, texts = positions_of(text)
    assert [(p.title, p.start.value, p.current) for p in found] == [
        ("Field Technician", D(2015, 3, 1), False), ("Operations Supervisor", D(2018, 9, 1), True)]
    assert duty_texts(found[1], texts) == ["Schedules the work of twelve field technicians",
                                           "Trains new technicians on safety rules"]


def test_an_untitled_range_within_an_employment_that_runs_to_the_present_ends_no_position():
    text = LETTERHEAD + (
        "Mr. Dela Rosa has been employed with Acme since 3 March 2017 up to the present.\n\n"
        "He was hired as Accounts Assistant from 3 March 2017 to 30 June 2021. His duties were:\n"
        "- Prepared vendor invoices for payment\n- Reconciled the bank statements each month\n\n"
        "On 1 May 2021 he was promoted to Accounting Supervisor. From 1 May 2021 to 30 June 2021 he did both jobs "
        "while his replacement was trained. He now holds the position of Accounting Supervisor, with these duties:\n"
        "- Reviews the monthly closing entries\n- Supervises three accounts staff\n") + SIGNATURE
    parsed = parse_letter(text)
    found = find_positions(parsed)
    assert [(p.title, p.start.value, p.end.value if p.end else None, p.current) for p in found] == [
        ("Accounts Assistant", D(2017, 3, 3), D(2021, 6, 30), False),
        ("Accounting Supervisor", D(2021, 5, 1), None, True)]
    assert overlaps(found) == [(0, 1)]
    assert experience(found[1], letter_dated=letter_date(parsed)).months == 46


def test_enumerated_section_headings_and_a_return_after_leaving():
    text = LETTERHEAD + (
        "Ms. Bello joined the Bank in 05/2012, left in 10/2015 and rejoined in 01/2017. "
        "She has been with us to date.\n\n"
        "A. Branch Operations Officer (05/2012 - 10/2015)\n"
        "- Balanced the branch cash position daily\n- Opened and maintained customer accounts\n\n"
        "B. Credit Analyst (01/2017 - 06/2021)\n"
        "- Analysed the loan applications of small businesses\n- Prepared credit reports for the committee\n\n"
        "(iii) Head, Credit Risk (07/2021 - to date)\n"
        "- Directs the credit risk unit\n- Sets the lending limits of the branches\n") + SIGNATURE
    found, texts = positions_of(text)
    assert periods(found) == [
        ("Branch Operations Officer", D(2012, 5, 1), D(2015, 10, 31), False),
        ("Credit Analyst", D(2017, 1, 1), D(2021, 6, 30), False), ("Head, Credit Risk", D(2021, 7, 1), None, True)]
    assert duty_texts(found[2], texts) == ["Directs the credit risk unit", "Sets the lending limits of the branches"]


def test_a_heading_over_two_lines_with_a_department_in_brackets():
    text = LETTERHEAD + (
        "Mr. Haddad has been employed with us full-time since March 2016.\n\n"
        "Payroll Analyst (Corporate Finance)\nMar 2016 – Aug 2019\n\n"
        "His duties were:\n- Ran the biweekly payroll for 900 employees\n"
        "- Reconciled the payroll accounts to the general ledger\n\n"
        "Senior Payroll Analyst\nSep 2019 – present\n\n"
        "In September 2019 Mr. Haddad was promoted to Senior Payroll Analyst; his duties remained the same.\n"
        ) + SIGNATURE
    found, texts = positions_of(text)
    assert periods(found) == [
        ("Payroll Analyst", D(2016, 3, 1), D(2019, 8, 31), False),
        ("Senior Payroll Analyst", D(2019, 9, 1), None, True)]
    assert all(p.shared_duties for p in found)
    assert "Ran the biweekly payroll for 900 employees" in duty_texts(found[1], texts)


def test_began_as_declares_the_first_position_of_an_undated_letter():
    text = ("To Whom It May Concern,\n\nThis letter confirms that Ms. Ito is employed by Acme Labs.\n\n"
            "Ms. Ito began as a Research Assistant on February 1, 2017 and held that role until July 31, 2020. "
            "She prepared the samples for each study. She kept the laboratory records.\n\n"
            "On August 4, 2020 she became our Lab Manager, and she currently holds this position. "
            "She orders the supplies of the laboratory. She supervises four technicians.\n") + SIGNATURE
    parsed = parse_letter(text)
    found = find_positions(parsed)
    texts = {s.index: s.text for s in parsed.sentences}
    assert [(p.title, p.start.value, p.end.value if p.end else None, p.current) for p in found] == [
        ("Research Assistant", D(2017, 2, 1), D(2020, 7, 31), False), ("Lab Manager", D(2020, 8, 4), None, True)]
    assert duty_texts(found[0], texts) == ["She prepared the samples for each study.",
                                           "She kept the laboratory records."]
    assert letter_date(parsed) is None


def test_sections_give_the_order_and_an_undated_earlier_position_ends_before_the_next():
    intro = LETTERHEAD + ("Confirming that Lena Park works for Acme, full-time.\n\n"
                          "Current title: Data Engineer, since June 2022.\n"
                          "Before joining the data team she worked in our reporting group as a Report Developer.\n\n")
    report = "Report Developer\n- Power BI reports\n- SQL views for finance\n\n"
    data = "Data Engineer\n- Airflow pipelines\n- dbt models, data tests\n\n"
    found, texts = positions_of(intro + report + data + SIGNATURE)
    assert [(p.title, p.start.value if p.start else None, p.end.last_day() if p.end else None, p.current)
            for p in found] == [("Report Developer", None, D(2022, 5, 31), False),
                                ("Data Engineer", D(2022, 6, 1), None, True)]
    assert any(n.startswith("end inferred") for n in found[0].notes)
    assert "Power BI reports" in duty_texts(found[0], texts)
    assert not set(duty_texts(found[0], texts)) & set(duty_texts(found[1], texts))
    # sections listed latest first: the undated position comes after the dated one, and no end is inferred
    latest_first, _ = positions_of(intro + data + report + SIGNATURE)
    assert [p.title for p in latest_first] == ["Data Engineer", "Report Developer"]
    assert latest_first[1].end is None and "no end date stated" in latest_first[1].notes


# -- fields the parser reads as duties, labelled dates lines, levels, tables run together, copied duties ---------
def test_designation_and_period_fields_declare_each_position_whatever_kind_the_parser_gives_them():
    section = ("Designation      : {title}\nPeriod           : {period}\nBranch / Unit    : {unit}\n"
               "Key Responsibilities:\n{duties}\n\n")
    text = ("NORTHGATE SYSTEMS PVT. LTD.\nDate: 3rd March 2025\n\nTO WHOM IT MAY CONCERN\n\n"
            "This is to certify that Ms. Meera Iyer is working with Northgate Systems on permanent rolls.\n\n"
            "Date of Joining  : 4th January 2015\nWorking Hours    : 40 hours per week\n\n"
            + section.format(title="Payroll Officer", period="4th January 2015 to 30th September 2019",
                             unit="Finance Shared Services - Chennai office",
                             duties="  1. Processed the monthly payroll of 600 staff.\n"
                                    "  2. Reconciled statutory deductions with the ledger.")
            + section.format(title="Finance Manager", period="1st October 2019 till date", unit="Finance",
                             duties="  1. Leads a team of eight accountants.\n"
                                    "  2. Prepares the annual budget with the directors.")
            + "For NORTHGATE SYSTEMS PVT. LTD.\n\n(signed)\nHead - Human Resources\n")
    parsed = parse_letter(text)
    found = find_positions(parsed)
    texts = {s.index: s.text for s in parsed.sentences}
    assert [(p.title, p.start.value, p.end.value if p.end else None, p.current, p.hours_per_week) for p in found] == [
        ("Payroll Officer", D(2015, 1, 4), D(2019, 9, 30), False, 40.0),
        ("Finance Manager", D(2019, 10, 1), None, True, 40.0)]
    assert duty_texts(found[0], texts) == ["Processed the monthly payroll of 600 staff.",
                                           "Reconciled statutory deductions with the ledger."]
    assert duty_texts(found[1], texts) == ["Leads a team of eight accountants.",
                                           "Prepares the annual budget with the directors."]


def test_a_date_line_under_a_contact_line_split_into_cells_and_hours_in_words_and_figures():
    text = ("HARBOUR LINE LOGISTICS, INC.\n12/F Bayview Plaza, Makati City 1200, Philippines\n"
            "Tel. No.: (02) 8555-0199  |  hr@harbourline.example\n\nFebruary 10, 2025\n\n"
            "CERTIFICATE OF EMPLOYMENT\n\nThis is to certify that Mr. Ramon Cruz has been employed with our company "
            "as a Dispatch Coordinator since March 2019. He renders forty (40) hours per week.\n\n"
            "His duties are:\n- Plans the daily routes of the delivery trucks\n- Assigns drivers to the routes\n")
    parsed = parse_letter(text)
    assert letter_date(parsed) == D(2025, 2, 10)
    [found] = find_positions(parsed)
    assert found.title == "Dispatch Coordinator" and found.hours_per_week == 40.0
    assert experience(found, letter_dated=letter_date(parsed)).counted_to == "letter date"


def test_a_title_line_with_its_terms_in_brackets_heads_that_positions_own_duties():
    text = LETTERHEAD + (
        "Mr. Grant worked for us part-time while studying and has been full-time since graduating.\n\n"
        "| Position | Start date | End date | Hours per week |\n|---|---|---|---|\n"
        "| Warehouse Assistant | 2017-05-01 | 2019-08-31 | 15 |\n| Inventory Analyst | 2019-09-03 | present | 40 |\n\n"
        "Warehouse Assistant (part-time, 15 hours per week)\n"
        "- Received and checked incoming shipments\n- Counted stock for the monthly inventory\n\n"
        "Inventory Analyst (full-time, 40 hours per week)\n"
        "- Forecasts stock levels from sales data\n- Reports slow-moving items to the buyers\n") + SIGNATURE
    found, texts = positions_of(text)
    assert [(p.title, p.hours_per_week, p.shared_duties) for p in found] == [
        ("Warehouse Assistant", 15.0, False), ("Inventory Analyst", 40.0, False)]
    assert duty_texts(found[0], texts) == ["Received and checked incoming shipments",
                                           "Counted stock for the monthly inventory"]
    assert duty_texts(found[1], texts) == ["Forecasts stock levels from sales data",
                                           "Reports slow-moving items to the buyers"]


def test_labelled_period_lines_job_duties_headings_and_a_position_whose_duties_did_not_change():
    text = LETTERHEAD + (
        "Ms. Chen has worked in our company since May 2016, 40 hours per week. Her positions are as follows.\n\n"
        "Position 1: Quality Technician\nPeriod: May 2016 - June 2019\nJob duties:\n"
        "1. Sampled each production batch for testing.\n2. Calibrated the measuring instruments.\n\n"
        "Position 2: Senior Quality Technician\nPeriod: July 2019 - December 2021\n"
        "In July 2019, Ms. Chen was promoted to Senior Quality Technician. Her job duties remained the same as in "
        "Position 1 above.\n\n"
        "Position 3: Quality Engineer\nPeriod: January 2022 to present\nJob duties:\n"
        "1. Designs the inspection plans of new products.\n2. Leads the root-cause analysis of defects.\n") + SIGNATURE
    found, texts = positions_of(text)
    assert periods(found) == [
        ("Quality Technician", D(2016, 5, 1), D(2019, 6, 30), False),
        ("Senior Quality Technician", D(2019, 7, 1), D(2021, 12, 31), False),
        ("Quality Engineer", D(2022, 1, 1), None, True)]
    assert not any(p.shared_duties for p in found)
    assert duty_texts(found[1], texts) == duty_texts(found[0], texts) == [
        "Sampled each production batch for testing.", "Calibrated the measuring instruments."]
    assert any(n.startswith("duties stated unchanged from Quality Technician") for n in found[1].notes)
    assert duty_texts(found[2], texts) == ["Designs the inspection plans of new products.",
                                           "Leads the root-cause analysis of defects."]
    # a catalog may count "job" among the head nouns of titles: "Job duties:" still names no title
    assert [p.title for p in find_positions(parse_letter(text), DEFAULT_TITLE_HEADS | {"job", "work"})] == [
        p.title for p in found]


def test_titles_held_reclassified_to_and_has_been_with_their_levels_and_duties_for_all_roles():
    text = LETTERHEAD + (
        "Mr. Osei has been employed by Acme full-time (37.5 hours per week) since March 2013. He held the title "
        "Systems Analyst I from March 2013, was reclassified to Systems Analyst II in June 2016, and has been a "
        "Lead Systems Analyst from September 2021 to date.\n\n"
        "In all three roles his duties have included:\n"
        "- Analyses the needs of the claims department\n- Writes the specifications of system changes\n") + SIGNATURE
    parsed = parse_letter(text)
    found = find_positions(parsed)
    assert periods(found) == [
        ("Systems Analyst I", D(2013, 3, 1), D(2016, 5, 31), False),
        ("Systems Analyst II", D(2016, 6, 1), D(2021, 8, 31), False),
        ("Lead Systems Analyst", D(2021, 9, 1), None, True)]
    assert all(p.shared_duties and len(p.duty_indices) == 2 for p in found)
    assert [experience(p, letter_dated=letter_date(parsed)).months for p in found] == [39, 63, 42]


def test_rows_of_an_aligned_table_run_together_and_a_row_without_dates():
    text = LETTERHEAD + (
        "Mr. Novak is currently employed with Acme and works 40 hours per week. His roles are listed below.\n\n"
        "  Position                    Period                        Type\n"
        "  --------------------------  ----------------------------  ----------------\n"
        "  Summer Student Technician   summer work term (college)    Temporary\n"
        "  Service Technician          Sept. 2018 - Mar. 2021        Permanent, full-time\n"
        "  Field Service Supervisor    from Apr. 2021 onwards        Permanent, full-time\n\n"
        "Summer Student Technician\n  - Cleaned and tested returned units\n  - Logged the parts used on each job\n\n"
        "Service Technician\n  - Repaired heating units at client sites\n  - Wrote the service report of each visit\n\n"
        "Field Service Supervisor\n  - Schedules the work of nine technicians\n  - Checks the quality of repairs\n"
        ) + SIGNATURE
    found, texts = positions_of(text)
    assert [(p.title, p.start.value if p.start else None, p.end.last_day() if p.end else None, p.current)
            for p in found] == [("Summer Student Technician", None, None, False),
                                ("Service Technician", D(2018, 9, 1), D(2021, 3, 31), False),
                                ("Field Service Supervisor", D(2021, 4, 1), None, True)]
    # the table states no dates for the first row: no end is inferred for it
    assert "no end date stated" in found[0].notes
    assert duty_texts(found[1], texts) == ["Repaired heating units at client sites",
                                           "Wrote the service report of each visit"]


def test_table_rows_that_declare_no_position_state_the_employments_dates_and_duties():
    text = ("ALDER METALWORKS LTD.\nEMPLOYMENT VERIFICATION\n\n| Field | Value |\n|---|---|\n"
            "| Employee | Rita Gomes |\n| Employment period | 2019-04-01 to present |\n"
            "| Status / hours | Full-time, 40 h/week |\n"
            "| Duties | Sets up the welding cells for each order; inspects the finished welds |\n")
    parsed = parse_letter(text)
    [found] = find_positions(parsed)
    assert (found.start.value, found.current, found.hours_per_week) == (D(2019, 4, 1), True, 40.0)
    texts = {s.index: s.text for s in parsed.sentences}
    assert "Sets up the welding cells for each order" in duty_texts(found, texts)


def test_department_initials_after_the_title_and_headings_that_group_one_positions_duties():
    text = LETTERHEAD + (
        "Mr. Rauf joined us in 2014 and since March 2020 he is working as Manager IT. He works 48 hours per week.\n\n"
        "His duties are listed below.\n\n"
        "Administration\n  - Plans the budget of the department\n  - Hires and appraises the staff of the unit\n\n"
        "Hands-on\n  - Reviews the firewall rules\n  - Resolves the incidents escalated to him\n") + SIGNATURE
    found, texts = positions_of(text)
    assert [(p.title, p.start.value, p.current) for p in found] == [("Manager IT", D(2020, 3, 1), True)]
    # a catalog whose titles end in "administration" takes the first group's heading for a title: beside
    # "Hands-on" it is a group of the one position's duties
    grouped = find_positions(parse_letter(text), DEFAULT_TITLE_HEADS | {"administration"})
    assert [(p.title, len(p.duty_indices)) for p in grouped] == [("Manager IT", 4)]
    # initials followed by a capitalised word begin a department, not part of the title
    services = text.replace("as Manager IT.", "as Manager IT Services.")
    assert positions_of(services)[0][0].title == "Manager"


@pytest.mark.parametrize("pattern, unit", [
    (PROMOTION_CUE, "held the title "), (PROMOTION_CUE, "has been   "), (PROMOTION_CUE, "was reclassified to "),
    (SAME_DUTIES, "in all the three "), (SAME_DUTIES, "for both "), (HOURS, "(40) "), (HOURS, "40)"),
    (FIELD, "Period : "), (TITLE_FIELD, "Designation "), (TITLE_FIELD, "job title  "),
    (DATES_LABEL, "Period of employment "), (TITLE_LEVEL, " II"), (TITLE_INITIALS, " IT"), (TITLE_INITIALS, "  ITS"),
    (TEMPLATE_LINE, "Unit / "), (TEMPLATE_LINE, "Unit     "), (DUTY_LABEL, "duties "), (FIELD, "Tenure   "),
    (FIELD, "service period : "), (ELLIPTIC_CUE, ", as "), (ELLIPTIC_CUE, "; then to "), (ELLIPTIC_CUE, ",   "),
    (PROMOTION_CUE, "Post held "), (PROMOTION_CUE, "post   held  "), (TITLE_FIELD, "Post  held "), (FIELD_COLON, "  ")])
def test_the_position_patterns_cannot_hang_on_a_long_text(pattern, unit):
    """Each pattern over 200,000 characters of its own pieces, tried at every position (as ``search`` and
    ``match`` at each offset are): a hang guard, far above what a linear pattern takes."""
    text = unit * (200_000 // len(unit))

    def every_position(text: str) -> None:
        list(pattern.finditer(text))
        for at in range(0, len(text), 7):
            pattern.match(text, at)
    assert seconds(every_position, text) < HANG_SECONDS


@pytest.mark.parametrize("unit", [
    "He held the title Analyst I from May 2014, was reclassified to Analyst II in June 2016, and has been a ",
    "Analyst    Jan 2019 - Mar 2020    Full-time\n", "Designation : Analyst\nPeriod : 1st June 2019 till date\n",
    "In all three roles the duties remained the same as in Position 1 ", "forty (40) hours per week ",
    "served as Analyst from 01.02.2014 to 30.06.2017, as Lead Analyst from 01.07.2017, ",
    "Designation : Analyst\nTenure : 12th July 2016 to 31st May 2019\n",
    "Analyst\nMay 2018 - Aug 2019 | 20 hours per week\n",
])
def test_find_positions_cannot_hang_on_a_long_sentence(unit):
    """One sentence (and one letter) of 200,000 characters of the pieces the positions stage reads."""
    from nocmatch.letter.classify import ParsedLetter, Sentence
    text = unit * (200_000 // len(unit))
    letter = ParsedLetter(text, [Sentence(0, text, "employment", 1, False), Sentence(1, text, "duty", 1, False)])
    assert seconds(find_positions, letter) < HANG_SECONDS
    assert seconds(letter_date, letter) < HANG_SECONDS


# -- tenure fields, dates lines with their hours, lists of titles after a comma, two-cell aligned rows -------
def test_tenure_fields_date_each_designation_of_a_template():
    text = ("KESTREL SYSTEMS PVT LTD\nDate: 3rd March 2025\n\nTO WHOMSOEVER IT MAY CONCERN\n\n"
            "This is to certify that Ms. Rao has been working with us full time, 45 hours per week. Her service "
            "details are as under:\n\n"
            "Designation    : Test Engineer\nDepartment     : Quality - Payments\n"
            "Tenure         : 2nd January 2017 to 30th April 2020\nKey Responsibilities:\n"
            "  a) Wrote the automated regression suites of the payment apps.\n"
            "  b) Logged and retested the defects of each release.\n\n"
            "Designation    : Test Lead\nDepartment     : Quality - Cards\nTenure         : 1st May 2020 till date\n"
            "Key Responsibilities:\n  a) Plans the testing of each card product release.\n"
            "  b) Reviews the test cases written by five testers.\n") + SIGNATURE
    found, texts = positions_of(text)
    assert periods(found) == [
        ("Test Engineer", D(2017, 1, 2), D(2020, 4, 30), False), ("Test Lead", D(2020, 5, 1), None, True)]
    assert duty_texts(found[1], texts) == ["Plans the testing of each card product release.",
                                           "Reviews the test cases written by five testers."]


def test_a_dates_line_split_at_a_pipe_gives_the_title_above_its_dates_and_hours():
    text = LETTERHEAD + (
        "I confirm the employment of Tom Lee with us. Tom has held two positions.\n\n"
        "Graphic Designer (part-time)\nJune 4, 2019 - July 31, 2020 | 20 hours per week, while at college\n"
        "• Drew the storyboards of client videos\n• Prepared the print files of client brochures\n\n"
        "Art Director\nAugust 4, 2020 - Present | full-time, 40 hours per week\n"
        "• Designs the motion graphics of product launches\n• Reviews the work of two junior animators\n"
        ) + SIGNATURE
    found, texts = positions_of(text)
    assert [(p.title, p.start.value, p.end.last_day() if p.end else None, p.current, p.hours_per_week)
            for p in found] == [("Graphic Designer", D(2019, 6, 4), D(2020, 7, 31), False, 20.0),
                                ("Art Director", D(2020, 8, 4), None, True, 40.0)]
    assert duty_texts(found[0], texts) == ["Drew the storyboards of client videos",
                                           "Prepared the print files of client brochures"]


def test_titles_listed_after_commas_in_one_sentence_each_take_their_dates():
    text = LETTERHEAD + (
        "Ms. Diaz has been serving our bank since 2015. She served as Support Technician (Help Desk) from 01.03.2015 to "
        "31.05.2018, as Network Administrator - Infrastructure from 01.06.2018 to 31.12.2021, and as Branch Manager "
        "(Main Office) from 01.01.2022 until now.\n\nHer duties in the above positions were as follows:\n\n"
        "As Support Technician:\n- Answered the calls of branch staff.\n- Replaced faulty laptops.\n\n"
        "As Network Administrator:\n- Configured the branch routers.\n- Monitored the network links.\n\n"
        "As Branch Manager:\n- Manages the staff of the branch.\n- Sets the sales targets of the branch.\n"
        ) + SIGNATURE
    found, texts = positions_of(text)
    assert periods(found) == [
        ("Support Technician", D(2015, 3, 1), D(2018, 5, 31), False),
        ("Network Administrator", D(2018, 6, 1), D(2021, 12, 31), False),
        ("Branch Manager", D(2022, 1, 1), None, True)]
    assert duty_texts(found[1], texts) == ["Configured the branch routers.", "Monitored the network links."]
    once = LETTERHEAD + (
        "We confirm that Mr. Aydin works in our company full time; he worked as Accountant from 1 March 2016, as "
        "Senior Accountant from 1 May 2019 and he is working as Chief Accountant from 1 July 2023 onwards. In all "
        "these positions his duties were as below:\n\n• Prepared the monthly financial statements.\n"
        "• Reconciled the bank accounts.\n") + SIGNATURE
    found, _ = positions_of(once)
    assert [(p.title, p.start.value, p.end.last_day() if p.end else None, p.current, p.shared_duties)
            for p in found] == [("Accountant", D(2016, 3, 1), D(2019, 4, 30), False, True),
                                ("Senior Accountant", D(2019, 5, 1), D(2023, 6, 30), False, True),
                                ("Chief Accountant", D(2023, 7, 1), None, True, True)]


def test_two_cell_rows_of_an_aligned_table_run_together_are_each_a_position():
    text = LETTERHEAD + (
        "Acme certifies that Mr. Ruiz works in our company full time, 44 hours per week. He has held these "
        "positions:\n\n"
        # a row of 50 characters or more runs on into the next in the parser's blocks: one sentence, two rows
        "Position                          Period\n"
        "Junior Accountant                 2014 to 2016\n"
        "Accountant                        2017 to March 2020\n"
        "Finance Manager                   since April 2020\n\n"
        "Functions as Junior Accountant:\n- Recorded the invoices of suppliers.\n- Filed the receipts.\n\n"
        "Functions as Accountant:\n- Closed the books each month.\n- Prepared the tax returns.\n\n"
        "Functions as Finance Manager:\n- Plans the budget of the company.\n- Leads the finance team.\n"
        ) + SIGNATURE
    found, texts = positions_of(text)
    assert periods(found) == [
        ("Junior Accountant", D(2014, 1, 1), D(2016, 12, 31), False),
        ("Accountant", D(2017, 1, 1), D(2020, 3, 31), False), ("Finance Manager", D(2020, 4, 1), None, True)]
    assert duty_texts(found[2], texts) == ["Plans the budget of the company.", "Leads the finance team."]


# -- the realistic promotion letters (read only) ---------------------------------------------------------
def realistic(name: str) -> tuple[list[Position], dict[int, str], datetime.date | None]:
    parsed = parse_letter((REALISTIC / name).read_text(encoding="utf-8"))
    return find_positions(parsed), {s.index: s.text for s in parsed.sentences}, letter_date(parsed)


def test_ra006_developer_promoted_to_development_manager():
    found, texts, dated = realistic("ra006_promotion_developer_to_dev_manager.txt")
    assert [(p.title, p.start.value, p.end.value if p.end else None, p.current) for p in found] == [
        ("Software Developer", D(2017, 8, 14), D(2020, 3, 31), False),
        ("Software Development Manager", D(2020, 4, 1), None, True)]
    assert duty_texts(found[0], texts)[0].startswith("Designed, wrote and tested Java and C# code")
    assert len(found[0].duty_indices) == 5
    assert duty_texts(found[1], texts)[0] == ("Plans, organizes and directs the development and maintenance work "
                                              "of the department")
    assert "Prepares and controls the department's annual budget (approx. $2.4M) and vendor spend" in duty_texts(
        found[1], texts)
    assert [p.hours_per_week for p in found] == [37.5, 37.5]
    assert dated == D(2024, 6, 3) and experience(found[1], letter_dated=dated).months == 50


def test_ra011_analyst_promoted_to_data_scientist():
    found, texts, dated = realistic("ra011_promotion_analyst_to_data_scientist.txt")
    assert [(p.title, p.start.value, p.end.value if p.end else None) for p in found] == [
        ("Data Analyst", D(2018, 7, 9), D(2020, 8, 31)), ("Data Scientist", D(2020, 9, 1), None)]
    assert duty_texts(found[0], texts) == [
        "Wrote and tuned SQL queries, views and stored procedures against the member data warehouse",
        "Designed and built data marts for lending and deposits reporting",
        "Documented data definitions and ran data quality checks on loads from the banking system",
        "Produced monthly reports from the warehouse for the lending team"]
    assert duty_texts(found[1], texts)[1] == "Uses NLP to classify member complaints and call notes from unstructured text"
    assert experience(found[0]).months == 25


def test_ra021_tester_promoted_to_business_systems_analyst():
    found, texts, _ = realistic("ra021_promotion_qa_tester_to_bsa.txt")
    assert [(p.title, p.start.value, p.end.value if p.end else None, p.current) for p in found] == [
        ("Junior QA Tester", D(2016, 10, 3), D(2018, 5, 31), False),
        ("Business Systems Analyst", D(2018, 6, 1), None, True)]
    # the tester's duties are written inside its heading's paragraph, which the parser does not call a duty
    assert found[0].duty_indices == () and "no duty sentences of its own" in found[0].notes
    assert len(found[1].duty_indices) == 6 and not found[1].shared_duties
    assert duty_texts(found[1], texts)[3] == "Act as liaison between business units, the development team and IT support."


def test_rb009_a_table_of_positions_and_headings_that_repeat_them_are_the_same_positions():
    found, texts, _ = realistic("rb009_promotion_junior_dev_to_senior_swe.txt")
    assert [(p.title, p.hours_per_week) for p in found] == [("Junior Developer", 37.5),
                                                            ("Senior Software Engineer", 37.5)]
    assert duty_texts(found[0], texts)[0].startswith("Wrote and tested Java code for new features")
    assert duty_texts(found[1], texts)[-1] == "reviews their designs and code"


# -- the labelled letters ----------------------------------------------------------------------------------
def labelled() -> dict[str, list[dict]]:
    by_file: dict[str, list[dict]] = {}
    with (POSITION_LETTERS / "labels.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            by_file.setdefault(row["file"], []).append(row)
    return by_file


LABELS = labelled()


def found_rows(name: str) -> list[dict]:
    """The positions of a labelled letter, as label rows."""
    parsed = parse_letter((POSITION_LETTERS / name).read_text(encoding="utf-8"))
    dated = letter_date(parsed)
    rows = []
    for p in find_positions(parsed):
        gained = experience(p, as_of=BENCHMARK_AS_OF, letter_dated=dated)
        rows.append({"title": p.title, "start": p.start.value.isoformat() if p.start else "",
                     "end": p.end.last_day().isoformat() if p.end else "", "current": str(p.current).lower(),
                     "months": "" if gained.months is None else str(gained.months),
                     "hours_per_week": "" if p.hours_per_week is None else f"{p.hours_per_week:g}",
                     "fte_months": "" if gained.fte_months is None else f"{gained.fte_months:g}"})
    return rows


def test_the_benchmark_has_the_letters_its_readme_promises():
    assert len(LABELS) >= 14
    assert sum(len(rows) for rows in LABELS.values()) >= 30
    assert {len(rows) for rows in LABELS.values()} >= {2, 3}
    assert sorted(p.name for p in POSITION_LETTERS.glob("*.txt")) == sorted(LABELS)


@pytest.mark.parametrize("name", sorted(LABELS), ids=lambda n: n[:4])
def test_every_labelled_letter_gives_its_labelled_positions(name):
    keys = ("title", "start", "end", "current", "months", "hours_per_week", "fte_months")
    expected = [{k: row[k] for k in keys} for row in LABELS[name]]
    assert found_rows(name) == expected


def test_the_labelled_shared_and_overlapping_positions():
    def found(name):
        return find_positions(parse_letter((POSITION_LETTERS / name).read_text(encoding="utf-8")))
    shared = {name for name in LABELS if all(p.shared_duties for p in found(name))}
    assert shared == {"pl08_promotion_same_duties.txt", "pl17_undivided_duties_after_positions.txt"}
    assert {name: overlaps(found(name)) for name in LABELS if overlaps(found(name))} == {
        "pl09_overlapping_support_to_network.txt": [(0, 1)]}
    pl13 = found("pl13_ambiguous_dates_dba_to_it_manager.txt")
    assert any("03/04/2019 read as 3 April 2019" in note for note in pl13[0].notes)


def test_labelled_duties_go_to_their_positions():
    parsed = parse_letter((POSITION_LETTERS / "pl14_prose_three_positions_to_date.txt").read_text(encoding="utf-8"))
    texts = {s.index: s.text for s in parsed.sentences}
    help_desk, web_tech, web_dev = find_positions(parsed)
    assert duty_texts(help_desk, texts) == [
        "In that role he answered calls and tickets from store and warehouse staff, diagnosed and resolved problems "
        "with point-of-sale terminals, laptops and accounts, and kept the problem log used by the rest of the help "
        "desk."]
    assert duty_texts(web_tech, texts)[1] == ("He also answered requests for help from the store's customers and from "
                                              "our web design agency.")
    assert duty_texts(web_dev, texts)[-1] == "Works with our designers on the architecture and design of new store features"
    parsed = parse_letter((POSITION_LETTERS / "pl05_aligned_columns_programmer_to_engineer.txt").read_text(
        encoding="utf-8"))
    texts = {s.index: s.text for s in parsed.sentences}
    programmer, engineer = find_positions(parsed)
    assert duty_texts(programmer, texts)[0] == ("Wrote, modified and tested C# and SQL code for our batch-reporting "
                                                "and plant-data applications")
    assert duty_texts(engineer, texts)[-1] == "Leads a team of four developers and two test engineers"


def test_experience_and_positions_serialise_to_json():
    parsed = parse_letter((POSITION_LETTERS / "pl13_ambiguous_dates_dba_to_it_manager.txt").read_text(encoding="utf-8"))
    found = find_positions(parsed)
    data = json.loads(json.dumps({"positions": [p.to_dict() for p in found],
                                  "experience": [experience(p, as_of=BENCHMARK_AS_OF).to_dict() for p in found]}))
    assert data["positions"][0]["start"] == "2019-04-03"
    assert data["positions"][0]["stated"]["start"]["text"] == "03/04/2019"
    assert data["positions"][0]["stated"]["start"]["ambiguous"].startswith("03/04/2019 read as 3 April 2019")
    assert data["experience"][1] == {"start": "2021-11-11", "end": "2025-06-30", "current": True,
                                     "counted_to": "today", "months": 43, "fte_months": 43.0,
                                     "note": "current: counted to today (2025-06-30)"}
    assert isinstance(experience(found[0]), Experience)


def test_day_month_name_and_two_digit_year_with_hyphens():
    assert [d.value for _, _, d in find_dates("Period : 03-Feb-18 to 28-Nov-21", None)] == [
        datetime.date(2018, 2, 3), datetime.date(2021, 11, 28)]
    ranges = find_ranges("02-Dec-21 till date", None)
    assert ranges[0].start.value == datetime.date(2021, 12, 2) and ranges[0].current
    # two digits after a month's name without the day's hyphen form are no year ("Jul 17", "Jul-17")
    assert find_dates("Jul-17", None) == [] and find_dates("build 3-Jan-175", None) == []


def test_template_fields_run_together_and_post_held_label():
    joined = ("EXPERIENCE CERTIFICATE\n\nThis is to certify that Ms. Asha Rao worked with our company.\n\n"
              "1) Designation : Junior Tester\n   Division    : Mobile Apps\n   Period      : 03-Feb-18 to 28-Nov-21\n\n"
              "   Responsibilities:\n   * Ran regression test suites in Selenium for every release\n"
              "   * Logged defects in Bugzilla and retested fixes\n\n"
              "2) Designation : Systems Analyst\n   Division    : Core Platform\n   Period      : 29-Nov-21 till date\n\n"
              "   Responsibilities:\n   * Analysed business needs and wrote system specifications\n"
              "   * Modelled data flows for the billing system\n")
    found, _ = positions_of(joined)
    assert [(p.title, p.start.value, p.end and p.end.value, p.current) for p in found] == [
        ("Junior Tester", datetime.date(2018, 2, 3), datetime.date(2021, 11, 28), False),
        ("Systems Analyst", datetime.date(2021, 11, 29), None, True)]
    assert all(p.duty_indices for p in found) and not set(found[0].duty_indices) & set(found[1].duty_indices)
    post = ("ACME LTD.\nTO WHOM IT MAY CONCERN\nEmployee name: Lee Mei\nEmployment type: full time, 40 hours per week\n"
            "Post held: Payroll Administrator\nFrom: 2012/03/01\nTo: 2014/08/31\nDuties:\n"
            "- Entered timesheets into the payroll system\n- Reconciled pay runs with the ledger\n\n"
            "Post held: Accountant\nFrom: 2014/09/01\nTo: present\nDuties:\n"
            "- Prepares monthly financial statements\n- Reviews journal entries and accruals\n")
    found, _ = positions_of(post)
    assert [(p.title, p.start.value, p.current) for p in found] == [
        ("Payroll Administrator", datetime.date(2012, 3, 1), False), ("Accountant", datetime.date(2014, 9, 1), True)]


# -- the position a promotion letter is judged on --------------------------------------------------
def described(index: int, start: str, current: bool, duties: int, shared: bool = False) -> Position:
    """A position whose ``duties`` duty sentences are its own (numbered apart from the others')."""
    return dataclasses.replace(position(start, None, current), index=index, shared_duties=shared,
                               duty_indices=tuple(range(10 * index, 10 * index + duties)))


def test_a_promotion_letter_is_judged_on_the_position_held_now():
    earlier, now = described(0, "May 2016", False, 4), described(1, "June 2019", True, 6)
    assert held_now([earlier, now], 3) is now
    assert held_now([now, earlier], 3) is now  # letters that list the current position first
    # no position held now (the employee has left): the one that started last
    assert held_now([earlier, dataclasses.replace(now, current=False)], 3).index == 1


@pytest.mark.parametrize("positions", [
    [described(0, "May 2016", False, 4, shared=True), described(1, "June 2019", True, 6, shared=True)],
    [described(0, "May 2016", False, 2), described(1, "June 2019", True, 6)],  # one describes the work
    [described(0, "May 2016", True, 4), described(1, "June 2019", True, 6)],   # two held now
    [described(0, "June 2019", False, 4), described(1, "June 2019", False, 6)],  # dates cannot tell
    [described(0, "June 2019", True, 6)],
])
def test_the_whole_letter_is_judged_when_the_positions_cannot_tell(positions):
    assert held_now(positions, 3) is None


def test_sections_of_a_shared_position_named_by_activity_are_not_positions():
    # "Development (approx. 70%):" and "Support (approx. 30%):" head shares of one job's duties (a letter
    # written apart from the code); NOC titles make "development" and "support" head nouns ("Director,
    # software development"), but they name no person: before, "Development" was an earlier position and
    # the letter was judged on the support duties alone
    text = (REPO / "benchmarks" / "data" / "blind_letters" / "xl014_mixed_dental_software_dev_support.txt").read_text()
    parsed = parse_letter(text)
    texts = {s.index: s.text for s in parsed.sentences}
    found = find_positions(parsed, DEFAULT_TITLE_HEADS | {"development", "support"})  # as the NOC catalog's
    assert [p.title for p in found] == ["Software Support Specialist"]
    assert len(duty_texts(found[0], texts)) >= 8
    # a title with a person in it still names a position
    assert [p.title for p in positions_of("Manager, Software Development (2019 – 2022)\n- Leads the team.\n")[0]] == [
        "Manager, Software Development"]


def test_duties_listed_once_for_a_promotion_are_flagged_on_the_earlier_position_unless_said_the_same():
    letter = ("To whom it may concern,\n\nMs. Grace Lind joined us as a Software Engineer on September 3, 2018 and held "
              "that position until December 31, 2021; since January 1, 2022 she has served as Engineering Lead.\n\n"
              "She directs the Digital Platforms department of 22 people and prepares its annual budget.\n"
              "She recruits the department's staff and conducts their performance reviews.\n"
              "She meets hospital clients to scope new integrations and their delivery dates.\n\nSincerely,\nMartin Fisk\n")
    found = find_positions(parse_letter(letter))
    assert [p.title for p in found] == ["Software Engineer", "Engineering Lead"] and all(p.shared_duties for p in found)
    assert any("check that they describe this position (Software Engineer)" in note for note in found[0].notes)
    assert not any("listed once" in note for note in found[1].notes)
    same = letter.replace("She directs", "Her duties remained the same in both roles. She directs")
    assert not any("listed once" in note for p in find_positions(parse_letter(same)) for note in p.notes)


def test_a_positions_tables_position_column_and_its_numbered_task_headings():
    # the "Position" column names the title though no example title ends like "Working Student IT Support"
    # (the Department cell, "IT Service Desk", did), and "Tasks in position 1 (…):" gives each its own tasks
    letter = ("Hamburg, 03.02.2025\n\nMr. Tobias Reinhardt is employed in our company since 01.10.2016.\n\n"
              "| No. | Position                   | Department        | From       | To         | Hours/week |\n"
              "|-----|----------------------------|-------------------|------------|------------|------------|\n"
              "| 1   | Working Student IT Support | IT Service Desk   | 01.10.2016 | 31.03.2018 | 20         |\n"
              "| 2   | System Administrator       | IT Infrastructure | 01.04.2018 | until now  | 40         |\n\n"
              "Tasks in position 1 (Working Student IT Support):\n"
              "- Taking tickets of the colleagues by phone and e-mail and recording the problem in OTRS\n"
              "- Reproducing errors in SAP GUI and Outlook at the colleague's PC and solving them\n\n"
              "Tasks in position 2 (System Administrator):\n"
              "- Operation of the LAN/WAN between 14 warehouses, Cisco switches and routers\n"
              "- Daily backups with Veeam and the yearly disaster recovery test\n")
    found, texts = positions_of(letter)
    assert [p.title for p in found] == ["Working Student IT Support", "System Administrator"]
    assert not any(p.shared_duties for p in found)
    assert duty_texts(found[0], texts)[0].startswith("Taking tickets")
    assert duty_texts(found[1], texts)[0].startswith("Operation of the LAN/WAN")
    # a table of fields, one column per position, names no title column ("Title | Software Developer | ...")
    fields = ("| | Position 1 | Position 2 (current) |\n|---|---|---|\n| Title | Software Developer | Lead Developer |\n"
              "| Dates | July 4, 2017 – February 29, 2020 | March 1, 2020 – present |\n| Hours | 40 per week | 40 per week |\n")
    assert "Hours" not in [p.title for p in positions_of(fields)[0]]


def test_a_heading_since_the_promotion_gives_the_new_position_its_duties():
    text = ("Positions held:\n1. Network Administrator – March 11, 2019 to June 30, 2021\n"
            "2. Senior Network Administrator – July 1, 2021 to present\n\n"
            "As Network Administrator, I maintained the Cisco switches and troubleshot user connectivity.\n\n"
            "Since my promotion to Senior Network Administrator, my work is almost entirely cybersecurity:\n"
            "• I monitor SIEM and EDR alerts daily and investigate suspicious logins.\n"
            "• I run quarterly vulnerability scans and remediate the findings.\n")
    positions, texts = positions_of(text)
    assert [(p.title, duty_texts(p, texts)[-1][:12]) for p in positions] == [
        ("Network Administrator", "As Network A"), ("Senior Network Administrator", "I run quarte")]


@pytest.mark.parametrize(("line", "expected"), [
    ("Ciudad de México, a 22 de enero de 2025", D(2025, 1, 22)),
    ("Torino, 9 settembre 2024", D(2024, 9, 9)),
    ("Lisboa, 7 de março de 2025", D(2025, 3, 7)),
    ("Paris, le 1er juin 2025", D(2025, 6, 1)),
    ("München, 18. März 2024", D(2024, 3, 18)),
])
def test_a_letter_dated_in_the_writers_own_language_counts_to_that_date(line, expected):
    text = (f"ACME SOLUCIONES S.A.\n{line}\n\nTo whom it may concern\n\nMr. Juan Pérez works as Software Developer "
            "since 1 June 2020 to the actual date.\n\nDuties:\n- Develop REST services in Java\n\nSincerely,\nAna Ruiz\n")
    parsed = parse_letter(text)
    assert letter_date(parsed) == expected
    (position,) = find_positions(parsed)
    assert position.start.value == D(2020, 6, 1) and position.end is None


def test_a_foreign_month_is_read_only_as_the_letters_whole_date_line():
    text = ("To whom it may concern\n\nShe worked on the Mars rover telemetry in 2019 and on project Mai 2020.\n"
            "Sincerely,\nAna Ruiz\n")
    assert letter_date(parse_letter(text)) is None


def test_a_heading_restating_a_position_by_its_years_and_a_project_heading_are_no_new_positions():
    text = ("To whom it may concern,\n\nDaniel has held the following positions:\n"
            "Software Developer - May 1, 2017 to June 30, 2020\nPrincipal Engineer - July 1, 2020 to present\n\n"
            "Software Developer (2017-2020)\nAs a Software Developer, Daniel designed, wrote and tested code.\n\n"
            "Principal Engineer (2020-present)\nHis duties are:\n- Plans, organizes and directs the engineering "
            "department\n\nPROJECT VEGA – Platform of telemetry for fleets (2020 – 2022)\n"
            "- Design of the microservices architecture of the telemetry platform\n\nSincerely,\nMargaret Ellison\n")
    positions, texts = positions_of(text)
    assert [(p.title, p.start.value, len(p.duty_indices)) for p in positions] == [
        ("Software Developer", D(2017, 5, 1), 1), ("Principal Engineer", D(2020, 7, 1), 2)]


def test_an_undated_shorter_title_in_prose_is_the_dated_position_it_shortens():
    text = ("To whom it may concern,\n\nMr. Jonas Albrecht has been employed by us since 01.04.2018 as Senior Java "
            "Developer.\nMr. Albrecht joined us as Java developer in one of our product teams.\n\nHis tasks:\n"
            "- Definition of the guidelines for the software development life cycle\n\nSincerely,\nSabine Vogt\n")
    positions, _ = positions_of(text)
    assert [(p.title, p.start.value, len(p.duty_indices)) for p in positions] == [
        ("Senior Java Developer", D(2018, 4, 1), 1)]


def test_a_duty_since_the_promotion_belongs_to_the_position_it_led_to():
    text = ("Positions held:\n1. Network Administrator – March 11, 2019 to June 30, 2021\n"
            "2. Senior Network Administrator – July 1, 2021 to present\n\n"
            "As Network Administrator, he maintained the Cisco switches and troubleshot user connectivity.\n"
            "Since his promotion on July 1, 2021, he has led the security monitoring of the company network.\n")
    positions, texts = positions_of(text)
    assert [(p.title, [t[:14] for t in duty_texts(p, texts)]) for p in positions] == [
        ("Network Administrator", ["As Network Adm"]), ("Senior Network Administrator", ["Since his prom"])]


def test_a_date_of_another_calendar_is_left_for_its_gregorian_twin():
    text = ("Date: 2081/05/10 B.S. (26 August 2024 A.D.)\n\nTO WHOM IT MAY CONCERN\n\nThis is to certify that Mr. Suman "
            "Shrestha has been working in this company as Software QA Analyst from 2077/03/17 B.S. (1 July 2020 A.D.) "
            "till date on full time basis.\n\nHis duties:\n- Develops QA procedures and test strategies\n")
    parsed = parse_letter(text)
    (position,) = find_positions(parsed)
    assert (position.start.value, letter_date(parsed)) == (D(2020, 7, 1), D(2024, 8, 26))


@pytest.mark.parametrize(("text", "expected"), [
    # a form's "Date of Employment"
    ("EMPLOYMENT VERIFICATION FORM\nEmployee Name          : Mr. Abdulrahman Bello\n"
     "Designation            : Information Security Analyst\nDate of Employment     : 3rd February, 2020\n"
     "Employment Status      : Permanent, Full Time (still in our employment)\nJob Duties             :\n"
     "- Monitor access and credentials for information and systems\n",
     ("Information Security Analyst", D(2020, 2, 3), True)),
    # a Word table of fields pasted with tabs
    ("NORDHAVEN PROPERTY MANAGEMENT LTD.\n\nEMPLOYMENT CONFIRMATION\n\nDate\tJuly 8, 2024\n"
     "Employee\tKevin Ansah\nJob title\tBusiness Systems Analyst\nEmployment start\tMarch 1, 2022\n"
     "Employment end\tPresent\n\nDuties\tAnswers phone, chat and ServiceNow tickets from site staff\n"
     "\tDiagnoses and fixes problems with laptops and VPN access\n",
     ("Business Systems Analyst", D(2022, 3, 1), True)),
    # a form's dot leaders
    ("CONFIRMATION OF EMPLOYMENT\nDate:  April 28, 2025\nEmployee Name ............. Olumide Adeyemi\n"
     "Job Title ................. Software Tester II\nEmployment Type ........... Permanent Full-Time\n"
     "Start Date ................ July 22, 2019\nEnd Date .................. Currently employed\nDuties include:\n"
     "- Develops quality assurance procedures and test strategies for new systems\n",
     ("Software Tester II", D(2019, 7, 22), True)),
])
def test_a_forms_fields_give_the_positions_title_and_start(text, expected):
    (position,) = find_positions(parse_letter(text))
    assert (position.title, position.start.value, position.current) == expected


@pytest.mark.parametrize(("sentence", "title"), [
    ("His title is still \"Lead Software Engineer\" - we never got around to changing it.", "Lead Software Engineer"),
    ("Her title on paper is Senior Software Developer, but she owns our whole backend.", "Senior Software Developer"),
    ("We confirm that Mr. Hugo Tran occupies the post of Game Designer in our studio since 6 September 2021.",
     "Game Designer"),
])
def test_a_title_said_in_passing_is_read_without_its_adverb(sentence, title):
    text = f"To whom it may concern,\n\n{sentence}\n\nHis duties:\n- Designs the backend services\n"
    assert [p.title for p in find_positions(parse_letter(text))] == [title]


def test_a_dated_heading_opened_by_as_is_the_position_it_names():
    text = ("Position\t\t\tInclusive Dates\nSoftware Engineer\t\tJune 16, 2014 - March 31, 2017\n"
            "Lead Software Engineer\t\tFebruary 1, 2021 - Present\n\nDUTIES AND RESPONSIBILITIES\n\n"
            "As Lead Software Engineer (February 1, 2021 - Present):\n  >  Plans the unit's yearly delivery roadmap\n\n"
            "As Software Engineer (June 16, 2014 - March 31, 2017):\n  >  Developed and maintained Java web modules\n")
    positions, texts = positions_of(text)
    assert [(p.title, duty_texts(p, texts)) for p in positions] == [
        ("Software Engineer", ["Developed and maintained Java web modules"]),
        ("Lead Software Engineer", ["Plans the unit's yearly delivery roadmap"])]


def test_a_forms_employment_start_and_date_of_issue_are_read():
    text = ("FORM HR-27 - EMPLOYMENT REFERENCE\n\nIssuing organization: Bayfield Technology Advisory LLP\n"
            "Date of issue: 2025-05-12\n\nEmployee name: Ioana Petrescu\nJob title: IT Consultant (Senior)\n"
            "Employment start: 2020-01-13\nEmployment end: n/a - currently employed\n\nDescription of duties:\n"
            "Assesses clients' existing applications, servers and internal IT processes.\n")
    parsed = parse_letter(text)
    (position,) = find_positions(parsed)
    assert (position.start.value, position.current, letter_date(parsed)) == (D(2020, 1, 13), True, D(2025, 5, 12))
    assert "Issuing organization: Bayfield Technology Advisory LLP" not in [s.text for s in parsed.duties]


def test_a_duty_sentence_that_names_its_position_first_belongs_to_it():
    text = ("Positions held:\nChief Specialist of the IT Department - 14.05.2018 to 31.08.2020\n"
            "Head of Sector of Information Systems - 01.09.2020 to present\n\n"
            "In the position of Chief Specialist of the IT Department his duties included: analysis of the existing "
            "information systems of the company.\n"
            "In the position of Head of Sector of Information Systems (from 01.09.2020 till present time) the following "
            "duties are performed by him:\n- Management of the Information Systems Sector of 11 employees\n")
    positions, texts = positions_of(text)
    assert [(p.start.value, [t[:20] for t in duty_texts(p, texts)]) for p in positions] == [
        (D(2018, 5, 14), ["In the position of C"]), (D(2020, 9, 1), ["Management of the In"])]


def test_a_title_said_to_be_the_current_one_is_held_now():
    text = ("To whom it may concern,\n\nKenji was employed by us as Web Developer from August 15, 2016 through May 21, "
            "2021.\n- Wrote the site code\n\nHis current position is Front-End Developer, Digital Channels.\n"
            "- Designs page layouts\n")
    positions, _ = positions_of(text)
    assert [(p.title, p.current) for p in positions] == [("Web Developer", False), ("Front-End Developer", True)]


def test_a_numbered_position_heading_with_a_note_before_its_colon():
    text = ("He has held the following positions:\n\nPOSITION 1: Senior Android Developer\n"
            "Period: 1 February 2016 - 31 March 2019\nDuties:\n  - developing new Android applications in Kotlin\n\n"
            "POSITION 2 (promotion): Mobile Development Lead\nPeriod: 1 April 2019 - present\nDuties:\n"
            "  - plans, organizes and directs the work of the Mobile Solutions department\n")
    positions, _ = positions_of(text)
    assert [(p.title, p.start.value) for p in positions] == [
        ("Senior Android Developer", D(2016, 2, 1)), ("Mobile Development Lead", D(2019, 4, 1))]


def test_a_forms_sections_leave_and_duty_heading_are_no_positions():
    text = ("EMPLOYMENT VERIFICATION\nTemplate HR-EV-07 (rev. 2023-11)\n\nDate: 2025-03-14\n\n"
            "SECTION B - SUBSTANTIVE POSITION\nPosition title ............... Application Developer\n"
            "Effective dates .............. 2019-06-03 to present\n\nSECTION C - HOURS AND PAY\n"
            "Normal hours of work ......... 37.5 hours per week\n\nSECTION D - LEAVE\n"
            "Leave without pay ............ 2022-09-12 to 2023-03-10 (LWOP - care of pre-school aged children)\n\n"
            "Group and level .............. IT-02 (converted from CS-02 on 2022-06-01)\n\n"
            "Principal duties (as stated in position description PD-IT-114):\n"
            " 1. Develops and maintains the Agency's data administration standards and logical data models.\n")
    positions, texts = positions_of(text)
    assert [(p.title, p.start.value, p.current, len(duty_texts(p, texts))) for p in positions] == [
        ("Application Developer", D(2019, 6, 3), True, 1)]
    assert letter_date(parse_letter(text)) == D(2025, 3, 14)  # not the form's revision


@pytest.mark.parametrize(("text", "value"), [
    ("since August l5, 2017", D(2017, 8, 15)),   # a scanner's "l" for "1"
    ("from January l0, 2022", D(2022, 1, 10)),
    ("until 2023-09-l5", D(2023, 9, 15)),
    ("since 3 March 2O19", D(2019, 3, 3)),      # a capital O between digits
])
def test_a_scanners_letters_for_digits_are_read_in_dates(text, value):
    assert only_date(text).value == value


def test_the_fourteenth_batchs_titles_without_a_supervisor_or_the_employees_name():
    form = ("EMPLOYMENT REFERENCE FORM\nDate of letter:     November 27, 2024\nPosition title:     IT Consultant\n"
            "Start date:         August 15, 2020\nMain duties:\n- Reviews clients' IT systems and processes\n"
            "Supervisor name:    Helen Brask\nSupervisor title:   Principal Consultant\n")
    positions, _ = positions_of(form)
    assert [p.title for p in positions] == ["IT Consultant"]
    founder = ("To whom it may concern,\n\nI'm writing for Chloe Bergeron, who has been with us since May 2, 2023 as our "
               "Mobile App Developer.\nShe builds our iOS and Android app (Flutter) and fixes bugs.\n")
    assert [(p.title, p.start.value) for p in positions_of(founder)[0]] == [("Mobile App Developer", D(2023, 5, 2))]
    named = ("To whom it may concern,\n\nInes Moreau - Front-End Developer - since March 8, 2022.\n\nDuties:\n"
             "- Website layouts and mockups (Figma)\n")
    assert [p.title for p in positions_of(named)[0]] == ["Front-End Developer"]
    scanned = ("To Whom lt May Concern\n\nWe confirm that Oluwaseun Marchetti has been ernployed by Kestrel Bay Advisory "
               "Group Ltd. as an IT Consultant on a full-time basis since August l5, 2017.\n")
    assert [(p.title, p.start.value) for p in positions_of(scanned)[0]] == [("IT Consultant", D(2017, 8, 15))]
