"""Typed results of a match. ``to_dict()`` is the ``--json`` output; its keys are stable."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nocmatch.checklist.completeness import Completeness

SCHEMA_VERSION = 1


@dataclass
class Support:
    """How well a letter supports one unit group (the scorer's numbers, see ``nocmatch.engine.score``)."""

    code: str
    score: float
    coverage: float
    explained: float
    lead_statement_similarity: float
    lead_statement_described: bool
    lexical: float
    duties_evidenced: int
    duties_total: int
    essential_evidenced: int
    essential_total: int
    sub_occupation: str
    verdict: str

    def rounded(self, digits: int = 4) -> dict:
        """The shared fields, floats rounded for display and JSON."""
        return {name: round(v, digits) if isinstance(v := getattr(self, name), float) else v
                for name in SUPPORT_FIELDS}


#: :class:`Support`'s field names (``dataclasses.fields`` rebuilds its tuple at every call: 0.1 ms each,
#: a tenth of a batch letter's result assembly)
SUPPORT_FIELDS = tuple(f.name for f in fields(Support))


@dataclass
class Candidate(Support):
    """One ranked unit group."""

    rank: int = 0
    title: str = ""
    teer: int = 0
    #: a share among the ranked candidates (softmax of the scores), not a probability of acceptance
    confidence: float = 0.0
    #: the chance a careful reviewer would call this code supported (duty-evidence model; None without it)
    support_probability: float | None = None


@dataclass
class DutyEvidence:
    """One official main duty and the letter sentence paired with it (if any)."""

    position: int
    duty: str
    optional: bool
    sub_occupation: str
    sentence: str | None
    sentence_index: int | None
    similarity: float
    evidenced: bool
    #: the duty-evidence model's probability that the letter clearly evidences this duty (None without it)
    probability: float | None = None
    #: the clause of ``sentence`` paired with the duty (one action; the whole sentence when it has one)
    unit: str | None = None


@dataclass
class Evidence:
    """Duty-by-duty evidence for one code."""

    code: str
    title: str
    lead_statement: str
    lead_statement_similarity: float
    duties: list[DutyEvidence]
    unmatched_sentences: list[dict]  #: duty sentences that evidence none of this code's duties
    method: str = "cosine threshold"  #: how ``evidenced`` was decided ("duty-evidence model" or "cosine threshold")


@dataclass
class TitleCheck:
    """The letter's stated job title matched against the NOC example titles."""

    title: str | None
    code: str | None
    example_title: str | None
    similarity: float
    method: str  #: "exact", "embedding" or "none"


@dataclass
class MatchWarning:
    kind: str     #: title_mismatch, verbatim_copy, copies_set_aside, needs_review, out_of_scope, few_duties, not_supported
    message: str


@dataclass
class LetterInfo:
    name: str
    title: str | None
    titles: list[str]
    duty_sentences: list[str]
    other_sentences: list[dict]  #: {"kind", "text", "line"}: letterhead, salary, hours, ... kept for later checks


@dataclass
class PositionMatch:
    """One position the letter lists (title, dates, months) and the match of its own duties."""

    index: int                      #: 1-based, in letter order (``--position N``)
    title: str | None
    start: str | None               #: ISO date, or None when not stated
    end: str | None                 #: ISO date; for a current position, the date it is counted to
    current: bool
    counted_to: str | None          #: for a current position: "letter date" or "today"
    months: int | None              #: whole calendar months from start to end (None without both dates)
    fte_months: float | None        #: months × hours/30 when under 30 hours a week are stated (IRCC), else months
    hours_per_week: float | None
    shared_duties: bool             #: its duties are the letter's common duties (not listed per position)
    notes: list[str]                #: ambiguous dates, no dates, overlaps ...
    sentences: list[str]            #: the duty sentences it holds
    best_code: str | None           #: the best candidate code; None when the position lists no duties of its own
    best_title: str | None
    #: the duties fit a code outside the candidates better (as the letter's ``out_of_scope``)
    out_of_scope: bool
    best_overall_code: str | None   #: the best of all 516 unit groups for its duties
    best_overall_title: str | None
    verdict: str | None
    support_probability: float | None
    needs_review: bool
    candidates: list[Candidate]     #: ranked by its duties
    evidence: Evidence | None       #: duty-by-duty evidence of the claimed code (``evidence_code``), else of ``best_code``
    warnings: list[MatchWarning]
    title_check: TitleCheck | None

    @property
    def supported_code(self) -> str | None:
        """The code its duties support: the best candidate, or the code outside them when out of scope."""
        return self.best_overall_code if self.out_of_scope else self.best_code


@dataclass
class CodeMonths:
    """Months of experience in one NOC code, across the positions matched to it."""

    code: str
    title: str
    months: int | None       #: calendar months of the positions' dates, overlaps counted once
    fte_months: float | None
    positions: list[int]     #: ``PositionMatch.index`` of the positions counted


@dataclass
class ExperienceSummary:
    """Months per NOC code across the letter's positions, and those of the claimed code."""

    letter_date: str | None          #: the date the letter was written, when it states one
    counted_to: str                  #: the date a current position is counted to (ISO)
    by_code: list[CodeMonths]
    claimed_code: str                #: ``--code`` (the page's claimed code), else the letter's best code
    claimed: CodeMonths
    overlaps: list[list[int]]        #: pairs of positions whose dates overlap (their months are not added twice)
    undated: list[int]               #: positions without both dates (their months are unknown, not guessed)
    notes: list[str]


@dataclass
class MatchResult:
    """Everything ``nocmatch match`` reports about one letter."""

    noc_version: str
    model: str
    catalog_sha256: str
    letter: LetterInfo
    candidates: list[Candidate]
    best_code: str
    best_title: str
    needs_review: bool
    review_reasons: list[str]
    out_of_scope: bool
    best_overall_code: str
    best_overall_title: str
    best_overall_score: float
    title_check: TitleCheck
    warnings: list[MatchWarning]
    evidence: Evidence
    confidence_method: str
    schema_version: int = field(default=SCHEMA_VERSION)
    #: evidence for more codes from the same encoding (``Matcher.match(evidence_codes=, evidence_top=)``)
    evidence_by_code: dict[str, Evidence] = field(default_factory=dict)
    #: the letter checked against IRCC's reference-letter contents (``nocmatch.checklist.completeness``)
    completeness: "Completeness | None" = None
    #: the chance a careful reviewer calls the best of all 516 unit groups supported (None without the model)
    best_overall_support_probability: float | None = None
    #: the positions the letter lists, each matched on its own duties (one entry for a one-position letter)
    positions: list[PositionMatch] = field(default_factory=list)
    #: months of experience per NOC code across the positions (None when no position was found)
    experience: ExperienceSummary | None = None
    #: the position (counted from 1) whose duties the match judges when the letter lists several with
    #: duties of their own: the one held now, as reviewers judge a promotion letter; None: all its duties
    judged_position: int | None = None

    @property
    def supported_code(self) -> str:
        """The code its duties support: the best candidate, or the best of all unit groups when out of scope
        (as :attr:`PositionMatch.supported_code`)."""
        return self.best_overall_code if self.out_of_scope else self.best_code

    def to_dict(self) -> dict:
        data = asdict(self)
        if self.completeness is not None:
            data["completeness"] = self.completeness.to_dict()  # adds the derived "missing" list
        return data

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    @property
    def best(self) -> Candidate:
        return self.candidates[0]

    def candidate(self, code: str) -> Candidate | None:
        return next((c for c in self.candidates if c.code == code), None)
