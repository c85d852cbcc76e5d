"""Batch classification: many letters in, one row per letter (or per position) out (csv, jsonl or parquet).

* Inputs: a folder of letter files (.txt, .docx, .pdf, and whatever ``--glob`` patterns add), or a
  table (.csv, .parquet, .jsonl) with a text column. Every letter keeps its input position (the
  ``row`` column), so letters sharing an id are never mixed up.
* Letters are matched in chunks with :meth:`Matcher.match_many`, so the sentences of many letters
  are encoded together.
* A letter that cannot be matched becomes a row with an ``error``; the batch goes on.
* ``by_position``: one row per position the letter lists (title, dates, months, the code of its own
  duties) instead of one per letter; a letter's rows are written, skipped and replaced together.
* The output is locked for the whole run (``<out>.lock``): a second run writing the same file is
  refused. It is rewritten atomically after every chunk (a temporary file of its own + rename), so
  an interruption leaves the previous complete file. A sidecar ``<out>.run.json`` records what run
  wrote it: re-running the same run resumes (letters already matched are skipped, error rows are
  tried again); an output written by anything else is never overwritten without ``force``.
"""

from __future__ import annotations

import csv
import errno
import fcntl
import glob
import json
import math
import os
import stat
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePath
from typing import Callable, Iterator

import pandas as pd

from nocmatch.errors import InputError, NocmatchError
from nocmatch.files import replace_atomically, write_atomic
from nocmatch.letter.readers import read_letter
from nocmatch.results import Candidate, MatchResult, MatchWarning

OUTPUT_FORMATS = (".csv", ".jsonl", ".parquet")
TABLE_INPUTS = (".csv", ".parquet", ".jsonl")
#: The files of a folder that are read as letters when no ``globs`` add others.
LETTER_SUFFIXES = (".txt", ".docx", ".pdf")
ROW_COLUMNS = ["row", "id", "answer_code", "answer_title", "best_code", "best_title", "support_probability", "confidence",
               "runner_up_code", "runner_up_confidence", "needs_review", "verdict", "duties_evidenced",
               "duties_total", "out_of_scope", "best_overall_code", "best_overall_title", "title", "title_code",
               "positions", "codes_by_position", "judged_position", "warnings", "missing_elements", "letter_flags",
               "error"]
#: The columns read from a ranking (a letter's, or one position's): its best code and the runner-up.
RANKING_COLUMNS = ["best_code", "best_title", "support_probability", "confidence", "runner_up_code",
                   "runner_up_confidence", "verdict", "duties_evidenced", "duties_total"]
#: ``by_position``: one row per position; ``position`` is empty on the one error row of a letter.
POSITION_COLUMNS = ["row", "id", "position", "positions", "title", "start", "end", "current", "counted_to", "months",
                    "fte_months", "hours_per_week", "answer_code", "answer_title", *RANKING_COLUMNS, "needs_review",
                    "out_of_scope", "best_overall_code", "best_overall_title", "shared_duties", "title_code",
                    "months_in_code", "notes", "warnings", "error"]
#: What the two kinds of output hold (the run signature's ``rows``); one cannot resume the other.
ROW_MODES = {"letter": "one row per letter", "position": "one row per position (--by-position)"}
#: Letters matched (and written out) together: ~1,000 sentences keep both cores busy to the end of
#: the encoding (measured: 29 letters/s at 96, 25 at 32); an interruption loses at most one chunk.
CHUNK_SIZE = 96
#: Part of the run signature: 2 = rows carry their input position and resume keys on it, so an
#: output written before (keyed on the id alone) cannot be resumed; 3 = the ``positions`` and
#: ``codes_by_position`` columns (and ``--by-position``); 4 = ``judged_position``.
OUTPUT_VERSION = 4
#: A cell starting with one of these is run as a formula by spreadsheet programs (OWASP "CSV
#: injection"); in a CSV output such a cell gets a leading ``'``, which makes it plain text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: Skipped files named in one-line messages; the summary lists them all.
NAMES_SHOWN = 5


@dataclass
class LetterInput:
    """One letter of a batch.

    Attributes
    ----------
    row : int
        Its 1-based position in the input (table row, or file number in sorted path order).
    id : str
        Its id: the file's path in the folder, the id column's value, or the row number.
    text : str or None
        The letter's text, or None when it could not be read.
    error : str or None
        Why it could not be read.
    """

    row: int
    id: str
    text: str | None = None
    error: str | None = None


@dataclass
class BatchSummary:
    """What a batch run did.

    ``matched`` and ``failed`` count the letters matched in this run (``retried`` of them were error
    rows of an earlier run); ``skipped`` counts those an earlier run had already matched;
    ``positions`` the positions of the letters matched (the rows of a ``by_position`` run).
    ``needs_review``, ``out_of_scope`` and ``by_code`` (the ``answer_code``) count letters in both modes.
    ``duplicate_ids`` are ids found on more than one input row, ``skipped_files`` the files of an
    input folder that were not read as letters (with the reason when it is not their name).
    """

    out: str
    total: int = 0
    matched: int = 0
    failed: int = 0
    positions: int = 0
    skipped: int = 0
    retried: int = 0
    needs_review: int = 0
    out_of_scope: int = 0
    by_code: dict = field(default_factory=dict)
    duplicate_ids: list[str] = field(default_factory=list)
    skipped_files: list[str] = field(default_factory=list)
    seconds: float = 0.0
    letters_per_second: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)


# -- inputs -------------------------------------------------------------------------------
@dataclass
class FolderScan:
    """The files of a folder to read as letters, and what was left out.

    Attributes
    ----------
    files : list of Path
        Letter files, sorted by path.
    skipped : list of str
        Paths (relative to the folder) not read; "name (reason)" when the reason is not the name.
    """

    files: list[Path]
    skipped: list[str]
    globs: tuple[str, ...] = ()


def scan_folder(folder: Path, globs: tuple[str, ...] = (),
                exclude: Callable[[Path], bool] | None = None) -> FolderScan:
    """Find the letter files of ``folder`` and its sub-folders, without opening any file.

    Parameters
    ----------
    folder : Path
        The folder to scan.
    globs : tuple of str
        Patterns (``PurePath.match``, e.g. ``"*.md"``) of further files to read besides
        :data:`LETTER_SUFFIXES`.
    exclude : callable, optional
        ``exclude(path)`` is true for files never to read nor report (the run's own output).

    Returns
    -------
    FolderScan
        Hidden files and folders, other file types, non-regular files (FIFOs, sockets, devices:
        never opened, opening a FIFO blocks), broken symlinks and symlink loops are skipped.
    """
    files: list[Path] = []
    skipped: list[tuple[PurePath, str]] = []
    visited: set[tuple[int, int]] = set()

    def walk(directory: Path, ancestors: frozenset[tuple[int, int]]) -> None:
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            skipped.append((PurePath(directory.relative_to(folder)), f"cannot list: {exc.strerror}"))
            return
        for entry in entries:
            path = Path(entry.path)
            relative = path.relative_to(folder)
            if exclude is not None and exclude(path):
                continue
            found = _entry_kind(entry.name, path, relative, globs)
            if isinstance(found, tuple):  # a folder
                if found in ancestors:
                    skipped.append((relative, "symlink loop"))
                elif found in visited:
                    skipped.append((relative, "a folder already read"))
                else:
                    visited.add(found)
                    walk(path, ancestors | {found})
            elif found is None:
                files.append(path)
            else:
                skipped.append((relative, found))

    root = os.stat(folder)
    visited.add((root.st_dev, root.st_ino))
    walk(folder, frozenset(visited))
    return FolderScan(sorted(files), [f"{name} ({reason})" if reason else str(name)
                                      for name, reason in sorted(skipped)], tuple(globs))


def _entry_kind(name: str, path: Path, relative: PurePath, globs: tuple[str, ...]) -> tuple[int, int] | str | None:
    """A folder's (device, inode), None for a letter file, or why the entry is skipped ("": another file type)."""
    if name.startswith("."):
        return "hidden"
    try:
        info = os.stat(path)  # follows symlinks; never opens the file
    except OSError as exc:
        return "symlink loop" if exc.errno == errno.ELOOP else "broken symlink"
    if stat.S_ISDIR(info.st_mode):
        return info.st_dev, info.st_ino
    if not stat.S_ISREG(info.st_mode):
        return "not a regular file"
    return None if _is_letter_file(relative, globs) else ""


def _is_letter_file(relative: PurePath, globs: tuple[str, ...]) -> bool:
    return relative.suffix.lower() in LETTER_SUFFIXES or any(relative.match(pattern) for pattern in globs)


def read_folder(folder: Path, scan: FolderScan) -> Iterator[LetterInput]:
    """The letters of a scanned folder, in path order; a file that cannot be read is an error input.

    Raises
    ------
    InputError
        When the folder holds no letter file (the message names what was skipped).
    """
    if not scan.files:
        raise InputError(f"{folder}: has no letters ({_skipped_clause(scan)})")
    for number, path in enumerate(scan.files, start=1):
        letter_id = str(path.relative_to(folder))
        try:
            yield LetterInput(number, letter_id, read_letter(path)[0])
        except NocmatchError as exc:
            yield LetterInput(number, letter_id, error=str(exc))


def _skipped_clause(scan: FolderScan) -> str:
    if not scan.skipped:
        return "the folder is empty"
    more = ", …" if len(scan.skipped) > NAMES_SHOWN else ""
    hint = "" if scan.globs else "; add --glob PATTERN to read other files"
    return (f"no {', '.join((*LETTER_SUFFIXES, *scan.globs))} files; skipped {len(scan.skipped)}: "
            f"{', '.join(scan.skipped[:NAMES_SHOWN])}{more}{hint}")


def _check_source(source: Path) -> None:
    if not source.is_dir() and not source.is_file():
        raise InputError(f"{source}: no such file or folder")
    if source.is_file() and source.suffix.lower() not in TABLE_INPUTS:
        raise InputError(f"{source}: give a folder of letters or a table ({', '.join(TABLE_INPUTS)})")


def read_table(source: Path, text_column: str = "text", id_column: str | None = None) -> Iterator[LetterInput]:
    """The letters of a csv / parquet / jsonl table, one per row.

    Raises
    ------
    InputError
        When the table cannot be read, has no row with any value, or lacks ``text_column``.
    """
    _check_source(source)
    if source.is_dir():
        raise InputError(f"{source}: is a folder; give a table ({', '.join(TABLE_INPUTS)})")
    records = _read_records(source)
    if all(_blank_record(r) for r in records):
        rows = len(records) + _blank_lines(source)
        raise InputError(f"{source}: has no letters ({f'{rows} rows, all empty' if rows else 'no rows'})")
    if text_column not in records[0] and not any(text_column in r for r in records):
        columns = sorted({k for r in records for k in r if k != "__error__"})
        raise InputError(f"{source}: no column {text_column!r} (columns: {', '.join(columns)}); use --text-column")
    for number, record in enumerate(records, start=1):
        if "__error__" in record:
            yield LetterInput(number, f"line {number}", error=record["__error__"])
            continue
        letter_id = str(record.get(id_column) if id_column and record.get(id_column) not in (None, "") else number)
        text = record.get(text_column)
        if not isinstance(text, str):
            yield LetterInput(number, letter_id, error=f"row {number}: no letter text in column {text_column!r}")
        else:
            yield LetterInput(number, letter_id, text)


def read_inputs(source: Path, text_column: str = "text", id_column: str | None = None, *,
                globs: tuple[str, ...] = ()) -> Iterator[LetterInput]:
    """Letters from a folder (:func:`scan_folder`, :func:`read_folder`) or a table (:func:`read_table`)."""
    if source.is_dir():
        yield from read_folder(source, scan_folder(source, globs))
    else:
        yield from read_table(source, text_column, id_column)


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
    except pd.errors.EmptyDataError:  # a 0-byte csv: not even a header
        return []
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{source}: cannot read the table ({type(exc).__name__}: {str(exc).splitlines()[0][:120]})") from exc
    return frame.to_dict("records")


def _blank_record(record: dict) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip())
               or (isinstance(value, float) and math.isnan(value)) for value in record.values())


def _blank_lines(source: Path) -> int:
    """Blank lines of a csv (after its header) or jsonl: rows to the user, skipped by the readers."""
    if source.suffix.lower() == ".parquet":
        return 0
    lines = source.read_text(encoding="utf-8-sig", errors="replace").splitlines()
    header = 1 if source.suffix.lower() == ".csv" else 0
    return sum(not line.strip() for line in lines[header:])


# -- rows ---------------------------------------------------------------------------------
def answer_of(result: MatchResult) -> tuple[str, str]:
    """The code the letter's duties support: the best candidate, or the best code overall when the
    letter is out of scope (its best candidate is then only the closest, e.g. the closest tech code to
    a nurse's letter)."""
    return result.supported_code, result.best_overall_title if result.out_of_scope else result.best_title


def result_row(row: int, letter_id: str, result: MatchResult, full: bool = False) -> dict:
    """The one-row summary of a match (``full`` adds the whole result as ``result``)."""
    answer_code, answer_title = answer_of(result)
    values = {
        "row": row, "id": letter_id, "answer_code": answer_code, "answer_title": answer_title,
        **ranking_fields(result.candidates),
        "needs_review": result.needs_review, "out_of_scope": result.out_of_scope,
        "best_overall_code": result.best_overall_code, "best_overall_title": result.best_overall_title,
        "title": result.letter.title or "", "title_code": result.title_check.code or "",
        # the code each position's duties support, in letter order ("" for a position that lists no
        # duties of its own); as answer_code, a code outside the candidates when the position is out of scope
        "positions": len(result.positions),
        "codes_by_position": ";".join(p.supported_code or "" for p in result.positions),
        # the position whose duties the letter's answer judges (the one held now), "" for all its duties
        "judged_position": result.judged_position or "",
        "warnings": warnings_text(result.warnings),
        # the completeness check: element ids the letter lacks, and its flags (part_time_hours ...)
        "missing_elements": "; ".join(result.completeness.missing) if result.completeness else "",
        "letter_flags": "; ".join(f.kind for f in result.completeness.flags) if result.completeness else "",
        "error": "",
    }
    return _ordered(values, ROW_COLUMNS, result.to_dict() if full else None)


def position_rows(row: int, letter_id: str, result: MatchResult, full: bool = False) -> list[dict]:
    """One row per position of the letter (``full`` adds the position's whole match as ``result``).

    ``months_in_code`` is the months the whole letter gives the position's code (positions matched to
    the same code added, an overlap counted once; see :class:`~nocmatch.results.ExperienceSummary`).
    """
    in_code = {c.code: c.months for c in result.experience.by_code} if result.experience else {}
    rows = []
    for p in result.positions:
        values = {
            "row": row, "id": letter_id, "position": p.index, "positions": len(result.positions),
            "title": p.title or "", "start": p.start or "", "end": p.end or "", "current": p.current,
            "counted_to": p.counted_to or "", "months": _blank(p.months), "fte_months": _blank(p.fte_months),
            "hours_per_week": _blank(p.hours_per_week), "answer_code": p.supported_code or "",
            "answer_title": (p.best_overall_title if p.out_of_scope else p.best_title) or "",
            **ranking_fields(p.candidates), "needs_review": p.needs_review, "out_of_scope": p.out_of_scope,
            "best_overall_code": p.best_overall_code or "", "best_overall_title": p.best_overall_title or "",
            "shared_duties": p.shared_duties,
            "title_code": (p.title_check.code if p.title_check else None) or "",
            "months_in_code": _blank(in_code.get(p.supported_code or "")), "notes": "; ".join(p.notes),
            "warnings": warnings_text(p.warnings), "error": "",
        }
        rows.append(_ordered(values, POSITION_COLUMNS, asdict(p) if full else None))
    return rows


def ranking_fields(candidates: list[Candidate]) -> dict:
    """:data:`RANKING_COLUMNS` of a ranking; all empty when there is none (a position without duties)."""
    if not candidates:
        return dict.fromkeys(RANKING_COLUMNS, "")
    best, runner = candidates[0], (candidates[1] if len(candidates) > 1 else None)
    return {"best_code": best.code, "best_title": best.title, "support_probability": _blank(best.support_probability),
            "confidence": best.confidence, "runner_up_code": runner.code if runner else "",
            "runner_up_confidence": runner.confidence if runner else 0.0, "verdict": best.verdict,
            "duties_evidenced": best.duties_evidenced, "duties_total": best.duties_total}


def warnings_text(warnings: list[MatchWarning]) -> str:
    return "; ".join(f"{w.kind}: {w.message}" for w in warnings)


def _blank(value):
    """A missing number as an empty cell (as the error rows have)."""
    return "" if value is None else value


def _ordered(values: dict, columns: list[str], result: dict | None) -> dict:
    """``values`` in the order of ``columns``, then ``result`` (the ``full`` column) when given."""
    ordered = {column: values[column] for column in columns}
    if result is not None:
        ordered["result"] = result
    return ordered


def error_row(row: int, letter_id: str, message: str, full: bool = False, columns: list[str] = ROW_COLUMNS) -> dict:
    """The row of a letter that could not be matched: its position in the input, id and ``error``."""
    values: dict[str, object] = {column: "" for column in columns}
    values.update(row=row, id=letter_id, error=message)
    if full:
        values["result"] = None
    return values


def neutralise_cell(value):
    """``value`` made safe for a spreadsheet: a string starting like a formula gets a leading ``'``.

    A string already starting with ``'`` gets one too, so :func:`restore_cell` can always undo it.
    """
    if isinstance(value, str) and value[:1] in (*FORMULA_TRIGGERS, "'"):
        return "'" + value
    return value


def restore_cell(value):
    """The raw text of a cell written by :func:`neutralise_cell`."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] in (*FORMULA_TRIGGERS, "'"):
        return value[1:]
    return value


# -- output -------------------------------------------------------------------------------
class OutputLock:
    """An exclusive lock on ``<out>.lock`` that keeps two batch runs from writing one output.

    The lock is ``flock`` on the file (released by the kernel if the process dies, so a leftover
    file never blocks a later run); the file holds the owner's pid for the refusal message.
    """

    def __init__(self, output: Path):
        self.output = output
        self.path = output.with_name(output.name + ".lock")
        self._handle: int | None = None

    def acquire(self) -> None:
        """Take the lock, or raise :class:`InputError` at once if another run holds it."""
        while True:
            try:
                handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise InputError(f"{self.output}: cannot write there ({exc.strerror or exc})") from exc
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                owner = os.pread(handle, 32, 0).decode("ascii", errors="replace").strip() or "unknown"
                os.close(handle)
                raise InputError(f"{self.output} is being written by another nocmatch batch run (pid {owner}); "
                                 "wait for it to end, or choose another --out") from None
            # the previous owner removes the file as it lets go: a lock on that removed file is no lock
            try:
                current = os.stat(self.path).st_ino == os.fstat(handle).st_ino
            except FileNotFoundError:
                current = False
            if current:
                break
            os.close(handle)
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode("ascii"), 0)
        self._handle = handle

    def release(self) -> None:
        """Remove the lock file and let go of the lock (removed first, while still held)."""
        if self._handle is None:
            return
        self.path.unlink(missing_ok=True)
        os.close(self._handle)
        self._handle = None


class OutputStore:
    """The batch output file: locked for the run, rewritten atomically, the run signature beside it.

    Creating it takes the lock (:class:`OutputLock`) and loads the rows of an earlier run with the
    same signature; use it as a context manager (or call :meth:`close`) to release the lock. The rows
    are kept by letter (:attr:`letters`: the rows of each letter, in output order), so that the rows
    of one letter (one per position in a ``by_position`` run) are skipped or replaced together.

    Parameters
    ----------
    path : Path
        The output: .csv, .jsonl or .parquet.
    signature : dict
        What makes two runs the same run (input, model, catalog, options).
    force : bool
        Replace an output written by a different run instead of refusing.
    inputs : tuple of Path
        Input files the output must not be.
    grouped : bool
        Rows may be several per letter (``by_position``): consecutive rows with the same ``row`` and
        ``id`` are one letter's. Otherwise every row is a letter.
    """

    def __init__(self, path: Path, signature: dict, *, force: bool = False, inputs: tuple[Path, ...] = (),
                 grouped: bool = False):
        self.path = path
        self.format = path.suffix.lower()
        if self.format not in OUTPUT_FORMATS:
            raise InputError(f"{path}: the output must end in {', '.join(OUTPUT_FORMATS)}")
        if path.is_dir():
            raise InputError(f"{path}: is a folder; give a file name")
        if any(path.resolve() == p.resolve() for p in inputs):
            raise InputError(f"{path}: the output would overwrite the input")
        self.sidecar = path.with_name(path.name + ".run.json")
        self.signature = signature
        self.grouped = grouped
        self.letters: list[list[dict]] = []
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError) as exc:
            blocker = next(parent for parent in path.parents if parent.exists())
            raise InputError(f"{path}: {blocker} is a file, not a folder") from exc
        except OSError as exc:
            raise InputError(f"{path.parent}: cannot create the folder ({exc.strerror or exc})") from exc
        self.lock = OutputLock(path)
        self.lock.acquire()
        try:
            self._remove_stale_temporaries()
            self._load(force)
        except BaseException:
            self.lock.release()
            raise

    def __enter__(self) -> OutputStore:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        """Release the lock (the rows stay as last written)."""
        self.lock.release()

    def _load(self, force: bool) -> None:
        if not self.path.exists():
            return
        previous = self._read_signature()
        if previous == self.signature:
            self.letters = group_rows(self._read_rows(), self.grouped)
        elif not force:
            reason = refusal_reason(previous, self.signature)
            raise InputError(f"{self.path} {reason}; use --force to replace it, or choose another --out")

    def _remove_stale_temporaries(self) -> None:
        """Remove the temporary files of runs that were killed while writing (no run but this one holds the lock)."""
        for stale in self.path.parent.glob(f".{glob.escape(self.path.name)}.*.tmp"):
            if stale.is_file() and not stale.is_symlink():
                stale.unlink(missing_ok=True)

    def owns(self, path: Path) -> bool:
        """Whether ``path`` is this output, its sidecar, its lock or one of its temporary files."""
        # os.path.realpath, not Path.resolve: it does not raise on a symlink loop
        path, output = Path(os.path.realpath(path)), Path(os.path.realpath(self.path))
        if path in (output, output.with_name(self.sidecar.name), output.with_name(self.lock.path.name)):
            return True
        return (path.parent == output.parent and path.name.startswith(f".{output.name}.")
                and path.name.endswith(".tmp"))

    def _read_signature(self) -> dict | None:
        try:
            return json.loads(self.sidecar.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return None

    def _read_rows(self) -> list[dict]:
        try:
            if self.format == ".jsonl":
                rows = [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]
            elif self.format == ".csv":
                frame = pd.read_csv(self.path, dtype=str, keep_default_na=False)
                rows = [{k: restore_cell(v) for k, v in r.items()} for r in frame.to_dict("records")]
            else:
                rows = pd.read_parquet(self.path).to_dict("records")
            for values in rows:
                values["row"], values["id"] = int(values["row"]), str(values["id"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{self.path}: cannot resume from it ({type(exc).__name__}); use --force to start over") from exc
        return rows

    @property
    def rows(self) -> list[dict]:
        """Every row, in output order."""
        return [values for rows in self.letters for values in rows]

    def put(self, letters: list[tuple[int | None, list[dict]]]) -> None:
        """Write letters' rows: each replaces the rows of the letter at its index in :attr:`letters`,
        or is added (index None)."""
        for at, rows in letters:
            if at is None:
                self.letters.append(rows)
            else:
                self.letters[at] = rows
        self.flush()

    def flush(self) -> None:
        """Rewrite the output (and its sidecar) from :attr:`rows`."""
        replace_atomically(self.path, self._write_rows, what="the batch output", private=True)
        write_atomic(self.sidecar, json.dumps(self.signature, indent=2), what="the batch output", private=True)

    def _write_rows(self, temp: Path) -> None:
        if self.format == ".jsonl":
            with temp.open("w", encoding="utf-8") as handle:
                for row in self.rows:
                    handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            return
        frame = pd.DataFrame(self.rows)
        if "result" in frame:
            frame["result"] = [r if isinstance(r, str) or r is None else json.dumps(r, ensure_ascii=False)
                               for r in frame["result"]]
        if self.format == ".csv":
            text = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]  # str or object dtype
            frame[text] = frame[text].apply(lambda column: column.map(neutralise_cell))
            # text cells quoted: pandas leaves a carriage return in an unquoted cell, which readers take as a line end
            frame.to_csv(temp, index=False, quoting=csv.QUOTE_NONNUMERIC)
        else:
            frame.astype({c: str for c in frame.columns if frame[c].dtype == object}).to_parquet(temp, index=False)


def refusal_reason(previous: dict | None, signature: dict) -> str:
    """Why an output whose run signature is ``previous`` cannot be resumed by the run ``signature``."""
    if not isinstance(previous, dict):
        return "exists and was not written by this same batch run"
    theirs, ours = previous.get("rows", "letter"), signature.get("rows", "letter")
    if theirs != ours and theirs in ROW_MODES and ours in ROW_MODES:
        return f"holds {ROW_MODES[theirs]} and this run writes {ROW_MODES[ours]}"

    def run(values: dict) -> dict:
        return {k: v for k, v in values.items() if k not in ("output_version", "rows")}

    if previous.get("output_version") != OUTPUT_VERSION and run(previous) == run(signature):
        return "was written by an older nocmatch and cannot be resumed"
    return "exists and was not written by this same batch run"


def group_rows(rows: list[dict], grouped: bool) -> list[list[dict]]:
    """The rows of each letter: consecutive rows with the same ``row`` and ``id`` when ``grouped``."""
    letters: list[list[dict]] = []
    for values in rows:
        if grouped and letters and (letters[-1][0]["row"], letters[-1][0]["id"]) == (values["row"], values["id"]):
            letters[-1].append(values)
        else:
            letters.append([values])
    return letters


def earlier_rows(inputs: list[LetterInput], rows: list[dict]) -> dict[int, int]:
    """Which row of an earlier run's output belongs to each input letter.

    ``rows`` are the first row of each letter of the output (:attr:`OutputStore.letters`). A row
    belongs to the letter with the same row number and id. Failing that, an id found once
    in the input and once among the rows left over is the same letter moved (a folder gained or
    lost files, so the file numbers shifted); an id found more than once is only matched by position.

    Returns
    -------
    dict
        ``{index in inputs: index in rows}``.
    """
    by_key = {(values["row"], values["id"]): at for at, values in reversed(list(enumerate(rows)))}
    matched = {index: by_key[(item.row, item.id)] for index, item in enumerate(inputs) if (item.row, item.id) in by_key}
    taken = set(matched.values())
    left_over: dict[str, list[int]] = defaultdict(list)
    for at, values in enumerate(rows):
        if at not in taken:
            left_over[values["id"]].append(at)
    counts = Counter(item.id for item in inputs)
    for index, item in enumerate(inputs):
        if index not in matched and counts[item.id] == 1 and len(left_over[item.id]) == 1:
            matched[index] = left_over[item.id][0]
    return matched


# -- the run ------------------------------------------------------------------------------
def run_batch(matcher, source: Path, out: Path, *, text_column: str = "text", id_column: str | None = None,
              candidates: tuple[str, ...] | str | None = None, full: bool = False, force: bool = False,
              globs: tuple[str, ...] = (), by_position: bool = False, chunk_size: int = CHUNK_SIZE,
              on_progress: Callable[[int, int], None] | None = None) -> BatchSummary:
    """Classify every letter of ``source`` into ``out``.

    Parameters
    ----------
    matcher : Matcher
        The loaded matcher.
    source, out : Path
        A folder of letter files or a .csv / .parquet / .jsonl table; the output (.csv, .jsonl or
        .parquet), locked for the run and resumed if this same run wrote it.
    text_column, id_column : str
        The table's columns holding the letter and its id.
    candidates : tuple of str or "all", optional
        The codes to rank (default: the matcher's).
    full : bool
        Add the whole match result (a position's match with ``by_position``) to every row.
    force : bool
        Replace an output written by a different run.
    globs : tuple of str
        Patterns of further folder files to read as letters (besides .txt, .docx, .pdf).
    by_position : bool
        One row per position of each letter (:data:`POSITION_COLUMNS`) instead of one per letter.
    chunk_size : int
        Letters matched and written together.
    on_progress : callable, optional
        ``on_progress(done, total)`` after every chunk (the CLI draws its progress bar with it).

    Raises
    ------
    InputError
        Unusable input or output, no letters at all, another run writing ``out``, or an output of
        another run (another input, model, options or row mode) without ``force``.
    """
    started = time.perf_counter()
    _check_source(source)
    signature = {"source": str(source.resolve()), "text_column": text_column, "id_column": id_column,
                 "model": matcher.encoder.model_name, "catalog_sha256": matcher.catalog.sha256,
                 "candidates": candidates if isinstance(candidates, str) else list(candidates or matcher.candidates),
                 "full": full, "rows": "position" if by_position else "letter", "output_version": OUTPUT_VERSION}
    summary, codes = BatchSummary(out=str(out)), Counter[str]()
    with OutputStore(out, signature, force=force, inputs=(source,), grouped=by_position) as store:
        todo = _plan(_read_source(source, store, summary, text_column, id_column, globs), store, summary)
        for start in range(0, len(todo), chunk_size):
            matched = _match_chunk(matcher, todo[start:start + chunk_size], candidates, full, by_position)
            store.put([(at, rows) for at, rows, _ in matched])
            _tally(summary, codes, [result for _, _, result in matched])
            if on_progress:
                on_progress(min(start + chunk_size, len(todo)), len(todo))
    summary.by_code = dict(codes.most_common())
    summary.seconds = round(time.perf_counter() - started, 2)
    summary.letters_per_second = round(len(todo) / summary.seconds, 2) if summary.seconds else 0.0
    return summary


def _read_source(source: Path, store: OutputStore, summary: BatchSummary, text_column: str,
                 id_column: str | None, globs: tuple[str, ...]) -> list[LetterInput]:
    """Every letter of ``source`` (never the run's own files); counts them and their duplicate ids."""
    if source.is_dir():
        scan = scan_folder(source, tuple(globs), exclude=store.owns)
        summary.skipped_files = scan.skipped
        inputs = list(read_folder(source, scan))
    else:
        inputs = list(read_table(source, text_column, id_column))
    summary.total = len(inputs)
    summary.duplicate_ids = sorted(i for i, n in Counter(item.id for item in inputs).items() if n > 1)
    return inputs


def _plan(inputs: list[LetterInput], store: OutputStore, summary: BatchSummary
          ) -> list[tuple[LetterInput, int | None]]:
    """The letters to match, each with the index of the earlier letter rows it replaces (None: new).

    A letter whose rows an earlier run wrote without an error is skipped (its rows take its current
    input position); an earlier error row is tried again.
    """
    todo: list[tuple[LetterInput, int | None]] = []
    renumbered = False
    earlier = earlier_rows(inputs, [rows[0] for rows in store.letters])
    for index, item in enumerate(inputs):
        at = earlier.get(index)
        if at is not None and not any(values["error"] for values in store.letters[at]):
            summary.skipped += 1
            for values in store.letters[at]:  # the letter moved (files added before it): say where it is now
                renumbered |= values["row"] != item.row
                values["row"] = item.row
        else:
            summary.retried += at is not None
            todo.append((item, at))
    if renumbered and not todo:
        store.flush()
    return todo


def _tally(summary: BatchSummary, codes: Counter, results: list[MatchResult | None]) -> None:
    """Count a chunk's letters into ``summary`` (None: an error row) and their answers into ``codes``."""
    for result in results:
        if result is None:
            summary.failed += 1
            continue
        summary.matched += 1
        summary.positions += len(result.positions)
        summary.needs_review += result.needs_review
        summary.out_of_scope += result.out_of_scope
        codes[answer_of(result)[0]] += 1


def _match_chunk(matcher, chunk: list[tuple[LetterInput, int | None]], candidates, full: bool, by_position: bool
                 ) -> list[tuple[int | None, list[dict], MatchResult | None]]:
    """Match a chunk's letters together: each letter's rows, the index of the earlier rows they
    replace, and its result (None for an error row)."""
    readable = [item for item, _ in chunk if item.error is None]
    outcomes = iter(matcher.match_many([item.text for item in readable], names=[item.id for item in readable],
                                       candidates=candidates, errors="return"))
    matched: list[tuple[int | None, list[dict], MatchResult | None]] = []
    for item, at in chunk:
        outcome = next(outcomes) if item.error is None else None  # match_many keeps the order of its inputs
        if not isinstance(outcome, MatchResult):
            columns = POSITION_COLUMNS if by_position else ROW_COLUMNS
            matched.append((at, [error_row(item.row, item.id, item.error or str(outcome), full, columns)], None))
        elif by_position:
            matched.append((at, position_rows(item.row, item.id, outcome, full), outcome))
        else:
            matched.append((at, [result_row(item.row, item.id, outcome, full)], outcome))
    return matched


def match_frame(matcher, frame: pd.DataFrame, text_column: str = "text", *,
                candidates: tuple[str, ...] | str | None = None) -> pd.DataFrame:
    """Match a DataFrame's letters; returns the batch rows aligned with ``frame``'s index."""
    if text_column not in frame:
        raise InputError(f"no column {text_column!r} in the frame (columns: {', '.join(map(str, frame.columns))})")
    ids = [str(i) for i in frame.index]
    texts = [t if isinstance(t, str) else "" for t in frame[text_column]]
    outcomes = matcher.match_many(texts, names=ids, candidates=candidates, errors="return")
    rows = [result_row(n, i, o) if isinstance(o, MatchResult) else error_row(n, i, str(o))
            for n, (i, o) in enumerate(zip(ids, outcomes), start=1)]
    return pd.DataFrame(rows, index=frame.index).drop(columns=["row", "id"])
