"""Decide: from the judged scores of a letter, the ranking, the out-of-scope call and what needs review."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from nocmatch.engine.judge import SUPPORTED_MIN, WEAK_MIN
from nocmatch.engine.score import CodeScore, ScoringConfig, confidences, review_reasons

if TYPE_CHECKING:
    from nocmatch.results import MatchResult

#: Copies of NOC duty text make at least this share of a letter's duty sentences before the letter's
#: own sentences are judged apart (one pasted duty among eight does not make a letter a paste).
COPIED_SHARE_MIN = 1 / 3


def own_words_to_judge(copied: int, duty_sentences: int, own_actions: int, min_duties: int) -> bool:
    """Whether a letter that pastes NOC duty text also says enough in its own words to be judged on them.

    The labelling guidelines (and the officer) count a copied duty as evidence only when the rest of
    the letter does not contradict it: a letter whose copies are a substantial share of its duty
    sentences (:data:`COPIED_SHARE_MIN`) and whose other sentences state at least ``min_duties``
    actions (what an officer expects a letter to list; one paragraph of its own words may hold them
    all, as clauses) is judged on those too, and they decide when they disagree.
    """
    return copied >= COPIED_SHARE_MIN * duty_sentences and own_actions >= min_duties


def own_words_contradict(own: "MatchResult", copied_code: str) -> bool:
    """Whether a letter's own words, matched alone, contradict the code its NOC copies point to: they
    point elsewhere and do not support that code even weakly (its support below :data:`WEAK_MIN`). A
    few own words that lean to a neighbour but still weakly support the copied code confirm the copies
    rather than contradict them."""
    if own.supported_code == copied_code:
        return False
    support = next((c.support_probability for c in own.candidates if c.code == copied_code), None)
    return support is None or support < WEAK_MIN


@dataclass(frozen=True)
class MatchRequest:
    """What a match is asked for, besides the letter.

    Parameters
    ----------
    candidates : tuple of str, "all" or None
        Codes to rank; None means the matcher's candidates (the tech codes), "all" every unit group.
    evidence_code : str, optional
        Code whose duty-by-duty evidence is the result's ``evidence`` (default: the best candidate).
    evidence_codes : tuple of str
        Codes whose evidence also goes into ``evidence_by_code``.
    evidence_top : int
        Also the evidence of this many best-ranked candidates (and of the best of all unit groups).
    """

    candidates: tuple[str, ...] | str | None = None
    evidence_code: str | None = None
    evidence_codes: tuple[str, ...] = ()
    evidence_top: int = 0

    def pool(self, all_codes: Sequence[str], default: tuple[str, ...]) -> Sequence[str]:
        """The codes ranked (``all_codes`` itself for "all": no copy per letter)."""
        return all_codes if self.candidates == "all" else tuple(self.candidates or default)

    def evidence_wanted(self, ranked: list[str], best_overall: str) -> list[str]:
        """The codes whose evidence goes into ``evidence_by_code``, in order, each once."""
        return list(dict.fromkeys(ranked[:self.evidence_top] + [best_overall] * bool(self.evidence_top)
                                  + list(self.evidence_codes)))


@dataclass
class Decision:
    """The ranked candidates of one letter and what follows from them."""

    ranked: list[CodeScore]          #: the candidate codes, best first (judged where the model judged them)
    confidences: np.ndarray          #: each ranked code's share among the candidates
    overall: CodeScore               #: the best of all unit groups, judged
    outside_by_score: bool           #: another unit group scores clearly better than every candidate
    outside_by_support: bool         #: a reviewer would likely support that unit group and no candidate
    reasons: list[str] = field(default_factory=list)  #: why a person should review the letter
    excluded_there: bool = False     #: that unit group's NOC exclusions send the best candidate's work here

    @property
    def best(self) -> CodeScore:
        return self.ranked[0]

    @property
    def out_of_scope(self) -> bool:
        return self.outside_by_score or self.outside_by_support

    @property
    def duties_say(self) -> str:
        """The code the duties point to: the best candidate, or the unit group outside them."""
        return self.overall.code if self.out_of_scope else self.best.code


def decide(ranked: list[CodeScore], overall: CodeScore, pool: Sequence[str], cfg: ScoringConfig,
           excludes: Sequence[str] = (), teer_of: Callable[[str], int] | None = None) -> Decision:
    """Shares, the out-of-scope rule and the review reasons for candidates ranked by score.

    A letter is out of scope when the best of all unit groups is not a candidate and either scores
    clearly better (``out_of_scope_min_score``, ``out_of_scope_margin``) or a reviewer would likely
    call it supported and no candidate: terse letters score low on every code, so the score margin
    alone missed most of them.

    ``excludes``: the codes (or minor groups, "2123") that the best unit group's NOC exclusions send
    its look-alike work to; ``teer_of``: a code's TEER. Management unit groups (TEER 0) list the same
    duties of planning, directing, budgeting and staffing for different departments, so their scores
    hardly tell the department; the NOC tells it by its exclusions. When the best unit group and the best
    candidate are both managers', the exclusions name the candidate and a reviewer would likely call
    it supported, the better score is no reason to flag (20010 Engineering managers: "Computer and
    information systems managers (See 20012)": a software engineering manager's duties score higher
    on 20010's general wording). Outside management the scores do tell the work apart: tried on every
    exclusion, the rule also unflagged three network engineers (21311) whose letters support 21231.
    """
    conf = confidences(np.array([s.score for s in ranked]), cfg.temperature)
    outside = overall.code not in pool
    outside_p, best_p = overall.support_probability, ranked[0].support_probability
    sent_here = (outside and teer_of is not None and best_p is not None and best_p >= SUPPORTED_MIN
                 and teer_of(overall.code) == teer_of(ranked[0].code) == 0
                 and any(ranked[0].code.startswith(ref) for ref in excludes if ref))
    by_score = (outside and not sent_here and overall.score >= cfg.out_of_scope_min_score
                and overall.score - ranked[0].score >= cfg.out_of_scope_margin)
    by_support = (outside and outside_p is not None and best_p is not None and outside_p >= SUPPORTED_MIN > best_p)
    return Decision(ranked, conf, overall, by_score, by_support, review_reasons(ranked, conf, cfg),
                    excluded_there=sent_here)
