"""Build ``nocmatch/eoi/data/ontario_municipalities.csv`` from Statistics Canada's geography.

Input: the Ontario census subdivisions of the 2016 Census (``shared/geo/ontario_csd_2016.csv``:
every CSD — city, town, township, reserve, unorganized area — with its census division).
Output: one row per municipality with its census division and OINP region. The regions are
OINP's groups of census divisions (``data/regions.json``); every one of Ontario's 49 census
divisions must belong to exactly one region, or the build fails.

Run from the repository root::

    python -m nocmatch.eoi.build_geo ../shared/geo/ontario_csd_2016.csv
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

from nocmatch.files import write_atomic

HERE = Path(__file__).resolve().parent
REGIONS_FILE = HERE / "data" / "regions.json"
OUTPUT_FILE = HERE / "data" / "ontario_municipalities.csv"
COLUMNS = ("municipality", "csd_type", "csd_code", "cd_code", "cd_name", "region")
HEADER = (
    "# Ontario municipalities (all census subdivisions, CSD) -> census division (CD) -> OINP region.",
    "# Derived from Statistics Canada 2016 Census geography (census subdivisions and divisions, SGC 2016,",
    "# via opencivicdata/ocd-division-ids, CC0) by nocmatch/eoi/build_geo.py; regions are OINP's",
    "# census-division groups (nocmatch/eoi/data/regions.json). Do not edit by hand: rebuild.",
)


def region_of_division(regions: dict[str, list[str]]) -> dict[str, str]:
    """Census-division name → OINP region; a division listed twice is an error in the data."""
    mapping: dict[str, str] = {}
    for region, divisions in regions.items():
        for division in divisions:
            if division in mapping:
                raise ValueError(f"census division {division!r} is in both {mapping[division]!r} and {region!r}")
            mapping[division] = region
    return mapping


def build(source: Path, output: Path = OUTPUT_FILE) -> int:
    """Write the municipality table; returns the number of municipalities written."""
    regions = json.loads(REGIONS_FILE.read_text(encoding="utf-8"))["regions"]
    by_division = region_of_division(regions)
    with source.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    divisions = {row["cd_name"] for row in rows}
    unmapped = sorted(divisions - set(by_division))
    unused = sorted(set(by_division) - divisions)
    if unmapped or unused:
        raise ValueError(f"census divisions without a region: {unmapped}; regions naming unknown divisions: {unused}")
    rows.sort(key=lambda row: row["csd_code"])
    table = io.StringIO()
    table.write("\n".join(HEADER) + "\n")
    writer = csv.writer(table, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow((row["csd_name"], row["csd_type"], row["csd_code"], row["cd_code"], row["cd_name"],
                         by_division[row["cd_name"]]))
    write_atomic(output, table.getvalue(), what="the municipality table")
    return len(rows)


if __name__ == "__main__":
    default = Path(__file__).resolve().parents[3] / "shared" / "geo" / "ontario_csd_2016.csv"
    count = build(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
    print(f"{count} municipalities → {OUTPUT_FILE}")
