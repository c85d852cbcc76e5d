"""The letter's layout (letterhead / body / signature), worked out once per parsed letter."""

from __future__ import annotations

from conftest import LETTERS

from nocmatch.checklist.completeness import check_completeness
from nocmatch.letter import parse_letter
from nocmatch.letter.layout import letter_layout

WITH_CUES = """Northwind Analytics Inc.
200 King Street West, Toronto, ON M5H 3T4

March 3, 2025

To whom it may concern,

Ms. Priya Nair has worked at Northwind Analytics as a Data Scientist since May 2019.
She builds forecasting models in Python and presents the results to managers.

Sincerely,

Jordan Lee
Director, Engineering
"""

WITHOUT_CUES = """Northwind Analytics
200 King Street West
Toronto, ON M5H 3T4

Ms. Priya Nair has worked at Northwind Analytics as a Data Scientist since May 2019.
She builds forecasting models in Python and presents the results to managers.

Jordan Lee

Director, Engineering
"""


def _texts(sentences) -> list[str]:
    return [s.text for s in sentences]


def test_the_greeting_and_the_closing_bound_the_body():
    layout = parse_letter(WITH_CUES).layout
    assert "Northwind Analytics Inc." in _texts(layout.header)
    assert any("Data Scientist since May 2019" in t for t in _texts(layout.body))
    assert "Jordan Lee" in _texts(layout.signature) and "Director, Engineering" in _texts(layout.signature)
    assert not set(_texts(layout.header)) & set(_texts(layout.signature))


def test_without_a_name_at_the_end_the_shape_alone_finds_the_signature_block():
    parsed = parse_letter(WITHOUT_CUES.replace("Jordan Lee\n", "HR\n"))
    assert _texts(parsed.layout.signature) == ["HR", "Director, Engineering"]
    assert all(s.kind != "signature" for s in parsed.sentences)  # the shape found it, not a cue


def test_without_greeting_or_closing_the_short_lines_at_each_end_are_the_blocks():
    parsed = parse_letter(WITHOUT_CUES)
    layout = parsed.layout
    assert _texts(layout.header)[:3] == ["Northwind Analytics", "200 King Street West", "Toronto, ON M5H 3T4"]
    assert _texts(layout.signature) == ["Jordan Lee", "Director, Engineering"]  # back to the last full sentence
    # the person's name at the end marks the block for the classifier too: its lines are never scored
    assert [s.text for s in parsed.sentences if s.kind == "signature"] == ["Jordan Lee", "Director, Engineering"]
    body = _texts(layout.body)
    assert any("Data Scientist since May 2019" in t for t in body) and "Jordan Lee" not in body
    # every sentence is in exactly one part, in order
    parts = layout.header + layout.body + layout.signature
    assert sorted(s.index for s in parts) == [s.index for s in parsed.sentences]


def test_the_layout_is_computed_once_and_is_what_the_completeness_checks_read(monkeypatch):
    import nocmatch.letter.classify as classify
    calls = []
    monkeypatch.setattr(classify, "letter_layout", lambda sentences: calls.append(1) or letter_layout(sentences))
    parsed = parse_letter((LETTERS / "l01_senior-swe-dept-head.txt").read_text(encoding="utf-8"))
    completeness = check_completeness(parsed)
    check_completeness(parsed)
    assert len(calls) == 1
    signer = completeness.item("signer_name")
    assert signer.status == "present"
    assert any(name in " ".join(_texts(parsed.layout.signature)) for name in signer.found)
