"""What the review page and the standalone report show, built from one match of one letter.

A :class:`Review` is computed once per submitted letter: the letter is encoded once, and the
duty-by-duty evidence of every code the consultant may want to look at (the ranked candidates,
the claimed code) is built from that single encoding, so switching codes on the page needs no
server round trip. Nothing here keeps the letter after the review is returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from nocmatch.config import TECH_CODES
from nocmatch.engine.score import ScoringConfig
from nocmatch.errors import InputError
from nocmatch.results import Candidate, Evidence, MatchResult, PositionMatch

#: Candidate sets offered on the page: the 11 tech codes, or all 516 unit groups.
CANDIDATE_SETS = ("tech", "all")
#: With all 516 codes ranked, the evidence of this many best codes is built (each is ~10 duty
#: rows; all 516 would make a page of megabytes for codes nobody reads) ...
ALL_SET_EVIDENCE_CODES = 15
#: ... and this many rows of the ranking are listed.
ALL_SET_RANKING_ROWS = 25
CODE_PATTERN = re.compile(r"^\d{5}$")


@dataclass
class Review:
    """One letter's review: the match, the evidence per code, the completeness checklist.

    Attributes
    ----------
    result : MatchResult
        The match (ranking, warnings, ``evidence_by_code`` for every code offered on the page).
    candidate_set : str
        ``"tech"`` or ``"all"``.
    claimed_code : str or None
        The code the client intends to claim, if given.
    completeness : dict or None
        ``check_completeness(parsed).to_dict()`` (items, flags, missing); None when unavailable.
    config : ScoringConfig
        The thresholds the verdicts used (shown next to the similarities).
    """

    result: MatchResult
    candidate_set: str
    claimed_code: str | None
    completeness: dict | None
    config: ScoringConfig = field(default_factory=ScoringConfig)

    @property
    def chosen_code(self) -> str:
        """The code whose evidence is shown first: the claimed code, else the best candidate."""
        return self.claimed_code or self.result.best_code

    @property
    def evidence(self) -> list[Evidence]:
        """Evidence of every switchable code, best-ranked first."""
        return list(self.result.evidence_by_code.values())

    @property
    def ranking(self) -> list[Candidate]:
        """The ranking rows to list (all 11 tech codes; the best of all 516, plus the claimed code)."""
        rows = self.result.candidates
        if self.candidate_set == "all":
            shown = rows[:ALL_SET_RANKING_ROWS]
            claimed = self.result.candidate(self.claimed_code) if self.claimed_code else None
            if claimed is not None and claimed not in shown:
                shown = shown + [claimed]
            return shown
        return rows

    @property
    def positions(self) -> list[PositionMatch]:
        """The positions shown one section each: those of a letter that lists several (else none)."""
        positions = self.result.positions
        return positions if len(positions) > 1 else []

    @property
    def claimed(self) -> Candidate | None:
        return self.result.candidate(self.claimed_code) if self.claimed_code else None


def clean_claimed_code(code: str | None, catalog) -> str | None:
    """The claimed code as typed (blank means none); an unknown code is an :class:`InputError`."""
    code = (code or "").strip()
    if not code:
        return None
    if not CODE_PATTERN.match(code) or code not in catalog:
        raise InputError(f"claimed code {code[:20]!r} is not a NOC 2021 unit group (five digits, e.g. 21231)")
    return code


def build_review(matcher, text: str, *, name: str = "letter", candidate_set: str = "tech",
                 claimed_code: str | None = None) -> Review:
    """Match one letter and gather everything the review shows.

    Parameters
    ----------
    matcher : Matcher
        A loaded matcher (the model is loaded once and reused for every letter).
    text : str
        The letter.
    name : str
        Shown in messages (a file name, or "pasted letter").
    candidate_set : {"tech", "all"}
        Rank the 11 tech codes or all 516 unit groups.
    claimed_code : str, optional
        The code the client intends to claim; it is ranked, and its evidence shown first, even
        when it is not among the candidates.

    Raises
    ------
    InputError
        Empty, non-English or duty-less letter, unknown candidate set or claimed code.
    """
    if candidate_set not in CANDIDATE_SETS:
        raise InputError(f"unknown candidate set {candidate_set[:20]!r} (choose tech or all)")
    claimed_code = clean_claimed_code(claimed_code, matcher.catalog)
    candidates: tuple[str, ...] | str
    if candidate_set == "all":
        candidates, top = "all", ALL_SET_EVIDENCE_CODES
    else:
        codes = tuple(matcher.candidates or TECH_CODES)
        if claimed_code and claimed_code not in codes:
            # a claimed code outside the tech list is ranked with them, so its rank and verdict show
            codes = codes + (claimed_code,)
        candidates, top = codes, len(codes)
    result = matcher.match(text, candidates=candidates, evidence_code=claimed_code,
                           evidence_codes=[claimed_code] if claimed_code else [], evidence_top=top, name=name)
    return Review(result=result, candidate_set=candidate_set, claimed_code=claimed_code,
                  completeness=result.completeness.to_dict() if result.completeness else None,
                  config=matcher.config)
