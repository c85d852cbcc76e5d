"""Held-out fits of the duty-evidence and support models, for ``benchmarks/accuracy.py``.

:func:`held_out` encodes the labelled letters once, builds the training set exactly as
:func:`nocmatch.engine.duty_training.build_training_set` does, and runs
:func:`nocmatch.engine.duty_training.cross_validated` (``GroupKFold`` by letter). With each
fold's two fitted models it judges every tech code of each held-out letter
(:meth:`nocmatch.engine.judge.EvidenceJudge.judge`), so the ranking by ``support_probability`` is
held-out too. :func:`logistic_probabilities` gives the same folds' out-of-fold probabilities of a logistic
regression on the same features, the simpler model the boosted trees are compared with.

Nothing here writes a letter's text anywhere.
"""

from __future__ import annotations

import csv
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nocmatch.config import TECH_CODES
from nocmatch.engine.duty_training import (
    FOLDS,
    LETTER_FOLDERS,
    TrainingSet,
    build_training_set,
    cross_validated,
    training_rows,
)

POLISHED = "polished"  #: the style of every dev and test letter (written carefully for this project)


@dataclass
class HeldOut:
    """Everything the report needs of the cross-validation (no letter text)."""

    data: TrainingSet
    folds: dict                     #: as :func:`~nocmatch.engine.duty_training.cross_validated`
    letters: dict                   #: (set, letter) → {"style", "expected", "fold"}
    ranking: list[dict]             #: per held-out tech letter: its 11 tech codes' score and support_probability
    matches: dict                   #: (set, letter) → its held-out match: best_code, out_of_scope (None: refused)
    seconds: dict
    #: per duty row, the ranking engine's own ``evidenced`` (1 / 0; -1 for a duty of a sub-occupation it did not judge)
    engine_evidenced: np.ndarray | None = None


class _AssessedOnce:
    """``matcher`` whose :meth:`assess_many` answers from letters already assessed (by name and text),
    so that :func:`build_training_set` does not embed the letters a second time."""

    def __init__(self, matcher, assessed: dict[str, tuple[str, object]]):
        self._matcher, self._assessed = matcher, assessed

    def assess_many(self, texts, names=None):
        out = []
        if names is None:
            return self._matcher.assess_many(texts, names)
        for text, name in zip(texts, names):
            known = self._assessed.get(name)
            if known is None or known[0] != text:  # anything unexpected: assess it afresh
                return self._matcher.assess_many(texts, names)
            out.append(known[1])
        return out

    def __getattr__(self, attribute):
        return getattr(self._matcher, attribute)


def letter_catalogue(root: Path) -> dict[tuple[str, str], dict]:
    """(set, file) → style and expected code, from each labelled set's ``labels.csv``."""
    out = {}
    for name, folder in LETTER_FOLDERS.items():
        with (root / folder / "labels.csv").open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                out[(name, row["file"])] = {"style": (row.get("style") or "").strip() or POLISHED,
                                            "expected": row["expected_code"].strip().zfill(5)}
    return out


def held_out(matcher, labels_dir: Path, log=print) -> HeldOut:
    """Cross-validate both models on the training labels (each letter's first labeller) and judge each
    held-out tech letter's 11 tech codes with its fold's models (``matcher.judge``'s own models are put back afterwards)."""
    root = Path(labels_dir).resolve().parents[2]
    catalogue = letter_catalogue(root)
    started = time.perf_counter()
    labelled = list(dict.fromkeys((r["set"], r["letter"]) for r in training_rows(labels_dir, "labels")))
    texts = [(root / LETTER_FOLDERS[s] / name).read_text(encoding="utf-8") for s, name in labelled]
    assessed = dict(zip(labelled, matcher.assess_many(texts, [name for _, name in labelled])))
    by_name = {name: (text, assessed[(s, name)]) for (s, name), text in zip(labelled, texts)}
    data = build_training_set(_AssessedOnce(matcher, by_name), labels_dir)
    built = time.perf_counter()
    log(f"duty evidence: {len(data.label)} labelled duties of {len(labelled)} letters ({built - started:.1f} s)")
    folds = cross_validated(data)  # the models fit on one thread themselves
    fitted = time.perf_counter()
    log(f"duty evidence: {FOLDS} folds fitted ({fitted - built:.1f} s)")

    engine = engine_evidenced(matcher, data)
    fold_of_letter = {(info["set"], info["letter"]): int(k) for info, k in zip(data.codes, folds["fold_of_code"])}
    letters = {key: {**catalogue[key], "fold": fold_of_letter[key]} for key in labelled}
    ranking, matches = [], {}
    saved = matcher.judge.duty_model, matcher.judge.support
    try:
        for k, (duty_model, support) in enumerate(zip(folds["duty_models"], folds["support_models"])):
            matcher.judge.duty_model, matcher.judge.support = duty_model, support
            in_fold = [key for key in labelled if letters[key]["fold"] == k]
            # the whole match of each held-out letter with its fold's models (out of scope uses them)
            results = matcher.match_many([by_name[name][0] for _, name in in_fold], names=[n for _, n in in_fold],
                                         errors="return")
            for key, result in zip(in_fold, results):
                matches[key] = None if isinstance(result, Exception) else {
                    "best_code": result.best_code, "out_of_scope": result.out_of_scope,
                    "best_overall_code": result.best_overall_code, "supported": shown_supported(result)}
            for key in in_fold:
                info = letters[key]
                if info["expected"] not in TECH_CODES:
                    continue
                a = assessed[key]
                judged = [matcher.judge.judge(code, a.scores, a.rows) for code in TECH_CODES]
                ranking.append({"set": key[0], "letter": key[1], "style": info["style"], "expected": info["expected"],
                                "fold": k, "codes": list(TECH_CODES), "score": [s.score for s in judged],
                                "support_probability": [s.support_probability for s in judged]})
    finally:
        matcher.judge.duty_model, matcher.judge.support = saved
    done = time.perf_counter()
    log(f"duty evidence: {len(ranking)} held-out tech letters judged on the 11 tech codes ({done - fitted:.1f} s)")
    return HeldOut(data, folds, letters, ranking, matches,
                   {"build": round(built - started, 1), "folds": round(fitted - built, 1),
                    "ranking": round(done - fitted, 1), "total": round(done - started, 1)}, engine)


def shown_supported(result) -> list[str]:
    """The codes a whole match shows as supported: candidates with the verdict "supported", and the best
    of all unit groups when the letter is out of scope and its support probability is at least 0.5."""
    from nocmatch.engine.judge import SUPPORTED_MIN
    shown = [c.code for c in result.candidates if c.verdict == "supported"]
    if result.out_of_scope and (result.best_overall_support_probability or 0.0) >= SUPPORTED_MIN:
        shown.append(result.best_overall_code)
    return shown


def engine_evidenced(matcher, data: TrainingSet) -> np.ndarray:
    """Per duty row, whether :mod:`nocmatch.engine.score` counted the duty evidenced (its paired sentence's cosine
    ≥ ``evidence_min``), or -1 when the duty is not of the sub-occupation the score judged. The cosine rule
    on the model's features pairs clauses with all the code's duties at once, the score within each
    sub-occupation: the two differ on codes with sub-occupations (21223, 21210, 22220 ...)."""
    out = np.full(len(data.duty_keys), -1)
    positions: dict[str, list[int]] = {}
    for row, ((_, _, code, position), c) in enumerate(zip(data.duty_keys, data.code_of_row)):
        if code not in positions:
            positions[code] = [d.position for d in matcher.catalog.unit(code).duties]
        column = positions[code].index(position)
        paired = {duty: sim for duty, _, sim in data.codes[c]["score"].pairs}
        if column in paired:
            out[row] = int(paired[column] >= matcher.config.evidence_min)
    return out


def logistic_probabilities(data: TrainingSet, fold_of_code: np.ndarray) -> np.ndarray:
    """Out-of-fold P(clearly evidenced) per duty row from a logistic regression on the same features
    (standardised, L2, C = 1), fitted on the clear rows of the same folds as the boosted trees."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    fold_of_row = fold_of_code[data.code_of_row]
    out = np.zeros(len(data.label))
    for k in np.unique(fold_of_row):
        train = (fold_of_row != k) & data.clear
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
        model.fit(data.X[train], (data.label[train] == 2).astype(int))
        out[fold_of_row == k] = model.predict_proba(data.X[fold_of_row == k])[:, 1]
    return out
