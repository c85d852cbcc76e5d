"""The ``nocmatch`` command: a thin typer layer over the library API."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from nocmatch.config import DEFAULT_MODEL
from nocmatch.eoi.cli import eoi_command
from nocmatch.errors import NocmatchError
from nocmatch.present.console import err, out

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Which NOC 2021 code do a reference letter's duties support? With the evidence.")

ModelOption = typer.Option(DEFAULT_MODEL, "--model", help="sentence-transformers model name or local path")
DataOption = typer.Option(None, "--data-dir", help="catalog folder (default: data/noc2021)")
ModelsOption = typer.Option(None, "--models-dir", help="embedding cache folder (default: models/)")


def flag(name: str, help: str):
    """An on/off option (shown without a value type in the help)."""
    return typer.Option(False, name, help=help, metavar="")


AllCodesOption = flag("--all", "rank every NOC unit group, not just the 11 tech codes (prints the best 15; --top N)")
JsonOption = flag("--json", "machine-readable output (stable keys)")


@app.command()
def ingest(
    source: Optional[str] = typer.Option(None, "--source", help="folder with the two NOC 2021 CSVs, or a base URL"),
    data_dir: Optional[Path] = DataOption,
    models_dir: Optional[Path] = ModelsOption,
    model: str = ModelOption,
    as_json: bool = flag("--json", "print the ingest report as JSON"),
) -> None:
    """Parse the official NOC 2021 tables into a catalog and embed it."""
    from nocmatch.ingest import ingest as run_ingest

    report = run_ingest(source, data_dir, models_dir, model, progress=not as_json and sys.stderr.isatty())
    if as_json:
        out.print_json(json.dumps(report.to_dict()))
        return
    counts = report.counts
    out.print(f"catalog: {counts['unit_groups']} unit groups, {counts['duties']} main duties, "
              f"{counts['titles']} example titles → {report.catalog_folder}")
    out.print(f"embeddings ({report.model}): {'built' if report.embeddings_rebuilt else 'reused'} → "
              f"{report.embeddings_path}  [{report.seconds:.1f} s]")
    out.print(f"letters will be embedded with: {report.runtime}")


@app.command("train-evidence")
def train_evidence(
    labels: Optional[Path] = typer.Option(None, "--labels", help="the duty-label folder (default: the repository's "
                                                                  "benchmarks/data/duty_labels)"),
    data_dir: Optional[Path] = DataOption,
    models_dir: Optional[Path] = ModelsOption,
    model: str = ModelOption,
) -> None:
    """Fit the duty-evidence and support models from the labelled letters (cached; refit when labels change)."""
    from nocmatch.config import default_models_dir
    from nocmatch.engine.duty_training import default_labels_dir, ensure_models
    from nocmatch.errors import InputError
    from nocmatch.matcher import Matcher

    labels = labels or default_labels_dir()
    if labels is None or not labels.is_dir():
        raise InputError("no duty-label folder: pass --labels DIR (the repository's benchmarks/data/duty_labels)")
    matcher = Matcher.build(data_dir, models_dir, model)
    path = ensure_models(matcher, Path(models_dir) if models_dir else default_models_dir(), labels,
                         progress=sys.stderr.isatty())
    assert path is not None  # labels were given: the model is fitted when not cached
    provenance = json.loads(path.read_text()).get("provenance", {})
    out.print(f"duty-evidence model: {provenance.get('duty_rows', '?')} labelled duties, "
              f"{provenance.get('codes', '?')} letter–code verdicts → {path}")


@app.command()
def match(
    letter: str = typer.Argument(..., metavar="LETTER", help="letter file (.txt, .docx, .pdf), or - for standard input"),
    evidence: bool = flag("--evidence", "show the duty-by-duty evidence"),
    code: Optional[str] = typer.Option(None, "--code", help="code whose evidence to show (default: the best)"),
    as_json: bool = JsonOption,
    all_codes: bool = AllCodesOption,
    top: Optional[int] = typer.Option(None, "--top", min=1, help="rows of the ranking to print"),
    position: Optional[int] = typer.Option(None, "--position", min=1,
                                           help="show position N's own ranking and duty-by-duty evidence"),
    data_dir: Optional[Path] = DataOption,
    models_dir: Optional[Path] = ModelsOption,
    model: str = ModelOption,
) -> None:
    """Rank NOC codes by how well the letter's duties support them (and each position's, when it lists several)."""
    from nocmatch.letter.readers import read_letter
    from nocmatch.matcher import Matcher
    from nocmatch.present.report import render_match, render_position

    matcher = Matcher.load(data_dir, models_dir, model)
    text, name = read_letter(letter)  # imports spaCy while the model loads in the background
    result = matcher.match(text, candidates="all" if all_codes else None, evidence_code=code, name=name)
    if position is not None and position > len(result.positions):
        from nocmatch.errors import InputError
        raise InputError(f"--position {position}: the letter lists {len(result.positions)} position(s)")
    if as_json:
        sys.stdout.write(result.to_json() + "\n")
    elif position is not None:
        render_position(out, result, position, limit=top or (15 if all_codes else None))
    else:
        render_match(out, result, evidence=evidence or code is not None,
                     limit=top or (15 if all_codes else None))


@app.command()
def batch(
    source: Path = typer.Argument(..., metavar="SOURCE", help="a folder of letters, or a .csv / .parquet / .jsonl table"),
    out: Path = typer.Option(..., "--out", help="results file: .csv, .jsonl or .parquet"),
    text_column: str = typer.Option("text", "--text-column", help="column holding the letter (tables)"),
    id_column: Optional[str] = typer.Option(None, "--id-column", help="column holding the letter id (tables)"),
    globs: Optional[list[str]] = typer.Option(
        None, "--glob", metavar="PATTERN",
        help="also read folder files matching PATTERN, e.g. '*.md' (repeatable; .txt, .docx, .pdf always)"),
    full: bool = flag("--json", "add the full match result to every row"),
    all_codes: bool = AllCodesOption,
    by_position: bool = flag("--by-position", "one row per position of each letter (title, dates, months, "
                                              "the code of its own duties) instead of one per letter"),
    force: bool = flag("--force", "replace an output written by another run"),
    data_dir: Optional[Path] = DataOption,
    models_dir: Optional[Path] = ModelsOption,
    model: str = ModelOption,
) -> None:
    """Classify many letters: one row per letter (or per position); resumable; bad letters become error rows.

    Exit code 0 when every letter was matched, 1 when any became an error row.
    """
    import time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from nocmatch.batch import run_batch
    from nocmatch.matcher import Matcher

    matcher = Matcher.load(data_dir, models_dir, model)
    with Progress(TextColumn("matching"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[rate]} letters/s"), TimeElapsedColumn(), console=err,
                  disable=not sys.stderr.isatty()) as progress:
        task = progress.add_task("batch", total=None, rate="–")
        started = time.perf_counter()

        def advance(done: int, total: int) -> None:
            rate = done / max(time.perf_counter() - started, 1e-9)
            progress.update(task, completed=done, total=total, rate=f"{rate:.1f}")

        summary = run_batch(matcher, source, out, text_column=text_column, id_column=id_column,
                            candidates="all" if all_codes else None, full=full, force=force,
                            globs=tuple(globs or ()), by_position=by_position, on_progress=advance)
    _print_batch_summary(summary, globs_given=bool(globs), by_position=by_position)
    if summary.failed:
        raise typer.Exit(1)


def _print_batch_summary(summary, *, globs_given: bool, by_position: bool) -> None:
    """What a batch did, on stderr: skipped files, repeated ids, the counts and the codes found."""
    from nocmatch.batch import NAMES_SHOWN

    def some(names: list[str]) -> str:
        return _escape(", ".join(names[:NAMES_SHOWN]) + (", …" if len(names) > NAMES_SHOWN else ""))

    if summary.skipped_files:
        count = len(summary.skipped_files)
        hint = "" if globs_given else "; only .txt, .docx and .pdf files are read unless --glob PATTERN adds others"
        err.print(f"skipped {count} file{'s' if count > 1 else ''}: {some(summary.skipped_files)}{hint}")
    if summary.duplicate_ids:
        count = len(summary.duplicate_ids)
        err.print(f"[yellow]warning:[/] {count} id{'s are' if count > 1 else ' is'} on more than one row: "
                  f"{some(summary.duplicate_ids)}; each row has its own result (the row column tells them apart)")
    codes = ", ".join(f"{code} ×{n}" for code, n in summary.by_code.items()) or "none"
    retried = f", {summary.retried} earlier errors retried" if summary.retried else ""
    err.print(f"{summary.matched} matched, {summary.failed} failed, {summary.skipped} already done{retried} "
              f"(of {summary.total}); needs review {summary.needs_review}; out of scope {summary.out_of_scope}; "
              f"{summary.letters_per_second} letters/s → {_escape(summary.out)}"
              + (f" ({summary.positions} positions matched)" if by_position else ""))
    err.print(f"by code: {codes}")


@app.command()
def show(code: str = typer.Argument(..., metavar="CODE", help="a NOC 2021 unit group, e.g. 21231"),
         data_dir: Optional[Path] = DataOption,
         as_json: bool = flag("--json", "the profile as JSON")) -> None:
    """Print a NOC profile: lead statement, main duties, titles, exclusions."""
    from nocmatch.catalog import Catalog
    from nocmatch.config import default_data_dir
    from nocmatch.present.report import profile

    unit = Catalog.load((data_dir or default_data_dir()) / "catalog").unit(code)
    if as_json:
        sys.stdout.write(json.dumps(unit.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        out.print(profile(unit))


@app.command()
def check(
    letter: str = typer.Argument(..., metavar="LETTER", help="letter file (.txt, .docx, .pdf), or - for standard input"),
    as_json: bool = JsonOption,
) -> None:
    """Check that the letter has what IRCC expects of a reference letter (no model or catalog needed)."""
    from nocmatch.checklist.completeness import check_completeness
    from nocmatch.letter import parse_letter
    from nocmatch.letter.readers import read_letter
    from nocmatch.present.report import completeness_table

    text, name = read_letter(letter)
    completeness = check_completeness(parse_letter(text, name=name))
    if as_json:
        sys.stdout.write(json.dumps({"letter": name, **completeness.to_dict()}, indent=2, ensure_ascii=False) + "\n")
        return
    out.print(completeness_table(completeness, title=f"Letter completeness: {name}"))
    counts = {status: sum(i.status == status for i in completeness.items) for status in ("present", "missing", "ambiguous")}
    out.print(f"{counts['present']} present, {counts['missing']} missing, {counts['ambiguous']} ambiguous, "
              f"{len(completeness.flags)} flag(s)")


@app.command()
def serve(
    port: int = typer.Option(8765, "--port", min=1, max=65535, help="port on 127.0.0.1"),
    host: str = typer.Option("127.0.0.1", "--host", help="loopback address only: 127.0.0.1, localhost or ::1"),
    data_dir: Optional[Path] = DataOption,
    models_dir: Optional[Path] = ModelsOption,
    model: str = ModelOption,
) -> None:
    """Open the consultant's review page on this computer (letters are never stored or logged)."""
    from nocmatch.matcher import Matcher
    from nocmatch.review.app import check_loopback, check_port_free, create_app
    from nocmatch.review.app import serve as run_server

    check_loopback(host)
    check_port_free(host, port)
    matcher = Matcher.load(data_dir, models_dir, model)
    shown = f"[{host}]" if ":" in host else host
    err.print(f"review page: http://{shown}:{port}/  (Ctrl+C to stop)")
    run_server(create_app(matcher), host, port)


@app.command()
def report(
    letter: str = typer.Argument(..., metavar="LETTER", help="letter file (.txt, .docx, .pdf), or - for standard input"),
    out_file: Path = typer.Option(..., "--out", help="the file to write: HTML (or PDF with --pdf)"),
    code: Optional[str] = typer.Option(None, "--code", help="the code the client intends to claim"),
    all_codes: bool = AllCodesOption,
    pdf: bool = flag("--pdf", "print the report to PDF with the local chromium"),
    force: bool = flag("--force", "replace an existing file"),
    data_dir: Optional[Path] = DataOption,
    models_dir: Optional[Path] = ModelsOption,
    model: str = ModelOption,
) -> None:
    """Write the review page for one letter as a standalone, printable file."""
    from nocmatch.letter.readers import read_letter
    from nocmatch.matcher import Matcher
    from nocmatch.review.export import check_writable, write_report
    from nocmatch.review.model import build_review

    check_writable(out_file, force)
    text, name = read_letter(letter)
    matcher = Matcher.load(data_dir, models_dir, model)
    review = build_review(matcher, text, name=name, candidate_set="all" if all_codes else "tech", claimed_code=code)
    written = write_report(review, out_file, pdf=pdf, force=force)
    err.print(f"{review.result.best_code} {review.result.best_title} ({review.result.best.verdict}) → {written}")


# `nocmatch eoi` lives in nocmatch/eoi/cli.py and takes the shared options above.
app.command("eoi")(eoi_command(DataOption, ModelsOption, ModelOption))


def main() -> None:
    """Console entry point.

    Usage mistakes (an unknown command, a missing argument, a bad value) are typer's to report: in
    its standalone mode it prints the usage and the mistake and exits with 2, whichever click it
    carries. Errors the user can fix become one line on stderr and a non-zero exit; anything
    unforeseen is still one line, never a traceback.
    """
    try:
        app(standalone_mode=True)
    except NocmatchError as exc:
        err.print(f"[bold red]error:[/] {_escape(str(exc))}")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except Exception as exc:  # never a traceback
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        err.print(f"[bold red]internal error:[/] {type(exc).__name__}: {_escape(first)}")
        sys.exit(1)


def _escape(text: str) -> str:
    from rich.markup import escape
    return escape(text)


if __name__ == "__main__":
    main()
