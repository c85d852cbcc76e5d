"""Terminal rendering (rich) of match results and NOC profiles.

Letter text is always passed to rich as :class:`~rich.text.Text`, never as markup, so a letter
containing ``[bold]`` or similar prints as written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from nocmatch.checklist.completeness import Completeness
from nocmatch.config import UNIT_GROUPS
from nocmatch.results import Evidence, MatchResult, PositionMatch

if TYPE_CHECKING:  # annotations only
    from rich.console import JustifyMethod

    from nocmatch.catalog import UnitGroup

VERDICT_STYLE = {"supported": "green", "weak": "yellow", "not supported": "red"}


def _judged(result: MatchResult) -> str:
    """Which duties the letter's ranking judges, when it lists several positions."""
    if result.judged_position is not None:
        held = result.positions[result.judged_position - 1] if result.judged_position <= len(result.positions) else None
        return f" (position {result.judged_position}{', ' + held.title if held and held.title else ''}: the one held now)"
    return " (all positions together)" if len(result.positions) > 1 else ""


def ranking_table(result: MatchResult, limit: int | None = None, candidates: list | None = None,
                  title: str | None = None) -> Table:
    """The ranked codes (``candidates``: a position's, default the letter's)."""
    table = Table(title=title or f"NOC codes supported by the duties of {result.letter.name}" + _judged(result),
                  box=box.SIMPLE_HEAVY)
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("#", "right"), ("code", "left"), ("title", "left"), ("support", "right"), ("share", "right"),
        ("lead", "right"), ("duties", "right"), ("essential", "right"), ("verdict", "left"))
    for column, justify in columns:
        table.add_column(column, justify=justify, no_wrap=column != "title", ratio=1 if column == "title" else None)
    for c in (result.candidates if candidates is None else candidates)[:limit]:
        table.add_row(str(c.rank), c.code, Text(c.title), _support(c.support_probability), f"{c.confidence:.2f}",
                      f"{c.lead_statement_similarity:.2f} {'✓' if c.lead_statement_described else '✗'}",
                      f"{c.duties_evidenced}/{c.duties_total}", f"{c.essential_evidenced}/{c.essential_total}",
                      Text(c.verdict, style=VERDICT_STYLE.get(c.verdict, "")))
    return table


def _support(probability: float | None) -> str:
    return "—" if probability is None else f"{probability:.2f}"


def summary(result: MatchResult) -> Group:
    lines = []
    if result.out_of_scope:
        lines.append(Text(f"Out of scope: the duties fit {result.best_overall_code} {result.best_overall_title} "
                          "better than any candidate code", style="bold red"))
    lines.append(Text.assemble(("Best candidate: " if result.out_of_scope else "Best code: ", "bold"),
                               f"{result.best_code} {result.best_title}",
                               (f"  ({result.best.verdict}; chance a reviewer calls it supported "
                                f"{_support(result.best.support_probability)}, share among candidates "
                                f"{result.best.confidence:.2f})", "dim")))
    if result.letter.title:
        tc = result.title_check
        lines.append(Text(f"Stated title: {result.letter.title}" +
                          (f" → NOC example title '{tc.example_title}' ({tc.code})" if tc.code else
                           " → no close NOC example title")))
    lines.append(Text(f"Best of all {UNIT_GROUPS} unit groups: {result.best_overall_code} {result.best_overall_title}"))
    if (line := position_line(result)) is not None:
        lines.append(line)
    if result.needs_review:
        lines.append(Text("Needs review: " + "; ".join(result.review_reasons), style="yellow"))
    for warning in result.warnings:
        if warning.kind != "needs_review":
            lines.append(Text(f"⚠ {warning.kind}: {warning.message}", style="yellow"))
    return Group(*lines)


def evidence_table(evidence: Evidence) -> Group:
    head = Text.assemble((f"{evidence.code} {evidence.title}\n", "bold"), ("Lead statement: ", "bold"),
                         evidence.lead_statement,
                         (f"  (similarity to the letter {evidence.lead_statement_similarity:.2f})", "dim"))
    table = Table(box=box.SIMPLE, show_lines=False, title="Main duties and the letter sentences that evidence them")
    table.add_column("#", justify="right")
    table.add_column("official duty", ratio=3)
    table.add_column("letter clause", ratio=3)
    table.add_column("p", justify="right")
    table.add_column("", justify="left")
    for row in evidence.duties:
        duty = Text(row.duty + (" (optional)" if row.optional else ""))
        if row.sub_occupation:
            duty = Text.assemble((f"[{row.sub_occupation}] ", "dim"), duty)
        status = Text("✓ evidenced", style="green") if row.evidenced else Text("✗ missing", style="red")
        shown = row.probability if row.probability is not None else row.similarity
        table.add_row(str(row.position), duty, Text(row.unit or row.sentence or "—"), f"{shown:.2f}", status)
    parts: list[RenderableType] = [Panel(head), table]
    if evidence.unmatched_sentences:
        parts.append(Text("Letter sentences that evidence none of these duties:", style="bold"))
        parts.extend(Text(f"  • {item['text']}") for item in evidence.unmatched_sentences)
    return Group(*parts)


STATUS_MARK = {"present": ("✓", "green"), "missing": ("✗", "red"), "ambiguous": ("?", "yellow")}
FOUND_CHARS = 90


def _found(found: list[str]) -> str:
    text = "; ".join(found)
    return text if len(text) <= FOUND_CHARS else text[:FOUND_CHARS - 1] + "…"


def completeness_table(completeness: Completeness, title: str = "Letter completeness (IRCC reference-letter contents)") -> Group:
    """``nocmatch check``: every element with its status, the text found and why."""
    table = Table(box=box.SIMPLE, title=title, title_justify="left")
    for column, ratio in (("", None), ("element", 2), ("found in the letter", 4), ("note", 3)):
        table.add_column(column, ratio=ratio, no_wrap=ratio is None, overflow="fold")
    for item in completeness.items:
        mark, style = STATUS_MARK[item.status]
        table.add_row(Text(f"{mark} {item.status}", style=style), Text(item.label), Text(_found(item.found)),
                      Text(item.note, style="dim"))
    return Group(table, *completeness_flags(completeness))


def completeness_flags(completeness: Completeness) -> list[Text]:
    return [Text(f"⚠ {flag.kind}: {flag.message}", style="yellow") for flag in completeness.flags]


def completeness_summary(completeness: Completeness) -> Group:
    """The checklist in ``nocmatch match``: one line, then only what is missing or ambiguous."""
    present = sum(i.status == "present" for i in completeness.items)
    lines = [Text.assemble(("Letter completeness: ", "bold"), f"{present}/{len(completeness.items)} elements present"
                           " (nocmatch check LETTER lists them all)")]
    for item in completeness.items:
        if item.status != "present":
            mark, style = STATUS_MARK[item.status]
            detail = item.note + (f" (found: {_found(item.found)})" if item.found else "")
            lines.append(Text.assemble((f"  {mark} {item.status}: ", style), (item.label, "bold"), f" — {detail}"))
    return Group(*lines, *completeness_flags(completeness))


def dates_of(position: PositionMatch) -> str:
    """"2017-08-14 – 2020-03-31", "2020-04-01 – present (to the letter date 2024-06-03)", "no dates"."""
    if not (position.start or position.end):
        return "no dates"
    counted = "the letter date" if position.counted_to == "letter date" else "today"
    end = (f"present (counted to {counted}, {position.end})" if position.current and position.end
           else position.end or "?")
    return f"{position.start or '?'} – {end}"


def position_notes(position: PositionMatch) -> list[str]:
    """A position's notes but the date a current position is counted to (its dates say it)."""
    return [note for note in position.notes if not (position.current and "counted to" in note)]


def months_of(position: PositionMatch) -> str:
    if position.months is None:
        return "—"
    return (f"{position.months}" if position.fte_months in (None, float(position.months))
            else f"{position.months} ({position.fte_months:g} full-time)")


#: Said wherever a letter's positions are shown: they are read from the letter's layout, and on letters
#: written blind to nocmatch about half of those with several positions needed a correction
#: (benchmarks/positions.py).
POSITIONS_CAUTION = ("Positions and dates are read from the letter's layout: check them against the letter "
                     "(on unseen letters, about half of those with several positions needed a correction).")


def positions_table(result: MatchResult) -> Group:
    """The letter's positions, each with its dates, months and the code its own duties support."""
    table = Table(title="Positions in the letter (each matched on its own duties)", box=box.SIMPLE_HEAVY,
                  title_justify="left")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("#", "right"), ("title", "left"), ("dates", "left"), ("months", "right"), ("best code", "left"),
        ("support", "right"), ("verdict", "left"))
    for column, justify in columns:
        table.add_column(column, justify=justify, ratio=2 if column in ("title", "best code") else None,
                         overflow="fold")
    for p in result.positions:
        code = (f"out of scope: {p.best_overall_code} {p.best_overall_title}" if p.out_of_scope
                else f"{p.best_code} {p.best_title}" if p.best_code else "— (no duties of its own)")
        table.add_row(str(p.index), Text(p.title or "(untitled)"), dates_of(p), months_of(p), Text(code),
                      _support(p.support_probability), Text(p.verdict or "—", style=VERDICT_STYLE.get(p.verdict or "", "")))
    lines: list[RenderableType] = [table]
    for p in result.positions:
        lines += [Text(f"  position {p.index}: {note}", style="dim") for note in position_notes(p)]
    return Group(*lines, *experience_lines(result), Text(POSITIONS_CAUTION, style="dim"))


def experience_lines(result: MatchResult) -> list[Text]:
    """Months per code across the positions, and those of the claimed code."""
    summary_ = result.experience
    if summary_ is None:
        return []
    per_code = "; ".join(f"{c.code} {c.months if c.months is not None else '?'} months"
                         f" (position{'s' if len(c.positions) > 1 else ''} {', '.join(map(str, c.positions))})"
                         for c in summary_.by_code)
    claimed = summary_.claimed
    lines = [Text.assemble(("Experience by code: ", "bold"), per_code or "—"),
             Text.assemble((f"Months in {summary_.claimed_code} (claimed): ", "bold"),
                           f"{claimed.months if claimed.months is not None else '?'} calendar"
                           + (f", {claimed.fte_months:g} full-time" if claimed.fte_months is not None else "")
                           + (f", from position{'s' if len(claimed.positions) > 1 else ''} "
                              f"{', '.join(map(str, claimed.positions))}" if claimed.positions else ""))]
    lines += [Text(f"⚠ {note}", style="yellow") for note in summary_.notes]
    return lines


def position_line(result: MatchResult) -> Text | None:
    """The one position of a one-position letter: its dates and months."""
    if len(result.positions) != 1:
        return None
    p = result.positions[0]
    return Text.assemble(("Position: ", "bold"), f"{p.title or '(untitled)'}, {dates_of(p)}",
                         f", {months_of(p)} months" if p.months is not None else "",
                         (f"  ({'; '.join(p.notes)})" if p.notes else "", "dim"))


def render_position(console: Console, result: MatchResult, number: int, *, limit: int | None = None) -> None:
    """``--position N``: one position's ranking and the duty-by-duty evidence of its code."""
    position = result.positions[number - 1]
    console.print(Text.assemble((f"Position {position.index}: {position.title or '(untitled)'}", "bold"),
                                f"  {dates_of(position)}, {months_of(position)} months"))
    for note in position_notes(position):
        console.print(Text(f"  {note}", style="dim"))
    if not position.candidates:
        console.print(Text("This position lists no duties of its own: it has no code to give.", style="yellow"))
        return
    table = ranking_table(result, limit, position.candidates,
                          f"NOC codes supported by the duties of position {position.index}")
    console.print(table)
    for warning in position.warnings:
        console.print(Text(f"⚠ {warning.kind}: {warning.message}", style="yellow"))
    if position.evidence is not None:
        console.print(evidence_table(position.evidence))


def render_match(console: Console, result: MatchResult, *, evidence: bool = False, limit: int | None = None) -> None:
    if len(result.positions) > 1:
        console.print(positions_table(result))
    console.print(ranking_table(result, limit))
    hidden = len(result.candidates) - min(limit or len(result.candidates), len(result.candidates))
    if hidden:
        console.print(Text(f"… and {hidden} more codes not shown (--top N shows more; --json lists all "
                           f"{len(result.candidates)})", style="dim"))
    console.print(Text("support = chance a careful reviewer calls the code supported (learned from reviewers' "
                       "verdicts); share = the code's share of the score among the candidates, not a probability; "
                       "lead = similarity of the letter to the lead statement (✓ described); duties = main duties "
                       "evidenced / listed", style="dim"))
    console.print(summary(result))
    if result.completeness is not None:
        console.print(completeness_summary(result.completeness))
    if evidence:
        console.print()
        console.print(evidence_table(result.evidence))


def profile(unit: UnitGroup) -> Group:
    """``nocmatch show``: everything an officer reads about one unit group."""
    out = [Text(f"{unit.code} {unit.title}", style="bold"),
           Text(f"TEER {unit.teer} · broad category {unit.hierarchy['broad']}"),
           Text(" › ".join(unit.hierarchy[k] for k in ("major", "sub_major", "minor")), style="dim"),
           Text.assemble(("\nLead statement\n", "bold"), unit.lead_statement),
           Text("\nMain duties", style="bold")]
    heading = None
    for duty in unit.duties:
        if duty.sub_occupation and duty.sub_occupation != heading:
            heading = duty.sub_occupation
            out.append(Text(f"  {heading}", style="italic"))
        out.append(Text(f"  {duty.position:>2}. {duty.text}" + ("  (optional: 'May')" if duty.optional else "")))
    out.append(Text.assemble(("\nIllustrative titles: ", "bold"), ", ".join(unit.illustrative_titles)))
    extra = [t for t in unit.example_titles if t not in unit.illustrative_titles]
    if extra:
        out.append(Text.assemble((f"All examples ({len(unit.example_titles)}): ", "bold"), ", ".join(extra)))
    for label, notes in (("Inclusions", unit.inclusions), ("Exclusions", unit.exclusions),
                         ("Employment requirements", unit.requirements), ("Additional information", unit.additional)):
        if notes:
            out.append(Text(f"\n{label}", style="bold"))
            out.extend(Text(f"  • {n.text}") for n in notes)
    return Group(*out)
