"""The accepted range of every number the EOI scorer takes from the user, and the one check for all of them.

TOML reads ``nan``, ``inf`` and ``1e400`` (→ ``inf``) as floats, and a range check written as
``value < 0`` lets NaN through (every comparison with NaN is False). NaN then scores as the bottom
band, prints as "$NaN/h" and breaks ``--json``; infinity and huge values break the exact
salary → hourly conversion. So every numeric profile field and every numeric setting goes through
:func:`check_number` with its :class:`NumberRange` from :data:`PROFILE_LIMITS` or
:data:`SETTING_LIMITS`: a finite number inside a plausible range, or one :class:`InputError` line
naming the field, the value and the range.

The ranges are deliberately generous (they refuse nonsense, not unusual applicants); the grids'
bands, not these limits, decide the points.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any

from nocmatch.errors import InputError

CLB_RANGE = (1, 12)          #: Canadian Language Benchmark levels
MAX_WEEKLY_HOURS = 168       #: hours in a week
MAX_HOURLY_WAGE = 10_000     #: $ an hour: about $20.8 M a year full-time, far above any OINP job offer
MAX_YEARLY_AMOUNT = 100_000_000  #: $ a year, for a salary or a year's earnings
MAX_MONTHS = 600             #: 50 years of work
MAX_CREDENTIALS = 20         #: Canadian post-secondary credentials (the top band is "more than one")
MAX_WEEKS_PER_YEAR = 53      #: a year has 52.18 weeks on average; some pay years have 53 weekly pay days


@dataclass(frozen=True)
class NumberRange:
    """The numbers one input accepts, and how an error describes them.

    Parameters
    ----------
    low, high : float
        The smallest and the largest accepted value; ``high`` is always accepted.
    low_accepted : bool
        False when ``low`` itself is refused (an hourly wage of $0).
    whole : bool
        True for counts and levels: only whole numbers (``14.0`` is read as ``14``).
    unit : str
        What the number measures, shown in the error, e.g. ``"$ an hour"``.
    kind : str
        How the error names the expected value; default "a number" or "a whole number".
    hint : str
        Advice appended to the error, e.g. ``"leave it out for no test"``.
    """

    low: float
    high: float
    low_accepted: bool = True
    whole: bool = False
    unit: str = ""
    kind: str = ""
    hint: str = ""

    def describe(self) -> str:
        """The accepted values in words, e.g. ``"a number greater than 0 and at most 10,000 ($ an hour)"``."""
        kind = self.kind or ("a whole number" if self.whole else "a number")
        if self.low_accepted:
            span = f"from {_as_written(self.low)} to {_as_written(self.high)}"
        else:
            span = f"greater than {_as_written(self.low)} and at most {_as_written(self.high)}"
        notes = "; ".join(part for part in (self.unit, self.hint) if part)
        return f"{kind} {span}" + (f" ({notes})" if notes else "")

    def accepts(self, value: Any) -> bool:
        """True when ``value`` is a finite real number inside the range (whole when it must be)."""
        # bool is an int subclass, but `wage_hourly = true` is a mistake, not the number 1
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            return False
        # NaN and ±inf: compared with the bounds they would slip through. Integers are always finite
        # (and math.isfinite() of one over 1e308 raises OverflowError).
        if not isinstance(value, numbers.Integral) and not math.isfinite(value):
            return False
        number: Any = value  # a finite real: compared and truncated as numbers are
        above_low = number >= self.low if self.low_accepted else number > self.low
        return above_low and number <= self.high and (not self.whole or number == int(number))

    def check(self, value: Any, name: str, source: str) -> int | float:
        """``value`` as a plain ``int`` (whole ranges) or ``float``; an :class:`InputError` otherwise.

        Parameters
        ----------
        value : Any
            The number as the user gave it (a TOML value, a Python number, ...).
        name : str
            The field or setting, named in the error.
        source : str
            Where the value came from (a profile path, ``"profile [settings]"``), the error's prefix.

        Returns
        -------
        int or float
            ``int`` when the range is whole or the value is an integer (a setting given as ``52``
            stays ``52``), else ``float`` (``-0.0`` becomes ``0.0``).

        Raises
        ------
        InputError
            One line: ``"<source>: <name> must be <range>; got <value>"``.
        """
        if not self.accepts(value):
            raise InputError(f"{source}: {name} must be {self.describe()}; got {shown(value)}")
        if self.whole or isinstance(value, numbers.Integral):
            return int(value)  # also turns numpy integers into plain ints
        return float(value) + 0.0  # + 0.0 turns -0.0 into 0.0, so "$-0" is never shown


def check_number(value: Any, name: str, source: str, limits: NumberRange | None = None) -> int | float:
    """Check one user-given number against its range (see :meth:`NumberRange.check`).

    Parameters
    ----------
    value : Any
        The value given.
    name : str
        A profile field of :data:`PROFILE_LIMITS`, or any name when ``limits`` is given.
    source : str
        Where the value came from, the error's prefix.
    limits : NumberRange, optional
        The range to use instead of ``PROFILE_LIMITS[name]`` (settings, future options).
    """
    return (limits or PROFILE_LIMITS[name]).check(value, name, source)


def shown(value: Any, width: int = 60) -> str:
    """``value`` as an error message shows it: ``nan``, ``inf``, ``1e+308``, ``'nine'``, ``true``.

    Never longer than ``width`` characters, and never an exception of its own (huge integers).
    """
    if isinstance(value, bool):
        return "true" if value else "false"  # as TOML writes it
    if isinstance(value, int) and abs(value) >= 10**15:
        # repr() of an int over 4,300 digits raises ValueError; float() of one over 1e308 raises OverflowError
        try:
            return f"{float(value):g}"
        except OverflowError:
            return "a number under -1e+308" if value < 0 else "a number over 1e+308"
    # float() first: a numpy float shows as "inf", not "np.float64(inf)"
    text = repr(float(value)) if isinstance(value, float) else repr(value)
    return text if len(text) <= width else text[:width - 1] + "…"


def _as_written(number: float) -> str:
    """A bound as people write it: ``10,000``, ``0``, ``0.5``."""
    return f"{int(number):,}" if number == int(number) else f"{number:,g}"


#: Every numeric field of :class:`~nocmatch.eoi.profile.Profile` and the numbers it accepts.
PROFILE_LIMITS: dict[str, NumberRange] = {
    "wage_hourly": NumberRange(0, MAX_HOURLY_WAGE, low_accepted=False, unit="$ an hour"),
    "wage_annual": NumberRange(0, MAX_YEARLY_AMOUNT, low_accepted=False, unit="$ a year"),
    # at least 1 hour: the salary is divided by it
    "weekly_hours": NumberRange(1, MAX_WEEKLY_HOURS, unit="hours a week"),
    "best_yearly_earnings": NumberRange(0, MAX_YEARLY_AMOUNT, unit="$ in the best year; 0 if none"),
    "months_in_position": NumberRange(0, MAX_MONTHS, whole=True, unit="months"),
    "months_ontario_work": NumberRange(0, MAX_MONTHS, whole=True, unit="months"),
    "canadian_credentials": NumberRange(0, MAX_CREDENTIALS, whole=True, unit="credentials"),
    "clb": NumberRange(*CLB_RANGE, whole=True, kind="a whole CLB level", hint="leave it out for no test"),
    "second_language_clb": NumberRange(*CLB_RANGE, whole=True, kind="a whole CLB level",
                                       hint="leave it out for no second test"),
}

#: Numeric grid settings that take any value in a range (settings with an ``allowed`` list are
#: checked against that list instead). A grid file with a numeric setting missing here fails to load.
SETTING_LIMITS: dict[str, NumberRange] = {
    # the salary is divided by weekly hours × weeks_per_year
    "weeks_per_year": NumberRange(1, MAX_WEEKS_PER_YEAR, unit="weeks a year"),
    "two_languages_min_clb_best": NumberRange(*CLB_RANGE, whole=True, kind="a whole CLB level"),
    "two_languages_min_clb_other": NumberRange(*CLB_RANGE, whole=True, kind="a whole CLB level"),
}
