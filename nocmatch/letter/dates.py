"""Dates and date ranges as reference letters write them.

A letter states when each position began and ended in many forms: "June 1, 2019", "1 June 2019",
"1-Jun-2019", "15-Jul-17", "Jun 2019", "2019-06-01", "2019-06", "25/06/2019", "06/25/2019", "02/2018", a bare
year ("2016–2020", "since 2016"), and an open end ("– present", "to date", "till date",
"currently", "until now", "onwards"). :func:`find_dates` reads every date mention of a text,
:func:`find_ranges` the ranges they form, and :func:`day_order` whether the letter writes its
numeric dates day first (DD/MM/YYYY) or month first (MM/DD/YYYY).

A stated date keeps its precision: "Jun 2019" names the whole month, "2016" the whole year.
:attr:`StatedDate.value` is the first day of that period and :meth:`StatedDate.last_day` the last,
so that "2016–2020" runs from 1 January 2016 to 31 December 2020 (60 months).

Numeric dates whose two first numbers are both 12 or less ("03/04/2019") can be read two ways. An
unambiguous numeric date elsewhere in the letter ("25/06/2019" can only be day first) settles the
order; without one, the date is read day first (the order of most of the world, and of Canada's
federal forms) and :attr:`StatedDate.ambiguous` says how it was read and what the other reading is.

A bare year is a date mention only where the text shows it is one: after a cue word ("since 2016",
"in 2021", "from 2016"), or as an end of a range ("2016–2020", "2019 – present"). "SQL Server 2019"
and "the 2021 migration" are not dates of employment.

This module imports nothing from the rest of nocmatch, so that any other module (the completeness
check, the positions stage) can import it without a cycle.

Every pattern runs in time linear in the text: quantifiers are bounded or separated by characters
they cannot share, and the text between two dates or before a date is read from a bounded window; the
end of a "started on …" is looked for among the next few dates only (:data:`MAX_DATES_TO_END`).
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

#: Month names and their abbreviations as letters write them ("Sept" and "Sep" both).
MONTH_NUMBERS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

#: Month names of the languages foreign offices date their letters in, even in English ("Madrid, 14 de marzo
#: de 2025", "Torino, 9 settembre 2024", "Paris, le 3 mars 2025", "München, 18. März 2024"). Read only on the
#: letter's own date line, as a whole day-month-year date: "mars" or "mai" alone are words of other kinds.
FOREIGN_MONTH_NUMBERS: dict[str, int] = {
    **dict.fromkeys(("enero", "janeiro", "gennaio", "janvier", "januar", "jänner"), 1),
    **dict.fromkeys(("febrero", "fevereiro", "febbraio", "février", "fevrier", "februar"), 2),
    **dict.fromkeys(("marzo", "março", "marco", "mars", "märz", "maerz"), 3),
    **dict.fromkeys(("abril", "aprile", "avril"), 4),
    **dict.fromkeys(("mayo", "maio", "maggio", "mai"), 5),
    **dict.fromkeys(("junio", "junho", "giugno", "juin", "juni"), 6),
    **dict.fromkeys(("julio", "julho", "luglio", "juillet", "juli"), 7),
    **dict.fromkeys(("agosto", "août", "aout"), 8),
    **dict.fromkeys(("septiembre", "setiembre", "setembro", "settembre", "septembre"), 9),
    **dict.fromkeys(("octubre", "outubro", "ottobre", "octobre", "oktober"), 10),
    **dict.fromkeys(("noviembre", "novembro", "novembre"), 11),
    **dict.fromkeys(("diciembre", "dezembro", "dicembre", "décembre", "decembre", "dezember"), 12),
}
#: A date line in another language: the place, then day, month and year ("Ciudad de México, a 22 de enero de
#: 2025", "Lisboa, 7 de março de 2025", "Paris, le 1er juin 2025", "München, 18. März 2024").
#: What may precede the date on a letter's date line: the place it was written ("São Paulo, 10 March 2025").
PLACE_BEFORE = r"(?:[^\W\d_][^\d:;,]{0,40},\s*)?"
FOREIGN_DATE_LINE = re.compile(rf"^{PLACE_BEFORE}(?:(?:a|le|el|em|il)\s+)?(?P<day>\d{{1,2}})(?:º|°|er|\.)?\s+"
                               r"(?:de\s+)?(?P<month>[^\W\d_]{3,10})\s+(?:de\s+|del\s+)?(?P<year>\d{4})\.?$")

#: A date of another calendar, named after it: Nepal's Bikram Sambat ("2077/03/17 B.S. (1 July 2020 A.D.)"),
#: whose years fall among ours; its Gregorian twin is read instead (always ``match``-ed after the date).
OTHER_CALENDAR = re.compile(r"\s{0,3}\(?(?:B\.\s?S\.?|V\.\s?S\.?|E\.\s?C\.?|B\.\s?E\.?)(?![A-Za-z])")
#: The years a date of employment can fall in; a four-digit number outside them is not a year.
FIRST_YEAR, LAST_YEAR = 1950, 2099
#: A two-digit year ("06/25/19") at or below this is 20yy, above it 19yy.
TWO_DIGIT_YEAR_PIVOT = 69
#: The most characters between two dates that are read as a range separator ("  –  ", " to ", " | ").
MAX_GAP_CHARS = 24
#: How far before a date a cue word ("since", "started on", "until") is looked for.
CUE_WINDOW_CHARS = 40
#: Among how many of the dates after a start ("started on June 1, 2019") its end ("… ended on …") is looked
#: for: a sentence states a period's two ends close together, and a bound keeps a long text linear.
MAX_DATES_TO_END = 4

# One alternation per form, tried in this order at each position: the fuller form first, so that
# "June 1, 2019" is not read as "June … 2019" and "2019-06-01" not as the year 2019.
# Group names carry the form: md_* month-day-year, dm_* day-month-year, iso_* ISO date, num_* numeric
# day and month, my_* month-year in words, nmy_* numeric month/year, im_* ISO month, year.
_MONTH = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_COMMA_OR_SPACE = r"(?:\s*,\s*|\s+)"  # "June 1, 2019" / "June 1 2019" (the two ways never match the same text)
_ORDINAL = r"(?:st|nd|rd|th)?"
DATE_PATTERN = re.compile(
    # every form starts with a digit or a month's first letter: the lookahead skips the other
    # characters before the alternatives are tried one by one (2.6 times faster on a letter)
    r"(?=[\dadfjmnos])(?:"
    rf"\b(?P<md_m>{_MONTH})\.?\s+(?P<md_d>\d{{1,2}}){_ORDINAL}{_COMMA_OR_SPACE}(?P<md_y>\d{{4}})\b"
    # "3 June 2019", "3rd of June, 2019", "03-Jun-2019", "15th day of October 2025" (a certificate's formula)
    rf"|\b(?P<dm_d>\d{{1,2}}){_ORDINAL}(?:\s+(?:day\s+of\s+|of\s+)?|-)(?P<dm_m>{_MONTH})\.?(?:{_COMMA_OR_SPACE}|-)"
    rf"(?P<dm_y>\d{{4}})\b"
    # "15-Jul-17": day, month's name and a two-digit year, joined by hyphens only
    rf"|\b(?P<dmy_d>\d{{1,2}})-(?P<dmy_m>{_MONTH})-(?P<dmy_y>\d{{2}})(?![\d]|[./-]\d)"
    r"|(?<![\d./-])(?P<iso_y>\d{4})(?P<iso_sep>[-/.])(?P<iso_m>\d{1,2})(?P=iso_sep)(?P<iso_d>\d{1,2})(?![\d]|[./-]\d)"
    r"|(?<![\d./-])(?P<num_a>\d{1,2})(?P<num_sep>[/.-])(?P<num_b>\d{1,2})(?P=num_sep)(?P<num_y>\d{4}|\d{2})(?![\d]|[./-]\d)"
    rf"|\b(?P<my_m>{_MONTH})\.?(?:\s*,\s*|\s+(?:of\s+)?|-|\s*')(?P<my_y>\d{{4}})\b"
    r"|(?<![\d./-])(?P<nmy_m>\d{1,2})[/.-](?P<nmy_y>\d{4})(?![\d]|[./-]\d)"
    r"|(?<![\d./-])(?P<im_y>\d{4})-(?P<im_m>\d{2})(?![\d]|[./-]\d)"
    # a bare year: not inside a longer number, a version ("v2019.1"), a price or a phone number
    # ("555-2019"); after a hyphen only when four digits precede it ("2016-2020")
    r"|(?<![\d./$#-])(?P<year>(?:19|20)\d{2})(?![\d]|[./]\d)"
    r"|(?<=\d{4}-)(?P<year_after_hyphen>(?:19|20)\d{2})(?![\d]|[./-]\d))",
    re.I)

#: The numeric dates of :data:`DATE_PATTERN` (and the ISO ones, so that none is read inside one), searched
#: alone by :func:`day_order`: the whole pattern costs half a millisecond on a letter.
NUMERIC_DATE = re.compile(
    r"(?<![\d./-])(?P<iso_y>\d{4})(?P<iso_sep>[-/.])(?P<iso_m>\d{1,2})(?P=iso_sep)(?P<iso_d>\d{1,2})(?![\d]|[./-]\d)"
    r"|(?<![\d./-])(?P<num_a>\d{1,2})(?P<num_sep>[/.-])(?P<num_b>\d{1,2})(?P=num_sep)(?P<num_y>\d{4}|\d{2})(?![\d]|[./-]\d)")
#: Every date form has a digit: a text without one (most duty sentences) is not searched at all.
DIGIT = re.compile(r"\d")

#: IRCC counts 30 hours a week as full time; fewer count pro rata (1,560 hours = one year).
FULL_TIME_HOURS = 30.0
#: Wording that says the employment goes on ("to present", "currently", "is employed", "still").
EMPLOYMENT_CONTINUES = re.compile(r"\b(?:to|until|till|through)\s+(?:the\s+)?(?:present|date|today|now|actual\s+date)\b"
                                  r"|[-–—]\s*present\b"
                                  r"|\bpresent\b|\bcurrent(?:ly)?\b|\bcontinues\b|\bstill\b|\bsince\b|\bongoing\b|\bto this day\b"
                                  r"|\bis (?:\w+ )?employed\b|\bhas been (?:\w+ )?(?:employed|working|with)\b|\bremains\b"
                                  r"|\bholds? (?:today|now)\b|\bworks (?:at|for|with)\b"
                                  r"|\bactive (?:employee|staff)\b|\(active\)", re.I)  # "End date: n/a - active employee"
#: Words that make an open end: "– present", "to date", "till date", "until now", "to this day".
# "to the actual date": a false friend of "actual" (current) in translated letters
CURRENT_WORD = r"(?:the\s+)?(?:present|current(?:ly)?|now|today|date|ongoing|this\s+day|actual\s+date)\b"
#: What joins the two ends of a range: a dash, "to", "until", "till", "through", a table cell border,
#: or (in column-aligned tables) a run of two or more spaces.
RANGE_JOIN = r"(?:\s*(?:[-–—~]{1,3}|to|until|till|through|thru|up\s+to|upto|\|)\s*|\s{2,})"
RANGE_GAP = re.compile(RANGE_JOIN, re.I)   # only ever fullmatch-ed on a short gap
BETWEEN_GAP = re.compile(r"\s+and\s+", re.I)
CURRENT_AFTER = re.compile(rf"{RANGE_JOIN}(?:(?:till|until|to)\s+)?{CURRENT_WORD}|\s*\(?\s*(?:onwards?|ongoing)\b", re.I)
#: A cue just before a date that makes it the start of an open range ("since March 2019").
SINCE_BEFORE = re.compile(r"\bsince\s*$", re.I)
BETWEEN_BEFORE = re.compile(r"\bbetween\s*$", re.I)
#: A template's field of the date an employment began, and of the date it ended ("Date of Joining :",
#: "Relieving Date :", "Last Working Day :").
JOINING_FIELD = r"date\s+of\s+(?:hire|joining|appointment|employment|engagement)|(?:hire|joining)\s+date"
LEAVING_FIELD = r"date\s+of\s+(?:relieving|leaving|exit|separation)|(?:relieving|leaving|exit|separation)\s+date"
#: "started on June 1, 2019 … ended on …": a start cue before the first date and an end cue before a later one.
START_CUE_BEFORE = re.compile(rf"\b(?:started|starting|start\s+date|joined|began|begun|commenced|hired|from|effective"
                              rf"|{JOINING_FIELD})\b[^.;\d]{{0,30}}$", re.I)
#: ("to", "until" … only right before the date: "promoted to Senior Developer on …" is a start)
END_CUE_BEFORE = re.compile(rf"\b(?:ended|ending|end\s+date|left|resigned|last\s+(?:working\s+)?day|departed|finished"
                            rf"|completed|relieved|{LEAVING_FIELD})\b[^.;\d]{{0,30}}$"
                            r"|\b(?:until|till|to|through)\s+(?:on\s+)?$", re.I)
#: A bare year counts as a date only after one of these ("since 2016", "in 2021", "from 2016 …").
YEAR_CUE_BEFORE = re.compile(r"(?:\b(?:since|from|in|to|until|till|through|between|and|effective|during|of|early"
                             r"|late|mid|year)|[-–—(])\s*$", re.I)


@dataclass(frozen=True)
class StatedDate:
    """A date as the letter states it, at the precision it states it.

    Attributes
    ----------
    text : str
        The date as written ("Jun 2019", "03/04/2019").
    value : datetime.date
        The first day of the period it names (the day, the month or the year).
    precision : str
        "day", "month" or "year".
    ambiguous : str or None
        For a numeric date that reads two ways, how it was read and what the other reading is.
    """

    text: str
    value: datetime.date
    precision: str
    ambiguous: str | None = None

    def last_day(self) -> datetime.date:
        """The last day of the period the date names: itself, the month's last day, or 31 December."""
        if self.precision == "year":
            return datetime.date(self.value.year, 12, 31)
        if self.precision == "month":
            return datetime.date(self.value.year, self.value.month,
                                 calendar.monthrange(self.value.year, self.value.month)[1])
        return self.value

    def to_dict(self) -> dict:
        return {"text": self.text, "value": self.value.isoformat(), "precision": self.precision,
                "last_day": self.last_day().isoformat(), "ambiguous": self.ambiguous}


@dataclass(frozen=True)
class DateRange:
    """Two dates that bound a period ("June 1, 2019 to August 31, 2022"), or a start and an open end.

    Attributes
    ----------
    start, end : StatedDate or None
    current : bool
        The range runs to the present ("– present", "to date", "till date", "currently", "now",
        "ongoing", "since …").
    span : tuple of int
        Character offsets of the range in the text searched.
    text : str
        The range as written.
    current_implied : bool
        The range is current only because it opens with "since" and states no end: a later position
        in the same letter may end it.
    """

    start: StatedDate | None
    end: StatedDate | None
    current: bool
    span: tuple[int, int]
    text: str
    current_implied: bool = False

    def to_dict(self) -> dict:
        return {"start": self.start.to_dict() if self.start else None, "end": self.end.to_dict() if self.end else None,
                "current": self.current, "span": list(self.span), "text": self.text,
                "current_implied": self.current_implied}


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    date: StatedDate
    bare_year: bool


def _full_year(digits: str) -> int:
    year = int(digits)
    if len(digits) == 2:
        year += 2000 if year <= TWO_DIGIT_YEAR_PIVOT else 1900
    return year


def _make(year: int, month: int, day: int) -> datetime.date | None:
    """The date, or None when it does not exist (31 February) or is out of the years of employment."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _numeric(match: re.Match, day_first: bool | None) -> StatedDate | None:
    """A numeric date "a/b/yyyy": day first or month first, from the numbers or the letter's order."""
    text, first, second = match.group(0), int(match.group("num_a")), int(match.group("num_b"))
    year = _full_year(match.group("num_y"))
    if len(match.group("num_y")) == 2 and match.group("num_sep") != "/":
        return None  # "1.2.20" is a version number, not a date
    if first > 12 and second > 12:
        return None
    ambiguous = None
    if first > 12:
        reading_day_first = True
    elif second > 12:
        reading_day_first = False
    else:
        reading_day_first = True if day_first is None else day_first
        if day_first is None and first != second:
            as_dm = _make(year, second, first)
            as_md = _make(year, first, second)
            if as_dm and as_md:
                ambiguous = (f"{text} read as {as_dm.day} {calendar.month_name[as_dm.month]} {year} (DD/MM/YYYY); "
                             f"as MM/DD/YYYY it is {as_md.day} {calendar.month_name[as_md.month]} {year}")
    day, month = (first, second) if reading_day_first else (second, first)
    value = _make(year, month, day)
    return StatedDate(text, value, "day", ambiguous) if value else None


def _stated(match: re.Match, day_first: bool | None) -> StatedDate | None:
    """The date one match of :data:`DATE_PATTERN` names, or None when it names no real date."""
    group = match.group
    text = match.group(0)
    if group("md_m"):
        value = _make(int(group("md_y")), MONTH_NUMBERS[group("md_m").lower()], int(group("md_d")))
        precision = "day"
    elif group("dm_m"):
        value = _make(int(group("dm_y")), MONTH_NUMBERS[group("dm_m").lower()], int(group("dm_d")))
        precision = "day"
    elif group("dmy_m"):
        value = _make(_full_year(group("dmy_y")), MONTH_NUMBERS[group("dmy_m").lower()], int(group("dmy_d")))
        precision = "day"
    elif group("iso_y"):
        value = _make(int(group("iso_y")), int(group("iso_m")), int(group("iso_d")))
        precision = "day"
    elif group("num_a"):
        return _numeric(match, day_first)
    elif group("my_m"):
        value = _make(int(group("my_y")), MONTH_NUMBERS[group("my_m").lower()], 1)
        precision = "month"
    elif group("nmy_m"):
        month = int(group("nmy_m"))
        value = _make(int(group("nmy_y")), month, 1) if 1 <= month <= 12 else None
        precision = "month"
    elif group("im_y"):
        month = int(group("im_m"))
        value = _make(int(group("im_y")), month, 1) if 1 <= month <= 12 else None
        precision = "month"
    else:
        value = _make(int(text), 1, 1)
        precision = "year"
    return StatedDate(text, value, precision) if value else None


#: What a scanner's text recognition makes of a digit in a number: "August l5, 2017", "20l7", "2023-09-l5", "2O19"
#: (a lower-case l or a capital I next to a digit, a capital O between digits).
OCR_DIGIT = re.compile(r"(?<=\d)[lI](?=\d|[,.\s/-]|$)|(?<!\w)[lI](?=\d)|(?<=\d)O(?=\d)")
OCR_DIGITS = {"l": "1", "I": "1", "O": "0"}


def _mentions(text: str, day_first: bool | None) -> list[_Mention]:
    """Every date-shaped mention of ``text``, bare years included whatever their context."""
    found: list[_Mention] = []
    if not DIGIT.search(text):
        return found
    text = OCR_DIGIT.sub(lambda letter: OCR_DIGITS[letter.group()], text)  # one character for one: offsets hold
    for match in DATE_PATTERN.finditer(text):
        stated = _stated(match, day_first)
        if stated is not None and not OTHER_CALENDAR.match(text, match.end()):
            bare = match.group("year") is not None or match.group("year_after_hyphen") is not None
            found.append(_Mention(match.start(), match.end(), stated, bare))
    return found


def day_order(text: str) -> bool | None:
    """Whether the text writes numeric dates day first.

    Parameters
    ----------
    text : str
        A letter (or any text).

    Returns
    -------
    bool or None
        True when a numeric date can only be day first ("25/06/2019"), False when one can only be
        month first ("06/25/2019"), None when no numeric date settles it or the text has both.
    """
    revealed: set[bool] = set()
    for match in NUMERIC_DATE.finditer(text):
        if match.group("num_a"):  # a numeric date, not part of an ISO date
            first, second = int(match.group("num_a")), int(match.group("num_b"))
            if first > 12 >= second:
                revealed.add(True)
            elif second > 12 >= first:
                revealed.add(False)
    return revealed.pop() if len(revealed) == 1 else None


def _resolve_day_first(text: str, day_first: bool | None) -> bool | None:
    return day_order(text) if day_first is None else day_first


def _joined(text: str, left: _Mention, right: _Mention, between: bool) -> bool:
    """Whether the text between two dates joins them into a range ("–", " to ", "and" after "between")."""
    if right.start - left.end > MAX_GAP_CHARS:
        return False
    gap = text[left.end:right.start]
    return bool(RANGE_GAP.fullmatch(gap) or (between and BETWEEN_GAP.fullmatch(gap)))


def _before(text: str, position: int) -> str:
    return text[max(0, position - CUE_WINDOW_CHARS):position]


def _range(text: str, start: _Mention, end: _Mention | None, current: bool, span_end: int,
           implied: bool = False, span_start: int | None = None) -> DateRange:
    begin = start.start if span_start is None else span_start
    return DateRange(start.date, end.date if end else None, current, (begin, span_end), text[begin:span_end], implied)


def find_ranges(text: str, day_first: bool | None = None) -> list[DateRange]:
    """The date ranges of a text, in order.

    Read as ranges: two dates joined by a dash, "to", "until", "till", "through", "|" or a column
    gap ("June 1, 2019 to August 31, 2022", "(Jan 2018 – Jun 2020)", "From 02/2018 to 01/2021",
    "2016-2020"); "between … and …"; a date followed by an open end ("March 2019 – present",
    "from March 2019 until now", "June 2019 till date", "2019 onwards"); "since March 2019" (current,
    marked ``current_implied``); and "started on …" with a later "ended on …" in the same text (among the
    next :data:`MAX_DATES_TO_END` dates).

    Parameters
    ----------
    text : str
        The text to search (a sentence of a letter).
    day_first : bool or None
        How to read numeric dates that read two ways; None: as :func:`day_order` finds in ``text``,
        else day first (and the date says it is ambiguous).

    Returns
    -------
    list of DateRange
    """
    mentions = _mentions(text, _resolve_day_first(text, day_first))
    ranges: list[DateRange] = []
    used: set[int] = set()
    for i, mention in enumerate(mentions):
        if i in used:
            continue
        following = mentions[i + 1] if i + 1 < len(mentions) else None
        between = bool(BETWEEN_BEFORE.search(_before(text, mention.start)))
        if (following is not None and _joined(text, mention, following, between)
                and following.date.last_day() >= mention.date.value):
            ranges.append(_range(text, mention, following, False, following.end))
            used.update((i, i + 1))
            continue
        open_end = CURRENT_AFTER.match(text, mention.end)
        if open_end:
            ranges.append(_range(text, mention, None, True, open_end.end()))
            used.add(i)
            continue
        since = SINCE_BEFORE.search(_before(text, mention.start))
        if since:
            since_at = mention.start - len(_before(text, mention.start)) + since.start()
            ranges.append(_range(text, mention, None, True, mention.end, implied=True, span_start=since_at))
            used.add(i)
            continue
        if START_CUE_BEFORE.search(_before(text, mention.start)):
            later = next((j for j in range(i + 1, min(len(mentions), i + 1 + MAX_DATES_TO_END)) if j not in used
                          and END_CUE_BEFORE.search(_before(text, mentions[j].start))), None)
            if later is not None and mentions[later].date.last_day() >= mention.date.value:
                ranges.append(_range(text, mention, mentions[later], False, mentions[later].end))
                used.update((i, later))
    return ranges


def find_dates(text: str, day_first: bool | None = None) -> list[tuple[int, int, StatedDate]]:
    """The date mentions of a text: ``(start, end, date)`` with character offsets, in order.

    Full dates in every form are mentions; a bare year only after a cue word ("since 2016",
    "in 2021") or as an end of a range ("2016–2020", "2019 – present").

    Parameters
    ----------
    text : str
    day_first : bool or None
        As for :func:`find_ranges`.

    Returns
    -------
    list of (int, int, StatedDate)
    """
    order = _resolve_day_first(text, day_first)
    in_ranges = [r.span for r in find_ranges(text, order)]
    found = []
    for mention in _mentions(text, order):
        if mention.bare_year and not (YEAR_CUE_BEFORE.search(_before(text, mention.start))
                                      or any(a <= mention.start < b for a, b in in_ranges)):
            continue
        found.append((mention.start, mention.end, mention.date))
    return found


def day_before(date: StatedDate, text: str | None = None) -> StatedDate:
    """The period just before ``date`` at its precision: the day, month or year before it.

    The end of a position that the next position's start implies: a promotion "on March 1, 2021"
    ends the previous position on 28 February 2021, one "in March 2021" in February 2021, one
    "in 2021" in 2020.
    """
    previous = date.value - datetime.timedelta(days=1)
    if date.precision == "year":
        value = datetime.date(previous.year, 1, 1)
    elif date.precision == "month":
        value = datetime.date(previous.year, previous.month, 1)
    else:
        value = previous
    return StatedDate(text or f"before {date.text}", value, date.precision)


def whole_months(start: datetime.date, end: datetime.date) -> int:
    """Whole calendar months from ``start`` to ``end``, the end day included.

    1 January 2018 – 30 June 2020 is 30 months; 1 June 2019 – 31 August 2022 is 39; 31 January –
    28 February 2021 is one month (the month from the 31st ends at the end of February); 15 March –
    13 April is none.

    Returns
    -------
    int
        Negative when ``end`` is before ``start`` by a month or more; callers check the order first.
    """
    after = end + datetime.timedelta(days=1)  # the first day not worked
    months = (after.year - start.year) * 12 + after.month - start.month
    if after.day < start.day:
        months -= 1
    return months


def foreign_date_line(text: str) -> datetime.date | None:
    """The date of a line that is only a place and a date in Spanish, Portuguese, Italian, French or German
    (:data:`FOREIGN_DATE_LINE`), or None."""
    line = FOREIGN_DATE_LINE.match(text.strip())
    if line is None or (month := FOREIGN_MONTH_NUMBERS.get(line.group("month").lower())) is None:
        return None
    year = int(line.group("year"))
    try:
        return datetime.date(year, month, int(line.group("day"))) if FIRST_YEAR <= year <= LAST_YEAR else None
    except ValueError:
        return None
