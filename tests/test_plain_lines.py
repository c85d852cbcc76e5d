"""Duties written one a line, with no bullets and no full stops, are one unit each."""

from __future__ import annotations

from nocmatch.letter.segment import segment

LINES_LETTER = """Kowalski & Brandt LLP

This confirms that Mr. Viktor Horvath has been our Systems Administrator since January 15, 2019.

Maintains and troubleshoots office LAN/WAN for 3 offices
Installs and configures servers, workstations, printers, software
Windows Server / Active Directory / Microsoft 365 admin
Monitors network and server performance (PRTG)

Heather Brandt, Managing Partner
"""


def test_a_paragraph_of_short_capitalised_lines_is_a_list():
    texts = [u.text for u in segment(LINES_LETTER)]
    assert "Maintains and troubleshoots office LAN/WAN for 3 offices" in texts
    assert "Windows Server / Active Directory / Microsoft 365 admin" in texts
    assert "Monitors network and server performance (PRTG)" in texts


def test_wrapped_prose_stays_one_sentence():
    prose = ("This will confirm that Arjun Malhotra has been continuously employed with Ridgeback Mutual\n"
             "Insurance Company on a permanent full-time basis (37.5 hours per week) since August 14, 2017.\n"
             "He has held the following positions:\n")
    assert [u.text for u in segment(prose)][0].startswith("This will confirm that Arjun Malhotra has been "
                                                          "continuously employed with Ridgeback Mutual Insurance")


def test_noc_duties_pasted_as_plain_lines_are_caught_by_the_copy_check(matcher):
    duties = [d["text"] for d in matcher.catalog.unit("21231").to_dict()["duties"] if not d["optional"]]
    letter = ("To whom it may concern,\n\nJane Roe has been employed as a Software Engineer since 2019.\n"
              "Her duties are:\n\n" + "\n".join(duties) + "\n\nSincerely,\nJohn Roe\n")
    result = matcher.match(letter)
    assert result.letter.duty_sentences == duties
    copy = next(w for w in result.warnings if w.kind == "verbatim_copy")
    assert copy.message.startswith(f"{len(duties)} of {len(duties)} duty sentences")
