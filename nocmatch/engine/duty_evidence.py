"""The duty-evidence model: the chance that a letter clearly evidences one official duty.

A cosine threshold on one (clause, duty) similarity misses most of what a reviewer sees: the
reviewer also reads the clause against the code's other duties (is this clause really about *this*
duty?), against the neighbouring occupations' duties (is it better explained by another code?),
the words the two share, the verb, and the letter as a whole (is this letter that occupation at
all?). Each is a feature here, computed for the clause the one-to-one assignment pairs with the duty:

=================  ==================================================================================
``cos``            cosine of the clause and the duty
``best``           the duty's best cosine over all clauses
``unit_margin``    cosine minus the clause's best cosine over the code's duties (0: its closest duty)
``assigned``       1 when the assignment gave the duty a clause (more duties than clauses leaves some)
``rank``           log(1 + clauses closer to the duty than the paired one)
``lexical``        TF-IDF cosine of clause and duty (the unit-group lexicon's terms)
``lexical_best``   the duty's best TF-IDF cosine over all clauses
``verb``           1 when the clause and the duty share a verb of work
``lead``           cosine of the letter's clauses (mean) with the code's lead statement
``code_mean``      mean over the code's duties of their best cosine
``code_top3``      mean of the three best of those
``units``          log(number of clauses)
``optional``       1 for a "May ..." duty
``tech_margin``    cosine minus the clause's best cosine over the tech codes' duties
``all_margin``     cosine minus the clause's best cosine over all 5,140 NOC duties
``score_gap``      the code's ranking score minus the best tech code's
``score``          the code's ranking score (:mod:`nocmatch.engine.score`)
``tech_rank``      the code's rank among the tech codes (11 when not one)
``duty_base``      the duty's chance level: mean of its 50 best cosines with other codes' duties
``explained``      the code's "letter explained" term
``coverage``       the code's duty coverage term
``profile``        the code's lexical profile term
=================  ==================================================================================

Where reviewers have labelled clauses of other letters for the code's duties, four more features
compare the paired clause with those labelled clauses (the *exemplars*, :class:`ExemplarBank`), as a
consultant compares a letter with letters already accepted and refused:

=================  ==================================================================================
``exemplar_pos``   best cosine with a clause labelled as clearly evidencing this duty
``exemplar_neg``   best cosine with a clause labelled as not evidencing it
``exemplar_other`` best cosine with a clause labelled as clearly evidencing another duty of the code
``exemplar_count`` log(1 + clauses labelled as clearly evidencing this duty)
=================  ==================================================================================

A second set of trees reads them (:class:`DutyEvidence`); a code with too few labelled letters is
judged by the pair features alone.

The model is gradient-boosted trees (scikit-learn's ``HistGradientBoostingClassifier``, depth 3),
fitted on the labelled duties of ``benchmarks/data/duty_labels`` (label 2 against 0; "partly"
labels are left out). At match time the trees are evaluated with numpy from their exported arrays,
so matching never imports scikit-learn (0.8 s of a cold start). Cross-validated by letter, it was
compared with the cosine threshold, a logistic regression on the same features and a fine-tuned
sentence-transformers model (``benchmarks/accuracy.py``, ``benchmarks/evidence_finetune.py``,
docs/method.md).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nocmatch.engine._lsap import linear_sum_assignment
from nocmatch.letter.duty_like import DUTY_ROOTS, WORD, word_stems

FEATURES = ("cos", "best", "unit_margin", "assigned", "rank", "lexical", "lexical_best", "verb", "lead",
            "code_mean", "code_top3", "units", "optional", "tech_margin", "all_margin", "score_gap", "score",
            "tech_rank", "duty_base", "explained", "coverage", "profile")
EXEMPLAR_FEATURES = ("exemplar_pos", "exemplar_neg", "exemplar_other", "exemplar_count")
MODEL_FORMAT = 2
#: A code's duties are compared with exemplars only when reviewers labelled at least this many letters for it.
EXEMPLAR_MIN_LETTERS = 3
#: A duty counts as evidenced at this probability.
EVIDENCED_MIN = 0.5
#: How many of a duty's closest other-code duties give its chance level.
DUTY_BASE_NEIGHBOURS = 50


def verbs_of(text: str) -> frozenset[str]:
    """The verbs of work a text uses, as roots (develops, development → develop)."""
    return frozenset(s for w in WORD.findall(text.lower()) for s in word_stems(w) if s in DUTY_ROOTS)


@dataclass(frozen=True)
class CodeContext:
    """What the ranking already knows about one code for this letter (its features at code level)."""

    lead: float
    score: float
    score_gap: float
    tech_rank: int
    explained: float
    coverage: float
    profile: float


@dataclass(frozen=True)
class LetterRows:
    """A letter's clauses as the evidence model reads them (computed once per letter)."""

    best_tech: np.ndarray      #: per clause, best cosine over the tech codes' duties
    best_all: np.ndarray       #: per clause, best cosine over every NOC duty
    verbs: list[frozenset]     #: per clause, its verbs of work
    vectors: np.ndarray        #: per clause, its embedding (unit length)
    lexical: dict              #: the clauses' TF-IDF vectors by term: {term: weight in each clause (an array)}


def term_index(vectors: list[dict]) -> dict:
    """TF-IDF vectors of a code's duties as {term: weight of the term in each duty (an array)}."""
    index: dict = {}
    for i, vector in enumerate(vectors):
        for term, weight in vector.items():
            index.setdefault(term, np.zeros(len(vectors)))[i] = weight
    return index


def lexical_similarities(unit_terms: dict, duty_terms: dict, m: int, n: int) -> np.ndarray:
    """TF-IDF cosine of every clause (rows) with every duty (columns): the clauses' and the duties'
    weights of the terms they share, multiplied (both are ``{term: weights}`` as :func:`term_index`)."""
    shared = unit_terms.keys() & duty_terms.keys()
    if not shared:
        return np.zeros((m, n))
    return np.column_stack([unit_terms[t] for t in shared]) @ np.vstack([duty_terms[t] for t in shared])


@dataclass(frozen=True)
class CodeDuties:
    """What the features read of one code's duties (made once per code, see ``EvidenceJudge``)."""

    columns: np.ndarray          #: the code's duties' rows in the catalog's duty matrix
    terms: dict                  #: their TF-IDF vectors by term (:func:`term_index`)
    verbs: list[frozenset]       #: their verbs of work
    optional: np.ndarray         #: "may" duties
    base: np.ndarray             #: each duty's chance level (its closest other-code duties' mean cosine)
    groups: list[np.ndarray]     #: column arrays of its sub-occupations (one-to-one pairing within each)


def duty_features(sims: np.ndarray, rows: LetterRows, codes: list[CodeDuties],
                  contexts: list[CodeContext]) -> tuple[np.ndarray, np.ndarray]:
    """The feature matrix of every duty of ``codes`` (stacked in order; :data:`FEATURES` columns) and
    each duty's paired clause (its row in ``sims``, clauses × every catalog duty).

    The pairing is the one-to-one assignment on cosine (a clause evidences at most one duty of a
    code), made within each sub-occupation (the NOC lists them as alternatives, as
    :func:`nocmatch.engine.score.score_code` does); a duty left without a clause is described by its closest
    clause with ``assigned`` = 0. Everything but the pairing and the lexical overlap is computed for
    all the codes at once (a letter judges a dozen codes; per code, numpy's call overhead dominated).
    """
    m = sims.shape[0]
    lengths = np.array([len(c.columns) for c in codes])
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    S = sims[:, np.concatenate([c.columns for c in codes])]
    n = S.shape[1]
    unit_of, assigned, lexical, lexical_best = (np.empty(n, dtype=np.intp), np.zeros(n), np.empty(n), np.empty(n))
    for code, a in zip(codes, starts):
        block = S[:, a:a + len(code.columns)]
        pairs = block.argmax(axis=0)
        for group in code.groups:
            clause_rows, duty_cols = linear_sum_assignment(block[:, group], maximize=True)
            pairs[group[duty_cols]] = clause_rows
            assigned[a + group[duty_cols]] = 1.0
        unit_of[a:a + len(pairs)] = pairs
        overlap = lexical_similarities(rows.lexical, code.terms, m, len(pairs))
        lexical[a:a + len(pairs)] = overlap[pairs, np.arange(len(pairs))]
        lexical_best[a:a + len(pairs)] = overlap.max(axis=0)
    code_of = np.repeat(np.arange(len(codes)), lengths)
    cos = S[unit_of, np.arange(n)]
    col_best = S.max(axis=0)
    code_mean = np.add.reduceat(col_best, starts) / lengths
    top3 = [np.sort(col_best[a:a + k])[-3:].mean() for a, k in zip(starts, lengths)]

    def per_code(values) -> np.ndarray:
        return np.asarray(values, dtype=float)[code_of]

    columns = [
        cos, col_best, cos - np.maximum.reduceat(S, starts, axis=1)[unit_of, code_of], assigned,
        np.log1p((S > cos[None, :]).sum(axis=0)),
        lexical, lexical_best,
        [float(bool(rows.verbs[u] & v)) for u, v in zip(unit_of, (v for c in codes for v in c.verbs))],
        per_code([c.lead for c in contexts]), code_mean[code_of], per_code(top3), np.log(m),
        np.concatenate([c.optional for c in codes]), cos - rows.best_tech[unit_of], cos - rows.best_all[unit_of],
        per_code([c.score_gap for c in contexts]), per_code([c.score for c in contexts]),
        per_code([c.tech_rank for c in contexts]), np.concatenate([c.base for c in codes]),
        per_code([c.explained for c in contexts]), per_code([c.coverage for c in contexts]),
        per_code([c.profile for c in contexts])]
    X = np.empty((n, len(columns)))
    for j, values in enumerate(columns):
        X[:, j] = values
    return X, unit_of


class ExemplarBank:
    """Clauses of labelled letters, each with the duty it was paired with and the reviewer's label.

    Parameters
    ----------
    vectors : (n, d) array
        The clauses' embeddings (unit length).
    code, column : (n,) arrays
        The unit group and the duty (its index among the code's main duties) each clause was paired with.
    label : (n,) array
        2 (clearly evidenced) or 0 (not evidenced).
    letter : (n,) array, optional
        The letter of each clause; :meth:`features` can leave a letter's own clauses out (training).
    """

    def __init__(self, vectors: np.ndarray, code: np.ndarray, column: np.ndarray, label: np.ndarray,
                 letter: np.ndarray | None = None):
        letter = np.asarray(letter) if letter is not None else np.full(len(code), "")
        # sorted by code, duty and label: a code's clauses are one slice of the bank, a duty's one run of it
        order = np.lexsort((np.asarray(label), np.asarray(column), np.asarray(code)))
        self.vectors = np.ascontiguousarray(np.asarray(vectors, dtype=np.float32)[order])
        self.code, self.column, self.label = np.asarray(code)[order], np.asarray(column)[order], np.asarray(label)[order]
        self.letter = letter[order]
        bounds = np.flatnonzero(np.r_[True, self.code[1:] != self.code[:-1], True])
        self._codes = {self.code[a]: self._code_block(a, b) for a, b in zip(bounds[:-1], bounds[1:])}

    def _code_block(self, a: int, b: int) -> dict:
        """One code's slice of the bank and its runs of one (duty, label): a duty's best cosine with each run
        is one ``maximum.reduceat`` (a match judges a dozen codes: per-duty masks cost more)."""
        column, label = self.column[a:b], self.label[a:b]
        starts = np.flatnonzero(np.r_[True, (column[1:] != column[:-1]) | (label[1:] != label[:-1])])
        return {"span": slice(a, b), "letter": self.letter[a:b], "letters": frozenset(self.letter[a:b].tolist()),
                "column": column, "clear": label == 2, "starts": starts, "run_column": column[starts],
                "run_clear": label[starts] == 2}

    def letters_for(self, code: str, leaving_out: str | None = None) -> int:
        """How many letters have labelled clauses for ``code`` (``leaving_out`` one of them)."""
        block = self._codes.get(code)
        return 0 if block is None else len(block["letters"] - {leaving_out})

    def covers(self, code: str, leaving_out: str | None = None) -> bool:
        return self.letters_for(code, leaving_out) >= EXEMPLAR_MIN_LETTERS

    def similarities(self, vectors: np.ndarray) -> np.ndarray:
        """Cosine of each clause (rows of ``vectors``, unit length) with every clause of the bank."""
        return np.asarray(vectors, dtype=np.float32) @ self.vectors.T

    def features(self, code: str, similarities: np.ndarray, rows: np.ndarray, assigned: np.ndarray,
                 leaving_out: str | None = None) -> np.ndarray:
        """:data:`EXEMPLAR_FEATURES` of each duty of ``code``, in order: ``similarities`` are a letter's
        clauses' cosines with the bank (:meth:`similarities`), ``rows`` each duty's paired clause (its row
        there); NaN where ``assigned`` is false or no exemplar applies. The clauses of the letter
        ``leaving_out`` are left out."""
        n = len(rows)
        out = np.full((n, len(EXEMPLAR_FEATURES)), np.nan)
        block = self._codes.get(code)
        if block is None:
            out[:, 3] = 0.0
            return out
        similarity = similarities[:, block["span"]][rows]
        kept = np.ones(len(block["column"]), dtype=bool) if leaving_out is None else block["letter"] != leaving_out
        similarity[:, ~kept] = -np.inf
        best_of_run = np.maximum.reduceat(similarity, block["starts"], axis=1)   # duties × (duty, label) runs
        own = block["run_column"][None, :] == np.arange(n)[:, None]
        clear = block["run_clear"][None, :]
        for j, mask in enumerate((own & clear, own & ~clear, ~own & clear)):
            best = np.where(mask, best_of_run, -np.inf).max(axis=1, initial=-np.inf)
            out[:, j] = np.where(np.isfinite(best), best, np.nan)
        out[:, 3] = np.log1p(np.bincount(block["column"][kept & block["clear"]], minlength=n)[:n])
        out[~np.asarray(assigned, dtype=bool), :3] = np.nan
        return out

    def to_arrays(self) -> dict:
        return {"vectors": self.vectors, "code": self.code.astype(str), "column": self.column.astype(np.int32),
                "label": self.label.astype(np.int8), "letter": self.letter.astype(str)}


class DutyEvidenceModel:
    """Boosted trees giving P(duty clearly evidenced | features), evaluated with numpy.

    Parameters
    ----------
    max_depth, learning_rate, max_iter : as scikit-learn's ``HistGradientBoostingClassifier``.
    features : the names of the columns the trees read (checked when the artefact is read back).
    """

    def __init__(self, max_depth: int = 3, learning_rate: float = 0.1, max_iter: int = 150,
                 features: tuple[str, ...] = FEATURES):
        self.max_depth, self.learning_rate, self.max_iter = max_depth, learning_rate, max_iter
        self.features = tuple(features)

    def fit(self, X: np.ndarray, y: np.ndarray) -> "DutyEvidenceModel":
        from sklearn.ensemble import HistGradientBoostingClassifier
        from threadpoolctl import threadpool_limits

        # one thread: on 2 busy cores OpenMP's threads made a 0.4 s fit take 25 s (same result)
        with threadpool_limits(1):
            fitted = HistGradientBoostingClassifier(max_depth=self.max_depth, learning_rate=self.learning_rate,
                                                    max_iter=self.max_iter, early_stopping=False,
                                                    random_state=0).fit(X, y)
        self.baseline_ = float(np.ravel(fitted._baseline_prediction)[0])
        trees = [predictors[0].nodes for predictors in fitted._predictors]
        self.trees_ = {key: np.stack([t[key] for t in _padded(trees)]) for key in
                       ("value", "feature_idx", "num_threshold", "missing_go_to_left", "left", "right", "is_leaf")}
        self.n_features_ = X.shape[1]
        self.flat_: dict | None = None
        return self

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=float)
        flat = self._flat()
        rows = X.shape[0]
        # every (tree, row) walks down from its tree's root: node ids index the trees' nodes laid end to
        # end, and a leaf is its own child, so every walk takes max_depth steps with no test for leaves
        node = np.repeat(flat["roots"][:, None], rows, axis=1)
        row_ix = np.broadcast_to(np.arange(rows), node.shape)
        missing = bool(np.isnan(X).any())
        for _ in range(self.max_depth):
            value = X[row_ix, flat["feature_idx"][node]]
            left = value <= flat["num_threshold"][node]
            if missing:
                left = np.where(np.isnan(value), flat["missing_go_to_left"][node], left)
            node = np.where(left, flat["left"][node], flat["right"][node])
        return self.baseline_ + flat["value"][node].sum(axis=0)

    def _flat(self) -> dict:
        """The trees' node arrays laid end to end (child ids made global, a leaf its own child), built once."""
        flat = getattr(self, "flat_", None)
        if flat is None:
            t = self.trees_
            trees, size = t["value"].shape
            offsets = (np.arange(trees) * size)[:, None]
            own = (np.arange(size)[None, :] + offsets).ravel()
            leaf = t["is_leaf"].ravel().astype(bool)
            flat = self.flat_ = {"roots": offsets[:, 0], "value": t["value"].ravel(),
                          "feature_idx": np.where(leaf, 0, t["feature_idx"].ravel()).astype(np.intp),
                          "num_threshold": t["num_threshold"].ravel(),
                          "missing_go_to_left": t["missing_go_to_left"].ravel().astype(bool),
                          "left": np.where(leaf, own, (t["left"] + offsets).ravel()).astype(np.intp),
                          "right": np.where(leaf, own, (t["right"] + offsets).ravel()).astype(np.intp)}
        return flat

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """P(clearly evidenced) per row (a 1-d array, unlike scikit-learn's two columns)."""
        return 1.0 / (1.0 + np.exp(-self.decision_function(X)))

    # -- artefact -----------------------------------------------------------------------
    def to_dict(self) -> dict:
        return {"format": MODEL_FORMAT, "features": list(self.features), "max_depth": self.max_depth,
                "learning_rate": self.learning_rate, "max_iter": self.max_iter, "baseline": self.baseline_,
                "trees": {k: v.tolist() for k, v in self.trees_.items()}}

    @classmethod
    def from_dict(cls, data: dict, features: tuple[str, ...] = FEATURES) -> "DutyEvidenceModel":
        if data.get("format") != MODEL_FORMAT or data.get("features") != list(features):
            raise ValueError("evidence model of another format")
        model = cls(data["max_depth"], data["learning_rate"], data["max_iter"], features)
        model.baseline_ = float(data["baseline"])
        model.trees_ = {k: np.asarray(v) for k, v in data["trees"].items()}
        model.n_features_ = len(features)
        return model


class DutyEvidence:
    """What judges a code's duties: trees on the pair features, and, for a code with labelled clauses
    from enough letters, trees that also compare the paired clauses with them.

    Parameters
    ----------
    pairs : DutyEvidenceModel
        Reads :data:`FEATURES`.
    exemplars : DutyEvidenceModel
        Reads :data:`FEATURES` then :data:`EXEMPLAR_FEATURES`.
    bank : ExemplarBank
        The labelled clauses ``exemplars`` compares with.
    """

    def __init__(self, pairs: DutyEvidenceModel, exemplars: DutyEvidenceModel, bank: ExemplarBank):
        self.pairs, self.exemplars, self.bank = pairs, exemplars, bank

    def uses_exemplars(self, code: str) -> bool:
        return self.bank.covers(code)

    def predict_proba(self, codes: list[str], X: np.ndarray, clauses: np.ndarray, unit_of: np.ndarray,
                      lengths: list[int], leaving_out: str | None = None) -> np.ndarray:
        """P(clearly evidenced) of the duties of ``codes``, stacked in order (``lengths``: duties per
        code; ``X``: their pair features; ``unit_of``: each duty's paired clause, a row of ``clauses``,
        the letter's clause embeddings), with one evaluation of each set of trees."""
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(int)
        with_exemplars = [self.uses_exemplars(code) for code in codes]
        uses = np.repeat(with_exemplars, lengths)
        probability = np.empty(len(X))
        if not uses.all():
            probability[~uses] = self.pairs.predict_proba(X[~uses])
        if uses.any():
            assigned = X[:, FEATURES.index("assigned")] > 0
            similarities = self.bank.similarities(clauses)  # once per letter: one product beats one per code
            compared = np.vstack([self.bank.features(code, similarities, unit_of[a:a + k], assigned[a:a + k],
                                                     leaving_out)
                                  for code, a, k, used in zip(codes, starts, lengths, with_exemplars) if used])
            probability[uses] = self.exemplars.predict_proba(np.hstack([X[uses], compared]))
        return probability


def _padded(trees: list[np.ndarray]) -> list[np.ndarray]:
    """Node arrays of equal length (short trees padded with leaves), so all trees stack."""
    size = max(len(t) for t in trees)
    out = []
    for t in trees:
        pad = np.zeros(size - len(t), dtype=t.dtype)
        pad["is_leaf"] = 1
        out.append(np.concatenate([t, pad]))
    return out


def labels_digest(paths: list[Path]) -> str:
    """The training files' digest: a cached model is rebuilt when any label or letter changes."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
