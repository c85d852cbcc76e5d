"""Months of experience per NOC code across a letter's positions (IRCC counts work in the claimed code).

Each position gives whole calendar months from its start to its end (:func:`nocmatch.letter.positions.experience`);
the positions matched to one code are added with their dates merged, so that two overlapping positions
are not counted twice. A position without both dates adds nothing: it is listed as undated, not guessed.
"""

from __future__ import annotations

import datetime
from typing import Callable

from nocmatch.letter.dates import whole_months
from nocmatch.letter.positions import Experience
from nocmatch.results import CodeMonths, ExperienceSummary


def _counted(e: Experience) -> tuple[datetime.date, datetime.date, int, float] | None:
    """A position's dates, months and full-time months, when its months were counted (both dates known)."""
    if e.start is None or e.end is None or e.months is None or e.fte_months is None:
        return None
    return e.start, e.end, e.months, e.fte_months


def merged_months(periods: list[tuple[datetime.date, datetime.date]]) -> int:
    """Whole months of the union of ``periods`` (start, end day included): overlaps count once."""
    total, current = 0, None
    for start, end in sorted(periods):
        if current and start <= current[1] + datetime.timedelta(days=1):
            current = (current[0], max(current[1], end))
            continue
        if current:
            total += whole_months(*current)
        current = (start, end)
    return total + (whole_months(*current) if current else 0)


def code_months(code: str, title: str, held: list[tuple[int, Experience]]) -> CodeMonths:
    """The months one code gets from the positions ``held`` (``(index, experience)`` pairs matched to it)."""
    dated = [counted for _, e in held if (counted := _counted(e)) is not None]
    if not dated:
        return CodeMonths(code, title, None if held else 0, None if held else 0.0, [i for i, _ in held])
    months = merged_months([(start, end) for start, end, _, _ in dated])
    # part-time months are added pro rata; overlapping positions cannot give more than the calendar allows
    part_time = any(fte < whole for _, _, whole, fte in dated)
    fte = min(round(sum(fte for _, _, _, fte in dated), 1), float(months)) if part_time else float(months)
    return CodeMonths(code, title, months, fte, [i for i, _ in held])


def summarize(matched: list[tuple[int, str | None, Experience]], claimed_code: str, title_of: Callable[[str], str],
              letter_dated: datetime.date | None, counted_to: datetime.date,
              overlapping: list[tuple[int, int]]) -> ExperienceSummary:
    """Months per code of ``matched`` positions (``(index, best code or None, experience)``, 1-based
    indices) and the months of ``claimed_code``."""
    by_code: dict[str, list[tuple[int, Experience]]] = {}
    for index, code, exp in matched:
        if code is not None:
            by_code.setdefault(code, []).append((index, exp))
    rows = [code_months(code, title_of(code), held) for code, held in by_code.items()]
    claimed = next((r for r in rows if r.code == claimed_code), None) or code_months(claimed_code, title_of(claimed_code), [])
    undated = [index for index, _, exp in matched if exp.months is None]
    notes = []
    if undated:
        notes.append(f"position(s) {', '.join(map(str, undated))} without both dates: their months are not counted")
    if overlapping:
        pairs = ", ".join(f"{a} and {b}" for a, b in overlapping)
        notes.append(f"positions {pairs} overlap: the months of a code count the overlap once")
    if not claimed.positions:
        notes.append(f"no position's duties are best matched to {claimed_code}: no months qualify for it")
    return ExperienceSummary(letter_date=letter_dated.isoformat() if letter_dated else None,
                             counted_to=counted_to.isoformat(), by_code=rows, claimed_code=claimed_code,
                             claimed=claimed, overlaps=[list(p) for p in overlapping], undated=undated, notes=notes)
