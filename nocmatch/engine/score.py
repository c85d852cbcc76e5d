"""Score a letter's duty sentences against NOC unit groups, the way an officer reads them.

IRPR 75(2) and 87.1(2) ask whether the applicant performed the actions of the **lead statement**
and **a substantial number of the main duties, including the essential ones**. For each unit group
this module therefore computes, from a (letter sentence × official duty) cosine matrix:

* **duty coverage** — every official duty is paired with at most one letter sentence and every
  sentence with at most one duty (a maximum-weight one-to-one assignment, Hungarian algorithm), so
  one broad sentence can never "cover" several duties. Each paired duty earns soft credit that
  rises linearly from ``credit_floor`` to ``credit_full`` similarity; "May ..." duties weigh half.
  A group whose duties are split by sub-occupation ("Database analysts", "Data administrators")
  is judged on its best-covered sub-occupation, because the NOC lists those as alternatives;
* **letter explained** — the mean credit of each letter sentence's best match among the group's
  duties: a code that covers its duties but leaves most of the letter unexplained (a manager whose
  letter mentions some coding) ranks below the code that explains the letter;
* **lead statement** — the cosine between the mean of the letter's duty sentences and the lead
  statement (without its "They are employed ..." sentence), as soft credit.

* **lexical** — TF-IDF similarity between the letter's duties and the code's profile (title, lead
  statement, duties, example titles), relative to the best unit group: the domain the work is done
  in, which embeddings of managerial sentences blur (see :mod:`nocmatch.engine.lexical`).

``score = w_coverage·coverage + w_explained·explained + w_lead·lead + w_lexical·lexical``. The per-code score does not
depend on which other codes are evaluated, so ``--all`` orders the tech codes exactly as the default.
Everything here is numpy on precomputed similarities: no model is needed to test the rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from nocmatch.engine._lsap import linear_sum_assignment
from nocmatch.results import Support


@dataclass(frozen=True)
class ScoringConfig:
    """Every constant of the scoring and decision rule (docs/method.md explains each)."""

    #: Below this cosine a (sentence, duty) pair is no evidence: the 95th percentile of
    #: all-MiniLM-L6-v2 similarities between letter sentences and unrelated NOC duties is ~0.30.
    credit_floor: float = 0.30
    #: At or above this cosine a pair is a clear paraphrase and earns full credit.
    credit_full: float = 0.60
    #: A duty counts as *evidenced* (k of n) when its paired sentence reaches this cosine
    #: (above the 99th percentile, ~0.41, of unrelated pairs).
    evidence_min: float = 0.42
    #: Weight of a "May ..." (optional) duty relative to an essential one in coverage.
    optional_weight: float = 0.5
    #: Coverage is divided by at least this much duty weight, so a sub-occupation that lists one or
    #: two duties cannot reach full coverage from one or two sentences (10022 lists one per manager type).
    min_duty_weight: float = 4.0
    #: Lead-statement credit rises from ``lead_floor`` to ``lead_full`` cosine.
    lead_floor: float = 0.25
    lead_full: float = 0.60
    #: The lead statement counts as described at this cosine (letter centroid vs lead).
    lead_described_min: float = 0.40
    w_coverage: float = 0.34
    w_explained: float = 0.34
    w_lead: float = 0.17
    #: TF-IDF similarity to the code's whole profile, relative to the best code (see lexical.py).
    w_lexical: float = 0.15
    #: "Substantial number" of duties: more than this share (spec §5.1: keep configurable).
    substantial_share: float = 0.5
    #: Softmax temperature turning scores into confidences over the candidates.
    temperature: float = 0.04
    #: needs_review when the top two confidences are closer than this ...
    review_margin: float = 0.20
    #: ... or the top code's score is below this.
    weak_score: float = 0.35
    #: out_of_scope when a code outside the candidates beats the best candidate by this score margin ...
    #: Management duties are worded alike across the NOC, so an IT manager's letter can score a
    #: few hundredths higher on another manager code (10019, 20010): on the development letters
    #: tech letters reached at most +0.087, real other occupations +0.09 to +0.77. Between 0 and
    #: this margin the outside code is reported as an alternative, not as out of scope.
    out_of_scope_margin: float = 0.10
    #: ... and is itself a real fit (a weak letter is "needs review", not "another occupation").
    out_of_scope_min_score: float = 0.40

    def credit(self, sims: np.ndarray) -> np.ndarray:
        # minimum/maximum rather than np.clip: this runs ~1,000 times per letter
        scaled = (np.asarray(sims, dtype=float) - self.credit_floor) / (self.credit_full - self.credit_floor)
        return np.minimum(np.maximum(scaled, 0.0), 1.0)

    def lead_credit(self, sim: float) -> float:
        return float(np.clip((sim - self.lead_floor) / (self.lead_full - self.lead_floor), 0.0, 1.0))


@dataclass(frozen=True)
class DutyTable:
    """The duties of one unit group as arrays (row-aligned with a slice of the catalog's duties)."""

    code: str
    optional: np.ndarray        #: bool per duty
    group: np.ndarray           #: sub-occupation index per duty (0 when not split)
    group_names: tuple[str, ...] = ("",)

    @cached_property
    def group_columns(self) -> list[tuple[str, np.ndarray]]:
        """(sub-occupation name, its duty columns) for every sub-occupation that has duties."""
        found = [(name, np.flatnonzero(self.group == g)) for g, name in enumerate(self.group_names)]
        return [(name, cols) for name, cols in found if cols.size]


@dataclass
class CodeScore(Support):
    """How well the letter supports one unit group, with the duty-sentence pairs behind it."""

    #: per duty of the chosen sub-occupation: (duty row in the code's table, sentence index or -1, similarity)
    pairs: list[tuple[int, int, float]] = field(default_factory=list, repr=False)
    #: per duty of ``pairs``: the duty-evidence model's probability that it is clearly evidenced
    probabilities: list[float] = field(default_factory=list, repr=False)
    #: the chance a careful reviewer calls the code supported (None without the model)
    support_probability: float | None = None


def align(sims: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One-to-one pairs of (sentence, duty) maximising total similarity."""
    if sims.size == 0:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    return linear_sum_assignment(sims, maximize=True)


def verdict_for(lead_described: bool, evidenced: int, total: int, essential_evidenced: int,
                essential_total: int, cfg: ScoringConfig) -> str:
    """``supported``: lead statement described and more than half of all and of the essential
    duties evidenced; ``weak``: lead statement described or at least a third of the duties
    evidenced; ``not supported`` otherwise."""
    substantial = evidenced > cfg.substantial_share * total
    essential_ok = essential_total == 0 or essential_evidenced > cfg.substantial_share * essential_total
    if lead_described and substantial and essential_ok:
        return "supported"
    if lead_described or evidenced * 3 >= total:
        return "weak"
    return "not supported"


def score_code(sims: np.ndarray, lead_similarity: float, duties: DutyTable, cfg: ScoringConfig,
               lexical: float = 0.0, explained: float | None = None) -> CodeScore:
    """Score one unit group from the (sentences × its duties) cosine matrix.

    ``lexical`` is the letter's TF-IDF similarity to the code's profile relative to the best code (0–1).
    ``explained`` may be passed when computed for many codes at once (:func:`explained_by_code`).
    """
    m = sims.shape[0]
    weights = np.where(duties.optional, cfg.optional_weight, 1.0)
    best: tuple | None = None
    for name, cols in duties.group_columns:
        rows, assigned = align(sims[:, cols])
        pair_sims = np.zeros(cols.size)
        sentence_of = np.full(cols.size, -1)
        pair_sims[assigned] = sims[rows, cols[assigned]]
        sentence_of[assigned] = rows
        coverage = float((weights[cols] * cfg.credit(pair_sims)).sum()
                         / max(weights[cols].sum(), cfg.min_duty_weight))
        if best is None or coverage > best[0]:
            best = (coverage, name, cols, pair_sims, sentence_of)
    assert best is not None  # every unit group has at least one group of duties
    coverage, name, cols, pair_sims, sentence_of = best
    if explained is None:
        explained = float(cfg.credit(sims.max(axis=1)).mean()) if m else 0.0
    evidenced_mask = pair_sims >= cfg.evidence_min
    essential = ~duties.optional[cols]
    lead_described = lead_similarity >= cfg.lead_described_min
    k, k_e = int(evidenced_mask.sum()), int((evidenced_mask & essential).sum())
    score = (cfg.w_coverage * coverage + cfg.w_explained * explained
             + cfg.w_lead * cfg.lead_credit(lead_similarity) + cfg.w_lexical * lexical)
    return CodeScore(
        code=duties.code, score=float(score), coverage=coverage, explained=float(explained),
        lead_statement_similarity=float(lead_similarity), lead_statement_described=lead_described,
        lexical=float(lexical),
        duties_evidenced=k, duties_total=int(cols.size), essential_evidenced=k_e,
        essential_total=int(essential.sum()), sub_occupation=name,
        verdict=verdict_for(lead_described, k, int(cols.size), k_e, int(essential.sum()), cfg),
        pairs=list(zip(cols.tolist(), sentence_of.tolist(), pair_sims.tolist())),
    )


def explained_by_code(sims: np.ndarray, starts: np.ndarray, cfg: ScoringConfig) -> np.ndarray:
    """"Letter explained" of every code at once.

    ``sims`` is (sentences × all duties) with each code's duties contiguous, starting at ``starts``.
    """
    if sims.shape[0] == 0:
        return np.zeros(len(starts))
    best = np.maximum.reduceat(sims, starts, axis=1)  # each sentence's best duty of each code
    return cfg.credit(best).mean(axis=0)


class LetterScores(Mapping):
    """Every unit group's :class:`CodeScore` for one letter, computed when first asked for.

    A code's exact score needs an assignment per sub-occupation; the other terms (letter explained,
    lead statement, lexical) are computed for all 516 codes at once. :meth:`best` finds the best of
    all codes without scoring each: coverage is at most what each duty's best sentence would give
    without the one-to-one rule, so codes are scored in order of that upper bound until the bound
    falls below the best exact score. The result is the same as scoring every code.
    """

    def __init__(self, sims: np.ndarray, lead: np.ndarray, lexical: np.ndarray, explained: np.ndarray,
                 codes: list[str], slices: dict[str, slice], tables: dict[str, DutyTable], cfg: ScoringConfig,
                 starts: np.ndarray, weights: np.ndarray, coverage_norms: np.ndarray):
        self._sims, self._lead, self._lexical, self._explained = sims, lead, lexical, explained
        self._codes, self._slices, self._tables, self._cfg = codes, slices, tables, cfg
        self._index = {code: i for i, code in enumerate(codes)}
        self._done: dict[str, CodeScore] = {}
        self._best: CodeScore | None = None
        self._starts, self._weights, self._coverage_norms = starts, weights, coverage_norms

    def __getitem__(self, code: str) -> CodeScore:
        if code not in self._done:
            i = self._index[code]  # KeyError for a code that is not a unit group, as a dict would
            self._done[code] = score_code(self._sims[:, self._slices[code]], float(self._lead[i]), self._tables[code],
                                          self._cfg, float(self._lexical[i]), float(self._explained[i]))
        return self._done[code]

    def __iter__(self):
        return iter(self._codes)

    def __len__(self) -> int:
        return len(self._codes)

    @property
    def sims(self) -> np.ndarray:
        """Cosine of each letter sentence (rows) with each duty of the catalog (columns)."""
        return self._sims

    def upper_bounds(self) -> np.ndarray:
        """A score no code can exceed (coverage without the one-to-one rule), in ``codes`` order."""
        cfg = self._cfg
        if self._sims.shape[0] == 0:
            coverage = np.zeros(len(self._codes))
        else:
            credited = self._weights * cfg.credit(self._sims.max(axis=0))
            coverage = np.minimum(np.add.reduceat(credited, self._starts) / self._coverage_norms, 1.0)
        lead = np.minimum(np.maximum((self._lead - cfg.lead_floor) / (cfg.lead_full - cfg.lead_floor), 0.0), 1.0)
        return (cfg.w_coverage * coverage + cfg.w_explained * self._explained + cfg.w_lead * lead
                + cfg.w_lexical * self._lexical) + 1e-6  # float slack: a bound must never fall below the score

    def best(self) -> CodeScore:
        """The best-scoring unit group (ties: the first in catalog order, as ``max`` over all would give)."""
        if self._best is not None:
            return self._best
        bounds = self.upper_bounds()
        best: CodeScore | None = None
        for i in np.argsort(-bounds, kind="stable"):
            if best is not None and bounds[i] < best.score:
                break
            candidate = self[self._codes[i]]
            if (best is None or candidate.score > best.score
                    or (candidate.score == best.score and i < self._index[best.code])):
                best = candidate
        assert best is not None  # the catalog has unit groups
        self._best = best
        return best


def confidences(scores: np.ndarray, temperature: float) -> np.ndarray:
    """Softmax of the scores over the candidates: non-negative, sums to 1."""
    if len(scores) == 0:
        return np.zeros(0)
    z = (np.asarray(scores, dtype=float) - np.max(scores)) / temperature
    e = np.exp(z)
    return e / e.sum()


def review_reasons(ranked: list[CodeScore], conf: np.ndarray, cfg: ScoringConfig) -> list[str]:
    """Why a human should check the top code (empty when the answer is clear)."""
    reasons = []
    if not ranked:
        return ["no candidate code could be scored"]
    if len(conf) > 1 and conf[0] - conf[1] < cfg.review_margin:
        reasons.append(f"{ranked[0].code} and {ranked[1].code} are close "
                       f"(confidence {conf[0]:.2f} vs {conf[1]:.2f})")
    if ranked[0].score < cfg.weak_score:
        reasons.append(f"the best code {ranked[0].code} is weakly supported (score {ranked[0].score:.2f})")
    best = ranked[0]
    if best.verdict != "supported":
        reasons.append(f"the duties do not meet the officer's test for {best.code} ({best.verdict}"
                       + (f", chance a reviewer calls it supported {best.support_probability:.2f})"
                          if best.support_probability is not None else ")"))
    also = [s for s in ranked[1:] if s.support_probability is not None and s.verdict == "supported"]
    if best.verdict == "supported" and also:
        reasons.append(f"{also[0].code} is supported too (chance {also[0].support_probability:.2f} against "
                       f"{best.support_probability:.2f}): check which occupation the duties describe")
    return reasons
