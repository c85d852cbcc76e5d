"""Accuracy benchmark: nocmatch and three baselines on labeled letter sets, side by side.

Run from the repository root::

    .venv/bin/python benchmarks/accuracy.py                 # every labeled set that is present
    .venv/bin/python benchmarks/accuracy.py --sets dev      # one set
    .venv/bin/python benchmarks/accuracy.py --data-dir /x/data/noc2021 --models-dir /x/models

Labeled sets (a folder of letters and a labels table):

* ``dev`` — ``benchmarks/data/dev_letters/`` (76 letters written for this project);
* ``test`` — ``tests/data/letters/`` (20 letters, the test suite's);
* ``realistic`` — ``benchmarks/data/realistic_letters/`` (92 letters in the styles people bring:
  terse, foreign, templates, tool-heavy, NOC pastes, promotions), written after every constant of
  the scorer was chosen: measured only;
* ``blind`` — ``benchmarks/data/blind_letters/`` (40 letters in the same styles by two writers who never
  saw the code or the other sets; no model is fitted on them: see its README for what was measured
  before any change);
* ``external`` — ``../shared/eval/`` when present (``--eval-dir`` elsewhere). Measured only: it is
  never used to choose anything. Its labels file is found and read generically (see
  :func:`load_labeled_set`).

It prints each metric for nocmatch and the baselines (:mod:`benchmarks.baselines`) side by side and
writes ``accuracy.json``, ``accuracy.md``, ``confusion_tech.png``, ``reliability.png`` and
``support_reliability.png`` under ``benchmarks/results/``. Letters hold personal data: only their
file names are written, never their text.

The same run measures the duty-evidence model (``nocmatch/engine/duty_evidence.py``, ``nocmatch/engine/judge.py``)
held-out on the duty-labelled letters the models learn from (``nocmatch.engine.duty_training.TRAINING_LABELS``:
the dev, test and realistic letters, labeller A, and the blind set's fourth, fifth and fourteenth batches,
labellers C, E and I; whatever ``--sets``; ``--no-duty-evidence`` skips it), in five folds grouped by letter as
``nocmatch.engine.duty_training.cross_validated`` (:mod:`benchmarks.duty_evidence_cv`): per letter style,
precision / recall / F1 and ROC AUC of a duty's ``evidenced`` (today's cosine threshold against the
model's out-of-fold probability) on the first labeller's clear labels and on those both labellers agree on
(where a second labeller, B, D, F or J, labelled the letter too);
how often each verdict (today's cosine verdict, the out-of-fold ``support_probability`` ≥ 0.5)
calls "supported" what the labeller calls supported and what it does not; the reliability of
``support_probability``; and the first tech code of each held-out tech letter by score and by
``support_probability``.

Definitions (the same for every system):

* a system's *answer* for a letter is the code it says the duties support: nocmatch's best tech code,
  or its ``best_overall_code`` when it flags the letter ``out_of_scope``; a baseline's best of all
  516 unit groups (it "flags" the letter when that code is not a tech code);
* top-1 / top-3: tech letters whose label is the first / among the first three of the system's
  ranking of the 11 tech codes;
* macro-F1 (answers): over every letter of the set, answers vs labels (non-tech labels and answers
  count as "other"), F1 averaged over the tech codes that occur as a label or an answer — so a
  tech letter wrongly flagged and a non-tech letter given a tech code both cost;
* macro-F1 (ranking): the same over the tech letters only, with each system's first tech code as
  its answer — the look-alike confusions alone, whatever the out-of-scope rule;
* title-mismatch accuracy: answer == label on the letters whose title points to another code;
* out-of-scope detection: non-tech letters flagged; wrongly flagged: tech letters flagged;
  right code named: non-tech letters whose best code of all 516 is the label;
* calibration: nocmatch's top-1 ``confidence`` against "top-1 is right", on tech letters
  (reliability table in 10 equal-width bins, Brier score, expected calibration error).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script: make `benchmarks` and `nocmatch` importable
    sys.path.insert(0, str(REPO))

from nocmatch.config import TECH_CODES  # noqa: E402
from nocmatch.engine.duty_evidence import EVIDENCED_MIN, FEATURES  # noqa: E402
from nocmatch.engine.judge import SUPPORTED_MIN, WEAK_MIN  # noqa: E402
from nocmatch.errors import InputError, NocmatchError  # noqa: E402

OTHER = "other"
RESULTS_DIR = REPO / "benchmarks" / "results"
SET_FOLDERS = {"dev": REPO / "benchmarks" / "data" / "dev_letters", "test": REPO / "tests" / "data" / "letters",
               "realistic": REPO / "benchmarks" / "data" / "realistic_letters",
               "blind": REPO / "benchmarks" / "data" / "blind_letters"}
SET_ORDER = ("dev", "test", "realistic", "blind", "external")
RELIABILITY_BINS = 10
# Issue 4's targets, on every set.
TARGETS = {"top1": (">=", 0.95), "top3": (">=", 1.0), "title_mismatch": (">=", 0.90),
           "out_of_scope_detected": (">=", 0.90), "tech_wrongly_flagged": ("<=", 0.05)}
EXTERNAL_TOP1_LEAD = 0.15  # on the external set nocmatch must beat the best baseline's top-1 by this
# Minimum composition of the development set (issue 4).
DEV_MINIMUMS = {"letters": 60, "each_tech_code": 4, "title_mismatch": 12, "non_tech": 10}
# Column names accepted in an external labels table, first match wins.
COLUMN_ALIASES = {
    "file": ("file", "filename", "file_name", "path", "letter", "letter_file", "id", "letter_id"),
    "expected_code": ("expected_code", "code", "noc", "noc_code", "noc2021", "label", "gold_code"),
    "text": ("text", "letter_text", "body", "content"),
    "title_code": ("title_code", "stated_title_code"),
    "title_mismatch": ("title_mismatch", "mismatch"),
    "scope": ("scope",),
}
LABEL_SUFFIXES = (".csv", ".tsv", ".jsonl")
# The duty-by-duty labels of the dev, test and realistic letters (benchmarks/data/duty_labels/README.md).
DUTY_LABELS = REPO / "benchmarks" / "data" / "duty_labels"
# Letter styles, in report order: dev and test letters are "polished", the realistic set's come from its labels.csv.
STYLE_ORDER = ("polished", "terse", "foreign", "template", "tools", "nocpaste", "mixed", "promotion")
# How the ranking with the evidence picks a held-out letter's first tech code.
RANKING_RULES = {"by_score": "ranking score (today)", "by_support": "support_probability",
                 "by_support_or_score": f"support_probability; score when all < {WEAK_MIN}"}


# -- labeled sets -----------------------------------------------------------------------------
@dataclass
class LabeledLetter:
    """One letter of a labeled set (its text stays in memory only)."""

    file: str
    text: str
    expected: str
    title_mismatch: bool | None = None

    @property
    def tech(self) -> bool:
        return self.expected in TECH_CODES


@dataclass
class LabeledSet:
    """A folder of letters and its labels."""

    name: str
    path: Path
    letters: list[LabeledLetter]
    unreadable: list[dict] = field(default_factory=list)  #: {"file", "error"} for letters that could not be read
    readme: str | None = None  #: first line of the set's README, when it has one


def normalize_code(value) -> str:
    """A NOC code as 5 digits ('21231', 21231.0 and ' 1100 ' → '21231', '21231', '01100')."""
    text = str(value).strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit() or len(text) > 5:
        raise InputError(f"{value!r} is not a NOC 2021 code")
    return text.zfill(5)


def parse_bool(value) -> bool | None:
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "y"):
        return True
    if text in ("false", "0", "no", "n"):
        return False
    return None


def find_labels_file(folder: Path) -> Path:
    """``labels.csv`` if present, else the one table (.csv, .tsv, .jsonl) at the top of ``folder``."""
    if (folder / "labels.csv").is_file():
        return folder / "labels.csv"
    tables = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in LABEL_SUFFIXES)
    if len(tables) != 1:
        found = ", ".join(p.name for p in tables) or "none"
        raise InputError(f"{folder}: expected one labels table (.csv, .tsv or .jsonl), found {found}")
    return tables[0]


def read_label_records(path: Path) -> list[dict]:
    try:
        if path.suffix.lower() == ".jsonl":
            return [json.loads(line) for line in path.read_text(encoding="utf-8-sig").splitlines() if line.strip()]
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle, delimiter="\t" if path.suffix.lower() == ".tsv" else ","))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, csv.Error) as exc:
        raise InputError(f"{path}: cannot read the labels ({type(exc).__name__})") from exc


def resolve_columns(columns: list[str], path: Path) -> dict[str, str]:
    """Map our field names to the table's columns (see ``COLUMN_ALIASES``)."""
    lowered = {c.strip().lower(): c for c in columns}
    mapping = {name: next((lowered[a] for a in aliases if a in lowered), None)
               for name, aliases in COLUMN_ALIASES.items()}
    if mapping["expected_code"] is None:
        raise InputError(f"{path}: no label column (one of {', '.join(COLUMN_ALIASES['expected_code'])})")
    if mapping["file"] is None and mapping["text"] is None:
        raise InputError(f"{path}: no letter column (a file name or the text)")
    return mapping


def letter_path(folder: Path, name: str) -> Path | None:
    """Where a labels row's letter file is: beside the labels or in a ``letters/`` subfolder."""
    for candidate in (folder / name, folder / "letters" / name):
        if candidate.is_file():
            return candidate
    matches = sorted(folder.rglob(f"{Path(name).name}*"))
    return matches[0] if len(matches) == 1 else None


def load_labeled_set(folder: Path, name: str) -> LabeledSet:
    """Read a folder of letters and its labels table.

    The labels table is ``labels.csv`` or the folder's only .csv/.tsv/.jsonl; it needs a label
    column (``expected_code``, ``code``, ``noc`` ...) and either a file column (letters beside it or
    under ``letters/``; .txt, .docx, .pdf) or a text column. ``title_mismatch`` is read when present,
    else derived from a ``title_code`` column, else unknown.
    """
    from nocmatch.letter.readers import read_letter

    folder = Path(folder)
    labels_path = find_labels_file(folder)
    records = read_label_records(labels_path)
    if not records:
        raise InputError(f"{labels_path}: no labeled letters")
    columns = resolve_columns(list(dict.fromkeys(k for r in records for k in r)), labels_path)  # jsonl rows may differ
    letters, unreadable = [], []
    for number, record in enumerate(records, start=1):
        ident = str(record.get(columns["file"]) or f"row {number}") if columns["file"] else f"row {number}"
        try:
            expected = normalize_code(record[columns["expected_code"]])
            if columns["text"] and isinstance(record.get(columns["text"]), str) and record[columns["text"]].strip():
                text = record[columns["text"]]
            else:
                path = letter_path(folder, ident)
                if path is None:
                    raise InputError(f"{ident}: letter file not found")
                text, _ = read_letter(path)
        except NocmatchError as exc:
            unreadable.append({"file": ident, "error": str(exc)})
            continue
        mismatch = parse_bool(record.get(columns["title_mismatch"], "")) if columns["title_mismatch"] else None
        if mismatch is None and columns["title_code"] and str(record.get(columns["title_code"], "")).strip():
            try:
                mismatch = normalize_code(record[columns["title_code"]]) != expected
            except InputError:
                mismatch = None
        letters.append(LabeledLetter(ident, text, expected, mismatch))
    readme = next((p for p in (folder / "README.md", folder / "README.txt", folder / "README") if p.is_file()), None)
    first_line = None
    if readme:
        first_line = next((line.strip("# ").strip() for line in readme.read_text(encoding="utf-8", errors="replace")
                           .splitlines() if line.strip()), None)
    return LabeledSet(name, folder, letters, unreadable, first_line)


def composition(labeled: LabeledSet) -> dict:
    """What a set holds: letters, tech/non-tech, per tech code, title-mismatch letters."""
    per_code = {code: sum(1 for x in labeled.letters if x.expected == code) for code in TECH_CODES}
    known = [x.title_mismatch for x in labeled.letters if x.title_mismatch is not None]
    return {"letters": len(labeled.letters), "tech": sum(x.tech for x in labeled.letters),
            "non_tech": sum(not x.tech for x in labeled.letters), "per_tech_code": per_code,
            "title_mismatch": sum(known) if known else None,
            "title_mismatch_tech": sum(1 for x in labeled.letters if x.title_mismatch and x.tech),
            "non_tech_codes": sorted({x.expected for x in labeled.letters if not x.tech}),
            "unreadable": len(labeled.unreadable)}


def check_minimums(counts: dict) -> dict:
    """Issue 4's minimum composition of the development set, each with its count and whether it is met."""
    fewest = min(counts["per_tech_code"].values())
    actual = {"letters": counts["letters"], "each_tech_code": fewest,
              "title_mismatch": counts["title_mismatch"] or 0, "non_tech": counts["non_tech"]}
    return {k: {"required": v, "actual": actual[k], "met": actual[k] >= v} for k, v in DEV_MINIMUMS.items()}


# -- predictions ------------------------------------------------------------------------------
@dataclass
class Prediction:
    """What one system said about one letter."""

    ranked_tech: list[str]          #: the 11 tech codes, best first (empty: the system refused the letter)
    answer: str | None              #: the code the system says the duties support (None: refused)
    flagged: bool                   #: says the letter is another occupation (out of scope)
    best_overall: str | None        #: its best code of all 516 unit groups
    confidence: float | None = None  #: its top-1 confidence, when it gives one
    error: str | None = None


def nocmatch_predictions(matcher, letters: list[LabeledLetter]) -> list[Prediction]:
    """Match every letter with nocmatch (one batched pass); a refused letter is a wrong answer."""
    results = matcher.match_many([x.text for x in letters], names=[x.file for x in letters], errors="return")
    predictions = []
    for result in results:
        if isinstance(result, NocmatchError):
            predictions.append(Prediction([], None, False, None, None, str(result)))
            continue
        answer = result.supported_code
        predictions.append(Prediction([c.code for c in result.candidates], answer, result.out_of_scope,
                                      result.best_overall_code, float(result.best.confidence)))
    return predictions


def predictions_from_scores(scores: np.ndarray, codes: list[str]) -> list[Prediction]:
    """A baseline's predictions from its (letters × unit groups) scores.

    Its tech ranking orders the 11 tech codes by score; its answer is its best of all unit groups;
    it flags a letter when that code is not a tech code.
    """
    tech_columns = np.array([codes.index(c) for c in TECH_CODES])
    predictions = []
    for row in scores:
        order = tech_columns[np.argsort(-row[tech_columns], kind="stable")]
        best = codes[int(np.argmax(row))]
        predictions.append(Prediction([codes[i] for i in order], best, best not in TECH_CODES, best))
    return predictions


# -- metrics (pure functions of labels and predictions) ----------------------------------------
def rate(hits: int, total: int) -> dict:
    """A proportion with its counts; ``value`` is None when there is nothing to count."""
    return {"value": round(hits / total, 4) if total else None, "hits": int(hits), "total": int(total)}


def top_k(expected: list[str], predictions: list[Prediction], k: int) -> dict:
    """Share of tech letters whose label is among the system's first ``k`` tech codes."""
    pairs = [(e, p) for e, p in zip(expected, predictions) if e in TECH_CODES]
    return rate(sum(e in p.ranked_tech[:k] for e, p in pairs), len(pairs))


def as_tech_or_other(code: str | None) -> str:
    return code if code in TECH_CODES else OTHER


def macro_f1(expected: list[str], answers: list[str | None], labels=TECH_CODES) -> dict:
    """F1 per tech code (non-tech codes and refusals count as "other"), averaged over the codes that occur.

    scikit-learn's ``precision_recall_fscore_support`` over the tech codes present in the labels or
    the answers (an absent code would add an undefined 0 to the average).
    Returns ``{"value", "per_code": {code: {"precision", "recall", "f1", "support"}}}``.
    """
    from sklearn.metrics import precision_recall_fscore_support

    truth = [as_tech_or_other(e) for e in expected]
    guess = [as_tech_or_other(a) for a in answers]
    present = [code for code in labels if code in truth or code in guess]
    if not present:
        return {"value": None, "per_code": {}}
    scores = precision_recall_fscore_support(truth, guess, labels=present, average=None, zero_division=0.0)
    per_code = {code: {"precision": round(float(p), 4), "recall": round(float(r), 4), "f1": round(float(f), 4),
                       "support": int(n)} for code, p, r, f, n in zip(present, *scores)}
    return {"value": round(float(np.mean(scores[2])), 4), "per_code": per_code}


def title_mismatch_accuracy(letters: list[LabeledLetter], predictions: list[Prediction]) -> dict:
    """Share of title-mismatch letters whose answer is the label (the duties' code, not the title's)."""
    pairs = [(x, p) for x, p in zip(letters, predictions) if x.title_mismatch]
    return rate(sum(p.answer == x.expected for x, p in pairs), len(pairs))


def out_of_scope_rates(expected: list[str], predictions: list[Prediction]) -> dict:
    """Non-tech letters flagged, tech letters wrongly flagged, non-tech letters whose best code is the label."""
    other = [(e, p) for e, p in zip(expected, predictions) if e not in TECH_CODES]
    tech = [p for e, p in zip(expected, predictions) if e in TECH_CODES]
    return {"out_of_scope_detected": rate(sum(p.flagged for _, p in other), len(other)),
            "tech_wrongly_flagged": rate(sum(p.flagged for p in tech), len(tech)),
            "right_code_named": rate(sum(p.best_overall == e for e, p in other), len(other))}


def reliability(confidence: list[float], correct: list[bool], n_bins: int = RELIABILITY_BINS) -> dict:
    """Reliability table of top-1 confidence, Brier score (scikit-learn's) and expected calibration error.

    Bins are equal-width on [0, 1], each closed on the left (the last includes 1.0); ECE is the
    count-weighted mean of ``|accuracy − mean confidence|`` over the bins.
    """
    from sklearn.metrics import brier_score_loss

    conf = np.asarray(confidence, dtype=float)
    hit = np.asarray(correct, dtype=bool)
    if len(conf) == 0:
        return {"n": 0, "bins": [], "brier": None, "ece": None, "mean_confidence": None, "accuracy": None}
    index = np.minimum((conf * n_bins).astype(int), n_bins - 1)
    count = np.bincount(index, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_conf = np.bincount(index, weights=conf, minlength=n_bins) / count
        accuracy = np.bincount(index, weights=hit, minlength=n_bins) / count
    filled = count > 0
    ece = float(np.sum(count[filled] / len(conf) * np.abs(accuracy[filled] - mean_conf[filled])))
    bins = [{"low": round(b / n_bins, 2), "high": round((b + 1) / n_bins, 2), "count": int(count[b]),
             "mean_confidence": round(float(mean_conf[b]), 4) if count[b] else None,
             "accuracy": round(float(accuracy[b]), 4) if count[b] else None} for b in range(n_bins)]
    return {"n": int(len(conf)), "bins": bins, "brier": round(float(brier_score_loss(hit, conf, pos_label=True)), 4),
            "ece": round(ece, 4), "mean_confidence": round(float(conf.mean()), 4), "accuracy": round(float(hit.mean()), 4)}


def confusion(expected: list[str], answers: list[str | None], labels=TECH_CODES) -> dict:
    """scikit-learn's confusion matrix (rows: label, columns: answer) over the tech codes plus "other",
    and its off-diagonal pairs.

    Non-tech labels are the row "other"; answers outside the tech codes (out of scope, refusals) the
    column "other". ``pairs`` lists each off-diagonal cell, most frequent first.
    """
    from sklearn.metrics import confusion_matrix

    axis = list(labels) + [OTHER]
    matrix = confusion_matrix([as_tech_or_other(e) for e in expected], [as_tech_or_other(a) for a in answers],
                              labels=axis) if expected else np.zeros((len(axis), len(axis)), dtype=int)
    pairs = [{"label": axis[i], "answer": axis[j], "count": int(matrix[i, j])}
             for i in range(len(axis)) for j in range(len(axis)) if i != j and matrix[i, j]]
    pairs.sort(key=lambda p: (-p["count"], p["label"], p["answer"]))
    return {"labels": axis, "matrix": matrix.tolist(), "pairs": pairs}


def system_metrics(letters: list[LabeledLetter], predictions: list[Prediction]) -> dict:
    """Every headline metric of one system on one set."""
    expected = [x.expected for x in letters]
    answers = [p.answer for p in predictions]
    tech = [(e, p.ranked_tech[0] if p.ranked_tech else None) for e, p in zip(expected, predictions) if e in TECH_CODES]
    return {"top1": top_k(expected, predictions, 1), "top3": top_k(expected, predictions, 3),
            "macro_f1": macro_f1(expected, answers),
            "macro_f1_ranking": macro_f1([e for e, _ in tech], [t for _, t in tech]),
            "title_mismatch": title_mismatch_accuracy(letters, predictions),
            **out_of_scope_rates(expected, predictions),
            "refused": rate(sum(p.error is not None for p in predictions), len(predictions))}


def calibration(letters: list[LabeledLetter], predictions: list[Prediction]) -> dict:
    """Reliability of nocmatch's top-1 confidence on the tech letters it matched."""
    pairs = [(x, p) for x, p in zip(letters, predictions) if x.tech and p.confidence is not None]
    return reliability([p.confidence for _, p in pairs], [p.ranked_tech[0] == x.expected for x, p in pairs])


def disagreements(letters: list[LabeledLetter], by_system: dict[str, list[Prediction]]) -> list[dict]:
    """Letters where nocmatch's top-1 tech code or its answer differs from the label (to read, not to tune on)."""
    rows = []
    for i, letter in enumerate(letters):
        mine = by_system["nocmatch"][i]
        top = mine.ranked_tech[0] if mine.ranked_tech else None
        wrong_rank = letter.tech and top != letter.expected
        if not wrong_rank and mine.answer == letter.expected:
            continue
        rows.append({"letter": letter.file, "label": letter.expected, "title_mismatch": letter.title_mismatch,
                     "answer": mine.answer, "best_tech": top, "confidence": mine.confidence,
                     "out_of_scope": mine.flagged, "error": mine.error,
                     "baselines": {name: p[i].answer for name, p in by_system.items() if name != "nocmatch"}})
    return rows


def target_checks(metrics: dict[str, dict], external: bool, baselines: list[str] | None = None) -> dict:
    """Issue 4's targets for nocmatch on one set, and its lead over the best of ``baselines`` (default: all others)."""
    mine = metrics["nocmatch"]
    baselines = [n for n in metrics if n != "nocmatch"] if baselines is None else baselines
    checks = {}
    for key, (sense, target) in TARGETS.items():
        value = mine[key]["value"]
        others = [metrics[n][key]["value"] for n in baselines if metrics[n][key]["value"] is not None]
        best_other = (max(others) if sense == ">=" else min(others)) if others else None
        lead = None
        if value is not None and best_other is not None:
            lead = round(value - best_other if sense == ">=" else best_other - value, 4)
        met = None if value is None else (value >= target if sense == ">=" else value <= target)
        checks[key] = {"target": f"{sense} {target}", "value": value, "met": met, "best_baseline": best_other,
                       "lead_over_best_baseline": lead}
    if external:
        lead = checks["top1"]["lead_over_best_baseline"]
        checks["top1_lead_external"] = {"target": f">= {EXTERNAL_TOP1_LEAD} over the best baseline",
                                        "value": lead, "met": None if lead is None else lead >= EXTERNAL_TOP1_LEAD}
    return checks


# -- duty evidence and verdicts (held-out; benchmarks/duty_evidence_cv.py) ------------------------
def binary_scores(truth, predicted) -> dict:
    """Precision, recall and F1 (scikit-learn's) of a yes/no judgment against a reference, with the counts;
    a value is None when undefined (nothing predicted, or no positive in the reference)."""
    from sklearn.metrics import precision_recall_fscore_support

    truth, predicted = np.asarray(truth, dtype=bool), np.asarray(predicted, dtype=bool)
    out = {"n": int(truth.size), "positives": int(truth.sum()), "predicted": int(predicted.sum())}
    if not truth.size:
        return {"precision": None, "recall": None, "f1": None, **out}
    values = precision_recall_fscore_support(truth, predicted, average="binary", zero_division=np.nan)[:3]
    return {**{k: None if np.isnan(v) else round(float(v), 4) for k, v in zip(("precision", "recall", "f1"), values)},
            **out}


def roc_auc(truth, score) -> float | None:
    """scikit-learn's ROC AUC, or None when the reference holds one class only."""
    from sklearn.metrics import roc_auc_score

    truth = np.asarray(truth, dtype=bool)
    return round(float(roc_auc_score(truth, score)), 4) if 0 < truth.sum() < truth.size else None


def style_groups(styles: list[str]) -> list[tuple[str, np.ndarray]]:
    """("polished", mask), each realistic style in :data:`STYLE_ORDER` (then any other), ("all", all rows)."""
    styles = np.asarray(styles)
    names = [s for s in STYLE_ORDER if s in set(styles)] + sorted(set(styles) - set(STYLE_ORDER))
    return [(name, styles == name) for name in names] + [("all", np.ones(styles.size, dtype=bool))]


def duty_level(truth: np.ndarray, cosine: np.ndarray, cos: np.ndarray, **probabilities: np.ndarray) -> dict:
    """Each method's ``evidenced`` against one reference's clear labels (``truth``: clearly evidenced):
    the cosine threshold, and each model's probabilities (``logistic``: a logistic regression on the pair
    features; ``pairs``: the boosted trees on them alone; ``model``: the duty-evidence model)."""
    return {"duties": int(truth.size), "cosine": binary_scores(truth, cosine),
            **{name: binary_scores(truth, p >= EVIDENCED_MIN) for name, p in probabilities.items()},
            "roc_auc": {"cosine": roc_auc(truth, cos), **{name: roc_auc(truth, p) for name, p in probabilities.items()}}}


def verdict_level(supported: np.ndarray, old: np.ndarray, new: np.ndarray) -> dict:
    """Of the codes the reference calls supported, the share each method calls "supported"; of those it
    calls not supported, the share each wrongly calls "supported"."""
    def called(mask):
        return {"old": rate(int(old[mask].sum()), int(mask.sum())), "new": rate(int(new[mask].sum()), int(mask.sum()))}

    return {"pairs": int(supported.size), "supported_called_supported": called(supported),
            "not_supported_called_supported": called(~supported)}


def ranking_by_evidence(rows: list[dict]) -> dict:
    """Top-1 over the 11 tech codes of held-out tech letters: by the ranking score, by ``support_probability``
    (ties by score), and by ``support_probability`` unless every code is below the "weak" bar (then by score)."""
    def top(values, tie):
        return max(range(len(values)), key=lambda i: (values[i], tie[i]))

    picks = []
    for row in rows:
        score, support = row["score"], row["support_probability"]
        by_score, by_support = top(score, [0] * len(score)), top(support, score)
        fallback = max(support) < WEAK_MIN
        picks.append({"letter": row["letter"], "style": row["style"], "expected": row["expected"],
                      "by_score": row["codes"][by_score], "by_support": row["codes"][by_support],
                      "by_support_or_score": row["codes"][by_score if fallback else by_support],
                      "fell_back": fallback, "best_support": round(max(support), 4)})
    out = {}
    for name, mask in style_groups([p["style"] for p in picks]):
        chosen = [p for p, m in zip(picks, mask) if m]
        out[name] = {"letters": len(chosen), "fell_back": sum(p["fell_back"] for p in chosen),
                     **{key: rate(sum(p[key] == p["expected"] for p in chosen), len(chosen))
                        for key in RANKING_RULES}}
    wrong = [p for p in picks if len({p["expected"], *(p[k] for k in RANKING_RULES)}) > 1]
    return {"by_style": out, "disagreements": wrong}


def held_out_matches(letters: dict, matches: dict) -> dict:
    """Per style, the held-out whole matches: tech letters ranked right (and not flagged), tech letters
    wrongly flagged out of scope, other occupations flagged, letters refused."""
    out = {}
    keys = list(letters)
    for name, mask in style_groups([letters[key]["style"] for key in keys]):
        chosen = [key for key, m in zip(keys, mask) if m]
        tech = [key for key in chosen if letters[key]["expected"] in TECH_CODES]
        other = [key for key in chosen if letters[key]["expected"] not in TECH_CODES]
        done = {key: matches.get(key) for key in chosen}
        out[name] = {
            "top1": rate(sum(bool(done[k]) and done[k]["best_code"] == letters[k]["expected"]
                             and not done[k]["out_of_scope"] for k in tech), len(tech)),
            "tech_wrongly_flagged": rate(sum(bool(done[k]) and done[k]["out_of_scope"] for k in tech), len(tech)),
            "out_of_scope_flagged": rate(sum(bool(done[k]) and done[k]["out_of_scope"] for k in other), len(other)),
            "refused": sum(done[k] is None for k in chosen)}
    return out


#: rows of the duty-evidence tables besides the styles
OWN_LETTERS, BLIND_LETTERS, BOTH_AGREE = ("dev, test and realistic letters (labeller A)",
                                          "blind letters, batches 4, 5 and 14 (labellers C, E and I)",
                                          "all, both labellers agree")


def second_labels(labels_dir: Path, kind: str) -> list[dict]:
    """The ``kind`` ("labels" or "verdicts") rows of the labellers who labelled a share of the training
    letters independently (B, D, F and J), for agreement."""
    from nocmatch.engine.duty_training import LABELS_FOLDER, TRAINING_LABELS, training_rows

    trained = {(r["set"], r["letter"]) for r in training_rows(labels_dir, "labels")}
    root = labels_dir.resolve().parents[2]
    rows = []
    for folder, firsts in TRAINING_LABELS.items():
        for name, found in labeller_rows(labels_dir if folder == LABELS_FOLDER else root / folder, kind).items():
            if name.rstrip("0123456789") not in firsts:
                rows += [r for r in found if (r["set"], r["letter"]) in trained]
    return rows


def duty_evidence_report(held, labels_dir: Path, evidence_min: float) -> dict:
    """The held-out duty-evidence section (``accuracy.json``'s ``duty_evidence``) from
    :func:`benchmarks.duty_evidence_cv.held_out`'s fits: duty level, verdicts, reliability, ranking."""
    from benchmarks.duty_evidence_cv import logistic_probabilities

    data, folds = held.data, held.folds
    style_of = {key: info["style"] for key, info in held.letters.items()}
    # duty level: the first labeller's clear labels (1 left out), and the clear labels both labellers agree on
    cos = data.X[:, FEATURES.index("cos")]
    cosine = (cos >= evidence_min) & (data.X[:, FEATURES.index("assigned")] > 0)  # the cosine threshold's evidenced
    probability = folds["duty_probabilities"]
    logistic = logistic_probabilities(data, folds["fold_of_code"])
    styles = np.array([style_of[key[:2]] for key in data.duty_keys])
    clear = data.label != 1
    pairs = folds["pair_probabilities"]

    def methods(rows: np.ndarray) -> dict:
        return duty_level(data.label[rows] == 2, cosine[rows], cos[rows], logistic=logistic[rows], pairs=pairs[rows],
                          model=probability[rows])

    duties = {name: methods(mask & clear) for name, mask in style_groups(styles)}
    blind = np.array([key[0] == "blind" for key in data.duty_keys])
    duties[OWN_LETTERS] = methods(clear & ~blind)
    duties[BLIND_LETTERS] = methods(clear & blind)
    second_label = {(r["set"], r["letter"], r["code"], int(r["position"])): int(r["label"])
                    for r in second_labels(labels_dir, "labels")}
    second = np.array([second_label.get(key, -1) for key in data.duty_keys])
    agreed = clear & (second == data.label)
    duties[BOTH_AGREE] = methods(agreed)
    engine = held.engine_evidenced
    judged = clear & (engine >= 0)
    cosine_vs_engine = {"clear_duties_judged_by_engine": int(judged.sum()),
                        "differ": int((cosine[judged] != (engine[judged] == 1)).sum()),
                        "outside_judged_sub_occupation": int((clear & (engine < 0)).sum())}
    # verdicts: the first labeller's, and those both labellers agree on
    has = np.array([info["verdict"] in ("supported", "not supported") for info in data.codes])
    codes = [info for info, h in zip(data.codes, has) if h]
    a_supported = np.array([info["verdict"] == "supported" for info in codes])
    old = np.array([info["score"].verdict == "supported" for info in codes])
    support = np.array([p for p, h in zip(folds["support_probabilities"], has) if h], dtype=float)
    new = support >= SUPPORTED_MIN
    code_styles = np.array([style_of[(info["set"], info["letter"])] for info in codes])
    code_groups = style_groups(code_styles)
    code_blind = np.array([info["set"] == "blind" for info in codes])
    second_verdict = {(r["set"], r["letter"], r["code"]): r["verdict"] for r in second_labels(labels_dir, "verdicts")}
    both = np.array([second_verdict.get((info["set"], info["letter"], info["code"])) == info["verdict"]
                     for info in codes])
    code_groups += [(OWN_LETTERS, ~code_blind), (BLIND_LETTERS, code_blind), (BOTH_AGREE, both)]
    verdicts = {name: verdict_level(a_supported[mask], old[mask], new[mask]) for name, mask in code_groups}
    # the verdicts a user reads: each held-out letter's whole match with its fold's models (a letter whose
    # pasted NOC duties its own sentences contradict is judged on those; see docs/method.md, Checks)
    shown = np.array([info["code"] in (held.matches.get((info["set"], info["letter"])) or {}).get("supported", ())
                      for info in codes])
    shown_verdicts = {name: verdict_level(a_supported[mask], new[mask], shown[mask]) for name, mask in code_groups}
    return {
        "letters": len(held.letters), "duty_labels": int(data.label.size), "clear_duty_labels": int(clear.sum()),
        "codes_with_verdict": len(codes), "folds": int(folds["fold_of_code"].max()) + 1,
        "letters_labelled_twice": len({key[:2] for key in second_label}),
        "cosine_threshold": evidence_min, "evidenced_min": EVIDENCED_MIN, "supported_min": SUPPORTED_MIN,
        "cosine_vs_engine": cosine_vs_engine,
        "duties": duties, "verdicts": verdicts, "shown_verdicts": shown_verdicts,
        "support_reliability": reliability(support.tolist(), a_supported.tolist()),
        "ranking": ranking_by_evidence(held.ranking),
        "matches": held_out_matches(held.letters, held.matches),
        "seconds": held.seconds,
    }


# -- the run ----------------------------------------------------------------------------------
#: a set's own duty labels (``<set>/duty_labels``), by labellers who never saw the code nor the other sets' labels
APART_LABELS = "duty_labels"


def labeller_rows(folder: Path, kind: str) -> dict[str, list[dict]]:
    """``{labeller: rows}`` of the ``<kind>_<labeller>.csv`` files of a labels folder."""
    from nocmatch.engine.duty_training import read_csv_rows

    return {path.stem.split("_", 1)[1]: read_csv_rows([path]) for path in sorted(folder.glob(f"{kind}_*.csv"))}


def duty_labels_apart(matcher, labeled: LabeledSet) -> dict | None:
    """The shipped models' duty evidence and verdicts against a set's own duty labels of letters written
    and labelled apart from the code, on which nothing was fitted (None when the set has none): the
    letters the models learn from (:data:`nocmatch.engine.duty_training.TRAINING_LABELS`) are left out.

    A duty the match does not show (outside the sub-occupation the score judged) counts as not
    evidenced; a code is "supported" as a user reads it (:func:`benchmarks.duty_evidence_cv.shown_supported`).
    """
    from benchmarks.duty_evidence_cv import shown_supported
    from nocmatch.engine.duty_training import default_labels_dir, training_rows

    labels_dir = default_labels_dir()
    trained = {r["letter"] for r in training_rows(labels_dir, "labels")} if labels_dir else set()

    def apart(kind: str) -> dict[str, list[dict]]:
        found = {name: [r for r in rows if r["letter"] not in trained]
                 for name, rows in labeller_rows(labeled.path / APART_LABELS, kind).items()}
        return {name: rows for name, rows in found.items() if rows}

    labels, verdicts = apart("labels"), apart("verdicts")
    if not labels:
        return None
    # each batch has a labeller of every letter and one of a share: a letter's first labeller is the one
    # of the two who labelled more letters
    size = {name: len({r["letter"] for r in rows}) for name, rows in labels.items()}
    by_letter: dict[str, list[str]] = {}
    for name, rows in labels.items():
        for letter in dict.fromkeys(r["letter"] for r in rows):
            by_letter.setdefault(letter, []).append(name)
    first_of = {letter: max(names, key=lambda n: (size[n], n)) for letter, names in by_letter.items()}
    firsts = sorted(set(first_of.values()))
    first_rows = [r for name in firsts for r in labels[name] if first_of[r["letter"]] == name]
    second = {(r["letter"], r["code"], int(r["position"])): int(r["label"])
              for name, rows in labels.items() for r in rows if first_of[r["letter"]] != name}
    second_verdicts = {(r["letter"], r["code"]): r["verdict"] for name, rows in verdicts.items() for r in rows
                       if first_of[r["letter"]] != name}
    codes_of: dict[str, list[str]] = {}
    for r in first_rows:
        codes_of.setdefault(r["letter"], []).append(r["code"])
    codes_of = {letter: list(dict.fromkeys(codes)) for letter, codes in codes_of.items()}
    texts = {x.file: x.text for x in labeled.letters}
    evidenced, shown = {}, {}
    for name, codes in codes_of.items():
        result = matcher.match(texts[name], name=name, evidence_codes=codes)
        evidenced.update({(name, code, d.position): d.evidenced for code in codes
                          for d in result.evidence_by_code[code].duties})
        shown[name] = set(shown_supported(result))
    styles = {r["file"]: r.get("style") or "unknown" for r in read_label_records(find_labels_file(labeled.path))}
    clear = [r for r in first_rows if r["label"] != "1"]
    keys = [(r["letter"], r["code"], int(r["position"])) for r in clear]
    truth = np.array([r["label"] == "2" for r in clear])
    predicted = np.array([evidenced.get(k, False) for k in keys])
    agreed = np.array([second.get(k) == int(r["label"]) for k, r in zip(keys, clear)])
    duties = {name: binary_scores(truth[mask], predicted[mask])
              for name, mask in style_groups([styles[r["letter"]] for r in clear])}
    duties["all, both labellers agree"] = binary_scores(truth[agreed], predicted[agreed])
    rows = [r for name in firsts for r in verdicts[name] if first_of[r["letter"]] == name]
    supported = np.array([r["verdict"] == "supported" for r in rows])
    called = np.array([r["code"] in shown[r["letter"]] for r in rows])
    both = np.array([second_verdicts.get((r["letter"], r["code"])) == r["verdict"] for r in rows])
    return {"labellers": {"first": firsts, "second": sorted(set(labels) - set(firsts))},
            "letters": len(codes_of), "letters_second": len({k[0] for k in second}),
            "clear_duty_labels": len(clear), "duties": duties,
            "verdicts": {name: {"supported_called_supported": rate(int((supported & called & m).sum()),
                                                                   int((supported & m).sum())),
                                "not_supported_called_supported": rate(int((~supported & called & m).sum()),
                                                                       int((~supported & m).sum()))}
                         for name, m in (("all", np.ones(len(rows), dtype=bool)), ("both labellers agree", both))},
            "verdicts_differing": [{"letter": r["letter"], "code": r["code"], "label": r["verdict"],
                                    "shown_supported": bool(c)} for r, c in zip(rows, called)
                                   if (r["verdict"] == "supported") != c]}


def evaluate_set(matcher, labeled: LabeledSet, baselines: list) -> tuple[dict, dict[str, list[Prediction]]]:
    """Run nocmatch and the fitted baselines on one set; returns its report and the predictions."""
    from benchmarks.baselines import encode_letters

    letters = labeled.letters
    tech = [x for x in letters if x.tech]
    codes = list(matcher.catalog.units["code"])
    started = time.perf_counter()
    by_system = {"nocmatch": nocmatch_predictions(matcher, letters)}
    nocmatch_seconds = time.perf_counter() - started
    encoded = encode_letters(matcher, [x.text for x in letters])
    for baseline in baselines:
        by_system[baseline.name] = predictions_from_scores(baseline.scores(encoded), codes)
    metrics = {name: system_metrics(letters, preds) for name, preds in by_system.items()}
    counts = composition(labeled)
    report = {
        "path": display_path(labeled.path), "readme": labeled.readme, "composition": counts,
        "minimums": check_minimums(counts) if labeled.name == "dev" else None,
        "unreadable": labeled.unreadable,
        "metrics": metrics,
        "calibration": calibration(letters, by_system["nocmatch"]),
        "confusion": {name: confusion([x.expected for x in letters], [p.answer for p in preds])
                      for name, preds in by_system.items()},
        # Look-alike confusions alone: tech letters, each system's first tech code (no out-of-scope rule).
        "confusion_ranking": {name: confusion([x.expected for x in tech], [(p.ranked_tech or [None])[0] for p in preds])
                              for name, preds in ((n, [p for x, p in zip(letters, ps) if x.tech])
                                                  for n, ps in by_system.items())},
        "disagreements": disagreements(letters, by_system),
        "letters": [{"letter": x.file, "label": x.expected, "title_mismatch": x.title_mismatch,
                     "answers": {name: preds[i].answer for name, preds in by_system.items()},
                     "best_tech": {name: (preds[i].ranked_tech or [None])[0] for name, preds in by_system.items()},
                     "nocmatch_confidence": by_system["nocmatch"][i].confidence}
                    for i, x in enumerate(letters)],
        "targets": target_checks(metrics, external=labeled.name == "external",
                                 baselines=[b.name for b in baselines if not b.ablation]),
        "duty_labels_apart": duty_labels_apart(matcher, labeled),
        "seconds": {"nocmatch": round(nocmatch_seconds, 2), "total": round(time.perf_counter() - started, 2)},
    }
    return report, by_system


def pooled_figures(sets: dict[str, LabeledSet], predictions: dict[str, dict]) -> dict:
    """The data of the two pictures: our own letters (dev + test) pooled, the external set on its own."""
    groups = {"dev + test": [s for s in ("dev", "test") if s in predictions],
              "external": ["external"] if "external" in predictions else []}
    figures = {"confusion": {}, "reliability": {}}
    for group, names in groups.items():
        if not names:
            continue
        label = group if len(names) > 1 or group == "external" else names[0]
        letters = [x for n in names for x in sets[n].letters]
        preds = [p for n in names for p in predictions[n]["nocmatch"]]
        figures["confusion"][label] = confusion([x.expected for x in letters], [p.answer for p in preds])
        figures["reliability"][label] = calibration(letters, preds)
    return figures


def machine_description() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f"{pages / 2**30:.0f} GiB"
    except (ValueError, OSError, AttributeError):
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": memory, "gpu": "none used (CPU)",
            "os": platform.platform(), "python": platform.python_version()}


def default_eval_dir() -> Path:
    shared = os.environ.get("NOCMATCH_SHARED")
    return (Path(shared) if shared else REPO.parent / "shared") / "eval"


def select_sets(requested: list[str] | None, eval_dir: Path) -> tuple[dict[str, Path], dict[str, str]]:
    """The set folders to run and, for the sets left out, why."""
    folders = dict(SET_FOLDERS, external=eval_dir)
    unknown = [s for s in requested or [] if s not in folders]
    if unknown:
        raise InputError(f"unknown set {unknown[0]!r}; choose among {', '.join(SET_ORDER)}")
    chosen, skipped = {}, {}
    for name in SET_ORDER:
        if requested and name not in requested:
            continue
        if folders[name].is_dir():
            chosen[name] = folders[name]
        elif requested:
            raise InputError(f"set {name!r}: {folders[name]} does not exist")
        else:
            skipped[name] = f"{display_path(folders[name])} is absent; skipped"
    if not chosen:
        raise InputError("no labeled set to run")
    return chosen, skipped


def run(matcher, folders: dict[str, Path], skipped: dict[str, str] | None = None, baselines: list | None = None,
        log=print, duty_labels: Path | None = None) -> dict:
    """The whole benchmark: every set, nocmatch and the baselines; returns the report (``accuracy.json``).

    With ``duty_labels`` (:data:`DUTY_LABELS`) it also measures the duty-evidence model and the
    support verdicts held-out on every labelled letter (``duty_evidence``), whatever sets are run.
    """
    from benchmarks.baselines import default_baselines

    started = time.perf_counter()
    baselines = default_baselines() if baselines is None else baselines
    for baseline in baselines:
        baseline.fit(matcher)
    log(f"baselines fitted ({time.perf_counter() - started:.1f} s)")
    sets = {name: load_labeled_set(path, name) for name, path in folders.items()}
    report_sets, predictions = {}, {}
    for name, labeled in sets.items():
        log(f"set {name}: {len(labeled.letters)} letters from {labeled.path}")
        report_sets[name], predictions[name] = evaluate_set(matcher, labeled, baselines)
    for name, why in (skipped or {}).items():
        log(f"set {name}: {why}")
        report_sets[name] = {"status": "absent", "reason": why}
    figures = pooled_figures(sets, predictions)
    duty_evidence = {"status": "not run", "reason": "no duty labels given (--no-duty-evidence, or no labels folder)"}
    if duty_labels is not None:
        from benchmarks.duty_evidence_cv import held_out
        duty_evidence = duty_evidence_report(held_out(matcher, duty_labels, log), duty_labels,
                                             matcher.config.evidence_min)
        figures["support_reliability"] = {"held-out": duty_evidence["support_reliability"]}
    return {
        "generated_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": machine_description(),
        "model": matcher.encoder.model_name,
        "encoder_runtime": getattr(matcher.encoder, "runtime_used", "sentence-transformers"),
        "catalog_sha256": matcher.catalog.sha256,
        "systems": ["nocmatch"] + [b.name for b in baselines],
        "system_descriptions": {"nocmatch": "Matcher.match, default settings (nocmatch/engine/score.py)",
                                **{b.name: b.description for b in baselines}},
        "definitions": __doc__.split("Definitions (the same for every system):", 1)[1].strip(),
        "sets": report_sets,
        "duty_evidence": duty_evidence,
        "figures": figures,
        "seconds": round(time.perf_counter() - started, 1),
    }


# -- report -----------------------------------------------------------------------------------
METRIC_ROWS = [("top1", "top-1 (tech letters)"), ("top3", "top-3 (tech letters)"),
               ("macro_f1", "macro-F1 over tech codes (answers, all letters)"),
               ("macro_f1_ranking", "macro-F1 over tech codes (ranking, tech letters)"),
               ("title_mismatch", "title-mismatch letters right"),
               ("out_of_scope_detected", "non-tech letters flagged out of scope"),
               ("tech_wrongly_flagged", "tech letters wrongly flagged"),
               ("right_code_named", "non-tech: right code named")]


def format_metric(metric: dict) -> str:
    if metric.get("value") is None:
        return "—"
    if "hits" in metric:
        return f"{metric['value']:.3f} ({metric['hits']}/{metric['total']})"
    return f"{metric['value']:.3f}"


def markdown_table(header: list[str], rows: list[list]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join("" if c is None else str(c) for c in row) + " |" for row in rows]
    return lines


def metrics_table(set_report: dict, systems: list[str]) -> list[str]:
    """The side-by-side table of one set: one row per metric, one column per system."""
    rows = [[label] + [format_metric(set_report["metrics"][s][key]) for s in systems] for key, label in METRIC_ROWS]
    cal = set_report["calibration"]
    if cal["n"]:
        rows.append(["Brier score of top-1 confidence (lower is better)", f"{cal['brier']:.3f}"] + ["—"] * (len(systems) - 1))
    return markdown_table(["metric"] + systems, rows)


IN_SAMPLE_SETS = ("dev", "test", "realistic")
IN_SAMPLE_NOTE = ("In-sample: the duty-evidence and support models were fitted on the duty labels of the dev, test and "
                  "realistic letters, and they decide the verdicts and part of out of scope (a code outside the "
                  "candidates that a reviewer would likely call supported when no candidate is); see the held-out "
                  "whole matches in the duty-evidence section for those numbers. Also chosen on the dev and test "
                  "letters: nocmatch's lexical weight (0.15) and out-of-scope margin (0.10) (docs/method.md).")


def display_path(path: str | Path) -> str:
    """A set's folder relative to the checkout when it is inside it or beside it (``../shared/eval``):
    no machine-specific prefix in the report."""
    resolved = Path(path).resolve()
    if resolved.is_relative_to(REPO.parent):
        return os.path.relpath(resolved, REPO)
    return str(path)


def summary_lines(report: dict) -> list[str]:
    """One line per set: which of issue 4's targets nocmatch meets and its top-1 lead over the best baseline."""
    lines = []
    for name in SET_ORDER:
        data = report["sets"].get(name)
        if data is None or data.get("status") == "absent":
            if data is not None:
                lines.append(f"- `{name}`: not run ({data['reason']}).")
            continue
        checks = data["targets"]
        missed = [k for k, t in checks.items() if t["met"] is False]
        lead = checks["top1"]["lead_over_best_baseline"]
        lead_text = "—" if lead is None else f"{lead * 100:+.1f} points"
        level = [k for k, t in checks.items() if t.get("lead_over_best_baseline") is not None
                 and t["lead_over_best_baseline"] <= 0]
        lines.append(f"- `{name}`: {sum(t['met'] is True for t in checks.values())}/{len(checks)} targets met"
                     + (f" (not met: {', '.join(missed)})" if missed else "")
                     + (f"; no lead over the best baseline on {', '.join(level)}" if level else "")
                     + f"; top-1 {format_metric(data['metrics']['nocmatch']['top1'])}, {lead_text} over the best "
                     f"of issue 4's baselines ({checks['top1']['best_baseline']}).")
    return lines


DUTY_EVIDENCE_TITLE = "Duty evidence and verdicts (held-out, {folds} folds grouped by letter)"


def triple(scores: dict) -> str:
    """``P / R / F1`` of :func:`binary_scores`."""
    return " / ".join("—" if scores[k] is None else f"{scores[k]:.3f}" for k in ("precision", "recall", "f1"))


def old_new(pair: dict) -> str:
    """``old / new (of n)`` of two rates over the same codes."""
    value = lambda m: "—" if m["value"] is None else f"{m['value']:.3f}"  # noqa: E731
    return f"{value(pair['old'])} / {value(pair['new'])} (of {pair['old']['total']})"


def duty_evidence_lines(section: dict) -> list[str]:
    """The markdown of ``duty_evidence``: duty and verdict table, ranking table, support reliability."""
    out = ["## " + DUTY_EVIDENCE_TITLE.format(folds=section.get("folds", 5)), ""]
    if section.get("status") == "not run":
        return out + [f"Not run: {section['reason']}.", ""]
    seconds, engine = section["seconds"], section["cosine_vs_engine"]
    out += [f"{section['letters']} labelled letters (labeller A's in `benchmarks/data/duty_labels`: dev and test "
            "letters are \"polished\", the realistic letters keep their set's style; labellers C's, E's and I's in "
            "`benchmarks/data/blind_letters/duty_labels`, the blind set's fourth, fifth and fourteenth batches); "
            f"{section['clear_duty_labels']} of "
            f"{section['duty_labels']} duty labels are clear (2 evidenced, 0 not; \"partly\" left out), "
            f"{section['codes_with_verdict']} (letter, code) pairs have a verdict. Every number is out-of-fold: "
            "a letter's duty probabilities and support probability come from the duty-evidence and support models "
            "fitted on the other folds' letters (`nocmatch.engine.duty_training.cross_validated`). Cosine = today's "
            f"`evidenced` (the paired clause's cosine ≥ {section['cosine_threshold']}, on the model's `cos` and "
            "`assigned` features: clauses paired with all the code's duties at once, where the ranking pairs them "
            f"within each sub-occupation; they differ on {engine['differ']} of the "
            f"{engine['clear_duties_judged_by_engine']} clear duties the ranking judged, and the ranking does not "
            f"judge {engine['outside_judged_sub_occupation']} others, of sub-occupations it did not pick); "
            "logistic and pair trees = a logistic regression and the boosted trees on the 22 pair features alone "
            "(the pair trees were the model before exemplars); model = the duty-evidence model, the pair trees "
            "plus, for a code labelled in enough other letters, trees that also compare the clause with the "
            "training folds' labelled clauses (exemplars); evidenced = "
            f"out-of-fold probability ≥ {section['evidenced_min']}. Old verdict = today's cosine verdict (\"supported\"; "
            f"\"weak\" is not); new = out-of-fold `support_probability` ≥ {section['supported_min']}. Reference: "
            "each letter's first labeller (A, C or E); last row: only what both labellers judged the same, clear "
            f"duty labels and verdicts, on the {section['letters_labelled_twice']} letters a second labeller "
            "(B, D or F) labelled independently.", ""]
    rows = []
    for name, duty in section["duties"].items():
        verdict = section["verdicts"][name]
        auc = duty["roc_auc"]
        rows.append([name, duty["duties"], triple(duty["cosine"]), triple(duty["logistic"]), triple(duty["pairs"]),
                     triple(duty["model"]),
                     " / ".join("—" if auc[k] is None else f"{auc[k]:.3f}"
                                for k in ("cosine", "logistic", "pairs", "model")),
                     old_new(verdict["supported_called_supported"]),
                     old_new(verdict["not_supported_called_supported"])])
    out += markdown_table(["style", "clear duties", "cosine P / R / F1", "logistic P / R / F1",
                           "trees on pair features P / R / F1", "model (with exemplars) P / R / F1",
                           "ROC AUC cosine / logistic / pair trees / model",
                           "supported: called supported, old / new", "not supported: wrongly supported, old / new"],
                          rows)
    if "shown_verdicts" in section:
        out += ["", "Verdicts as the whole match shows them: the same (letter, code) pairs, each letter matched with its "
                "fold's models; \"shown\" = a candidate's verdict is \"supported\" (or, out of scope, the best of all "
                "unit groups has support_probability ≥ 0.5). It differs from the pair's own support_probability where "
                "the letter's own sentences set its pasted NOC duties aside, and for non-tech codes the match does "
                "not name.", ""]
        out += markdown_table(["style", "codes", "supported: called supported, pair / shown",
                               "not supported: wrongly supported, pair / shown"],
                              [[name, v["pairs"], old_new(v["supported_called_supported"]),
                                old_new(v["not_supported_called_supported"])]
                               for name, v in section["shown_verdicts"].items()])
    ranking = section["ranking"]
    out += ["", "Ranking with the evidence: the first of the 11 tech codes of each held-out tech letter (its label "
            "from its set's `labels.csv`), every tech code judged by its fold's models.", ""]
    out += ["", "Whole matches of the held-out letters (each letter matched with its fold's models, so the "
            "support-based out-of-scope rule is held-out too).", ""]
    out += markdown_table(["style", "tech top-1", "tech wrongly flagged out of scope", "other occupations flagged",
                           "refused"],
                          [[name, format_metric(r["top1"]), format_metric(r["tech_wrongly_flagged"]),
                            format_metric(r["out_of_scope_flagged"]), r["refused"]]
                           for name, r in section["matches"].items()])
    out += ["", "Ranking over the 11 tech codes by score or by support probability (held-out tech letters).", ""]
    out += markdown_table(["style", "tech letters"] + list(RANKING_RULES.values()) + ["fell back to score"],
                          [[name, r["letters"]] + [format_metric(r[k]) for k in RANKING_RULES] + [r["fell_back"]]
                           for name, r in ranking["by_style"].items()])
    out += ["", "Letters where a rule's first code is not the label (label: score / support / support-or-score):", ""]
    out += ["; ".join(f"{d['letter']} ({d['expected']}: {d['by_score']} / {d['by_support']} / "
                      f"{d['by_support_or_score']})" for d in ranking["disagreements"]) or "none"]
    cal = section["support_reliability"]
    out += ["", f"Reliability of the held-out `support_probability` against the first labeller's verdicts ({cal['n']} codes; "
            f"[support_reliability.png](support_reliability.png)): mean probability {cal['mean_confidence']}, share "
            f"supported {cal['accuracy']}, Brier {cal['brier']}, ECE {cal['ece']}.", ""]
    out += markdown_table(["support_probability bin", "codes", "mean probability", "labelled supported"],
                          [[f"{b['low']:.1f}–{b['high']:.1f}", b["count"], b["mean_confidence"], b["accuracy"]]
                           for b in cal["bins"] if b["count"]])
    out += ["", f"Time: {seconds['build']} s to embed the labelled letters and compute their features, "
            f"{seconds['folds']} s for the five folds' fits, {seconds['ranking']} s to judge the held-out letters' "
            "tech codes.", ""]
    return out


def apart_lines(section: dict | None) -> list[str]:
    """The markdown of a set's ``duty_labels_apart`` (nothing when the set has no duty labels of its own)."""
    if not section:
        return []
    first, second = " and ".join(section["labellers"]["first"]), " and ".join(section["labellers"]["second"])
    out = [f"Duty evidence of the shipped models against this set's own duty labels (`{APART_LABELS}/`: labellers "
           f"{first} on {section['letters']} letters, {second} independently on {section['letters_second']} of them; "
           f"nothing was fitted on them): {section['clear_duty_labels']} clear duty labels of {first}.", ""]
    out += markdown_table(["letters", "clear duties", "precision", "recall", "F1"],
                          [[name, m["n"], *(("—" if m[k] is None else f"{m[k]:.3f}") for k in ("precision", "recall", "f1"))]
                           for name, m in section["duties"].items()])
    out += ["", "Verdicts (a code shown \"supported\" by the match, against the labeller's verdict):", ""]
    out += markdown_table(["codes", "labelled supported, shown supported", "labelled not supported, shown supported"],
                          [[name, format_metric(v["supported_called_supported"]),
                            format_metric(v["not_supported_called_supported"])] for name, v in section["verdicts"].items()])
    differing = section["verdicts_differing"]
    out += ["", "Verdicts that differ: " + ("; ".join(f"{d['letter']} {d['code']} (labelled {d['label']}, "
                                                       f"{'shown' if d['shown_supported'] else 'not shown'} supported)"
                                                       for d in differing) or "none") + ".", ""]
    return out


def render_markdown(report: dict) -> str:
    """``accuracy.md``: the tables of the run, per set, with what they mean."""
    systems = report["systems"]
    m = report["machine"]
    out = ["# Accuracy benchmark", "",
           f"Generated {report['generated_utc']} by `benchmarks/accuracy.py` on {m['cpu']} ({m['cores']} cores, "
           f"{m['memory']}, no GPU), Python {m['python']}; model `{report['model']}` "
           f"({report.get('encoder_runtime', 'sentence-transformers')} runtime), catalog "
           f"`{report['catalog_sha256'][:12]}`; run time {report['seconds']} s.", "",
           "Systems (all use the same model and catalog embeddings):", ""]
    out += [f"- **{name}**: {report['system_descriptions'][name]}" for name in systems]
    out += ["", "Definitions:", "", report["definitions"], ""]
    out += ["## Summary", ""] + summary_lines(report) + [""]
    for name in SET_ORDER:
        data = report["sets"].get(name)
        if data is None:
            continue
        out += [f"## Set `{name}`", ""]
        if data.get("status") == "absent":
            out += [f"Not run: {data['reason']}.", ""]
            continue
        c = data["composition"]
        out += [f"`{display_path(data['path'])}`: {c['letters']} letters — {c['tech']} tech, {c['non_tech']} non-tech "
                f"({', '.join(c['non_tech_codes'])}); title-mismatch letters: "
                f"{c['title_mismatch'] if c['title_mismatch'] is not None else 'unknown'}; per tech code: "
                + ", ".join(f"{k} {v}" for k, v in c["per_tech_code"].items()) + "."]
        if name in IN_SAMPLE_SETS:
            out += ["", IN_SAMPLE_NOTE]
        if data.get("readme"):
            out += ["", f"Its README begins: “{data['readme']}”."]
        if data.get("unreadable"):
            out += ["", f"{len(data['unreadable'])} letters could not be read and are left out: "
                    + "; ".join(f"{u['file']} ({u['error']})" for u in data["unreadable"])]
        if data.get("minimums"):
            out += ["", "Issue 4 minimums: " + ", ".join(
                f"{k} ≥ {v['required']}: {v['actual']} {'✓' if v['met'] else '✗ SHORT'}" for k, v in data["minimums"].items())
                + "."]
        out += [""] + metrics_table(data, systems) + [""]
        out += ["Targets (nocmatch):", ""]
        number = lambda v: "—" if v is None else f"{v:.3f}"  # noqa: E731
        points = lambda v: "—" if v is None else f"{v * 100:+.1f} points"  # noqa: E731
        target_rows = [[k, t["target"], number(t["value"]) if k != "top1_lead_external" else points(t["value"]),
                        {True: "met", False: "NOT met", None: "—"}[t["met"]], number(t.get("best_baseline")),
                        points(t.get("lead_over_best_baseline"))] for k, t in data["targets"].items()]
        out += markdown_table(["metric", "target", "nocmatch", "", "best of issue 4's baselines", "nocmatch's lead"],
                              target_rows)
        out += ["", "Confusions of nocmatch (label → answer; \"other\" = a non-tech label, or an answer outside the "
                "tech codes):", ""]
        pairs = data["confusion"]["nocmatch"]["pairs"]
        out += [", ".join(f"{p['label']} → {p['answer']} ×{p['count']}" for p in pairs) or "none", ""]
        out += ["Look-alike confusions of every system (tech letters, label → first tech code of its ranking):", ""]
        out += [f"- {s}: " + (", ".join(f"{p['label']} → {p['answer']} ×{p['count']}"
                                         for p in data["confusion_ranking"][s]["pairs"][:10]) or "none") for s in systems]
        cal = data["calibration"]
        out += ["", f"Calibration of nocmatch's top-1 confidence on {cal['n']} tech letters: mean confidence "
                f"{cal['mean_confidence']}, accuracy {cal['accuracy']}, Brier {cal['brier']}, ECE {cal['ece']}.", ""]
        out += markdown_table(["confidence bin", "letters", "mean confidence", "top-1 right"],
                              [[f"{b['low']:.1f}–{b['high']:.1f}", b["count"], b["mean_confidence"], b["accuracy"]]
                               for b in cal["bins"] if b["count"]])
        out += ["", "Disagreements with the labels (to read, not to tune on):", ""]
        if data["disagreements"]:
            out += markdown_table(
                ["letter", "label", "nocmatch answer", "best tech", "confidence", "out of scope"] + systems[1:],
                [[d["letter"], d["label"], d["answer"] or f"refused: {d['error']}", d["best_tech"], d["confidence"],
                  d["out_of_scope"]] + [d["baselines"][s] for s in systems[1:]] for d in data["disagreements"]])
        else:
            out += ["none"]
        out += [""] + apart_lines(data.get("duty_labels_apart"))
    if "duty_evidence" in report:
        out += duty_evidence_lines(report["duty_evidence"])
    return "\n".join(out)


# -- pictures ---------------------------------------------------------------------------------
def plot_confusion(confusions: dict[str, dict]):
    """Heat map(s) of nocmatch's confusion over the tech codes (+ "other"), one panel per group."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(confusions), figsize=(7.2 * len(confusions), 6.4), squeeze=False)
    for ax, (group, data) in zip(axes[0], confusions.items()):
        matrix = np.array(data["matrix"])
        # Colour by share of the row (label) so a code with few letters reads like one with many.
        shares = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
        ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
        ticks = range(len(data["labels"]))
        ax.set_xticks(ticks, data["labels"], rotation=60, ha="right")
        ax.set_yticks(ticks, data["labels"])
        for i in ticks:
            for j in ticks:
                if matrix[i, j]:
                    ax.text(j, i, int(matrix[i, j]), ha="center", va="center",
                            color="white" if shares[i, j] > 0.5 else "black", fontsize=9)
        ax.set_xlabel("nocmatch's answer (other = out of scope)")
        ax.set_ylabel("label (other = non-tech letter)")
        ax.set_title(f"nocmatch confusion, {group} ({int(matrix.sum())} letters; colour = share of the row)")
    fig.tight_layout()
    return fig


def plot_reliability(reliabilities: dict[str, dict],
                     title: str = "nocmatch: reliability of top-1 confidence (tech letters)",
                     xlabel: str = "top-1 confidence (10 equal-width bins)",
                     ylabel: str = "share of top-1 answers right", counted: str = "letters"):
    """Reliability diagram of nocmatch's top-1 confidence (tech letters), one line per group, with bin counts
    (the labels are parameters: the support probability's diagram is drawn the same way)."""
    import matplotlib.pyplot as plt

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(6.4, 7.2), sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    top.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfectly calibrated")
    width = 1 / RELIABILITY_BINS / (len(reliabilities) + 1)
    for k, (group, data) in enumerate(reliabilities.items()):
        filled = [b for b in data["bins"] if b["count"]]
        line, = top.plot([b["mean_confidence"] for b in filled], [b["accuracy"] for b in filled], marker="o",
                         label=f"{group}: Brier {data['brier']}, ECE {data['ece']} (n={data['n']})")
        for b in filled:  # how many letters each point stands for
            top.annotate(f"n={b['count']}", (b["mean_confidence"], b["accuracy"]), textcoords="offset points",
                         xytext=(4, -12 - 11 * k), fontsize=8, color=line.get_color())
        bars = bottom.bar([b["low"] + (k + 0.5) * width for b in filled], [b["count"] for b in filled],
                          width=width, color=line.get_color(), align="edge", label=group)
        bottom.bar_label(bars, fontsize=8)
    top.set_ylabel(ylabel)
    top.set_xlim(0, 1)
    top.set_ylim(-0.05, 1.08)
    top.set_title(title)
    top.legend(loc="upper left", fontsize=8)
    bottom.set_xlabel(xlabel)
    bottom.set_ylabel(f"{counted} per bin")
    bottom.set_ylim(0, max(b["count"] for d in reliabilities.values() for b in d["bins"]) * 1.25 + 1)
    fig.tight_layout()
    return fig


def plot_support_reliability(reliabilities: dict[str, dict]):
    """Reliability diagram of the held-out ``support_probability`` against the first labeller's verdicts."""
    return plot_reliability(reliabilities, title="held-out support_probability against the labellers' verdicts",
                            xlabel="support_probability (out-of-fold, 10 equal-width bins)",
                            ylabel="share of (letter, code) pairs A calls supported", counted="codes")


def save_figures(figures: dict, out_dir: Path) -> list[Path]:
    import matplotlib.pyplot as plt

    paths = []
    for name, key, plot in (("confusion_tech.png", "confusion", plot_confusion),
                            ("reliability.png", "reliability", plot_reliability),
                            ("support_reliability.png", "support_reliability", plot_support_reliability)):
        data = figures.get(key)
        if not data:
            continue
        fig = plot(data)
        fig.savefig(out_dir / name, dpi=110)
        plt.close(fig)
        paths.append(out_dir / name)
    return paths


def write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


# -- command line -----------------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="nocmatch accuracy benchmark: nocmatch vs three baselines")
    parser.add_argument("--sets",
                        help="comma-separated sets among dev,test,realistic,external (default: every set present)")
    parser.add_argument("--eval-dir", type=Path, default=None,
                        help="the external labeled set (default: $NOCMATCH_SHARED/eval or ../shared/eval)")
    parser.add_argument("--data-dir", type=Path, default=None, help="the ingested data folder (default data/noc2021)")
    parser.add_argument("--models-dir", type=Path, default=None, help="the models folder (default models/)")
    parser.add_argument("--out-dir", type=Path, default=RESULTS_DIR, help="where results are written")
    parser.add_argument("--no-duty-evidence", action="store_true",
                        help="skip the held-out duty-evidence section (it covers every labelled letter, "
                             "whatever --sets)")
    parser.add_argument("--replot", action="store_true",
                        help="only redraw the pictures from the accuracy.json already in --out-dir")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    import matplotlib
    matplotlib.use("Agg")

    args = parse_args(argv)
    if args.replot:
        try:
            report = json.loads((args.out_dir / "accuracy.json").read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            print(f"error: {args.out_dir / 'accuracy.json'}: cannot read ({type(exc).__name__})", file=sys.stderr)
            return 1
        print("wrote " + ", ".join(str(p) for p in save_figures(report["figures"], args.out_dir)))
        return 0
    try:
        requested = [s.strip() for s in args.sets.split(",") if s.strip()] if args.sets else None
        folders, skipped = select_sets(requested, args.eval_dir or default_eval_dir())
        from nocmatch import Matcher
        matcher = Matcher.load(args.data_dir, args.models_dir)
        log = lambda msg: print(msg, file=sys.stderr)  # noqa: E731
        duty_labels = None if args.no_duty_evidence else DUTY_LABELS
        if duty_labels is not None and not duty_labels.is_dir():
            log(f"duty evidence: {display_path(duty_labels)} is absent; skipped")
            duty_labels = None
        report = run(matcher, folders, skipped, log=log, duty_labels=duty_labels)
    except NocmatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    args.out_dir.mkdir(parents=True, exist_ok=True)
    write_atomically(args.out_dir / "accuracy.json", json.dumps(report, indent=2, ensure_ascii=False))
    markdown = render_markdown(report)
    write_atomically(args.out_dir / "accuracy.md", markdown)
    pictures = save_figures(report["figures"], args.out_dir)
    for name in SET_ORDER:
        data = report["sets"].get(name)
        if data and data.get("status") != "absent":
            print(f"\n{name} ({data['composition']['letters']} letters)")
            print("\n".join(metrics_table(data, report["systems"])))
    if report["duty_evidence"].get("status") != "not run":
        print("\n" + "\n".join(duty_evidence_lines(report["duty_evidence"])))
    written = [args.out_dir / "accuracy.json", args.out_dir / "accuracy.md", *pictures]
    print("\nwrote " + ", ".join(str(p) for p in written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
