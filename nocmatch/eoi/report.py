"""Terminal rendering (rich) of EOI results: the breakdown, draw facts, relocation, the letter's code."""

from __future__ import annotations

from rich import box
from rich.console import Console, JustifyMethod
from rich.table import Table
from rich.text import Text

from nocmatch.eoi.results import EoiReport, EoiScore, Relocation


def breakdown_table(result: EoiScore, title: str | None = None) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAVY, title_justify="left")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("factor", "left"), ("answer", "left"), ("band", "left"), ("points", "right"), ("max", "right"),
        ("confidence", "left"))
    for column, justify in columns:
        table.add_column(column, justify=justify, ratio=2 if column in ("answer", "band") else None,
                         no_wrap=column in ("points", "max"))
    for line in result.factors:
        table.add_row(Text(line.label), Text(line.answer), Text(line.band), str(line.points), str(line.max),
                      Text(line.confidence, style="dim"))
    table.add_section()
    table.add_row(Text("Total", style="bold"), "", "", Text(str(result.total), style="bold"), str(result.maximum), "")
    return table


def heading(result: EoiScore) -> Text:
    until = f" to {result.grid_effective_to}" if result.grid_effective_to else ""
    status = "current" if result.grid_status == "current" else f"{result.grid_status}, legacy"
    text = Text.assemble((f"OINP EOI points — grid {result.grid}", "bold"),
                         f" ({status}; in force {result.grid_effective_from}{until}) · stream {result.stream}: "
                         f"{result.stream_name}")
    return text


def facts(result: EoiScore) -> list[Text]:
    lines = []
    if occ := result.occupation:
        lines.append(Text(f"NOC {occ.code} {occ.title} — TEER {occ.teer}, broad category {occ.category} "
                          f"({occ.category_title}); from the NOC catalog, code from the {occ.source}"))
    if result.wage and result.wage.given == "annual":
        lines.append(Text(f"Hourly wage: {result.wage.formula}"))
    if place := result.location:
        lines.append(Text(f"Job location: {place.query} → {place.municipality} ({place.csd_type}, CSD {place.csd_code}) "
                          f"→ census division {place.cd_name} ({place.cd_code}) → {place.region}"))
    return lines


def uncertain_lines(result: EoiScore) -> list[Text]:
    if not result.uncertain:
        return [Text("Relied on no UNCERTAIN setting.", style="dim")]
    lines = [Text("UNCERTAIN settings this total relied on (change them under [settings] in the profile):", style="bold")]
    for fact in result.uncertain:
        default = " (spec default)" if fact.value == fact.default else f" (spec default {fact.default})"
        effect = "; ".join(f"with {alt}: total {total}" + (" (no change)" if total == result.total else "")
                           for alt, total in fact.total_if.items())
        lines.append(Text(f"  • {fact.name} = {str(fact.value).lower() if isinstance(fact.value, bool) else fact.value}"
                          f"{default} — {fact.description}" + (f" [{effect}]" if effect else "")))
    return lines


def render_score(console: Console, result: EoiScore, title: str | None = None) -> None:
    console.print(heading(result))
    for line in facts(result):
        console.print(line)
    console.print(breakdown_table(result, title))
    console.print(Text(f"Maximum {result.maximum}: {result.maximum_note}", style="dim"))
    for line in uncertain_lines(result):
        console.print(line)


def relocation_table(report: EoiReport) -> Table:
    current = report.score
    where = current.location.municipality if current.location else "?"  # relocation needs a scored job location
    table = Table(title=f"If the job were elsewhere ({current.grid} {current.stream}; now {current.total} in "
                        f"{where})", box=box.SIMPLE_HEAVY, title_justify="left")
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("place", "left"), ("census division", "left"), ("region", "left"), ("regional", "right"),
        ("total", "right"), ("change", "right"), ("draw cut-off", "left"))
    for column, justify in columns:
        table.add_column(column, justify=justify)
    for row in report.relocation or []:
        table.add_row(Text(row.place.municipality), Text(row.place.cd_name), Text(row.region),
                      str(row.regional_points), str(row.total), f"{row.change:+d}", draw_cell(row))
    return table


def draw_cell(row: Relocation) -> Text:
    if row.draw is None:
        return Text("no cut-off on this scale", style="dim")
    d = row.draw
    verdict = Text("clears" if d.clears else "below", style="green" if d.clears else "red")
    return Text.assemble(verdict, f" {d.min_score} ({d.date}, {d.targeting}{', maybe' if d.applies == 'maybe' else ''})")


def _sureness(support: float | None, share: float | None) -> str:
    """"support 0.96, share 1.00, " — the chance a reviewer calls the code supported, then its share."""
    parts = ([f"support {support:.2f}"] if support is not None else []) + (
        [f"share {share:.2f}"] if share is not None else [])
    return "".join(f"{part}, " for part in parts)


def print_eoi_report(console: Console, report: EoiReport) -> None:
    if letter := report.letter:
        conf = _sureness(letter.support_probability, letter.confidence)
        console.print(Text.assemble(("Letter: ", "bold"), f"{letter.name} → NOC {letter.code} {letter.title} "
                                    f"({conf}{letter.verdict})"))
        if letter.needs_review:
            console.print(Text("Needs review: " + "; ".join(letter.review_reasons), style="yellow"))
    render_score(console, report.score)
    if report.runner_up and (letter := report.letter):  # a runner-up is scored for a letter's code only
        conf = _sureness(letter.runner_up_support_probability, letter.runner_up_confidence)
        console.print(Text(f"\nThe code is not certain: runner-up NOC {letter.runner_up_code} "
                           f"({conf}{letter.runner_up_verdict}) would score {report.runner_up.total} / "
                           f"{report.runner_up.maximum} ({report.runner_up.total - report.score.total:+d})",
                           style="bold yellow"))
        console.print(breakdown_table(report.runner_up, title=f"Runner-up NOC {letter.runner_up_code}"))
    console.print(Text("\nDraw cut-offs: " + report.draws_note, style="bold"))
    for d in report.draws:
        verdict = "clears" if d.clears else "is below"
        maybe = " (may not apply: its occupation list is not in the spec)" if d.applies == "maybe" else ""
        console.print(Text(f"  • {d.date} {d.grid} {d.stream}, {d.targeting}: cut-off {d.min_score}, "
                           f"this total {verdict} it ({d.margin:+d}){maybe}"))
    if report.hcp:
        console.print(Text("Express Entry: " + report.hcp.summary))
    if report.relocation is not None:
        console.print(relocation_table(report))
        for row in report.relocation:
            if row.place.note:
                console.print(Text(f"  {row.place.query}: {row.place.note}", style="dim"))
    for note in report.score.notes:
        console.print(Text(f"note: {note}", style="dim"))
