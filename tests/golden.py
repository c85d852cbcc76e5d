"""The golden snapshot: every labelled letter's whole match, as JSON, to hold a restructuring to.

A refactoring must leave every output identical. ``snapshot(matcher)`` matches every letter of the
repository's letter sets (the batch path, evidence for the best code and for each candidate, the
letter's positions) with "today" frozen, so that months counted to today do not drift; only the
keys that name the machine's files are left out. ``tests/test_golden.py`` compares it with
``tests/data/golden.json.gz``.

Refresh the snapshot only for a change that is meant to change outputs, and say so in the commit::

    NOCMATCH_HOME=... python tests/golden.py write     # or: python tests/golden.py diff

Identical to the last digit only on a CPU that embeds like the one the snapshot was written on:
another CPU's kernels give embeddings that differ around the 7th decimal, and the duty-evidence
models fitted on them (at ingest) differ enough to move probabilities and, near a threshold, a
duty or a verdict (measured: 2026-12-01's snapshot against 2026-12-02's machine, same code and
packages, 13,131 differences in 262 letters, none outside those model outputs). So the snapshot
keeps the machine's :func:`numerics` fingerprint beside it: where it matches, every output is
compared; elsewhere, :func:`machine_independent` — everything but the numbers and what the
duty-evidence model decides (the parse, positions, dates, completeness, the ranking's order).
"""

from __future__ import annotations

import contextlib
import datetime
import gzip
import hashlib
import json
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SNAPSHOT = REPO / "tests" / "data" / "golden.json.gz"
#: the fingerprint of the embeddings the snapshot was written with (:func:`numerics`)
NUMERICS = REPO / "tests" / "data" / "golden.numerics"
#: outputs decided by the duty-evidence and support models (fitted at ingest on the machine's embeddings)
MODEL_DECIDED = frozenset({"verdict", "duties_evidenced", "essential_evidenced", "evidenced", "needs_review",
                           "review_reasons", "warnings", "unmatched_sentences", "message"})
LETTER_SETS = ("tests/data/letters", "benchmarks/data/dev_letters", "benchmarks/data/realistic_letters",
               "benchmarks/data/blind_letters",
               "benchmarks/data/position_letters", "benchmarks/data/position_letters_heldout",
               "benchmarks/data/position_letters_heldout2", "benchmarks/data/position_letters_heldout3",
               "benchmarks/data/position_letters_heldout4", "benchmarks/data/position_letters_heldout5")
#: the day the snapshot's "today" is (positions still held are counted to it)
FROZEN_TODAY = datetime.date(2026, 12, 1)
#: modules that read today's date
_READS_TODAY = ("nocmatch.matcher", "nocmatch.letter.positions")


def letters() -> list[tuple[str, str]]:
    """(path relative to the repository, text) of every letter, in a fixed order."""
    found = []
    for folder in LETTER_SETS:
        found += [(p.relative_to(REPO).as_posix(), p.read_text(encoding="utf-8"))
                  for p in sorted((REPO / folder).glob("*.txt"))]
    return found


class _FrozenDate(datetime.date):
    @classmethod
    def today(cls) -> datetime.date:
        return FROZEN_TODAY


@contextlib.contextmanager
def frozen_today() -> Iterator[None]:
    """``datetime.date.today()`` is :data:`FROZEN_TODAY` in the modules that read it."""
    shim = types.ModuleType("datetime")
    shim.__dict__.update(vars(datetime))
    shim.date = _FrozenDate
    modules = [sys.modules[name] for name in _READS_TODAY]
    try:
        for module in modules:
            module.datetime = shim
        yield
    finally:
        for module in modules:
            module.datetime = datetime


def snapshot(matcher) -> dict[str, dict]:
    """Every letter's result as JSON-ready dicts, keyed by its path."""
    import nocmatch.letter.positions  # noqa: F401  (imported before frozen_today patches it)
    names_texts = letters()
    with frozen_today():
        results = matcher.match_many([text for _, text in names_texts], names=[name for name, _ in names_texts],
                                     evidence_top=2, errors="return")
    out = {}
    for (name, _), result in zip(names_texts, results):
        out[name] = {"error": str(result)} if isinstance(result, Exception) else json.loads(
            json.dumps(result.to_dict(), ensure_ascii=False))
    return out


def numerics(matcher) -> str:
    """A digest of the machine's embedding arithmetic: the catalog's vectors (embedded at ingest) and
    a few sentences embedded by the runtime that embeds letters. It says nothing about the code or
    the models, so that a change of either is still compared in full."""
    digest = hashlib.sha256()
    embeddings = matcher.index.embeddings
    for vectors in (embeddings.lead, embeddings.duties, embeddings.titles):
        digest.update(np.ascontiguousarray(vectors).tobytes())
    digest.update(matcher.encoder.encode(list(NUMERICS_PROBE)).tobytes())
    return digest.hexdigest()


NUMERICS_PROBE = ("Develop REST APIs using Spring Boot.", "Plans the department's budget and hires staff.",
                  "Écrit et teste le code des applications.")


def machine_independent(value):
    """``value`` without its numbers and without what the duty-evidence models decide."""
    if isinstance(value, dict):
        return {k: machine_independent(v) for k, v in value.items() if k not in MODEL_DECIDED and not isinstance(v, float)}
    if isinstance(value, list):
        return [machine_independent(v) for v in value if not isinstance(v, float)]
    return value


def read_numerics() -> str:
    return NUMERICS.read_text(encoding="utf-8").strip() if NUMERICS.is_file() else ""


def read() -> dict[str, dict]:
    with gzip.open(SNAPSHOT, "rt", encoding="utf-8") as handle:
        return json.load(handle)


def write(data: dict[str, dict]) -> None:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    with open(SNAPSHOT, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as handle:
        handle.write(text.encode("utf-8"))


def differences(old, new, path: str = "") -> Iterator[str]:
    """Where two JSON values differ, one line each (a path and both values)."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(set(old) | set(new)):
            if key not in new or key not in old:
                yield f"{path}/{key}: {'only before' if key in old else 'only now'}"
            else:
                yield from differences(old[key], new[key], f"{path}/{key}")
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new)):
            yield from differences(a, b, f"{path}[{i}]")
    elif old != new:
        yield f"{path}: {json.dumps(old, ensure_ascii=False)[:120]} -> {json.dumps(new, ensure_ascii=False)[:120]}"


def _matcher():
    from nocmatch.config import default_data_dir, default_models_dir
    from nocmatch.matcher import Matcher
    return Matcher.load(default_data_dir(), default_models_dir())


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "diff"
    matcher = _matcher()
    current = snapshot(matcher)
    if command == "write":
        write(current)
        NUMERICS.write_text(numerics(matcher) + "\n", encoding="utf-8")
        print(f"wrote {SNAPSHOT.relative_to(REPO)}: {len(current)} letters")
    else:
        before = read()
        if numerics(matcher) != read_numerics():
            print("this machine embeds differently from the snapshot's: comparing the machine-independent outputs")
            before, current = machine_independent(before), machine_independent(current)
        lines = [f"{name}{line}" for name in sorted(set(before) | set(current))
                 for line in differences(before.get(name), current.get(name))]
        print("\n".join(lines[:200]) or "identical")
        sys.exit(1 if lines else 0)
