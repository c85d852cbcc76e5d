"""Text pasted from a PDF: words broken by a hyphen at a line's end, and page breaks' running headers
and footers in the middle of the duties (nocmatch.letter.pages)."""

from __future__ import annotations

import pytest

from nocmatch.letter import parse_letter
from nocmatch.letter.pages import english_words, join_lines, reading_order
from nocmatch.letter.positions import find_positions

#: A letter as it comes out of a two-page PDF: justified lines broken inside words, page 1's footer
#: and page 2's header in the middle of a duty, and page 2's footer after the signature.
PDF_PASTE = """\
NORTHWIND LOGISTICS PVT. LTD.
Plot 14, Sector 62, Noida, Uttar Pradesh 201301, India

12 March 2025

TO WHOM IT MAY CONCERN

This is to certify that Mr. Arjun Mehta was employed with Northwind Logis-
tics Pvt. Ltd. as a Software Developer from 01 July 2019 to 28 Feb-
ruary 2025 on a full-time basis (45 hours per week).

His main responsibilities were:

1. Writing unit and integration tests with JUnit and fixing de-
   fects reported by the QA team.
2. Maintaining the existing route module to im-
   prove performance and providing support for tickets es-

Northwind Logistics Pvt. Ltd. | www.northwind.example | +91 120 555 0199
Page 1 of 2

   calated from the service desk.
3. Preparing technical documentation and release notes for every sprint.

We wish him all the best in his future endeavours.

Priya Sharma
Head - Human Resources
Page 2 of 2
"""


@pytest.mark.parametrize(("lines", "joined"), [
    (["develop deploy-", "ment tooling"], "develop deployment tooling"),   # a word broken in two
    (["from 28 Feb-", "ruary 2025"], "from 28 February 2025"),
    (["route optim-", "isation"], "route optimisation"),                 # neither half is a word
    (["on a full-", "time basis"], "on a full-time basis"),              # a compound keeps its hyphen
    (["after go-", "live;"], "after go-live;"),
    (["Cisco switches, SD-", "WAN links"], "Cisco switches, SD-WAN links"),
    (["from 2019-", "2024"], "from 2019-2024"),
    (["patching -", "firewall rules"], "patching - firewall rules"),      # a dash, not a broken word
    (["Writing tests", "and fixing defects"], "Writing tests and fixing defects"),
])
def test_lines_are_joined_and_a_word_broken_at_the_end_of_a_line_is_made_whole(lines, joined):
    assert join_lines(lines) == joined


def test_the_word_list_is_the_default_models_whole_words():
    words = english_words()
    assert len(words) > 20_000
    assert {"deployment", "february", "escalated", "time"} <= words
    assert not {"fulltime", "ment", "ruary"} & words


def test_a_page_break_inside_a_duty_is_left_out_and_the_duty_joined_again():
    lines = PDF_PASTE.split("\n")
    order = reading_order(lines)
    texts = [line for _, line in order]
    assert "Page 1 of 2" not in texts
    assert not any("www.northwind.example" in line for line in texts)
    assert "Page 2 of 2" in texts  # the last page's footer is the letter's own: it stays
    broken = texts.index("   prove performance and providing support for tickets es-")
    assert texts[broken + 1] == "   calated from the service desk."  # no paragraph break between them
    assert all(lines[number - 1] == line for number, line in order if line)  # line numbers are the letter's


def test_a_letter_pasted_from_a_pdf_reads_as_the_letter_it_prints():
    parsed = parse_letter(PDF_PASTE)
    assert [s.text for s in parsed.duties] == [
        "Writing unit and integration tests with JUnit and fixing defects reported by the QA team.",
        "Maintaining the existing route module to improve performance and providing support for tickets "
        "escalated from the service desk.",
        "Preparing technical documentation and release notes for every sprint.",
    ]
    positions = find_positions(parsed)
    assert [(str(p.start.value), str(p.end.value)) for p in positions] == [("2019-07-01", "2025-02-28")]


def test_a_letter_without_page_numbers_keeps_its_lines_as_they_are():
    lines = PDF_PASTE.replace("Page 1 of 2", "").replace("Page 2 of 2", "").split("\n")
    assert reading_order(lines) == list(enumerate(lines, start=1))


def test_a_running_header_after_blank_lines_and_a_continued_mark_is_left_out():
    # the fourteenth blind batch's PDF pastes: blank lines between the page number and the next page's header,
    # a header marked "(continued)", a footer of dotted items and a German "Seite 2"
    text = ("To Whom It May Concern:\n\nHe directed the replacement of our container-tracking platform, and both\n"
            "projects were\n\nPage 1 of 3                                         Confidential\n\n\n"
            "HALVORSEN MARITIME LOGISTICS INC. – 2200 Barrington Street, Suite 900, Halifax, NS  B3J 3K1\n"
            "Re: T. Okonkwo-Reyes – employment verification (continued)\n\n"
            "delivered on schedule and within budget.\n\n"
            "He advises our clients regarding sample size, weighting\n\nSeite 2 von 3 / Page 2 of 3\n"
            "Meridian Opinion Research GmbH · Geschäftsführer: J. Lindemann · Amtsgericht Hamburg HRB 555012\n\n"
            "Arbeitszeugnis T. Okonkwo-Reyes – Seite 3\n\n"
            "schemes and the interpretation of margins of error.\n\nSincerely,\nAnna Weber\n")
    texts = [line for _, line in reading_order(text.split("\n"))]
    assert not any("continued" in line or "Geschäftsführer" in line or "Seite 3" in line for line in texts)
    assert [s.text for s in parse_letter(text).duties] == [
        "He directed the replacement of our container-tracking platform, and both projects were delivered on schedule "
        "and within budget.",
        "He advises our clients regarding sample size, weighting schemes and the interpretation of margins of error."]
