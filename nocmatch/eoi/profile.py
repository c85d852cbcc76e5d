"""The applicant's answers to the EOI questions: a typed :class:`Profile`, read from TOML.

TEER and broad occupational category are not fields: they come from the NOC code through the
catalog. ``nocmatch eoi --template`` prints :data:`TEMPLATE`, every field with a comment.
"""

from __future__ import annotations

import re
import sys
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

# CLB_RANGE and MAX_WEEKLY_HOURS were defined here before limits.py; still importable from here
from nocmatch.eoi.limits import CLB_RANGE, MAX_WEEKLY_HOURS, PROFILE_LIMITS, check_number  # noqa: F401
from nocmatch.errors import InputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

LEGAL_STATUSES = ("work_permit", "study_permit", "none")
EDUCATION_LEVELS = (
    "doctorate", "professional_degree", "masters", "graduate_certificate", "bachelors",
    "college_graduate_certificate", "undergraduate_certificate", "college_diploma", "apprenticeship",
    "secondary_or_less",
)
FIELDS_OF_STUDY = ("stem_health", "trades", "business_social", "arts_humanities")
NO_STUDY_LOCATION = "none"  #: study_location when no classes were attended in person


@dataclass(frozen=True)
class Profile:
    """One applicant's EOI answers.

    Wage is either ``wage_hourly`` or ``wage_annual`` with ``weekly_hours`` (converted to hourly,
    the conversion shown in the result). ``clb`` is the lowest of the four abilities on the better
    official-language test; ``second_language_clb`` the same on the other language's test, if any.

    Every number is checked on construction (also ``Profile(...)`` and :meth:`with_changes`): a
    finite value in the range of :data:`~nocmatch.eoi.limits.PROFILE_LIMITS`, else an
    :class:`~nocmatch.errors.InputError` naming the field, the value and the range.
    """

    noc: str | None = None
    job_location: str | None = None
    wage_hourly: float | None = None
    wage_annual: float | None = None
    weekly_hours: float | None = None
    legal_status: str = "none"
    #: None = not given: scored as 0, or taken from a letter's position (``nocmatch eoi --letter``)
    months_in_position: int | None = None
    months_ontario_work: int = 0
    best_yearly_earnings: float = 0.0
    education: str = "secondary_or_less"
    canadian_credentials: int = 0
    field_of_study: str | None = None
    study_location: str | None = None
    clb: int | None = None
    second_language_clb: int | None = None
    grid: str | None = None
    stream: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # from_dict has already checked (with the file's name in the error); this catches profiles
        # built directly or changed with with_changes(), which would otherwise carry NaN into scoring.
        given = {name: getattr(self, name) for name in PROFILE_LIMITS}
        for name, value in _checked_numbers(given, "profile").items():
            object.__setattr__(self, name, value)  # frozen: the normalised number replaces the given one

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: dict, source: str = "profile") -> "Profile":
        """A checked profile from plain data (a parsed TOML file); one-line errors name the field."""
        allowed = [f.name for f in fields(cls)]
        unknown = [k for k in data if k not in allowed]
        if unknown:
            raise InputError(f"{source}: unknown field {unknown[0]!r}; allowed: {', '.join(allowed)}")
        optional = {f.name for f in fields(cls) if f.default is None}
        values = {k: v for k, v in data.items() if not (v is None and k in optional)}  # None = not given
        if "noc" in values:
            values["noc"] = _noc_code(values["noc"], source)
        values.update(_checked_numbers(values, source))
        for name, choices in (("legal_status", LEGAL_STATUSES), ("education", EDUCATION_LEVELS),
                              ("field_of_study", FIELDS_OF_STUDY)):
            if name in values:
                values[name] = _choice(values[name], name, choices, source)
        for name in ("job_location", "study_location", "grid", "stream"):
            if name in values and (not isinstance(values[name], str) or not values[name].strip()):
                raise InputError(f"{source}: {name} must be a non-empty text; got {values[name]!r}")
        if "settings" in values and not isinstance(values["settings"], dict):
            raise InputError(f"{source}: settings must be a table ([settings] name = value)")
        profile = cls(**values)
        profile.check_consistency(source)
        return profile

    @classmethod
    def from_toml(cls, path: str | Path) -> "Profile":
        """Read a profile file; a malformed file is a one-line error with its line and column."""
        path = Path(path)
        if not path.is_file():
            raise InputError(f"{path}: no such profile file (write one with `nocmatch eoi --template > {path}`)")
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError:
            raise InputError(f"{path}: not a UTF-8 text file; a profile is TOML text") from None
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"{path}: malformed TOML ({exc}); see `nocmatch eoi --template`") from None
        except ValueError:  # tomllib's int() refuses integers of over 4,300 digits with a plain ValueError
            raise InputError(f"{path}: unreadable TOML: a number in it is too long to read "
                             "(integers of up to 4,300 digits are read)") from None
        return cls.from_dict(data, source=str(path))

    def check_consistency(self, source: str = "profile") -> None:
        """Checks across fields (each field alone is checked by :meth:`from_dict`)."""
        if self.wage_hourly is not None and self.wage_annual is not None:
            raise InputError(f"{source}: give wage_hourly or wage_annual (with weekly_hours), not both")
        if self.wage_annual is not None and self.weekly_hours is None:
            raise InputError(f"{source}: wage_annual needs weekly_hours (hours a week) to be converted to an hourly wage")
        if self.second_language_clb is not None and self.clb is None:
            raise InputError(f"{source}: second_language_clb needs clb (the better test's lowest CLB)")

    def with_changes(self, **changes: Any) -> "Profile":
        """A copy with some answers changed (e.g. another job location), checked again."""
        changed = replace(self, **changes)
        changed.check_consistency()
        return changed

    def to_dict(self) -> dict:
        return asdict(self)


# -- field checks -------------------------------------------------------------------------------
def _noc_code(value: Any, source: str) -> str:
    text = f"{value:05d}" if isinstance(value, int) and not isinstance(value, bool) else str(value).strip()
    if re.fullmatch(r"\d{4}", text):
        raise InputError(f"{source}: noc {text!r} looks like a NOC 2016 code; give the NOC 2021 unit group "
                         "(5 digits, e.g. 21231)")
    if not re.fullmatch(r"\d{5}", text):
        raise InputError(f"{source}: noc must be a NOC 2021 unit group, 5 digits such as 21231; got {value!r}")
    return text


def _checked_numbers(values: dict[str, Any], source: str) -> dict[str, int | float]:
    """The numeric fields among ``values``, each checked against its range and normalised.

    Parameters
    ----------
    values : dict
        Field name → value as given; fields that are not numeric are ignored, and ``None`` in a
        field whose default is ``None`` means "not given" and is left alone.
    source : str
        The error's prefix (the profile file's path, or ``"profile"``).

    Returns
    -------
    dict
        Field name → the checked number: ``int`` for whole fields, ``float`` for the others (as
        the dataclass declares them, so JSON shows ``85000.0`` however the salary was written).
    """
    optional = {f.name for f in fields(Profile) if f.default is None}
    checked = {}
    for name, limits in PROFILE_LIMITS.items():
        if name not in values or (values[name] is None and name in optional):
            continue
        number = check_number(values[name], name, source, limits)
        checked[name] = number if limits.whole else float(number)
    return checked


def _choice(value: Any, name: str, choices: tuple[str, ...], source: str) -> str:
    text = str(value).strip().lower()
    if text not in choices:
        raise InputError(f"{source}: {name} {value!r} is not allowed; allowed: {', '.join(choices)}")
    return text


TEMPLATE = f'''\
# nocmatch EOI profile — the answers the OINP Expression of Interest asks for.
# Score it:  nocmatch eoi --profile profile.toml   (add --grid G2022 for the closed legacy grid)
# TEER and broad occupational category are NOT asked: they come from the NOC code.

# Grid and stream. Grids: OWP2026 (current, default), G2022 (closed 2026-05-30).
# Streams: OWP2026 → OWP (default), PHYSICIAN (self-employed physicians, NOC 31100–31102, no wage factor;
#          months_in_position = months of Ontario medical practice);
#          G2022 → FW (default), IS, IDS, MASTERS, PHD.
grid = "OWP2026"
stream = "OWP"

# --- the job offer -----------------------------------------------------------------------
noc = "21231"                  # NOC 2021 unit group of the job offer (5 digits); --letter finds it from a letter
job_location = "Toronto"       # the municipality where you work or report to work (e.g. "Waterloo", "Hamilton")
# The wage: either an hourly wage ...
# wage_hourly = 40.87
# ... or an annual salary with the weekly hours (converted as annual ÷ (hours × 52); shown in the result)
wage_annual = 85000
weekly_hours = 40

# --- status and experience ---------------------------------------------------------------
legal_status = "work_permit"   # one of: {", ".join(LEGAL_STATUSES)}
months_in_position = 14        # months working in the job-offer position, in Ontario (0 if not in it now)
months_ontario_work = 20       # months of paid work in Ontario in general
best_yearly_earnings = 78000   # best year of Canadian employment income in the last 5 years (CRA notice of assessment)

# --- education ---------------------------------------------------------------------------
# one of: {", ".join(EDUCATION_LEVELS)}
education = "bachelors"
canadian_credentials = 0       # Canadian post-secondary credentials of at least 1 year full-time
# Legacy streams only (G2022 IS, MASTERS, PHD):
# field_of_study = "stem_health"   # one of: {", ".join(FIELDS_OF_STUDY)}
# study_location = "Waterloo"      # where classes were attended in person; "{NO_STUDY_LOCATION}" if none

# --- language ----------------------------------------------------------------------------
clb = 9                        # lowest CLB of the four abilities on your better test ({CLB_RANGE[0]}–{CLB_RANGE[1]}); leave out if no test
# second_language_clb = 6      # lowest CLB on a test in the other official language, if you took one

# --- facts the spec marks UNCERTAIN (defaults shown; every result lists the ones it used) ---
# [settings]
# experience_top_band_min_months = 25      # OWP2026: 24 or 25 ("over 24 months")
# no_test_language_knowledge_points = 0    # OWP2026: 0 or 5
# weeks_per_year = 52                      # annual → hourly conversion
# trades_field_points = 12                 # G2022: 12 or 0
'''  # noqa: E501 (the template's comments line up in one column)
