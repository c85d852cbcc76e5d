"""EOI scoring grids as data: one JSON file per grid version under ``grids/``.

A grid names its factors, each factor's bands and points, which stream scores which factors,
its effective dates, its sources and the spec's confidence in each factor. Facts the spec marks
UNCERTAIN are *settings* with the spec's default; a band's points or lower bound may name a
setting (``{"setting": "trades_field_points"}``) instead of a number. A new grid version is a new
file, never a new code branch.

Bands are read top-down and the first that fits the answer gives the points: ``values`` fits an
answer that is one of them; ``min`` fits a number at least that large; ``min: null`` fits
anything (the bottom band).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

from nocmatch.eoi.limits import SETTING_LIMITS, check_number, shown
from nocmatch.errors import InputError

GRIDS_DIR = Path(__file__).resolve().parent / "grids"
DEFAULT_GRID = "OWP2026"


@dataclass(frozen=True)
class Setting:
    """A configurable fact: the spec's default, what else is allowed, and whether it is UNCERTAIN."""

    name: str
    default: Any
    allowed: tuple | None
    uncertain: bool
    description: str
    source: str

    @property
    def adjustable(self) -> bool:
        """False for notes (a fixed assumption the results list but nobody can change)."""
        if self.allowed is not None:
            return len(self.allowed) > 1
        return isinstance(self.default, (int, float)) and not isinstance(self.default, bool)

    @property
    def numeric(self) -> bool:
        """True when the setting is a number that may take any value in a range (no ``allowed`` list)."""
        return self.allowed is None and isinstance(self.default, (int, float)) and not isinstance(self.default, bool)

    def check(self, value: Any, where: str) -> Any:
        """The value to use if this setting accepts ``value``; an :class:`InputError` saying what is allowed.

        Parameters
        ----------
        value : Any
            The value given (a TOML value from the profile's ``[settings]``).
        where : str
            The error's prefix, e.g. ``"profile [settings]"``.

        Raises
        ------
        InputError
            One line naming the setting, the value and what is allowed: the ``allowed`` list, or
            for a numeric setting its range in :data:`~nocmatch.eoi.limits.SETTING_LIMITS`.
        """
        if self.allowed is not None:
            if value not in self.allowed or isinstance(value, bool) != isinstance(self.default, bool):
                raise InputError(f"{where}: setting {self.name} must be one of "
                                 f"{', '.join(json.dumps(a) for a in self.allowed)}; got {shown(value)}")
            return value
        if self.numeric:
            return check_number(value, f"setting {self.name}", where, SETTING_LIMITS[self.name])
        raise InputError(f"{where}: setting {self.name} is a note, not something to change")


class Answers(Protocol):
    """A profile's answers, each read by the name of a ladder's input."""

    def __getitem__(self, name: str) -> Any: ...


@dataclass(frozen=True)
class Band:
    """One row of a factor: a label, what answers fit it, and its points."""

    label: str
    points: Any                      #: an int, or {"setting": name}
    values: tuple | None = None      #: answers that fit (choice factors)
    min: Any = None                  #: lowest number that fits (numeric factors); {"setting": name} allowed
    numeric: bool = False            #: True when the band is read by ``min``

    def fits(self, answer: Any, settings: dict[str, Any]) -> bool:
        if not self.numeric:
            return self.values is not None and answer in self.values
        if self.min is None:
            return True
        return answer is not None and answer >= resolve(self.min, settings)

    def settings_used(self) -> set[str]:
        return {v["setting"] for v in (self.points, self.min) if isinstance(v, dict)}


@dataclass(frozen=True)
class Ladder:
    """The bands applied to one answer (``input``)."""

    input: str
    bands: tuple[Band, ...]


@dataclass(frozen=True)
class Factor:
    """A scoring factor; most have one ladder, a few fall back to a second (``ladder_rule``)."""

    id: str
    label: str
    section: str
    confidence: str
    sources: tuple[str, ...]
    ladders: tuple[Ladder, ...]
    relies_on: tuple[str, ...] = ()
    ladder_rule: str = ""
    description: str = ""

    @property
    def settings_used(self) -> set[str]:
        return set(self.relies_on) | {name for ladder in self.ladders for band in ladder.bands
                                      for name in band.settings_used()}

    def maximum(self, settings: dict[str, Any]) -> int:
        return max(resolve(band.points, settings) for ladder in self.ladders for band in ladder.bands)

    def evaluate(self, answers: Answers, settings: dict[str, Any]) -> tuple[Ladder, Band]:
        """The ladder and band that score these answers: the first ladder giving points, else the last."""
        chosen: tuple[Ladder, Band] | None = None
        for ladder in self.ladders:
            answer = answers[ladder.input]
            band = next((b for b in ladder.bands if b.fits(answer, settings)), None)
            if band is None:
                allowed = sorted({str(v) for b in ladder.bands for v in (b.values or ())})
                raise InputError(f"{ladder.input} {answer!r} is not scored by the {self.label!r} factor; "
                                 f"allowed: {', '.join(allowed)}")
            chosen = (ladder, band)
            if resolve(band.points, settings) > 0:
                break
        assert chosen is not None
        return chosen


@dataclass(frozen=True)
class Stream:
    id: str
    name: str
    factors: tuple[str, ...]
    relies_on: tuple[str, ...] = ()
    max_note: str = ""
    noc_codes: tuple[str, ...] = ()  #: when set, the only NOC codes this stream accepts

    def check_code(self, code: str | None) -> None:
        if self.noc_codes and code not in self.noc_codes:
            raise InputError(f"stream {self.id} is for NOC {', '.join(self.noc_codes)} only; got {code or 'no code'}")


@dataclass(frozen=True)
class Grid:
    """One version of the EOI grid (see the module docstring)."""

    id: str
    name: str
    status: str
    effective_from: str
    effective_to: str | None
    effective_note: str
    spec: str
    default_stream: str
    region_factor: str
    sources: dict[str, dict]
    settings: dict[str, Setting]
    streams: dict[str, Stream]
    factors: dict[str, Factor]
    path: Path = field(default=Path(), compare=False)
    #: notes every score on this grid carries (what the points do not check)
    score_notes: tuple[str, ...] = ()

    def stream(self, stream_id: str | None) -> Stream:
        """The stream ``stream_id`` (case-insensitive), or the grid's default; a one-line error otherwise."""
        key = (stream_id or self.default_stream).strip().upper()
        if key not in self.streams:
            raise InputError(f"unknown stream {stream_id!r} for grid {self.id}; allowed: {', '.join(self.streams)}")
        return self.streams[key]

    def resolve_settings(self, overrides: dict[str, Any] | None = None, where: str = "settings") -> dict[str, Any]:
        """The settings' values: the spec's defaults, with checked ``overrides``."""
        values = {name: s.default for name, s in self.settings.items()}
        for name, value in (overrides or {}).items():
            if name not in self.settings:
                raise InputError(f"{where}: unknown setting {name!r} for grid {self.id}; "
                                 f"allowed: {', '.join(n for n, s in self.settings.items() if s.adjustable)}")
            values[name] = self.settings[name].check(value, where)
        return values

    def maximum(self, stream: Stream, settings: dict[str, Any]) -> int:
        return sum(self.factors[f].maximum(settings) for f in stream.factors)


def resolve(value: Any, settings: dict[str, Any]) -> Any:
    """A number, or the value of the setting it names."""
    return settings[value["setting"]] if isinstance(value, dict) else value


def available_grids() -> list[str]:
    return sorted(p.stem for p in GRIDS_DIR.glob("*.json"))


@lru_cache(maxsize=None)
def load_grid(grid_id: str = DEFAULT_GRID) -> Grid:
    """The grid ``grid_id`` (case-insensitive); a one-line error naming the grids that exist."""
    by_key = {name.upper(): name for name in available_grids()}
    name = by_key.get(str(grid_id).strip().upper())
    if name is None:
        raise InputError(f"unknown grid {grid_id!r}; allowed: {', '.join(available_grids())}")
    return parse_grid(json.loads((GRIDS_DIR / f"{name}.json").read_text(encoding="utf-8")), GRIDS_DIR / f"{name}.json")


def parse_grid(data: dict, path: Path = Path()) -> Grid:
    """Build a :class:`Grid` from its JSON and check that it is consistent."""
    settings = {name: Setting(name, s["value"], tuple(s["allowed"]) if s.get("allowed") is not None else None,
                              bool(s["uncertain"]), s["description"], s["source"])
                for name, s in data["settings"].items()}
    factors = {}
    for fid, f in data["factors"].items():
        ladders = tuple(Ladder(ladder["input"], tuple(
            Band(b["label"], b["points"], tuple(b["values"]) if "values" in b else None, b.get("min"), "min" in b)
            for b in ladder["bands"])) for ladder in f["ladders"])
        factors[fid] = Factor(fid, f["label"], f["section"], f["confidence"], tuple(f["sources"]), ladders,
                              tuple(f.get("relies_on", ())), f.get("ladder_rule", ""), f.get("description", ""))
    streams = {sid: Stream(sid, s["name"], tuple(s["factors"]), tuple(s.get("relies_on", ())), s.get("max_note", ""),
                           tuple(s.get("noc_codes", ())))
               for sid, s in data["streams"].items()}
    grid = Grid(data["id"], data["name"], data["status"], data["effective_from"], data.get("effective_to"),
                data.get("effective_note", ""), data.get("spec", ""), data["default_stream"], data["region_factor"],
                data["sources"], settings, streams, factors, path, tuple(data.get("score_notes", ())))
    _check(grid)
    return grid


def _check(grid: Grid) -> None:
    """A grid file that names an unknown factor, setting or source is a packaging bug: fail loudly."""
    problems = []
    for stream in grid.streams.values():
        problems += [f"stream {stream.id} names unknown factor {f}" for f in stream.factors if f not in grid.factors]
        problems += [f"stream {stream.id} relies on unknown setting {s}" for s in stream.relies_on if s not in grid.settings]
    for factor in grid.factors.values():
        problems += [f"factor {factor.id} uses unknown setting {s}" for s in factor.settings_used if s not in grid.settings]
        problems += [f"factor {factor.id} cites unknown source {s}" for s in factor.sources if s not in grid.sources]
    # a numeric setting without a range would take NaN or 1e308 from a profile: limits.py must name it
    for setting in (s for s in grid.settings.values() if s.numeric):
        if setting.name not in SETTING_LIMITS:
            problems.append(f"numeric setting {setting.name} has no range in nocmatch/eoi/limits.py SETTING_LIMITS")
        elif not SETTING_LIMITS[setting.name].accepts(setting.default):
            problems.append(f"setting {setting.name}'s default {setting.default!r} is outside its range")
    if grid.default_stream not in grid.streams:
        problems.append(f"default stream {grid.default_stream} is not a stream")
    if problems:
        raise ValueError(f"grid {grid.id} ({grid.path}): " + "; ".join(problems))
