"""Score a :class:`~nocmatch.eoi.profile.Profile` on a versioned EOI grid.

>>> scorer = EoiScorer.load()                       # reads the NOC catalog once
>>> result = scorer.score(Profile.from_toml("profile.toml"))
>>> result.total, result.maximum, [f.points for f in result.factors]
>>> scorer.relocate(profile, ["Waterloo", "Sudbury"])

TEER and broad occupational category are read from the catalog for the profile's NOC code. The
job location is resolved through Statistics Canada's census divisions to an OINP region.
"""

from __future__ import annotations

import dataclasses
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import Any, Iterable

from nocmatch.catalog import Catalog, UnitGroup
from nocmatch.config import default_data_dir
from nocmatch.eoi.draws import draw_checks, draws_note, hcp_facts
from nocmatch.eoi.geo import Municipalities, Place
from nocmatch.eoi.grid import Grid, Stream, available_grids, load_grid
from nocmatch.eoi.profile import NO_STUDY_LOCATION, Profile
from nocmatch.eoi.results import (
    EoiReport,
    EoiScore,
    FactorScore,
    LetterMatch,
    Occupation,
    Relocation,
    UncertainFact,
    WageConversion,
)
from nocmatch.errors import InputError

#: The places ``--relocate`` compares by default (issue 5): the GTA, the rest of the south, the north.
DEFAULT_PLACES = ("Toronto", "Mississauga", "Markham", "Hamilton", "Waterloo", "Guelph", "Ottawa", "Kingston",
                  "London", "Barrie", "Sudbury", "Thunder Bay")
class _ReadLog(dict):
    """The settings, remembering which ones scoring read: those are the ones a result relied on."""

    def __init__(self, values: dict[str, Any]):
        super().__init__(values)
        self.read: set[str] = set()

    def __getitem__(self, name: str) -> Any:
        self.read.add(name)
        return super().__getitem__(name)


def _place_name(place: Place | None) -> str:
    if place is None:
        raise ValueError("a place is described before it was looked up")
    return f"{place.municipality} ({place.cd_name} CD)"


class _Answers:
    """The profile's answers by grid input name, derived only when a scored factor asks for them."""

    #: inputs scored exactly as the profile gives them; the others are derived by ``_<input>()``
    AS_GIVEN = frozenset({"months_in_position", "months_ontario_work", "best_yearly_earnings", "legal_status",
                          "education", "canadian_credentials", "clb"})

    def __init__(self, profile: Profile, unit: UnitGroup | None, settings: _ReadLog, places: Municipalities,
                 stream: Stream):
        self.profile, self.unit, self.settings, self.places, self.stream = profile, unit, settings, places, stream
        self.location: Place | None = None
        self.study_place: Place | None = None
        self.wage: WageConversion | None = None
        self._cache: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._cache:
            value = getattr(self.profile, name) if name in self.AS_GIVEN else getattr(self, f"_{name}")()
            self._cache[name] = 0 if name == "months_in_position" and value is None else value
        return self._cache[name]

    def _need(self, field: str, what: str) -> Any:
        value = getattr(self.profile, field)
        if value is None:
            raise InputError(f"profile: {field} is required by stream {self.stream.id} ({what})")
        return value

    def _occupation(self) -> UnitGroup:
        if self.unit is None:
            raise InputError(f"profile: noc is required by stream {self.stream.id} (the job offer's NOC 2021 code); "
                             "give noc = \"21231\" or --letter")
        return self.unit

    def _teer(self) -> int:
        return self._occupation().teer

    def _category(self) -> str:
        return self._occupation().category

    def _hourly_wage(self) -> float:
        p = self.profile
        if p.wage_hourly is not None:
            self.wage = WageConversion(hourly=p.wage_hourly, given="hourly")
            return p.wage_hourly
        if p.wage_annual is None:
            raise InputError(f"profile: stream {self.stream.id} scores the job offer's wage: give wage_hourly, "
                             "or wage_annual with weekly_hours")
        weeks = self.settings["weeks_per_year"]
        # Cents are cut, never rounded up: $39.999 an hour is not $40.00.
        hourly = (Decimal(str(p.wage_annual)) / (Decimal(str(p.weekly_hours)) * Decimal(str(weeks)))
                  ).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
        self.wage = WageConversion(hourly=float(hourly), given="annual", annual=p.wage_annual,
                                   weekly_hours=p.weekly_hours, weeks_per_year=weeks,
                                   formula=f"${p.wage_annual:,.2f} ÷ ({p.weekly_hours:g} h × {weeks:g} weeks) = "
                                           f"${hourly:.2f}/h (cents cut)")
        return float(hourly)

    def _field_of_study(self) -> str:
        return self._need("field_of_study", "field-of-study factor")

    def _clb(self) -> int | None:
        return self.profile.clb

    def _official_languages(self) -> int:
        best, other = self.profile.clb, self.profile.second_language_clb
        if best is None:
            return 0
        if other is None:
            return 1
        both = (max(best, other) >= self.settings["two_languages_min_clb_best"]
                and min(best, other) >= self.settings["two_languages_min_clb_other"])
        return 2 if both else 1

    def _job_region(self) -> str:
        self.location = self.places.lookup(self._need("job_location", "job-location factor"))
        return self.location.region

    def _study_region(self) -> str:
        where = self._need("study_location", f"location-of-study factor; \"{NO_STUDY_LOCATION}\" if no in-person classes")
        if where.strip().lower() == NO_STUDY_LOCATION:
            return NO_STUDY_LOCATION
        self.study_place = self.places.lookup(where)
        return self.study_place.region

    # -- how each answer is shown (after it was read: its place is known) -----------------------
    def describe(self, name: str) -> str:
        value = self[name]
        if name == "teer":
            return f"TEER {value} (NOC {self._occupation().code})"
        if name == "category":
            return f"category {value}"
        if name == "hourly_wage":
            return f"${value:,.2f}/h" + (" (from salary)" if self.wage and self.wage.given == "annual" else "")
        if name == "months_in_position":
            return f"{value} months in position" + (" (not given)" if self.profile.months_in_position is None else "")
        if name == "months_ontario_work":
            return f"{value} months of Ontario work"
        if name == "best_yearly_earnings":
            return f"${value:,.0f}"
        if name == "clb":
            return "no test" if value is None else f"CLB {value}"
        if name == "official_languages":
            tests = [f"CLB {c}" for c in (self.profile.clb, self.profile.second_language_clb) if c is not None]
            return f"{value} ({' + '.join(tests) or 'no test'})"
        if name == "job_region":
            return _place_name(self.location)
        if name == "study_region":
            return "no in-person classes" if value == NO_STUDY_LOCATION else _place_name(self.study_place)
        return str(value).replace("_", " ")


class EoiScorer:
    """Scores EOI profiles; holds the NOC catalog and the municipality table.

    Parameters
    ----------
    catalog : Catalog
        The NOC 2021 catalog, where TEER and broad category come from.
    places : Municipalities, optional
        The Ontario municipality table (default: the packaged one).
    """

    def __init__(self, catalog: Catalog, places: Municipalities | None = None):
        self.catalog = catalog
        self.places = places or Municipalities.load()

    @classmethod
    def load(cls, data_dir: Path | str | None = None) -> "EoiScorer":
        """Read the ingested catalog (``data/noc2021/catalog`` by default)."""
        return cls(Catalog.load(Path(data_dir or default_data_dir()) / "catalog"))

    # -- one score ------------------------------------------------------------------------------
    def choose(self, profile: Profile, grid: str | None = None, stream: str | None = None) -> tuple[Grid, Stream, list[str]]:
        """The grid and stream to use: command-line choice, else the profile's, else the defaults.

        When the grid is chosen on the command line and the profile's stream is not in it (an OWP
        profile looked at on G2022), the grid's default stream is used and a note says so.
        """
        notes = []
        chosen = load_grid(grid or profile.grid or "OWP2026")
        stream_id = stream or profile.stream
        if stream is None and grid is not None and profile.stream and profile.stream.upper() not in chosen.streams:
            notes.append(f"the profile's stream {profile.stream} is not a {chosen.id} stream; scored as "
                         f"{chosen.default_stream} ({chosen.streams[chosen.default_stream].name})")
            stream_id = None
        return chosen, chosen.stream(stream_id), notes

    def occupation(self, code: str, source: str = "profile") -> tuple[UnitGroup, Occupation]:
        """The unit group for ``code`` (a one-line error when it is not a NOC 2021 unit group)."""
        unit = self.catalog.unit(code)
        broad = unit.hierarchy.get("broad", unit.category)
        return unit, Occupation(code=unit.code, title=unit.title, teer=unit.teer, category=unit.category,
                                category_title=broad.split(" ", 1)[-1], source=source)

    def score(self, profile: Profile, *, grid: str | None = None, stream: str | None = None,
              noc: str | None = None, noc_source: str = "profile") -> EoiScore:
        """Score ``profile``: the total, the stream's maximum and every factor's points.

        Parameters
        ----------
        grid, stream : str, optional
            Override the profile's grid and stream (e.g. ``grid="G2022"`` for the legacy grid).
        noc : str, optional
            Override the profile's NOC code (e.g. the code a letter's duties support).
        """
        chosen, stream_obj, notes = self.choose(profile, grid, stream)
        settings = self._settings(chosen, profile.settings)
        return self._score(profile, chosen, stream_obj, settings, noc or profile.noc, noc_source, notes)

    def _settings(self, grid: Grid, overrides: dict[str, Any]) -> dict[str, Any]:
        # A profile may carry settings for several grids; those of other grids are not used here.
        known = {name for gid in available_grids() for name in load_grid(gid).settings}
        unknown = [name for name in overrides if name not in known]
        if unknown:
            allowed = sorted(n for gid in available_grids() for n, s in load_grid(gid).settings.items() if s.adjustable)
            raise InputError(f"profile: unknown setting {unknown[0]!r}; allowed: {', '.join(dict.fromkeys(allowed))}")
        # Unused settings are still checked: `trades_field_points = nan` is a mistake on OWP2026 too.
        for other in (load_grid(gid) for gid in available_grids() if gid != grid.id):
            other.resolve_settings({k: v for k, v in overrides.items() if k in other.settings}, "profile [settings]")
        return grid.resolve_settings({k: v for k, v in overrides.items() if k in grid.settings}, "profile [settings]")

    def _score(self, profile: Profile, grid: Grid, stream: Stream, settings: dict[str, Any], code: str | None,
               noc_source: str, notes: list[str], explain_uncertain: bool = True) -> EoiScore:
        stream.check_code(code)
        unit, occupation = self.occupation(code, noc_source) if code else (None, None)
        log = _ReadLog(settings)
        answers = _Answers(profile, unit, log, self.places, stream)
        lines = []
        for factor_id in stream.factors:
            factor = grid.factors[factor_id]
            ladder, band = factor.evaluate(answers, log)
            answer = answers.describe(ladder.input)
            if ladder is not factor.ladders[0]:  # a fallback ladder: the first gave no points, say so
                answer = f"{answers.describe(factor.ladders[0].input)} (no points) → {answer}"
            points = log[band.points["setting"]] if isinstance(band.points, dict) else band.points
            lines.append(FactorScore(factor=factor.id, label=factor.label, section=factor.section, answer=answer,
                                     band=band.label, points=points, max=factor.maximum(settings),
                                     confidence=factor.confidence, sources=list(factor.sources),
                                     description=factor.description))
        total = sum(line.points for line in lines)
        relied = set(log.read) | set(stream.relies_on) | {
            name for f in stream.factors for name in grid.factors[f].relies_on if not grid.settings[name].adjustable}
        uncertain = []
        for name in sorted(relied):
            setting = grid.settings[name]
            if not setting.uncertain:
                continue
            total_if = {}
            if explain_uncertain and setting.allowed:
                for alternative in setting.allowed:
                    if alternative != settings[name]:
                        other = self._score(profile, grid, stream, dict(settings, **{name: alternative}), code,
                                            noc_source, [], explain_uncertain=False)
                        total_if[str(alternative).lower() if isinstance(alternative, bool) else str(alternative)] = other.total
            uncertain.append(UncertainFact(name=name, value=settings[name], default=setting.default,
                                           allowed=list(setting.allowed) if setting.allowed is not None else None,
                                           description=setting.description, source=setting.source, total_if=total_if))
        if location := answers.location:
            if location.note:
                notes.append(f"job location: {location.note}")
        notes.extend(grid.score_notes)
        return EoiScore(grid=grid.id, grid_name=grid.name, grid_status=grid.status,
                        grid_effective_from=grid.effective_from, grid_effective_to=grid.effective_to,
                        stream=stream.id, stream_name=stream.name, occupation=occupation, location=answers.location,
                        study_location=answers.study_place, wage=answers.wage, total=total,
                        maximum=grid.maximum(stream, settings), maximum_note=stream.max_note, factors=lines,
                        uncertain=uncertain, settings=dict(settings), notes=notes)

    # -- around the score --------------------------------------------------------------------------
    def draws(self, result: EoiScore):
        """EOI draws on the result's grid and stream that could apply to it, newest first."""
        occ = result.occupation
        return draw_checks(result.grid, result.stream, result.total, occ.code if occ else None,
                           occ.category if occ else None, result.location.region if result.location else None)

    def relocate(self, profile: Profile, places: Iterable[str] = DEFAULT_PLACES, *, grid: str | None = None,
                 stream: str | None = None, noc: str | None = None, noc_source: str = "profile") -> list[Relocation]:
        """The same profile with the job in each of ``places``: region, regional points, total, change."""
        current = self.score(profile, grid=grid, stream=stream, noc=noc, noc_source=noc_source)
        chosen = load_grid(current.grid)
        if chosen.region_factor not in chosen.streams[current.stream].factors:
            raise InputError(f"stream {current.stream} of {current.grid} does not score the job location; "
                             "relocating changes nothing")
        rows = []
        for name in places:
            moved = self.score(profile.with_changes(job_location=name), grid=current.grid, stream=current.stream,
                               noc=noc, noc_source=noc_source)
            checks = [c for c in self.draws(moved) if c.applies == "yes"] or self.draws(moved)
            place, regional = moved.location, moved.factor(chosen.region_factor)
            if place is None or regional is None:  # the stream scores the job location (checked above)
                raise ValueError(f"{name}: the job location was not scored")
            rows.append(Relocation(place=place, region=place.region, regional_points=regional.points, total=moved.total,
                                   change=moved.total - current.total, draw=checks[0] if checks else None))
        return rows

    def report(self, profile: Profile, *, grid: str | None = None, stream: str | None = None,
               relocate_to: Iterable[str] | None = None, letter: LetterMatch | None = None) -> EoiReport:
        """The whole ``nocmatch eoi`` answer: score, draw facts, and optionally relocation and the letter."""
        code = letter.code if letter else None
        source = "letter" if letter else "profile"
        # the letter's months count when the profile gives none
        months_from = letter if (letter is not None and profile.months_in_position is None
                                 and letter.months_in_position is not None) else None
        if months_from is not None:
            profile = profile.with_changes(months_in_position=months_from.months_in_position)
        result = self.score(profile, grid=grid, stream=stream, noc=code, noc_source=source)
        if months_from is not None:
            result.notes.insert(0, f"months_in_position is not in the profile: {months_from.months_note}")
        if letter and letter.profile_code and letter.profile_code != letter.code:
            result.notes.insert(0, f"the profile says NOC {letter.profile_code}; the letter's duties say {letter.code}, "
                                   "which is scored")
        runner_up = None
        if letter and letter.runner_up_code and (letter.verdict != "supported" or letter.needs_review):
            runner_up = self.score(profile, grid=grid, stream=stream, noc=letter.runner_up_code, noc_source="letter")
        relocation = (self.relocate(profile, relocate_to, grid=result.grid, stream=result.stream, noc=code,
                                    noc_source=source) if relocate_to is not None else None)
        return EoiReport(score=result, draws=self.draws(result), draws_note=draws_note(result.grid, result.stream),
                         hcp=hcp_facts(result.occupation.code) if result.occupation else None,
                         relocation=relocation, letter=letter, runner_up=runner_up)


def score(profile: Profile, catalog: Catalog | None = None, **options: Any) -> EoiScore:
    """Score one profile (loads the default catalog when none is given); see :meth:`EoiScorer.score`."""
    scorer = EoiScorer(catalog) if catalog is not None else EoiScorer.load()
    return scorer.score(profile, **options)


def letter_match(result, profile_code: str | None = None) -> LetterMatch:
    """What a :class:`~nocmatch.results.MatchResult` says about the code to score, and the runner-up.

    When the duties fit a code outside the tech candidates clearly better (``out_of_scope``), that
    code is scored and the best tech candidate is the runner-up. The months of the latest position
    whose duties support the scored code are given for a profile that leaves ``months_in_position`` out.
    """
    scored = result.supported_code
    months, note = position_months(result, scored)
    return dataclasses.replace(_letter_code(result, profile_code), months_in_position=months, months_note=note)


def position_months(result, code: str) -> tuple[int | None, str | None]:
    """The months of the latest dated position matched to ``code``, and where they come from."""
    held = [p for p in result.positions if p.supported_code == code and p.months is not None]
    if not held:
        return None, None
    p = held[-1]  # positions are in letter order: the latest is the one held now, or last
    counted = f", counted to the {p.counted_to}" if p.counted_to else ""
    return p.months, (f"{p.months} months from the letter's position {p.index} ({p.title or 'untitled'}, "
                      f"{p.start} to {'present' if p.current else p.end}{counted}), whose duties support {code}; "
                      "check that this is the job-offer position and that the work was in Ontario")


def _letter_code(result, profile_code: str | None) -> LetterMatch:
    if result.out_of_scope:
        best = result.best
        return LetterMatch(name=result.letter.name, code=result.best_overall_code, title=result.best_overall_title,
                           confidence=None, verdict="out of scope", needs_review=True,
                           review_reasons=list(result.review_reasons) or ["the duties fit a code outside the candidates"],
                           out_of_scope=True, profile_code=profile_code, runner_up_code=best.code,
                           runner_up_confidence=round(best.confidence, 4), runner_up_verdict=best.verdict,
                           support_probability=result.best_overall_support_probability,
                           runner_up_support_probability=best.support_probability)
    best = result.best
    second = result.candidates[1] if len(result.candidates) > 1 else None
    return LetterMatch(name=result.letter.name, code=best.code, title=best.title,
                       confidence=round(best.confidence, 4), verdict=best.verdict, needs_review=result.needs_review,
                       review_reasons=list(result.review_reasons), out_of_scope=False, profile_code=profile_code,
                       runner_up_code=second.code if second else None,
                       runner_up_confidence=round(second.confidence, 4) if second else None,
                       runner_up_verdict=second.verdict if second else None,
                       support_probability=best.support_probability,
                       runner_up_support_probability=second.support_probability if second else None)
