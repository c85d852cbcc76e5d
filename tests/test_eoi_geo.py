"""Municipality → census division → OINP region, built from Statistics Canada's 2016 geography."""

from __future__ import annotations

import csv

import pytest
from conftest import SHARED

from nocmatch.eoi import build_geo
from nocmatch.eoi.geo import TABLE_FILE, Municipalities
from nocmatch.errors import InputError

GEO_CSV = SHARED / "geo" / "ontario_csd_2016.csv"

# (name as typed, municipality, census division, OWP region) — spec §2.3 and the list
LOOKUPS = [
    ("Toronto", "Toronto", "Toronto", "Toronto"),
    ("Mississauga", "Mississauga", "Peel", "GTA except Toronto"),
    ("Brampton", "Brampton", "Peel", "GTA except Toronto"),
    ("Markham", "Markham", "York", "GTA except Toronto"),
    ("Vaughan", "Vaughan", "York", "GTA except Toronto"),
    ("Oshawa", "Oshawa", "Durham", "GTA except Toronto"),
    ("Burlington", "Burlington", "Halton", "GTA except Toronto"),
    ("Oakville", "Oakville", "Halton", "GTA except Toronto"),
    ("Hamilton", "Hamilton", "Hamilton", "Southwestern Ontario"),     # not the GTA
    ("Waterloo", "Waterloo", "Waterloo", "Central Ontario"),
    ("Kitchener", "Kitchener", "Waterloo", "Central Ontario"),
    ("Guelph", "Guelph", "Wellington", "Central Ontario"),
    ("Barrie", "Barrie", "Simcoe", "Central Ontario"),
    ("Ottawa", "Ottawa", "Ottawa", "Eastern Ontario"),
    ("Kingston", "Kingston", "Frontenac", "Eastern Ontario"),
    ("London", "London", "Middlesex", "Southwestern Ontario"),
    ("Windsor", "Windsor", "Essex", "Southwestern Ontario"),
    ("Sudbury", "Greater Sudbury", "Greater Sudbury", "Northern Ontario"),
    ("Greater Sudbury", "Greater Sudbury", "Greater Sudbury", "Northern Ontario"),
    ("Thunder Bay", "Thunder Bay", "Thunder Bay", "Northern Ontario"),
    ("Sault Ste. Marie", "Sault Ste. Marie", "Algoma", "Northern Ontario"),
    ("sault ste marie", "Sault Ste. Marie", "Algoma", "Northern Ontario"),
    ("Kenora", "Kenora", "Kenora", "Northern Ontario"),
    ("North Bay", "North Bay", "Nipissing", "Northern Ontario"),
    ("Huntsville", "Huntsville", "Muskoka", "Northern Ontario"),        # Muskoka counts as Northern
    ("Bracebridge", "Bracebridge", "Muskoka", "Northern Ontario"),
    ("Dysart et al", "Dysart et al", "Haliburton", "Northern Ontario"),  # so does Haliburton
    ("Scarborough", "Toronto", "Toronto", "Toronto"),
    ("Kanata", "Ottawa", "Ottawa", "Eastern Ontario"),
    ("Hamilton, Northumberland", "Hamilton", "Northumberland", "Eastern Ontario"),
    ("Hamilton (Northumberland)", "Hamilton", "Northumberland", "Eastern Ontario"),
    ("Algoma, Unorganized, North Part", "Algoma, Unorganized, North Part", "Algoma", "Northern Ontario"),
]


@pytest.fixture(scope="module")
def places() -> Municipalities:
    return Municipalities.load()


@pytest.mark.parametrize("query, municipality, division, region", LOOKUPS, ids=[row[0] for row in LOOKUPS])
def test_lookup(places, query, municipality, division, region):
    place = places.lookup(query)
    assert (place.municipality, place.cd_name, place.region) == (municipality, division, region)


def test_hamilton_is_the_city_and_the_ambiguity_is_said(places):
    place = places.lookup("Hamilton")
    assert (place.csd_type, place.cd_code) == ("C", "3525")
    assert "ambiguous" in place.note and "Northumberland" in place.note


def test_unknown_municipality_suggests_the_closest_names(places):
    with pytest.raises(InputError, match=r"unknown Ontario municipality 'Torronto' \(did you mean: Toronto"):
        places.lookup("Torronto")
    with pytest.raises(InputError, match=r"did you mean: Mississauga"):
        places.lookup("Missisauga")
    with pytest.raises(InputError, match=r"no 'Hamilton' in census division 'Peel'; known: .*Northumberland"):
        places.lookup("Hamilton, Peel")
    with pytest.raises(InputError, match=r"'Muskoka' is a census division \(Northern Ontario\), not a municipality"):
        places.lookup("Muskoka")


def shared_rows() -> list[dict]:
    with GEO_CSV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_ontario_municipality_and_division_is_covered(places):
    rows = shared_rows()
    assert len(places) == len(rows) == 575
    ours = {r["csd_code"]: r for r in places.rows}
    for row in rows:
        assert ours[row["csd_code"]]["cd_code"] == row["cd_code"]
    divisions = places.divisions
    assert len(divisions) == 49
    counts = {region: sum(1 for r in divisions.values() if r == region) for region in set(divisions.values())}
    assert counts == {"Northern Ontario": 13, "Eastern Ontario": 13, "Central Ontario": 5,
                      "Southwestern Ontario": 13, "GTA except Toronto": 4, "Toronto": 1}
    assert {d for d, r in divisions.items() if r == "GTA except Toronto"} == {"Durham", "Halton", "Peel", "York"}


def test_table_says_where_it_came_from_and_is_not_a_copy():
    text = TABLE_FILE.read_text(encoding="utf-8")
    assert "Statistics Canada 2016 Census" in text.splitlines()[1]
    header = next(line for line in text.splitlines() if not line.startswith("#"))
    assert header.split(",") == list(build_geo.COLUMNS)
    assert GEO_CSV.read_text(encoding="utf-8").splitlines()[0] != header


def test_build_geo_reproduces_the_packaged_table(tmp_path):
    out = tmp_path / "municipalities.csv"
    assert build_geo.build(GEO_CSV, out) == 575
    assert out.read_text(encoding="utf-8") == TABLE_FILE.read_text(encoding="utf-8")
