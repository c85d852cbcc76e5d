"""Where a job is: an Ontario municipality → its census division → its OINP region.

The table (``data/ontario_municipalities.csv``) holds every census subdivision of Ontario — cities,
towns, townships, reserves and unorganized areas — built from Statistics Canada's geography by
:mod:`nocmatch.eoi.build_geo`. A few common names that are not census subdivisions (Scarborough,
Kanata, Kitchener-Waterloo …) are aliases in ``data/regions.json``.
"""

from __future__ import annotations

import csv
import difflib
import json
import re
import unicodedata
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from nocmatch.errors import InputError

DATA = Path(__file__).resolve().parent / "data"
TABLE_FILE = DATA / "ontario_municipalities.csv"
REGIONS_FILE = DATA / "regions.json"
#: When one name is several census subdivisions, the one people mean is the city, not the township
#: ("Hamilton" is the City of Hamilton and a township in Northumberland).
TYPE_PREFERENCE = ("C", "CY", "CV", "T", "MU", "TP", "VL", "TV", "M", "S-É", "IRI", "NO")


@dataclass(frozen=True)
class Place:
    """A municipality resolved to its census division and OINP region."""

    query: str          #: what the user wrote
    municipality: str   #: the census subdivision's name
    csd_type: str       #: Statistics Canada CSD type (CY city, T town, TP township, …)
    csd_code: str
    cd_code: str
    cd_name: str        #: the census division, which is what OINP's regions are made of
    region: str         #: OINP region (OWP2026 names; G2022 bands group them)
    note: str = ""      #: alias used, or other places with the same name

    def to_dict(self) -> dict:
        return asdict(self)


def normalise(name: str) -> str:
    """Compare names without case, accents, punctuation or Saint/St. spelling."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[.'’]", "", text)
    text = re.sub(r"[-/,()]", " ", text)
    text = re.sub(r"\b(?:saint|sainte|ste)\b", "st", text)  # Sault Ste. Marie = Sault St Marie
    return " ".join(text.split())


class Municipalities:
    """Every Ontario municipality with its census division and OINP region.

    Parameters
    ----------
    rows : list of dict
        Rows of ``ontario_municipalities.csv``.
    aliases : dict
        Place name → the municipality name (optionally ``"Name, Division"``) it belongs to.
    """

    def __init__(self, rows: list[dict], aliases: dict[str, str]):
        self.rows = rows
        self.aliases = {normalise(k): v for k, v in aliases.items()}
        self._by_name: dict[str, list[dict]] = {}
        for row in rows:
            self._by_name.setdefault(normalise(row["municipality"]), []).append(row)
        self._display = {normalise(r["municipality"]): r["municipality"] for r in rows}
        self._display.update({normalise(k): k for k in aliases})

    @classmethod
    @lru_cache(maxsize=1)
    def load(cls) -> "Municipalities":
        """The packaged table (read once per process)."""
        with TABLE_FILE.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(line for line in handle if not line.startswith("#")))
        aliases = json.loads(REGIONS_FILE.read_text(encoding="utf-8"))["aliases"]["names"]
        return cls(rows, aliases)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def divisions(self) -> dict[str, str]:
        """Census-division name → OINP region."""
        return {row["cd_name"]: row["region"] for row in self.rows}

    def lookup(self, name: str) -> Place:
        """Resolve a municipality name (``"Hamilton"``, ``"Hamilton (Northumberland)"`` or ``"Hamilton, Northumberland"``).

        Raises
        ------
        InputError
            The name is not an Ontario municipality; the message suggests the closest names.
        """
        query = str(name).strip()
        # "Algoma, Unorganized, North Part" is itself a name; otherwise "Name, Division" or "Name (Division)"
        qualified = re.fullmatch(r"(.+?)\s*\((.+)\)", query)
        if normalise(query) in self._by_name:
            base, division = query, ""
        elif qualified:
            base, division = qualified.groups()
        else:
            base, _, division = query.partition(",")
        key, division_key = normalise(base), normalise(division)
        note = ""
        if key not in self._by_name and key in self.aliases:
            target = self.aliases[key]
            note = f"{base.strip()} is part of {target.split(',')[0]}"
            base, _, division = target.partition(",")
            key, division_key = normalise(base), division_key or normalise(division)
        matches = self._by_name.get(key, [])
        if division_key:
            within = [r for r in matches if normalise(r["cd_name"]) == division_key]
            if matches and not within:
                options = "; ".join(f"{r['municipality']}, {r['cd_name']}" for r in matches)
                raise InputError(f"no {base.strip()!r} in census division {division.strip()!r}; "
                                 f"known: {options}")
            matches = within
        if not matches:
            in_division = [r["municipality"] for r in self.rows if normalise(r["cd_name"]) == key]
            if in_division:
                division_name = self._cd_name(key)
                raise InputError(f"{division_name!r} is a census division ({self.divisions[division_name]}), not a "
                                 f"municipality; give a municipality in it, e.g. {', '.join(in_division[:3])}")
            raise InputError(f"unknown Ontario municipality {query!r}{self._suggest(query)}; "
                             "give a city, town or township name (optionally 'Name (Census division)')")
        chosen = min(matches, key=lambda r: TYPE_PREFERENCE.index(r["csd_type"])
                     if r["csd_type"] in TYPE_PREFERENCE else len(TYPE_PREFERENCE))
        others = [r for r in matches if r is not chosen]
        if others:
            listed = "; ".join(f"{r['municipality']} ({r['csd_type']}), {r['cd_name']} → {r['region']}" for r in others)
            note = (note + "; " if note else "") + (
                f"the name also covers {listed}" if all(r["region"] == chosen["region"] for r in others) else
                f"ambiguous: also {listed} — write 'Name (Census division)' to choose")
        return Place(query=query, municipality=chosen["municipality"], csd_type=chosen["csd_type"],
                     csd_code=chosen["csd_code"], cd_code=chosen["cd_code"], cd_name=chosen["cd_name"],
                     region=chosen["region"], note=note)

    def _cd_name(self, key: str) -> str:
        return next(r["cd_name"] for r in self.rows if normalise(r["cd_name"]) == key)

    def _suggest(self, query: str) -> str:
        close = difflib.get_close_matches(normalise(query), list(self._display), n=4, cutoff=0.6)
        return f" (did you mean: {', '.join(self._display[c] for c in close)}?)" if close else ""
