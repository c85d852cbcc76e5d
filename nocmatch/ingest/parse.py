"""Parse and validate Statistics Canada's two NOC 2021 V1.0 CSV files into a :class:`Catalog`.

The rules follow the files' own conventions (see ``shared/noc2021/README.md``):

* the lead statement is the ``Class definition`` of each level-5 row of the structure file;
* the Main duties of every unit group open with a header ("This group performs some or all of the
  following duties:") that is not a duty;
* some groups split their duties by sub-occupation with a heading line ("Database analysts:" —
  Statistics Canada's copy ends it with ':'; mirrors often drop the colon). Headings are dropped
  as duties and kept as each duty's ``sub_occupation``;
* a duty that begins with "May" is optional, not essential;
* a note on how the group's workers specialize ("Physicists may specialize in fields such as ...") is no duty.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

import pandas as pd

from nocmatch.catalog import Catalog
from nocmatch.config import NOC_VERSION, UNIT_GROUPS
from nocmatch.errors import CatalogError
from nocmatch.ingest.sources import ELEMENTS_FILE, STRUCTURE_FILE, sha256_file  # noqa: F401

STRUCTURE_COLUMNS = ["Level", "Hierarchical structure", "Code - NOC 2021 V1.0", "Class title",
                     "Class definition"]
ELEMENTS_COLUMNS = ["Level", "Code - NOC 2021 V1.0", "Class title", "Element Type Label English",
                    "Element Description English"]
EXPECTED_UNIT_GROUPS = UNIT_GROUPS

ELEMENT_KINDS = {
    "Illustrative example(s)": "illustrative",
    "All examples": "example",
    "Inclusion(s)": "inclusion",
    "Exclusion(s)": "exclusion",
    "Main duties": "duty",
    "Employment requirements": "requirement",
    "Additional information": "additional",
}
LEVEL_NAMES = {1: "broad", 2: "major", 3: "sub_major", 4: "minor"}

DUTIES_HEADER = re.compile(r"\bperforms? some or all of the following duties:?$", re.I)
SEE_CODE = re.compile(r"\(See (\d{4,5})\b")
# A duty line is an imperative sentence; a heading is a short noun phrase ("Database analysts").
HEADING_MAX_WORDS = 8


def read_table(path: Path, columns: list[str]) -> pd.DataFrame:
    """Read one official CSV as strings; UTF-8 (with or without BOM) or cp1252.

    Raises a one-line :class:`CatalogError` naming the file when it cannot be read or its columns
    are not exactly the NOC 2021 V1.0 columns.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if b"\x00" in raw[:4096]:
        raise CatalogError(f"{path.name}: not a CSV text file (binary content)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise CatalogError(f"{path.name}: the file is empty")
    header = [h.strip() for h in rows[0]]
    if header != columns:
        missing = [c for c in columns if c not in header]
        extra = [c for c in header if c not in columns]
        detail = "; ".join(filter(None, [f"missing {missing}" if missing else "", f"unexpected {extra}" if extra else ""]))
        raise CatalogError(f"{path.name}: not the NOC 2021 V1.0 columns ({detail or 'wrong order'})")
    bad = [i + 1 for i, r in enumerate(rows[1:], start=1) if len(r) != len(columns)]
    if bad:
        raise CatalogError(f"{path.name}: row {bad[0]} has the wrong number of fields (truncated or damaged file)")
    frame = pd.DataFrame(rows[1:], columns=columns)
    return frame.apply(lambda col: col.str.strip())


def _pad_code(code: str, level: str) -> str:
    """Codes lose their leading zeros when a file passes through a spreadsheet; restore them."""
    digits = code.strip()
    width = max(int(level), 2) if level.isdigit() and int(level) > 1 else 1
    return digits.zfill(width) if digits.isdigit() else digits


#: A note on how the group's workers specialize ("Physicists may specialize in fields such as ...", "Literary agents
#: specialize in representing ..."): no duty, and its first word (a plural noun) is no verb the NOC opens duties with.
SPECIALIZATION_NOTE = re.compile(r"^(?!may\b)[^.]{0,80}?\b(?:may\s+)?speciali[sz]e\b", re.I)


def _verb_starters(duty_lines: pd.Series) -> set[str]:
    """First words of lines that are unmistakably duties (long, or a full sentence).

    NOC duties are imperative ("Design, develop ...", "Requisition materials"), so this set is the
    vocabulary of verbs the NOC opens duties with; a short line whose first word is not one of them
    is a sub-occupation heading.
    """
    duty_lines = duty_lines[~duty_lines.str.match(SPECIALIZATION_NOTE)]
    long_lines = duty_lines[(duty_lines.str.split().str.len() > HEADING_MAX_WORDS) | duty_lines.str.endswith(".")]
    return {line.split()[0].strip(",").lower() for line in long_lines if line}


def _singular(word: str) -> str:
    word = word.strip(",()").lower()
    for plural, single in (("ies", "y"), ("ses", "s"), ("s", "")):
        if word.endswith(plural) and len(word) > 3:
            return word[: -len(plural)] + single
    return word


def _is_heading(line: str, verbs: set[str], title_heads: set[str]) -> bool:
    """A heading ends with ':' or is a short non-imperative line naming one of the group's titles."""
    if line.endswith(":"):
        return True
    words = line.split()
    if line.endswith(".") or len(words) > HEADING_MAX_WORDS or words[0].strip(",").lower() in verbs:
        return False
    return _singular(words[0]) in title_heads or _singular(words[-1]) in title_heads


def parse_duties(elements: pd.DataFrame) -> pd.DataFrame:
    """Main-duty rows → one row per duty with position, optional flag and sub-occupation."""
    lines = elements[elements["kind"] == "duty"]
    verbs = _verb_starters(lines["text"][~lines["text"].str.contains(DUTIES_HEADER)])
    titles = elements[elements["kind"].isin(["illustrative", "example"])]
    # The head noun of every example title of a group ("analyst" in "database analyst").
    heads = {code: {_singular(t.split()[-1]) for t in group if t}
             for code, group in titles.groupby("code")["text"]}
    records = []
    for code, group in lines.groupby("code", sort=False):
        heading, position = "", 0
        title_heads = heads.get(code, set())
        for text in group["text"]:
            if not text or DUTIES_HEADER.search(text) or SPECIALIZATION_NOTE.match(text):
                continue
            if _is_heading(text, verbs, title_heads):
                heading = text.rstrip(":").strip()
                continue
            position += 1
            records.append({"code": code, "position": position, "text": text,
                            "optional": bool(re.match(r"may\b", text, re.I)),
                            "sub_occupation": heading})
    return pd.DataFrame(records, columns=["code", "position", "text", "optional", "sub_occupation"])


def build_catalog(structure_path: Path, elements_path: Path) -> Catalog:
    """Parse and validate the two official files into a :class:`Catalog`."""
    structure = read_table(structure_path, STRUCTURE_COLUMNS)
    elements = read_table(elements_path, ELEMENTS_COLUMNS)
    structure.columns = ["level", "hierarchy", "code", "title", "definition"]
    elements.columns = ["level", "code", "unit_title", "element", "text"]
    structure["code"] = [_pad_code(c, lv) for c, lv in zip(structure["code"], structure["level"])]
    elements["code"] = [_pad_code(c, lv) for c, lv in zip(elements["code"], elements["level"])]

    unknown = sorted(set(elements["element"]) - set(ELEMENT_KINDS))
    if unknown:
        raise CatalogError(f"{elements_path.name}: unknown element type {unknown[0]!r}")
    elements["kind"] = elements["element"].map(ELEMENT_KINDS)

    units = structure[structure["level"] == "5"]
    if len(units) != EXPECTED_UNIT_GROUPS or units["code"].duplicated().any():
        raise CatalogError(f"{structure_path.name}: {units['code'].nunique()} unit groups, "
                           f"NOC 2021 V1.0 has {EXPECTED_UNIT_GROUPS} (partial or wrong file?)")
    no_lead = units.loc[units["definition"] == "", "code"]
    if len(no_lead):
        raise CatalogError(f"{structure_path.name}: unit group {no_lead.iloc[0]} has no lead statement (Class definition)")
    stray = sorted(set(elements["code"]) - set(units["code"]))
    if stray:
        raise CatalogError(f"{elements_path.name}: code {stray[0]} is not a unit group of {structure_path.name}")

    duties = parse_duties(elements)
    without = sorted(set(units["code"]) - set(duties["code"]))
    if without:
        raise CatalogError(f"{elements_path.name}: unit group {without[0]} has no main duties "
                           f"({len(without)} groups without duties: partial file?)")

    table = _unit_table(units, dict(zip(structure["code"], structure["title"])))
    titles = _title_table(elements)
    notes = elements[elements["kind"].isin(["inclusion", "exclusion", "requirement", "additional"])]
    notes = notes[["code", "kind", "text"]].copy()
    notes["ref_code"] = [m.group(1) if (m := SEE_CODE.search(t)) else "" for t in notes["text"]]

    manifest = {
        "noc_version": NOC_VERSION,
        "sources": {path.name: {"sha256": sha256_file(path), "rows": rows}
                    for path, rows in ((structure_path, len(structure)), (elements_path, len(elements)))},
        "counts": {"unit_groups": len(table), "duties": len(duties), "titles": len(titles),
                   "notes": dict(Counter(notes["kind"]))},
    }
    return Catalog.from_frames(table, duties, titles, notes, manifest)


def _unit_table(units: pd.DataFrame, title_of_code: dict[str, str]) -> pd.DataFrame:
    """One row per unit group: code, title, lead statement, TEER, category and its four parent levels."""
    table = pd.DataFrame({
        "code": units["code"].values,
        "title": units["title"].values,
        "lead_statement": units["definition"].values,
        "teer": [int(c[1]) for c in units["code"]],
        "category": [c[0] for c in units["code"]],
    })
    for length, name in zip((1, 2, 3, 4), LEVEL_NAMES.values()):
        table[f"{name}_code"] = [c[:length] for c in table["code"]]
        table[f"{name}_title"] = [title_of_code.get(c[:length], "") for c in table["code"]]
    return table


def _title_table(elements: pd.DataFrame) -> pd.DataFrame:
    """The example and illustrative titles, each (code, title) once, marked when illustrative."""
    titles = elements[elements["kind"].isin(["illustrative", "example"])]
    illustrative = set(zip(titles.loc[titles["kind"] == "illustrative", "code"],
                           titles.loc[titles["kind"] == "illustrative", "text"]))
    titles = titles.drop_duplicates(["code", "text"])[["code", "text"]].rename(columns={"text": "title"})
    titles["illustrative"] = [(c, t) in illustrative for c, t in zip(titles["code"], titles["title"])]
    return titles

