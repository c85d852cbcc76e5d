"""Typed results of the EOI scorer. ``to_dict()`` is the ``--json`` output; its keys are stable."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from nocmatch.eoi.geo import Place

SCHEMA_VERSION = 1


@dataclass
class FactorScore:
    """One line of the breakdown: what was asked, what was answered, which band, how many points."""

    factor: str
    label: str
    section: str
    answer: str
    band: str
    points: int
    max: int
    confidence: str
    sources: list[str]
    description: str = ""  #: the factor as the grid's source words it


@dataclass
class WageConversion:
    """How the hourly wage that was scored was obtained."""

    hourly: float
    given: str                        #: "hourly" or "annual"
    annual: float | None = None
    weekly_hours: float | None = None
    weeks_per_year: float | None = None
    formula: str = ""


@dataclass
class UncertainFact:
    """A fact the spec marks UNCERTAIN that this result relied on."""

    name: str
    value: Any
    default: Any
    allowed: list | None
    description: str
    source: str
    total_if: dict[str, int] = field(default_factory=dict)  #: another allowed value → the total it would give


@dataclass
class Occupation:
    """The job offer's NOC unit group, with TEER and category read from the catalog."""

    code: str
    title: str
    teer: int
    category: str
    category_title: str
    source: str  #: "profile" or "letter"


@dataclass
class EoiScore:
    """The total, the stream's maximum and every point explained."""

    grid: str
    grid_name: str
    grid_status: str
    grid_effective_from: str
    grid_effective_to: str | None
    stream: str
    stream_name: str
    occupation: Occupation | None
    location: Place | None
    study_location: Place | None
    wage: WageConversion | None
    total: int
    maximum: int
    maximum_note: str
    factors: list[FactorScore]
    uncertain: list[UncertainFact]
    settings: dict[str, Any]
    notes: list[str]

    def to_dict(self) -> dict:
        return asdict(self)

    def factor(self, factor_id: str) -> FactorScore | None:
        return next((f for f in self.factors if f.factor == factor_id), None)


@dataclass
class DrawCheck:
    """An EOI draw on the same grid and stream, and whether this total clears its cut-off."""

    date: str
    grid: str
    stream: str
    targeting: str
    applies: str        #: "yes" (the draw targeted this code or region) or "maybe" (its list is not known)
    min_score: int
    invited: int
    total: int
    clears: bool
    margin: int         #: total − cut-off
    source: str


@dataclass
class HcpFacts:
    """Ontario's Human Capital Priorities tech draws for one code, as dated data."""

    code: str
    targeted: bool
    lists: list[str]
    draw_dates: list[str]
    draws: list[dict]
    stream_closed: str
    open_stream: str
    crs_bonus: int
    crs_bonus_fact: str
    owp_express_entry_aligned: bool | None
    owp_note: str
    summary: str


@dataclass
class Relocation:
    """The same profile with the job in another municipality."""

    place: Place
    region: str
    regional_points: int
    total: int
    change: int          #: total − total at the current location
    draw: DrawCheck | None


@dataclass
class LetterMatch:
    """What the letter's duties say about the NOC code, and how sure that is."""

    name: str
    code: str
    title: str
    confidence: float | None
    verdict: str
    needs_review: bool
    review_reasons: list[str]
    out_of_scope: bool
    profile_code: str | None
    runner_up_code: str | None
    runner_up_confidence: float | None
    runner_up_verdict: str | None
    #: the chance a careful reviewer calls the code (and the runner-up) supported; None without the model
    support_probability: float | None = None
    runner_up_support_probability: float | None = None
    #: months of the latest position whose duties support ``code`` (used when the profile leaves them out)
    months_in_position: int | None = None
    months_note: str | None = None


@dataclass
class EoiReport:
    """Everything ``nocmatch eoi`` prints: the score, draw facts, relocation, the letter's code."""

    score: EoiScore
    draws: list[DrawCheck]
    draws_note: str
    hcp: HcpFacts | None
    relocation: list[Relocation] | None = None
    letter: LetterMatch | None = None
    runner_up: EoiScore | None = None
    schema_version: int = SCHEMA_VERSION

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self, indent: int | None = 2) -> str:
        """The ``--json`` output: strict JSON, so a NaN or infinity that slipped in raises ValueError.

        Python's default would write a bare ``NaN``/``Infinity``, which JSON parsers reject;
        inputs are range-checked (:mod:`nocmatch.eoi.limits`), so this only fires on a bug.
        """
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False, allow_nan=False)
