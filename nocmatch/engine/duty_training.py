"""Fit the duty-evidence and support models from the labelled letters in the repository.

The training files are the labelled letters and the duty labels and verdicts of each letter's first
labeller (:data:`TRAINING_LABELS`, written to ``benchmarks/data/duty_labels/GUIDELINES.md``). ``nocmatch train-evidence``
(and ``nocmatch ingest`` when no model is cached) fits both models and caches them under
``models/duty_evidence/``, keyed by the embedding model, the catalog and the digest of the training
files, like the embeddings: nothing needs the network.

:func:`cross_validated` gives out-of-fold probabilities (folds grouped by letter), which is what
``benchmarks/accuracy.py`` reports.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nocmatch.config import TECH_CODES
from nocmatch.engine.duty_evidence import (
    EXEMPLAR_FEATURES,
    FEATURES,
    DutyEvidence,
    DutyEvidenceModel,
    ExemplarBank,
    labels_digest,
)
from nocmatch.engine.judge import SupportModel, support_features
from nocmatch.errors import CatalogError
from nocmatch.files import write_atomic

REPO = Path(__file__).resolve().parents[2]
#: Where each labelled set's letters are, relative to the repository.
LETTER_FOLDERS = {"dev": "benchmarks/data/dev_letters", "test": "tests/data/letters",
                  "realistic": "benchmarks/data/realistic_letters", "blind": "benchmarks/data/blind_letters"}
LABELS_FOLDER = "benchmarks/data/duty_labels"
#: Whose labels train the models, per labels folder of the repository: the labeller of every letter
#: (A: the dev, test and realistic letters; C, E and I: the blind set's fourth, fifth and fourteenth
#: batches, I's the terse, tool-named and converted letters the others had too few of). B, D, F and J
#: labelled a share of the same letters, for agreement; the sixth batch's labellers (G, H) are kept
#: apart, to measure the shipped models on labels nothing was fitted on.
TRAINING_LABELS = {LABELS_FOLDER: ("A",), "benchmarks/data/blind_letters/duty_labels": ("C", "E", "I")}
FOLDS = 5


def default_labels_dir() -> Path | None:
    """The repository's label folder, when this package runs from a checkout that has it."""
    folder = REPO / LABELS_FOLDER
    return folder if folder.is_dir() else None


def label_files(labels_dir: Path, kind: str) -> list[Path]:
    """The ``kind`` ("labels" or "verdicts") files of :data:`TRAINING_LABELS`; ``labels_dir`` is the
    repository's :data:`LABELS_FOLDER` (or a copy of it, which then stands for that folder alone)."""
    root = labels_dir.resolve().parents[2]
    paths: list[Path] = []
    for folder, labellers in TRAINING_LABELS.items():
        where = labels_dir if folder == LABELS_FOLDER else root / folder
        paths += [path for labeller in labellers for path in sorted(where.glob(f"{kind}_{labeller}*.csv"))]
    return paths


def read_csv_rows(paths) -> list[dict]:
    """The rows of the CSV files ``paths``, one file after another (a labeller's parts together)."""
    rows: list[dict] = []
    for path in paths:
        with Path(path).open(newline="", encoding="utf-8") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


def training_rows(labels_dir: Path, kind: str) -> list[dict]:
    """The rows of the ``kind`` files of :data:`TRAINING_LABELS` (:func:`label_files`)."""
    return read_csv_rows(label_files(labels_dir, kind))


#: The code that decides what the models learn from: a change to any refits the cached model.
FEATURE_CODE = ("engine/duty_evidence.py", "engine/judge.py", "engine/duty_training.py", "letter/segment.py",
                "letter/pages.py", "letter/classify.py", "letter/units.py",
                "letter/tools.py", "letter/duty_like.py", "engine/score.py", "letter/positions.py", "letter/dates.py")


def training_files(labels_dir: Path) -> list[Path]:
    """Every file the models are fitted from, and the code that makes their features (the digest of
    the cache covers them all)."""
    root = labels_dir.resolve().parents[2]
    letters = {(r["set"], r["letter"]) for r in training_rows(labels_dir, "labels")}
    package = Path(__file__).resolve().parents[1]
    return (label_files(labels_dir, "labels") + label_files(labels_dir, "verdicts")
            + sorted(root / LETTER_FOLDERS[s] / name for s, name in letters) + [package / f for f in FEATURE_CODE])


@dataclass
class TrainingSet:
    """Duty rows (features, label) and code rows (verdicts) of the labelled letters."""

    X: np.ndarray               #: one row per labelled duty, :data:`nocmatch.engine.duty_evidence.FEATURES`
    label: np.ndarray           #: 2 / 1 / 0
    letter: np.ndarray          #: the letter of each duty row (the CV group)
    code_of_row: np.ndarray     #: which code row each duty row belongs to
    column: np.ndarray          #: each duty row's index among its code's duties (its row of the code's features)
    duty_keys: list[tuple]      #: (set, letter, code, position) per duty row
    units: list[str | None]     #: per duty row, the clause paired with the duty (None: none was left)
    codes: list[dict]           #: per (letter, code): set, letter, code, role, verdict, lead, columns,
    #: features and vectors (every duty's pair features and its paired clause's embedding), ...

    @property
    def clear(self) -> np.ndarray:
        return self.label != 1


def build_training_set(matcher, labels_dir: Path) -> TrainingSet:
    """Features of every labelled duty, computed by ``matcher`` exactly as at match time."""
    root = labels_dir.resolve().parents[2]
    # a catalog of some unit groups only (a test index) is fitted on the labels of its codes
    labels = [r for r in training_rows(labels_dir, "labels") if r["code"] in matcher.catalog]
    verdicts = {(r["set"], r["letter"], r["code"]): r for r in training_rows(labels_dir, "verdicts")}
    letters = list(dict.fromkeys((r["set"], r["letter"]) for r in labels))
    texts = [(root / LETTER_FOLDERS[s] / name).read_text(encoding="utf-8") for s, name in letters]
    assessed = dict(zip(letters, matcher.assess_many(texts, [name for _, name in letters])))
    by_code: dict[tuple, list[dict]] = {}
    for r in labels:
        by_code.setdefault((r["set"], r["letter"], r["code"]), []).append(r)
    X, label, letter, code_of_row, column, keys, codes, units = [], [], [], [], [], [], [], []
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
                      "columns": columns, "features": features, "vectors": a.rows.vectors[unit_of], "score": score,
                      "tech_best": max(a.scores[c].score for c in TECH_CODES), "overall_best": a.scores.best().score,
                      "centroid": a.rows.vectors.mean(axis=0),
                      "essential": ~np.array([matcher.catalog.unit(code).duties[c].optional for c in columns], bool)})
        for r in rows:
            j = positions.index(int(r["position"]))
            X.append(features[j])
            label.append(int(r["label"]))
            letter.append(name)
            code_of_row.append(len(codes) - 1)
            column.append(j)
            keys.append((s, name, code, int(r["position"])))
            units.append(a.unit_texts[unit_of[j]] if assigned[j] else None)
    return TrainingSet(np.array(X), np.array(label), np.array(letter), np.array(code_of_row), np.array(column), keys,
                       units, codes)


def code_support_features(info: dict, probabilities: np.ndarray) -> np.ndarray:
    """The support model's features of one code row, given every duty's probability."""
    return support_features(probabilities[info["columns"]], info["essential"], info["score"], info["tech_best"],
                            info["overall_best"])


def support_rows(data: TrainingSet, code_probabilities: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Support-model features and targets (verdict "supported") of the codes with a verdict."""
    X, y = [], []
    for info, p in zip(data.codes, code_probabilities):
        if info["verdict"] not in ("supported", "not supported"):
            continue
        X.append(code_support_features(info, p))
        y.append(info["verdict"] == "supported")
    return np.array(X), np.array(y, dtype=int)


def exemplar_bank(data: TrainingSet, rows: np.ndarray) -> ExemplarBank:
    """The clauses of the labelled duty ``rows`` (a mask) that the assignment paired with their duty."""
    rows = np.flatnonzero(rows & data.clear & (data.X[:, FEATURES.index("assigned")] > 0))
    return ExemplarBank(np.array([data.codes[data.code_of_row[r]]["vectors"][data.column[r]] for r in rows]),
                        np.array([data.duty_keys[r][2] for r in rows]), data.column[rows], data.label[rows],
                        data.letter[rows])


def fit_evidence(data: TrainingSet, rows: np.ndarray) -> DutyEvidence:
    """Both sets of trees on the clear duty ``rows`` (a mask), and their exemplars. A row's exemplar
    features leave out its own letter's clauses, as a new letter's clauses are not in the bank."""
    train = rows & data.clear
    target = (data.label == 2).astype(int)
    pairs = DutyEvidenceModel().fit(data.X[train], target[train])
    bank = exemplar_bank(data, train)
    compared = np.full((len(data.label), len(EXEMPLAR_FEATURES)), np.nan)
    covered = np.zeros(len(data.label), dtype=bool)
    for i in np.unique(data.code_of_row[train]):
        info = data.codes[i]
        if bank.covers(info["code"], leaving_out=info["letter"]):
            here = np.flatnonzero(train & (data.code_of_row == i))
            assigned = info["features"][:, FEATURES.index("assigned")] > 0
            duties = len(info["vectors"])
            compared[here] = bank.features(info["code"], bank.similarities(info["vectors"]), np.arange(duties),
                                           assigned, info["letter"])[data.column[here]]
            covered[here] = True
    exemplars = DutyEvidenceModel(features=FEATURES + EXEMPLAR_FEATURES).fit(
        np.hstack([data.X[covered], compared[covered]]), target[covered])
    return DutyEvidence(pairs, exemplars, bank)


def code_probabilities(evidence: DutyEvidence, info: dict) -> np.ndarray:
    """P(clearly evidenced) of every duty of one code row of a training set."""
    duties = len(info["features"])
    return evidence.predict_proba([info["code"]], info["features"], info["vectors"], np.arange(duties), [duties])


def fit(data: TrainingSet) -> tuple[DutyEvidence, SupportModel]:
    """Both models on all the labelled letters (the support model on out-of-fold duty probabilities,
    so that it learns how far to trust probabilities of letters the duty model has not seen)."""
    evidence = fit_evidence(data, np.ones(len(data.label), dtype=bool))
    folds = cross_validated(data)
    support = SupportModel.fit(*support_rows(data, folds["code_probabilities"]))
    return evidence, support


def cross_validated(data: TrainingSet, folds: int = FOLDS) -> dict:
    """Out-of-fold probabilities, folds grouped by letter: per duty row (``duty_probabilities``; and
    ``pair_probabilities``, of the trees on the pair features alone), per code row
    (``code_probabilities``, every duty of the code) and the support model's per code row
    (``support_probabilities``, None for codes without a verdict); ``fold_of_code``, and each fold's
    fitted ``duty_models`` (:class:`~nocmatch.engine.duty_evidence.DutyEvidence`) and ``support_models``."""
    from sklearn.model_selection import GroupKFold

    pair_p = np.zeros(len(data.label))
    code_p: list = [None] * len(data.codes)
    fold_of_code = np.zeros(len(data.codes), dtype=int)
    letters_of_code = np.array([info["letter"] for info in data.codes])
    duty_models, support_models = [], []
    for k, (_, test_codes) in enumerate(GroupKFold(folds).split(letters_of_code, groups=letters_of_code)):
        test_rows = np.isin(data.letter, letters_of_code[test_codes])
        evidence = fit_evidence(data, ~test_rows)
        pair_p[test_rows] = evidence.pairs.predict_proba(data.X[test_rows])
        for i in test_codes:
            code_p[i] = code_probabilities(evidence, data.codes[i])
            fold_of_code[i] = k
        duty_models.append(evidence)
    duty_p = np.array([code_p[c][j] for c, j in zip(data.code_of_row, data.column)])
    # the support model, fitted and applied fold by fold on those out-of-fold duty probabilities
    support_p: list = [None] * len(data.codes)
    has_verdict = np.array([info["verdict"] in ("supported", "not supported") for info in data.codes])
    for k in range(folds):
        train = [i for i in range(len(data.codes)) if fold_of_code[i] != k and has_verdict[i]]
        model = SupportModel.fit(*support_rows(dataclasses.replace(data, codes=[data.codes[i] for i in train]),
                                               [code_p[i] for i in train]))
        for i in np.flatnonzero(fold_of_code == k):
            support_p[i] = model.probability(code_support_features(data.codes[i], code_p[i]))
        support_models.append(model)
    return {"duty_probabilities": duty_p, "pair_probabilities": pair_p, "code_probabilities": code_p,
            "support_probabilities": support_p,
            "fold_of_code": fold_of_code, "duty_models": duty_models, "support_models": support_models}


def cache_path(models_dir: Path, model_id: str, catalog_sha256: str, digest: str) -> Path:
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in model_id)
    return models_dir / "duty_evidence" / f"{safe}-{catalog_sha256[:12]}-{digest[:12]}.json"


def _bank_path(path: Path) -> Path:
    return path.with_suffix(".npz")


def _read_models(path: Path) -> tuple[DutyEvidence, SupportModel] | None:
    """Both models from their cache files (the trees' JSON and the exemplars beside it), or None when
    one is missing, unreadable or of another format."""
    try:
        data = json.loads(path.read_text())
        with np.load(_bank_path(path), allow_pickle=False) as arrays:
            bank = ExemplarBank(**{key: arrays[key] for key in arrays.files})
        evidence = DutyEvidence(DutyEvidenceModel.from_dict(data["pairs"]),
                                DutyEvidenceModel.from_dict(data["exemplars"], FEATURES + EXEMPLAR_FEATURES), bank)
        return evidence, SupportModel(**data["support"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_models(path: Path, evidence: DutyEvidence, support: SupportModel, provenance: dict) -> None:
    """The exemplars first, then the JSON that names the models: a reader finds both or neither."""
    arrays = io.BytesIO()
    np.savez(arrays, **evidence.bank.to_arrays())
    write_atomic(_bank_path(path), arrays.getvalue())
    payload = {"pairs": evidence.pairs.to_dict(), "exemplars": evidence.exemplars.to_dict(),
               "support": dataclasses.asdict(support), "provenance": provenance}
    write_atomic(path, json.dumps(payload).encode())


def ensure_models(matcher, models_dir: Path, labels_dir: Path | None = None, *, fit_missing: bool = True,
                  progress: bool = False) -> Path | None:
    """Load the cached models into ``matcher.judge`` or (``fit_missing``) fit and cache them; the cache path,
    or None when there are neither labels nor a cached model (the cosine threshold then decides).

    Without ``fit_missing`` (a query), models missing for the current labels are a :class:`CatalogError`
    that says to run ``nocmatch ingest``.
    """

    labels_dir = labels_dir or default_labels_dir()
    model_id, catalog_sha = matcher.encoder.model_id, matcher.catalog.sha256
    fitted_for_catalog = cache_path(models_dir, model_id, catalog_sha, "*").name  # every labels digest
    if labels_dir is None:  # an installed package without the repository: any model fitted for this catalog
        found = sorted((models_dir / "duty_evidence").glob(fitted_for_catalog))
        cached = _read_models(found[-1]) if found else None
        if cached is None:
            return None
        matcher.judge.duty_model, matcher.judge.support = cached
        return found[-1]
    path = cache_path(models_dir, model_id, catalog_sha, labels_digest(training_files(labels_dir)))
    cached = _read_models(path)
    if cached is not None:
        matcher.judge.duty_model, matcher.judge.support = cached
        return path
    if not fit_missing:
        raise CatalogError(f"the duty-evidence models under {models_dir} are missing, damaged or fitted from other "
                           "labels; run `nocmatch ingest` to refit them")
    if progress:
        print("fitting the duty-evidence model from the labelled letters (once, ~10 s)", file=sys.stderr)
    matcher.judge.duty_model = None
    data = build_training_set(matcher, labels_dir)
    evidence, support = fit(data)
    # the labels folder as the repository names it (no user's home folder in a cache file)
    provenance = {"labels": labels_dir.resolve().relative_to(labels_dir.resolve().parents[2]).as_posix(),
                  "duty_rows": int(data.clear.sum()), "codes": len(data.codes),
                  "exemplars": len(evidence.bank.code), "model": model_id, "catalog_sha256": catalog_sha}
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_models(path, evidence, support, provenance)
    _remove_superseded(path, fitted_for_catalog)
    matcher.judge.duty_model, matcher.judge.support = evidence, support
    return path


def _remove_superseded(path: Path, pattern: str) -> None:
    """Delete the models fitted for this model and catalog from labels that have since changed: they
    would only be read again if the labels went back, and are refitted in seconds then."""
    for old in path.parent.glob(pattern):
        if old != path:
            for file in (old, _bank_path(old)):
                file.unlink(missing_ok=True)
