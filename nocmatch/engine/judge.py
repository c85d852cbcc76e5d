"""Judge a code's duties with the duty-evidence model: which duties are evidenced, the verdict, and
the chance a careful reviewer would call the code supported.

:class:`EvidenceJudge` turns the ranking's :class:`~nocmatch.engine.score.CodeScore` of one code into the
same record with every duty's probability of being clearly evidenced
(:mod:`nocmatch.engine.duty_evidence`), the officer's test applied to those probabilities, and an absolute
``support_probability``: a logistic regression, fitted on the labellers' verdicts, over the code's
duty probabilities and lead statement. Without a fitted model the cosine threshold of
:mod:`nocmatch.engine.score` stays in place (``method`` says which was used).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from nocmatch.catalog import Catalog
from nocmatch.config import TECH_CODES
from nocmatch.engine.duty_evidence import (
    DUTY_BASE_NEIGHBOURS,
    EVIDENCED_MIN,
    FEATURES,
    CodeContext,
    CodeDuties,
    DutyEvidence,
    LetterRows,
    duty_features,
    term_index,
    verbs_of,
)
from nocmatch.engine.lexical import ProfileLexicon
from nocmatch.engine.score import CodeScore, DutyTable, LetterScores, ScoringConfig, verdict_for

#: What the support model reads of a code, in order.
SUPPORT_FEATURES = ("mean_probability", "share_evidenced", "essential_share", "lead", "score_gap", "score",
                    "overall_gap")


def tech_scores(scores: LetterScores) -> list[float]:
    """The tech codes' ranking scores for one letter, best first."""
    return sorted((scores[c].score for c in TECH_CODES), reverse=True)


@dataclass
class SupportModel:
    """``support_probability = sigmoid(coef · (features − mean) / scale + intercept)``."""

    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float

    def probability(self, features: np.ndarray) -> float:
        z = (np.asarray(features) - self.mean) / self.scale
        return float(1.0 / (1.0 + np.exp(-(z @ np.asarray(self.coef) + self.intercept))))

    @classmethod
    def fit(cls, X: np.ndarray, y: np.ndarray, C: float = 1.0) -> "SupportModel":
        from sklearn.linear_model import LogisticRegression

        mean, scale = X.mean(axis=0), X.std(axis=0) + 1e-9
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1):
            fitted = LogisticRegression(C=C, max_iter=1000).fit((X - mean) / scale, y)
        return cls(mean.tolist(), scale.tolist(), fitted.coef_[0].tolist(), float(fitted.intercept_[0]))


def support_features(probabilities: np.ndarray, essential: np.ndarray, score: CodeScore, tech_best: float,
                     overall_best: float) -> np.ndarray:
    """:data:`SUPPORT_FEATURES` of one code from its duties' probabilities and its ranking score (``tech_best``,
    ``overall_best``: the letter's best score over the tech codes and over all unit groups; the gap to the
    best of all says whether another occupation explains the letter better, as a reviewer asks)."""
    evidenced = probabilities >= EVIDENCED_MIN
    essential_share = evidenced[essential].mean() if essential.any() else evidenced.mean()
    return np.array([probabilities.mean() if probabilities.size else 0.0,
                     evidenced.mean() if evidenced.size else 0.0, essential_share, score.lead_statement_similarity,
                     score.score - tech_best, score.score, score.score - overall_best])


#: ``support_probability`` at or above which a code is "supported", and "weak" at or above the second.
SUPPORTED_MIN, WEAK_MIN = 0.5, 0.2


def verdict_from_support(probability: float) -> str:
    """The verdict a careful reviewer would most likely give.

    The support model is fitted on reviewers' verdicts, who applied the officer's test (lead
    statement and more than half of the main duties, essential ones included); its inputs are
    that test's parts from the duty probabilities. Cross-validated on the labelled letters it agreed
    with the reviewer more often than the test's literal rule on the same probabilities (166 against
    142 of 173 supported codes; 18 against 26 of 203 others wrongly called supported).
    """
    if probability >= SUPPORTED_MIN:
        return "supported"
    return "weak" if probability >= WEAK_MIN else "not supported"


def _every_duty(judged: list[int], assigned: np.ndarray, unit_of: np.ndarray, probability: np.ndarray,
                sims: np.ndarray) -> tuple[list[tuple[int, int, float]], list[float]]:
    """The (duty, clause, similarity) pair and probability of every duty of a unit group, in the NOC's order.

    A reviewer reads every duty of the group, so the evidence shows them all; the counts and the verdict
    are the judged sub-occupation's (``judged``), whose pairs come first. The assignment pairs clauses
    within each sub-occupation, so a clause may be paired in two: it stays with the first (one clause
    evidences at most one duty of a group, the guidelines' rule), and the other duty shows no clause and 0.
    """
    judged_set = set(judged)
    order = judged + [d for d in range(len(probability)) if d not in judged_set]
    taken: set[int] = set()
    pairs: dict[int, tuple[int, int, float]] = {}
    shown: dict[int, float] = {}
    for duty in order:
        unit = int(unit_of[duty]) if assigned[duty] else -1  # a duty the assignment left without a clause
        p = float(probability[duty])
        if unit in taken:
            unit, p = -1, 0.0
        taken.add(unit)
        pairs[duty] = (duty, unit, float(sims[unit, duty]) if unit >= 0 else 0.0)
        shown[duty] = p
    return [pairs[d] for d in sorted(pairs)], [shown[d] for d in sorted(shown)]


class EvidenceJudge:
    """The duty-evidence and support models with what they need of the catalog (cached per code)."""

    def __init__(self, catalog: Catalog, duty_vectors: np.ndarray, lexicon: ProfileLexicon,
                 slices: dict[str, slice], tables: dict[str, DutyTable], duty_model: DutyEvidence | None,
                 support: SupportModel | None, config: ScoringConfig):
        self.catalog, self.duty_vectors, self.lexicon, self.slices = catalog, duty_vectors, lexicon, slices
        self.tables = tables
        self.duty_model, self.support, self.config = duty_model, support, config
        self._duty_texts = catalog.column("duties", "text")
        self._tech_columns = np.concatenate([np.arange(slices[c].start, slices[c].stop) for c in TECH_CODES])
        self._per_code: dict[str, CodeDuties] = {}

    @property
    def method(self) -> str:
        return "duty-evidence model" if self.duty_model is not None else "cosine threshold"

    def letter_rows(self, unit_texts: list[str], vectors: np.ndarray, sims: np.ndarray) -> LetterRows:
        return LetterRows(best_tech=sims[:, self._tech_columns].max(axis=1) if sims.size else np.zeros(0),
                          best_all=sims.max(axis=1) if sims.size else np.zeros(0),
                          verbs=[verbs_of(t) for t in unit_texts], vectors=vectors,
                          lexical=term_index([self.lexicon.vectorize(t) for t in unit_texts]))

    def _code_data(self, code: str) -> CodeDuties:
        """What the features read of ``code``'s duties (made once per code)."""
        if code not in self._per_code:
            sl = self.slices[code]
            texts = self._duty_texts[sl]
            others = self.duty_vectors[sl] @ self.duty_vectors.T
            others[:, sl] = -1.0  # a duty's chance level is set by other occupations' duties
            base = np.sort(np.partition(others, -DUTY_BASE_NEIGHBOURS, axis=1)[:, -DUTY_BASE_NEIGHBOURS:], axis=1).mean(axis=1)
            optional = np.array([d.optional for d in self.catalog.unit(code).duties], dtype=bool)
            self._per_code[code] = CodeDuties(
                columns=np.arange(sl.start, sl.stop), terms=term_index([self.lexicon.vectorize(t) for t in texts]),
                verbs=[verbs_of(t) for t in texts], optional=optional, base=base,
                groups=[columns for _, columns in self.tables[code].group_columns])
        return self._per_code[code]

    def features(self, codes: list[str], scores: LetterScores, rows: LetterRows,
                 tech: list[float] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The model's features for every duty of ``codes`` (stacked in order) and the clause paired
        with each (``tech``: the tech codes' scores, best first, when already sorted for the letter)."""
        tech = tech or tech_scores(scores)
        contexts = []
        for code in codes:
            score = scores[code]
            contexts.append(CodeContext(
                lead=score.lead_statement_similarity, score=score.score, score_gap=score.score - tech[0],
                tech_rank=tech.index(score.score) if code in TECH_CODES else len(TECH_CODES),
                explained=score.explained, coverage=score.coverage, profile=score.lexical))
        return duty_features(scores.sims, rows, [self._code_data(code) for code in codes], contexts)

    def judge(self, code: str, scores: LetterScores, rows: LetterRows | None) -> CodeScore:
        """``scores[code]`` with its duties judged by the model (unchanged without one)."""
        return self.judge_many([code], scores, rows)[code]

    def judge_many(self, codes: list[str], scores: LetterScores, rows: LetterRows | None) -> dict[str, CodeScore]:
        """:meth:`judge` of several codes, with one evaluation of the trees for all their duties."""
        if self.duty_model is None or rows is None or scores.sims.shape[0] == 0:
            return {code: scores[code] for code in codes}
        codes = list(dict.fromkeys(codes))
        tech = tech_scores(scores)
        X, unit_of = self.features(codes, scores, rows, tech)
        lengths = [len(self._code_data(code).columns) for code in codes]
        probability = self.duty_model.predict_proba(codes, X, rows.vectors, unit_of, lengths)
        ends = np.cumsum(lengths)
        overall_best = scores.best().score
        return {code: self._judged(code, scores, X[end - k:end], unit_of[end - k:end], probability[end - k:end],
                                   tech[0], overall_best)
                for code, end, k in zip(codes, ends, lengths)}

    def _judged(self, code: str, scores: LetterScores, X: np.ndarray, unit_of: np.ndarray, probability: np.ndarray,
                tech_best: float, overall_best: float) -> CodeScore:
        score = scores[code]
        sims = scores.sims[:, self.slices[code]]
        columns = [duty for duty, _, _ in score.pairs]  # the judged sub-occupation's duties
        optional = self._code_data(code).optional[columns]
        p = probability[columns]
        pairs, shown = _every_duty(columns, X[:, FEATURES.index("assigned")] > 0, unit_of, probability, sims)
        # counted as the evidence shows them: a duty whose clause another duty took is not evidenced
        evidenced = np.array([shown[d] >= EVIDENCED_MIN and pairs[d][1] >= 0 for d in columns], dtype=bool)
        k, k_e = int(evidenced.sum()), int((evidenced & ~optional).sum())
        total, essential_total = len(columns), int((~optional).sum())
        support = None
        if self.support is not None:
            support = self.support.probability(support_features(p, ~optional, score, tech_best, overall_best))
        verdict = (verdict_for(score.lead_statement_described, k, total, k_e, essential_total, self.config)
                   if support is None else verdict_from_support(support))
        return dataclasses.replace(score, duties_evidenced=k, essential_evidenced=k_e, verdict=verdict,
                                   pairs=pairs, probabilities=shown, support_probability=support)
