"""Fit the duty-evidence and support models from the labelled letters in the repository.

The training files are the letters of the three labelled sets and labeller A's duty labels and
verdicts (``benchmarks/data/duty_labels``, written to ``GUIDELINES.md``). ``nocmatch train-evidence``
(and the first ``Matcher.load`` without a cached model) fits both models and caches them under
``models/duty_evidence/``, keyed by the embedding model, the catalog and the digest of the training
files, like the embeddings: nothing needs the network.

:func:`cross_validated` gives out-of-fold probabilities (folds grouped by letter), which is what
``benchmarks/accuracy.py`` reports.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nocmatch.config import TECH_CODES
from nocmatch.duty_evidence import FEATURES, DutyEvidenceModel, labels_digest
from nocmatch.files import write_atomic
from nocmatch.judge import SupportModel, support_features

REPO = Path(__file__).resolve().parent.parent
#: Where each labelled set's letters are, relative to the repository.
LETTER_FOLDERS = {"dev": "benchmarks/data/dev_letters", "test": "tests/data/letters",
                  "realistic": "benchmarks/data/realistic_letters"}
LABELS_FOLDER = "benchmarks/data/duty_labels"
#: The labeller whose labels train the models (B labelled a third, for agreement).
TRAINING_LABELLER = "A"
FOLDS = 5


def default_labels_dir() -> Path | None:
    """The repository's label folder, when this package runs from a checkout that has it."""
    folder = REPO / LABELS_FOLDER
    return folder if folder.is_dir() else None


def _rows(labels_dir: Path, stem: str, labeller: str) -> list[dict]:
    rows = []
    for path in sorted(labels_dir.glob(f"{stem}_{labeller}*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


#: The code that decides what the models learn from: a change to any refits the cached model.
FEATURE_CODE = ("duty_evidence.py", "judge.py", "duty_training.py", "letter/units.py", "letter/tools.py",
                "letter/duty_like.py", "score.py")


def training_files(labels_dir: Path, labeller: str = TRAINING_LABELLER) -> list[Path]:
    """Every file the models are fitted from, and the code that makes their features (the digest of
    the cache covers them all)."""
    root = labels_dir.resolve().parents[2]
    letters = {(r["set"], r["letter"]) for r in _rows(labels_dir, "labels", labeller)}
    package = Path(__file__).resolve().parent
    return (sorted(labels_dir.glob(f"labels_{labeller}*.csv")) + sorted(labels_dir.glob(f"verdicts_{labeller}*.csv"))
            + sorted(root / LETTER_FOLDERS[s] / name for s, name in letters) + [package / f for f in FEATURE_CODE])


@dataclass
class TrainingSet:
    """Duty rows (features, label) and code rows (verdicts) of the labelled letters."""

    X: np.ndarray               #: one row per labelled duty, :data:`nocmatch.duty_evidence.FEATURES`
    label: np.ndarray           #: 2 / 1 / 0
    letter: np.ndarray          #: the letter of each duty row (the CV group)
    code_of_row: np.ndarray     #: which code row each duty row belongs to
    duty_keys: list[tuple]      #: (set, letter, code, position) per duty row
    units: list[str | None]     #: per duty row, the clause paired with the duty (None: none was left)
    codes: list[dict]           #: per (letter, code): set, letter, code, role, verdict, lead, columns, ...

    @property
    def clear(self) -> np.ndarray:
        return self.label != 1


def build_training_set(matcher, labels_dir: Path, labeller: str = TRAINING_LABELLER) -> TrainingSet:
    """Features of every labelled duty, computed by ``matcher`` exactly as at match time."""
    root = labels_dir.resolve().parents[2]
    labels = _rows(labels_dir, "labels", labeller)
    verdicts = {(r["set"], r["letter"], r["code"]): r for r in _rows(labels_dir, "verdicts", labeller)}
    letters = list(dict.fromkeys((r["set"], r["letter"]) for r in labels))
    texts = [(root / LETTER_FOLDERS[s] / name).read_text(encoding="utf-8") for s, name in letters]
    assessed = dict(zip(letters, matcher.assess_many(texts, [name for _, name in letters])))
    by_code: dict[tuple, list[dict]] = {}
    for r in labels:
        by_code.setdefault((r["set"], r["letter"], r["code"]), []).append(r)
    X, label, letter, code_of_row, keys, codes, units = [], [], [], [], [], [], []
    for (s, name, code), rows in by_code.items():
        a = assessed[(s, name)]
        features, unit_of = matcher.judge.features([code], a.scores, a.rows)
        assigned = features[:, FEATURES.index("assigned")] > 0
        positions = [d.position for d in matcher.catalog.unit(code).duties]
        score = a.scores[code]
        columns = [duty for duty, _, _ in score.pairs]
        verdict = verdicts.get((s, name, code), {})
        codes.append({"set": s, "letter": name, "code": code, "role": rows[0]["role"],
                      "verdict": verdict.get("verdict"), "lead_label": verdict.get("lead"),
                      "columns": columns, "features": features, "score": score,
                      "tech_best": max(a.scores[c].score for c in TECH_CODES),
                      "essential": ~np.array([matcher.catalog.unit(code).duties[c].optional for c in columns], bool)})
        for r in rows:
            j = positions.index(int(r["position"]))
            X.append(features[j])
            label.append(int(r["label"]))
            letter.append(name)
            code_of_row.append(len(codes) - 1)
            keys.append((s, name, code, int(r["position"])))
            units.append(a.unit_texts[unit_of[j]] if assigned[j] else None)
    return TrainingSet(np.array(X), np.array(label), np.array(letter), np.array(code_of_row), keys, units, codes)


def support_rows(data: TrainingSet, code_probabilities: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Support-model features and targets (verdict "supported") of the codes with a verdict."""
    X, y = [], []
    for info, p in zip(data.codes, code_probabilities):
        if info["verdict"] not in ("supported", "not supported"):
            continue
        score = info["score"]
        X.append(support_features(p[info["columns"]], info["essential"], score.lead_statement_similarity,
                                  score.score - info["tech_best"], score.score))
        y.append(info["verdict"] == "supported")
    return np.array(X), np.array(y, dtype=int)


def _code_probabilities(model: DutyEvidenceModel, data: TrainingSet, which: np.ndarray | None = None) -> list:
    return [model.predict_proba(info["features"]) if which is None or which[i] else None
            for i, info in enumerate(data.codes)]


def fit(data: TrainingSet) -> tuple[DutyEvidenceModel, SupportModel]:
    """Both models on all the labelled letters (the support model on out-of-fold duty probabilities,
    so that it learns how far to trust probabilities of letters the duty model has not seen)."""
    duty_model = DutyEvidenceModel().fit(data.X[data.clear], (data.label[data.clear] == 2).astype(int))
    folds = cross_validated(data)
    support = SupportModel.fit(*support_rows(data, folds["code_probabilities"]))
    return duty_model, support


def cross_validated(data: TrainingSet, folds: int = FOLDS) -> dict:
    """Out-of-fold probabilities, folds grouped by letter: per duty row (``duty_probabilities``), per code
    row (``code_probabilities``, every duty of the code) and the support model's per code row
    (``support_probabilities``, None for codes without a verdict); ``fold_of_code``, and each fold's
    fitted ``duty_models`` and ``support_models``."""
    from sklearn.model_selection import GroupKFold

    duty_p = np.zeros(len(data.label))
    code_p: list = [None] * len(data.codes)
    fold_of_code = np.zeros(len(data.codes), dtype=int)
    letters_of_code = np.array([info["letter"] for info in data.codes])
    duty_models, support_models = [], []
    for k, (_, test_codes) in enumerate(GroupKFold(folds).split(letters_of_code, groups=letters_of_code)):
        test_rows = np.isin(data.letter, letters_of_code[test_codes])
        train = ~test_rows & data.clear
        model = DutyEvidenceModel().fit(data.X[train], (data.label[train] == 2).astype(int))
        duty_p[test_rows] = model.predict_proba(data.X[test_rows])
        for i in test_codes:
            code_p[i] = model.predict_proba(data.codes[i]["features"])
            fold_of_code[i] = k
        duty_models.append(model)
    # the support model, fitted and applied fold by fold on those out-of-fold duty probabilities
    support_p: list = [None] * len(data.codes)
    has_verdict = np.array([info["verdict"] in ("supported", "not supported") for info in data.codes])
    for k in range(folds):
        train = [i for i in range(len(data.codes)) if fold_of_code[i] != k and has_verdict[i]]
        model = SupportModel.fit(*support_rows(dataclasses.replace(data, codes=[data.codes[i] for i in train]),
                                               [code_p[i] for i in train]))
        for i in np.flatnonzero(fold_of_code == k):
            info, score = data.codes[i], data.codes[i]["score"]
            support_p[i] = model.probability(support_features(
                code_p[i][info["columns"]], info["essential"], score.lead_statement_similarity,
                score.score - info["tech_best"], score.score))
        support_models.append(model)
    return {"duty_probabilities": duty_p, "code_probabilities": code_p, "support_probabilities": support_p,
            "fold_of_code": fold_of_code, "duty_models": duty_models, "support_models": support_models}


def cache_path(models_dir: Path, model_id: str, catalog_sha256: str, digest: str) -> Path:
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in model_id)
    return models_dir / "duty_evidence" / f"{safe}-{catalog_sha256[:12]}-{digest[:12]}.json"


def _read_models(path: Path) -> tuple[DutyEvidenceModel, SupportModel] | None:
    """Both models from their cache file, or None when it is missing, unreadable or of another format."""
    try:
        data = json.loads(path.read_text())
        return DutyEvidenceModel.from_dict(data), SupportModel(**data["support"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def ensure_models(matcher, models_dir: Path, labels_dir: Path | None = None, *,
                  progress: bool = False) -> Path | None:
    """Load the cached models into ``matcher.judge`` or fit and cache them; the cache path, or None
    when there are neither labels nor a cached model (the cosine threshold then decides)."""

    labels_dir = labels_dir or default_labels_dir()
    model_id, catalog_sha = matcher.encoder.model_id, matcher.catalog.sha256
    if labels_dir is None:  # an installed package without the repository: any model fitted for this catalog
        found = sorted((models_dir / "duty_evidence").glob(cache_path(models_dir, model_id, catalog_sha, "*").name))
        path = found[-1] if found else None
    else:
        path = cache_path(models_dir, model_id, catalog_sha, labels_digest(training_files(labels_dir)))
    cached = _read_models(path) if path is not None else None
    if cached is not None:
        matcher.judge.duty_model, matcher.judge.support = cached
        return path
    if labels_dir is None:
        return None
    if progress:
        print("fitting the duty-evidence model from the labelled letters (once, ~10 s)", file=sys.stderr)
    matcher.judge.duty_model = None
    data = build_training_set(matcher, labels_dir)
    duty_model, support = fit(data)
    provenance = {"labels": str(labels_dir), "duty_rows": int(data.clear.sum()), "codes": len(data.codes),
                  "model": model_id, "catalog_sha256": catalog_sha}
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {**duty_model.to_dict(), "support": dataclasses.asdict(support), "provenance": provenance}
    write_atomic(path, json.dumps(payload).encode())
    matcher.judge.duty_model, matcher.judge.support = duty_model, support
    return path
