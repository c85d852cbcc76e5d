"""The NOC catalog: unit groups, their main duties, example titles and notes.

A :class:`Catalog` is four pandas tables (the parquet files under ``data/noc2021/catalog``) plus a
manifest. :class:`UnitGroup` is the typed view of one unit group that the scorer, the evidence
builder and ``nocmatch show`` read.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from nocmatch.errors import CatalogError

CATALOG_FORMAT = 1
# The lead statement's "They are employed by ..." sentence names employers, not actions.
EMPLOYER_SENTENCE = re.compile(r"(?:^|(?<=[.]))\s*(?:They|These \w+|\w+ \w+) (?:are|may be) (?:employed|self-employed)\b[^.]*\.?", re.I)


def lead_actions(lead_statement: str) -> str:
    """The lead statement without the sentences that say where the occupation is employed."""
    core = EMPLOYER_SENTENCE.sub("", lead_statement).strip()
    return core or lead_statement
TABLES = ("units", "duties", "titles", "notes")


@dataclass(frozen=True)
class Duty:
    """One main duty of a unit group, in the order the NOC lists it."""

    code: str
    position: int
    text: str
    optional: bool  #: begins with "May": practitioners do not treat it as essential
    sub_occupation: str = ""  #: the sub-occupation heading it sits under, if the group has them


@dataclass(frozen=True)
class Note:
    """An inclusion, exclusion, employment requirement or additional information line."""

    kind: str
    text: str
    ref_code: str = ""  #: for exclusions: the code the line points to ("See 21232 ...")


@dataclass(frozen=True)
class UnitGroup:
    """A NOC 2021 unit group (5-digit code) with everything an officer reads."""

    code: str
    title: str
    lead_statement: str
    teer: int
    category: str
    hierarchy: dict[str, str]
    duties: tuple[Duty, ...]
    illustrative_titles: tuple[str, ...]
    example_titles: tuple[str, ...]
    inclusions: tuple[Note, ...] = field(default=())
    exclusions: tuple[Note, ...] = field(default=())
    requirements: tuple[Note, ...] = field(default=())
    additional: tuple[Note, ...] = field(default=())

    @property
    def sub_occupations(self) -> tuple[str, ...]:
        """The sub-occupation headings, in order (empty when the duties are not split)."""
        seen: dict[str, None] = {}
        for duty in self.duties:
            if duty.sub_occupation:
                seen.setdefault(duty.sub_occupation, None)
        return tuple(seen)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["duties"] = [asdict(d) for d in self.duties]
        return data


class Catalog:
    """All unit groups of NOC 2021 V1.0 as four tables.

    Parameters
    ----------
    units : DataFrame
        One row per unit group: ``code, title, lead_statement, teer, category`` and the code and
        title of each level above it (``broad_*, major_*, sub_major_*, minor_*``).
    duties : DataFrame
        ``code, position, text, optional, sub_occupation``.
    titles : DataFrame
        ``code, title, illustrative`` (All examples and Illustrative examples, de-duplicated).
    notes : DataFrame
        ``code, kind, text, ref_code`` for inclusions, exclusions, requirements, additional info.
    manifest : dict
        Source files, their sha256 and row counts, NOC version, ``catalog_sha256``.
    """

    def __init__(self, units: pd.DataFrame, duties: pd.DataFrame, titles: pd.DataFrame,
                 notes: pd.DataFrame, manifest: dict | None = None):
        self.units = units.reset_index(drop=True)
        self.duties = duties.reset_index(drop=True)
        self.titles = titles.reset_index(drop=True)
        self.notes = notes.reset_index(drop=True)
        self.manifest = dict(manifest or {})
        self.manifest.setdefault("catalog_sha256", self.content_sha256())
        self._by_code = {row.code: i for i, row in enumerate(self.units.itertuples())}
        self._unit_cache: dict[str, UnitGroup] = {}  # the tables do not change after loading

    # -- identity -------------------------------------------------------------------------
    def content_sha256(self) -> str:
        """A hash of everything that is embedded or scored, independent of file encoding."""
        digest = hashlib.sha256()
        for name in TABLES:
            frame = getattr(self, name)
            digest.update(name.encode())
            digest.update(frame.to_csv(index=False).encode("utf-8"))
        return digest.hexdigest()

    @property
    def sha256(self) -> str:
        return self.manifest["catalog_sha256"]

    @property
    def codes(self) -> list[str]:
        return list(self.units["code"])

    def __len__(self) -> int:
        return len(self.units)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    # -- typed access ---------------------------------------------------------------------
    def unit(self, code: str) -> UnitGroup:
        """The unit group ``code``; a :class:`CatalogError` when it is not a NOC 2021 unit group."""
        code = str(code).strip()
        if code not in self._unit_cache:
            self._unit_cache[code] = self._build_unit(code)
        return self._unit_cache[code]

    def _build_unit(self, code: str) -> UnitGroup:
        if code not in self._by_code:
            raise CatalogError(f"{code!r} is not a NOC 2021 unit group (a 5-digit code such as 21231)")
        row = self.units.iloc[self._by_code[code]]
        duties = self.duties[self.duties["code"] == code].sort_values("position")
        titles = self.titles[self.titles["code"] == code]
        notes = self.notes[self.notes["code"] == code]

        def notes_of(kind: str) -> tuple[Note, ...]:
            sel = notes[notes["kind"] == kind]
            return tuple(Note(kind, t, r) for t, r in zip(sel["text"], sel["ref_code"]))

        hierarchy = {level: f"{row[level + '_code']} {row[level + '_title']}"
                     for level in ("broad", "major", "sub_major", "minor")}
        return UnitGroup(
            code=code,
            title=row["title"],
            lead_statement=row["lead_statement"],
            teer=int(row["teer"]),
            category=str(row["category"]),
            hierarchy=hierarchy,
            duties=tuple(Duty(code, int(p), t, bool(o), s) for p, t, o, s in zip(
                duties["position"], duties["text"], duties["optional"], duties["sub_occupation"])),
            illustrative_titles=tuple(titles.loc[titles["illustrative"], "title"]),
            example_titles=tuple(titles["title"]),
            inclusions=notes_of("inclusion"),
            exclusions=notes_of("exclusion"),
            requirements=notes_of("requirement"),
            additional=notes_of("additional"),
        )

    def title_of(self, code: str) -> str:
        return str(self.units.iloc[self._by_code[code]]["title"]) if code in self._by_code else ""

    # -- storage --------------------------------------------------------------------------
    def save(self, folder: Path) -> Path:
        """Write the four tables as parquet and ``manifest.json`` (with each file's sha256) into ``folder``."""
        folder.mkdir(parents=True, exist_ok=True)
        digests = {}
        for name in TABLES:
            tmp = folder / f".{name}.parquet.tmp"
            getattr(self, name).to_parquet(tmp, index=False)
            digests[name] = hashlib.sha256(tmp.read_bytes()).hexdigest()
            tmp.replace(folder / f"{name}.parquet")
        manifest = dict(self.manifest, catalog_format=CATALOG_FORMAT, tables_sha256=digests)
        tmp = folder / ".manifest.json.tmp"
        tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
        tmp.replace(folder / "manifest.json")
        self.manifest = manifest
        return folder

    @classmethod
    def load(cls, folder: Path) -> "Catalog":
        """Read a catalog written by :meth:`save`; a :class:`CatalogError` if missing or damaged."""
        manifest_path = folder / "manifest.json"
        if not manifest_path.is_file():
            raise CatalogError(
                f"no NOC catalog in {folder}: run `nocmatch ingest --source <folder with the two "
                "NOC 2021 CSVs>` first")
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            raw = {name: (folder / f"{name}.parquet").read_bytes() for name in TABLES}
            tables = {name: pd.read_parquet(io.BytesIO(data)) for name, data in raw.items()}
        except Exception as exc:  # any damage means the same thing to the user
            raise CatalogError(f"the NOC catalog in {folder} is damaged ({type(exc).__name__}): "
                               "run `nocmatch ingest` again") from exc
        # The files' digests vouch for the content hash recorded at save (recomputing it costs
        # a tenth of a second on every cold start); a catalog without them is hashed again.
        digests = manifest.get("tables_sha256") or {}
        intact = bool(digests) and all(hashlib.sha256(raw[name]).hexdigest() == digests.get(name) for name in TABLES)
        catalog = cls(**tables, manifest=manifest if intact else {k: v for k, v in manifest.items()
                                                                  if k != "catalog_sha256"})
        if catalog.sha256 != manifest.get("catalog_sha256") or (digests and not intact):
            raise CatalogError(f"the NOC catalog in {folder} does not match its manifest: "
                               "run `nocmatch ingest` again")
        catalog.manifest = manifest
        return catalog
