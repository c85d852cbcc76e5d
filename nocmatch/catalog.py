"""The NOC catalog: unit groups, their main duties, example titles and notes.

A :class:`Catalog` is four column tables (the JSON files under ``data/noc2021/catalog``) plus a
manifest. :class:`UnitGroup` is the typed view of one unit group that the scorer, the evidence
builder and ``nocmatch show`` read. The tables are plain lists so that matching a letter never
imports pandas (a quarter of a second and ~110 MB on every cold start); ``catalog.units`` and the
other tables are still there as DataFrames, built on first use, for notebooks and analysis.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from nocmatch.errors import CatalogError
from nocmatch.files import write_atomic

#: 2: column tables as JSON (1 was parquet, which needs pandas and pyarrow to read).
CATALOG_FORMAT = 2
# The lead statement's "They are employed by ..." sentence names employers, not actions.
EMPLOYER_SENTENCE = re.compile(r"(?:^|(?<=[.]))\s*(?:They|These \w+|\w+ \w+) (?:are|may be) "
                               r"(?:employed|self-employed)\b[^.]*\.?", re.I)


def lead_actions(lead_statement: str) -> str:
    """The lead statement without the sentences that say where the occupation is employed."""
    core = EMPLOYER_SENTENCE.sub("", lead_statement).strip()
    return core or lead_statement
#: The columns of each table, in order.
TABLES: dict[str, tuple[str, ...]] = {
    "units": ("code", "title", "lead_statement", "teer", "category", "broad_code", "broad_title", "major_code",
              "major_title", "sub_major_code", "sub_major_title", "minor_code", "minor_title"),
    "duties": ("code", "position", "text", "optional", "sub_occupation"),
    "titles": ("code", "title", "illustrative"),
    "notes": ("code", "kind", "text", "ref_code"),
}


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


class _TableFrame:
    """``catalog.<table>``: the table as a pandas DataFrame (:meth:`Catalog.frame`)."""

    def __set_name__(self, owner, name):
        self.table = name

    def __get__(self, catalog, owner=None):
        return self if catalog is None else catalog.frame(self.table)


class Catalog:
    """All unit groups of NOC 2021 V1.0 as four column tables.

    Parameters
    ----------
    tables : mapping
        ``{table: {column: values}}`` for the four tables of :data:`TABLES`:

        - ``units``: one row per unit group: ``code, title, lead_statement, teer, category`` and the
          code and title of each level above it (``broad_*, major_*, sub_major_*, minor_*``);
        - ``duties``: ``code, position, text, optional, sub_occupation``;
        - ``titles``: ``code, title, illustrative`` (All examples and Illustrative examples, de-duplicated);
        - ``notes``: ``code, kind, text, ref_code`` for inclusions, exclusions, requirements, additional info.
    manifest : dict
        Source files, their sha256 and row counts, NOC version, ``catalog_sha256``.
    """

    def __init__(self, tables: Mapping[str, Mapping[str, Sequence]], manifest: dict | None = None):
        self._columns: dict[str, dict[str, list]] = {}
        for name, columns in TABLES.items():
            table = tables.get(name)
            if table is None or any(c not in table for c in columns):
                raise CatalogError(f"catalog table {name!r} needs the columns {', '.join(columns)}")
            self._columns[name] = {c: list(table[c]) for c in columns}
            if len({len(values) for values in self._columns[name].values()}) != 1:
                raise CatalogError(f"catalog table {name!r} has columns of different lengths")
        self.manifest = dict(manifest or {})
        if "catalog_sha256" not in self.manifest:  # a loaded catalog has it (its files' digests vouch for it)
            self.manifest["catalog_sha256"] = self.content_sha256()
        self._by_code = {code: i for i, code in enumerate(self.column("units", "code"))}
        # the tables do not change after loading: derived views are kept
        self._rows_by_code: dict[str, dict[str, list[int]]] = {}
        self._frames: dict = {}
        self._unit_cache: dict[str, UnitGroup] = {}

    @classmethod
    def from_frames(cls, units, duties, titles, notes, manifest: dict | None = None) -> "Catalog":
        """A catalog from four pandas DataFrames (what ingestion builds)."""
        frames = {"units": units, "duties": duties, "titles": titles, "notes": notes}
        return cls({name: {c: [_json_scalar(v) for v in frames[name][c]] for c in columns if c in frames[name]}
                    for name, columns in TABLES.items()}, manifest)

    # -- tables ---------------------------------------------------------------------------
    def column(self, table: str, name: str) -> list:
        """One column of a table as a list, in row order (shared: do not modify)."""
        return self._columns[table][name]

    def rows(self, table: str, code: str) -> list[int]:
        """Row numbers of ``table`` that belong to unit group ``code``, in row order."""
        if table not in self._rows_by_code:
            index: dict[str, list[int]] = {}
            for i, row_code in enumerate(self.column(table, "code")):
                index.setdefault(row_code, []).append(i)
            self._rows_by_code[table] = index
        return self._rows_by_code[table].get(code, [])

    def frame(self, table: str):
        """The table as a pandas DataFrame (built on first use)."""
        if table not in self._frames:
            import pandas as pd
            self._frames[table] = pd.DataFrame(self._columns[table], columns=list(TABLES[table]))
        return self._frames[table]

    # catalog.units is catalog.frame("units"), and so on
    units, duties, titles, notes = _TableFrame(), _TableFrame(), _TableFrame(), _TableFrame()

    # -- identity -------------------------------------------------------------------------
    def content_sha256(self) -> str:
        """A hash of everything that is embedded or scored, independent of file encoding.

        Each table is hashed as the CSV text pandas' ``to_csv(index=False)`` writes (same quoting,
        ``True``/``False`` for booleans), so the hash — the key of the embedding caches — does not
        change with the storage format.
        """
        digest = hashlib.sha256()
        for name, columns in TABLES.items():
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows(zip(*(self._columns[name][c] for c in columns)))
            digest.update(name.encode())
            digest.update(buffer.getvalue().encode("utf-8"))
        return digest.hexdigest()

    @property
    def sha256(self) -> str:
        return self.manifest["catalog_sha256"]

    @property
    def codes(self) -> list[str]:
        return list(self.column("units", "code"))

    def __len__(self) -> int:
        return len(self._by_code)

    def table_length(self, table: str) -> int:
        return len(self.column(table, "code"))

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    # -- typed access ---------------------------------------------------------------------
    def unit(self, code: str) -> UnitGroup:
        """The unit group ``code``; a :class:`CatalogError` when it is not a NOC 2021 unit group."""
        code = str(code).strip()
        if code not in self._unit_cache:
            self._unit_cache[code] = self._build_unit(code)
        return self._unit_cache[code]

    def _value(self, table: str, column: str, row: int):
        return self._columns[table][column][row]

    def _build_unit(self, code: str) -> UnitGroup:
        if code not in self._by_code:
            raise CatalogError(f"{code!r} is not a NOC 2021 unit group (a 5-digit code such as 21231)")
        row = self._by_code[code]

        def unit_value(column: str):
            return self._value("units", column, row)

        duties = self._columns["duties"]
        duty_rows = sorted(self.rows("duties", code), key=lambda r: duties["position"][r])
        titles = self._columns["titles"]
        title_rows = self.rows("titles", code)
        notes = self._columns["notes"]

        def notes_of(kind: str) -> tuple[Note, ...]:
            return tuple(Note(kind, notes["text"][r], notes["ref_code"][r])
                         for r in self.rows("notes", code) if notes["kind"][r] == kind)

        return UnitGroup(
            code=code,
            title=unit_value("title"),
            lead_statement=unit_value("lead_statement"),
            teer=int(unit_value("teer")),
            category=str(unit_value("category")),
            hierarchy={level: f"{unit_value(level + '_code')} {unit_value(level + '_title')}"
                       for level in ("broad", "major", "sub_major", "minor")},
            duties=tuple(Duty(code, int(duties["position"][r]), duties["text"][r], bool(duties["optional"][r]),
                              duties["sub_occupation"][r]) for r in duty_rows),
            illustrative_titles=tuple(titles["title"][r] for r in title_rows if titles["illustrative"][r]),
            example_titles=tuple(titles["title"][r] for r in title_rows),
            inclusions=notes_of("inclusion"),
            exclusions=notes_of("exclusion"),
            requirements=notes_of("requirement"),
            additional=notes_of("additional"),
        )

    def title_of(self, code: str) -> str:
        return str(self._value("units", "title", self._by_code[code])) if code in self._by_code else ""

    def teer_of(self, code: str) -> int:
        return int(self._value("units", "teer", self._by_code[code]))

    def subset(self, codes) -> "Catalog":
        """A catalog of the unit groups ``codes`` only, rows in this catalog's order (for tests and
        experiments that need a few dozen unit groups, not 516); its manifest names this catalog."""
        keep = set(codes)
        if unknown := sorted(keep - set(self._by_code)):
            raise CatalogError(f"code {unknown[0]} is not a unit group of this catalog")
        tables = {name: {c: [v for v, code in zip(values, columns["code"]) if code in keep] for c, values in columns.items()}
                  for name, columns in self._columns.items()}
        kinds = tables["notes"]["kind"]
        manifest = {key: value for key, value in self.manifest.items()
                    if key not in ("catalog_sha256", "tables_sha256", "catalog_format")}
        manifest.update(subset_of=self.sha256, counts={
            "unit_groups": len(tables["units"]["code"]), "duties": len(tables["duties"]["code"]),
            "titles": len(tables["titles"]["code"]), "notes": {k: kinds.count(k) for k in dict.fromkeys(kinds)}})
        return Catalog(tables, manifest)

    # -- storage --------------------------------------------------------------------------
    def save(self, folder: Path) -> Path:
        """Write the four tables as JSON columns and ``manifest.json`` (with each file's sha256) into ``folder``."""
        digests = {}
        for name in TABLES:
            payload = json.dumps({"columns": self._columns[name]}, ensure_ascii=False).encode("utf-8")
            write_atomic(folder / f"{name}.json", payload, what="the catalog")
            digests[name] = hashlib.sha256(payload).hexdigest()
        for stale in (folder / f"{name}.parquet" for name in TABLES):  # format 1 leftovers
            stale.unlink(missing_ok=True)
        manifest = dict(self.manifest, catalog_format=CATALOG_FORMAT, tables_sha256=digests)
        write_atomic(folder / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True), what="the catalog")
        self.manifest = manifest
        return folder

    @classmethod
    def load(cls, folder: Path) -> "Catalog":
        """Read a catalog written by :meth:`save`; a :class:`CatalogError` if missing, damaged or outdated."""
        manifest_path = folder / "manifest.json"
        if not manifest_path.is_file():
            raise CatalogError(
                f"no NOC catalog in {folder}: run `nocmatch ingest --source <folder with the two "
                "NOC 2021 CSVs>` first")
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CatalogError(f"the NOC catalog in {folder} is damaged ({type(exc).__name__}): "
                               "run `nocmatch ingest` again") from exc
        if manifest.get("catalog_format") != CATALOG_FORMAT:
            raise CatalogError(f"the NOC catalog in {folder} was written by an older nocmatch "
                               f"(format {manifest.get('catalog_format')}, now {CATALOG_FORMAT}): "
                               "run `nocmatch ingest` again")
        # The files' digests vouch for the content hash recorded at save (recomputing it costs
        # a tenth of a second on every cold start).
        digests = manifest.get("tables_sha256") or {}
        try:
            raw = {name: (folder / f"{name}.json").read_bytes() for name in TABLES}
            if any(hashlib.sha256(raw[name]).hexdigest() != digests.get(name) for name in TABLES):
                raise ValueError("a table does not match its digest")
            tables = {name: json.loads(data)["columns"] for name, data in raw.items()}
            return cls(tables, manifest=manifest)
        except (OSError, ValueError, KeyError, TypeError, CatalogError) as exc:
            raise CatalogError(f"the NOC catalog in {folder} is damaged ({type(exc).__name__}): "
                               "run `nocmatch ingest` again") from exc


def _json_scalar(value):
    """A numpy/pandas scalar as the Python value JSON stores."""
    return value.item() if hasattr(value, "item") else value
