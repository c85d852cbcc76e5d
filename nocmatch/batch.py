"""Batch classification: many letters in, one row per letter out (csv, jsonl or parquet).

* Inputs: a folder of letter files (.txt, .docx, .pdf), or a table (.csv, .parquet, .jsonl) with a
  text column.
* Letters are matched in chunks with :meth:`Matcher.match_many`, so the sentences of many letters
  are encoded together.
* A letter that cannot be matched becomes a row with an ``error``; the batch goes on.
* The output is rewritten atomically after every chunk (temporary file + rename), so an
  interruption leaves the previous complete file. A sidecar ``<out>.run.json`` records what run
  wrote it: re-running the same run resumes (ids already written are skipped); an output written by
  anything else is never overwritten without ``force``.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import pandas as pd

from nocmatch.errors import InputError, NocmatchError
from nocmatch.letter.readers import read_letter
from nocmatch.results import MatchResult

OUTPUT_FORMATS = (".csv", ".jsonl", ".parquet")
TABLE_INPUTS = (".csv", ".parquet", ".jsonl")
ROW_COLUMNS = ["id", "best_code", "best_title", "confidence", "runner_up_code", "runner_up_confidence",
               "needs_review", "verdict", "duties_evidenced", "duties_total", "out_of_scope",
               "best_overall_code", "best_overall_title", "title", "title_code", "warnings", "missing_elements",
               "letter_flags", "error"]
#: Letters matched (and written out) together: ~1,000 sentences keep both cores busy to the end of
#: the encoding (measured: 29 letters/s at 96, 25 at 32); an interruption loses at most one chunk.
CHUNK_SIZE = 96


@dataclass
class LetterInput:
    """One letter of a batch: its id and text, or why it could not be read."""

    id: str
    text: str | None = None
    error: str | None = None


@dataclass
class BatchSummary:
    """What a batch run did."""

    out: str
    total: int = 0
    matched: int = 0
    failed: int = 0
    skipped: int = 0
    needs_review: int = 0
    out_of_scope: int = 0
    by_code: dict = field(default_factory=dict)
    seconds: float = 0.0
    letters_per_second: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


# -- inputs -------------------------------------------------------------------------------
def read_inputs(source: Path, text_column: str = "text", id_column: str | None = None) -> Iterator[LetterInput]:
    """Letters from a folder (every file, by sorted path) or from a csv / parquet / jsonl table."""
    if source.is_dir():
        for path in sorted(p for p in source.rglob("*") if p.is_file() and not p.name.startswith(".")):
            letter_id = str(path.relative_to(source))
            try:
                text, _ = read_letter(path)
                yield LetterInput(letter_id, text)
            except NocmatchError as exc:
                yield LetterInput(letter_id, error=str(exc))
        return
    if not source.is_file():
        raise InputError(f"{source}: no such file or folder")
    suffix = source.suffix.lower()
    if suffix not in TABLE_INPUTS:
        raise InputError(f"{source}: give a folder of letters or a table ({', '.join(TABLE_INPUTS)})")
    records = _read_records(source)
    if records and text_column not in records[0] and not any(text_column in r for r in records):
        columns = sorted({k for r in records for k in r})
        raise InputError(f"{source}: no column {text_column!r} (columns: {', '.join(columns)}); use --text-column")
    for number, record in enumerate(records, start=1):
        if "__error__" in record:
            yield LetterInput(f"line {number}", error=record["__error__"])
            continue
        letter_id = str(record.get(id_column) if id_column and record.get(id_column) not in (None, "") else number)
        text = record.get(text_column)
        if not isinstance(text, str):
            yield LetterInput(letter_id, error=f"row {number}: no letter text in column {text_column!r}")
        else:
            yield LetterInput(letter_id, text)


def _read_records(source: Path) -> list[dict]:
    suffix = source.suffix.lower()
    try:
        if suffix == ".jsonl":
            records = []
            for number, line in enumerate(source.read_text(encoding="utf-8-sig").splitlines(), start=1):
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                    records.append(value if isinstance(value, dict) else {"__error__": f"line {number}: not a JSON object"})
                except json.JSONDecodeError as exc:
                    records.append({"__error__": f"line {number}: invalid JSON ({exc.msg})"})
            return records
        frame = (pd.read_csv(source, dtype=str, keep_default_na=False) if suffix == ".csv"
                 else pd.read_parquet(source))
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{source}: cannot read the table ({type(exc).__name__}: {str(exc).splitlines()[0][:120]})") from exc
    return frame.to_dict("records")


# -- rows ---------------------------------------------------------------------------------
def result_row(letter_id: str, result: MatchResult, full: bool = False) -> dict:
    """The one-row summary of a match (``full`` adds the whole result as ``result``)."""
    best = result.candidates[0]
    runner = result.candidates[1] if len(result.candidates) > 1 else None
    row = {
        "id": letter_id, "best_code": best.code, "best_title": best.title, "confidence": best.confidence,
        "runner_up_code": runner.code if runner else "", "runner_up_confidence": runner.confidence if runner else 0.0,
        "needs_review": result.needs_review, "verdict": best.verdict, "duties_evidenced": best.duties_evidenced,
        "duties_total": best.duties_total, "out_of_scope": result.out_of_scope,
        "best_overall_code": result.best_overall_code, "best_overall_title": result.best_overall_title,
        "title": result.letter.title or "", "title_code": result.title_check.code or "",
        "warnings": "; ".join(f"{w.kind}: {w.message}" for w in result.warnings),
        # the completeness check: element ids the letter lacks, and its flags (part_time_hours ...)
        "missing_elements": "; ".join(result.completeness.missing) if result.completeness else "",
        "letter_flags": "; ".join(f.kind for f in result.completeness.flags) if result.completeness else "",
        "error": "",
    }
    if full:
        row["result"] = result.to_dict()
    return row


def error_row(letter_id: str, message: str, full: bool = False) -> dict:
    row = {column: "" for column in ROW_COLUMNS}
    row.update(id=letter_id, error=message)
    if full:
        row["result"] = None
    return row


# -- output -------------------------------------------------------------------------------
class OutputStore:
    """The batch output file, rewritten atomically, with the run signature beside it."""

    def __init__(self, path: Path, signature: dict, *, force: bool = False, inputs: tuple[Path, ...] = ()):
        self.path = path
        self.format = path.suffix.lower()
        if self.format not in OUTPUT_FORMATS:
            raise InputError(f"{path}: the output must end in {', '.join(OUTPUT_FORMATS)}")
        if any(path.resolve() == p.resolve() for p in inputs):
            raise InputError(f"{path}: the output would overwrite the input")
        self.sidecar = path.with_name(path.name + ".run.json")
        self.signature = signature
        self.rows: list[dict] = []
        if path.exists():
            previous = self._read_signature()
            if previous != signature and not force:
                raise InputError(f"{path} exists and was not written by this same batch run; "
                                 "use --force to replace it, or choose another --out")
            if previous == signature:
                self.rows = self._read_rows()

    def _read_signature(self) -> dict | None:
        try:
            return json.loads(self.sidecar.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return None

    def _read_rows(self) -> list[dict]:
        try:
            if self.format == ".jsonl":
                return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]
            if self.format == ".csv":
                return pd.read_csv(self.path, dtype=str, keep_default_na=False).to_dict("records")
            return pd.read_parquet(self.path).to_dict("records")
        except (OSError, ValueError) as exc:
            raise InputError(f"{self.path}: cannot resume from it ({type(exc).__name__}); use --force to start over") from exc

    @property
    def done_ids(self) -> set[str]:
        return {str(row["id"]) for row in self.rows}

    def add(self, rows: list[dict]) -> None:
        self.rows.extend(rows)
        self.flush()

    def flush(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        if self.format == ".jsonl":
            with tmp.open("w", encoding="utf-8") as handle:
                for row in self.rows:
                    handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        else:
            frame = pd.DataFrame(self.rows)
            if "result" in frame:
                frame["result"] = [r if isinstance(r, str) or r is None else json.dumps(r, ensure_ascii=False)
                                   for r in frame["result"]]
            if self.format == ".csv":
                frame.to_csv(tmp, index=False)
            else:
                frame.astype({c: str for c in frame.columns if frame[c].dtype == object}).to_parquet(tmp, index=False)
        os.replace(tmp, self.path)
        self.sidecar.write_text(json.dumps(self.signature, indent=2), encoding="utf-8")


# -- the run ------------------------------------------------------------------------------
def run_batch(matcher, source: Path, out: Path, *, text_column: str = "text", id_column: str | None = None,
              candidates: tuple[str, ...] | str | None = None, full: bool = False, force: bool = False,
              chunk_size: int = CHUNK_SIZE, on_progress: Callable[[int, int], None] | None = None) -> BatchSummary:
    """Classify every letter of ``source`` into ``out``; returns the summary.

    ``on_progress(done, total)`` is called after every chunk (the CLI draws its progress bar with it).
    """
    started = time.perf_counter()
    signature = {"source": str(source.resolve()), "text_column": text_column, "id_column": id_column,
                 "model": matcher.encoder.model_name, "catalog_sha256": matcher.catalog.sha256,
                 "candidates": candidates if isinstance(candidates, str) else list(candidates or matcher.candidates),
                 "full": full}
    store = OutputStore(out, signature, force=force, inputs=(source,))
    inputs = list(read_inputs(source, text_column, id_column))
    done = store.done_ids
    todo = [item for item in inputs if item.id not in done]
    summary = BatchSummary(out=str(out), total=len(inputs), skipped=len(inputs) - len(todo))
    for start in range(0, len(todo), chunk_size):
        chunk = todo[start:start + chunk_size]
        readable = [item for item in chunk if item.error is None]
        outcomes = dict(zip((item.id for item in readable), matcher.match_many(
            [item.text for item in readable], names=[item.id for item in readable],
            candidates=candidates, errors="return")))
        rows = []
        for item in chunk:
            outcome = outcomes.get(item.id) if item.error is None else None
            if isinstance(outcome, MatchResult):
                rows.append(result_row(item.id, outcome, full))
            else:
                rows.append(error_row(item.id, item.error or str(outcome), full))
        store.add(rows)
        if on_progress:
            on_progress(start + len(chunk), len(todo))
    new_rows = store.rows[len(store.rows) - len(todo):] if todo else []
    for row in new_rows:
        if row["error"]:
            summary.failed += 1
        else:
            summary.matched += 1
            summary.needs_review += bool(row["needs_review"])
            summary.out_of_scope += bool(row["out_of_scope"])
    summary.by_code = dict(Counter(r["best_overall_code"] if r["out_of_scope"] else r["best_code"]
                                   for r in new_rows if not r["error"]).most_common())
    summary.seconds = round(time.perf_counter() - started, 2)
    summary.letters_per_second = round(len(todo) / summary.seconds, 2) if summary.seconds else 0.0
    return summary


def match_frame(matcher, frame: pd.DataFrame, text_column: str = "text", *,
                candidates: tuple[str, ...] | str | None = None) -> pd.DataFrame:
    """Match a DataFrame's letters; returns the batch rows aligned with ``frame``'s index."""
    if text_column not in frame:
        raise InputError(f"no column {text_column!r} in the frame (columns: {', '.join(map(str, frame.columns))})")
    ids = [str(i) for i in frame.index]
    texts = [t if isinstance(t, str) else "" for t in frame[text_column]]
    outcomes = matcher.match_many(texts, names=ids, candidates=candidates, errors="return")
    rows = [result_row(i, o) if isinstance(o, MatchResult) else error_row(i, str(o)) for i, o in zip(ids, outcomes)]
    return pd.DataFrame(rows, index=frame.index).drop(columns="id")
