"""Scoring whole profiles: TEER and category from the catalog, wage conversion, uncertain settings,
relocation, draw cut-offs on the same scale only, and the HCP tech-draw facts."""

from __future__ import annotations

import json

import pytest

from nocmatch.eoi.profile import Profile
from nocmatch.eoi.score import DEFAULT_PLACES, EoiScorer
from nocmatch.errors import CatalogError, InputError

# The worked example of docs/eoi.md: a Toronto software engineer.
ENGINEER = dict(noc="21231", job_location="Toronto", wage_annual=85000, weekly_hours=40, legal_status="work_permit",
                months_in_position=14, months_ontario_work=20, best_yearly_earnings=78000, education="bachelors",
                canadian_credentials=0, clb=9)


def profile(**changes) -> Profile:
    return Profile.from_dict(dict(ENGINEER, **changes))


@pytest.fixture(scope="module")
def scorer(catalog) -> EoiScorer:
    return EoiScorer(catalog)


def points(result) -> dict[str, int]:
    return {line.factor: line.points for line in result.factors}


def test_worked_example_owp2026(scorer):
    result = scorer.score(profile())
    # spec §2.1: TEER 1 → 9, category 2 → 6, $40.86 → 15, 14 months → 15, $78k → 8, work permit 10,
    # bachelor's 6, no Canadian credential 0, CLB 9 → 15, one language 5, Toronto 0
    assert points(result) == {"teer": 9, "category": 6, "wage": 15, "ontario_experience": 15, "earnings": 8,
                              "legal_status": 10, "education": 6, "canadian_credentials": 0, "language_ability": 15,
                              "official_languages": 5, "job_location": 0}
    assert (result.grid, result.stream, result.total, result.maximum) == ("OWP2026", "OWP", 89, 130)
    assert result.wage.hourly == 40.86 and "85,000.00 ÷ (40 h × 52 weeks)" in result.wage.formula
    assert {u.name for u in result.uncertain} == {"experience_top_band_min_months", "weeks_per_year"}


def test_worked_example_g2022_and_waterloo(scorer):
    legacy = scorer.score(profile(), grid="G2022")
    assert (legacy.stream, legacy.total, legacy.maximum) == ("FW", 61, 76)
    assert points(legacy)["job_location"] == 0
    rows = {r.place.municipality: r for r in scorer.relocate(profile(), ["Waterloo"], grid="G2022")}
    assert (rows["Waterloo"].regional_points, rows["Waterloo"].total, rows["Waterloo"].change) == (8, 69, 8)
    rows = {r.place.municipality: r for r in scorer.relocate(profile(), ["Waterloo"])}
    assert (rows["Waterloo"].regional_points, rows["Waterloo"].total, rows["Waterloo"].change) == (10, 99, 10)


CODES = [  # code, TEER, category → OWP TEER points, OWP category points, G2022 TEER, G2022 category
    ("20012", 0, "2", 9, 6, 10, 10),
    ("21231", 1, "2", 9, 6, 10, 10),
    ("22220", 2, "2", 6, 6, 8, 10),
    ("31301", 1, "3", 9, 10, 10, 10),
    ("73100", 3, "7", 6, 8, 8, 7),
    ("44101", 4, "4", 0, 4, 0, 4),
    ("65200", 5, "6", 0, 2, 0, 3),
    ("10010", 0, "1", 9, 4, 10, 5),
]


@pytest.mark.parametrize("code, teer, category, owp_teer, owp_cat, g_teer, g_cat", CODES, ids=[c[0] for c in CODES])
def test_teer_and_category_come_from_the_catalog(scorer, code, teer, category, owp_teer, owp_cat, g_teer, g_cat):
    current = scorer.score(profile(noc=code))
    assert (current.occupation.teer, current.occupation.category) == (teer, category)
    assert (points(current)["teer"], points(current)["category"]) == (owp_teer, owp_cat)
    legacy = scorer.score(profile(noc=code), grid="G2022")
    assert (points(legacy)["teer"], points(legacy)["category"]) == (g_teer, g_cat)


@pytest.mark.parametrize("wage, expected_hourly, expected_points", [
    (dict(wage_annual=83200, weekly_hours=40), 40.00, 15),
    (dict(wage_annual=83199, weekly_hours=40), 39.99, 12),   # cents are cut, never rounded up to $40.00
    (dict(wage_annual=85000, weekly_hours=37.5), 43.58, 15),
    (dict(wage_hourly=39.99), 39.99, 12),
    (dict(wage_hourly=40.0), 40.00, 15),
])
def test_wage_conversion(scorer, wage, expected_hourly, expected_points):
    base = {k: v for k, v in ENGINEER.items() if k not in ("wage_annual", "weekly_hours")}
    result = scorer.score(Profile.from_dict(dict(base, **wage)))
    assert result.wage.hourly == expected_hourly
    assert points(result)["wage"] == expected_points
    relied = {u.name for u in result.uncertain}
    assert ("weeks_per_year" in relied) == ("wage_annual" in wage)


def test_uncertain_settings_are_listed_with_their_effect(scorer):
    at_24 = scorer.score(profile(months_in_position=24))
    fact = next(u for u in at_24.uncertain if u.name == "experience_top_band_min_months")
    assert (points(at_24)["ontario_experience"], fact.value, fact.total_if) == (15, 25, {"24": at_24.total + 3})
    moved = scorer.score(profile(months_in_position=24, settings={"experience_top_band_min_months": 24}))
    assert points(moved)["ontario_experience"] == 18
    untested = scorer.score(profile(clb=None))
    fact = next(u for u in untested.uncertain if u.name == "no_test_language_knowledge_points")
    assert points(untested)["official_languages"] == 0 and fact.total_if == {"5": untested.total + 5}


@pytest.mark.parametrize("grid, clb, second, expected", [
    ("OWP2026", 9, 6, 10), ("OWP2026", 6, 6, 10), ("OWP2026", 9, 5, 5), ("OWP2026", 9, None, 5),
    ("G2022", 7, 6, 10), ("G2022", 6, 6, 5), ("G2022", 9, 5, 5), ("G2022", None, None, 0),
])
def test_knowledge_of_official_languages(scorer, grid, clb, second, expected):
    result = scorer.score(profile(clb=clb, second_language_clb=second) if clb else profile(clb=None), grid=grid)
    assert points(result)["official_languages"] == expected


def test_legacy_streams_need_their_own_answers(scorer):
    student = profile(field_of_study="stem_health", study_location="Sudbury", canadian_credentials=2)
    result = scorer.score(student, grid="G2022", stream="IS")
    assert points(result)["study_location"] == 10 and points(result)["field_of_study"] == 12
    assert result.study_location.region == "Northern Ontario"
    assert scorer.score(profile(field_of_study="trades", study_location="none"), grid="G2022",
                        stream="MASTERS").factor("study_location").points == 0
    with pytest.raises(InputError, match="field_of_study is required by stream PHD"):
        scorer.score(profile(study_location="Toronto"), grid="G2022", stream="PHD")


def test_physician_stream_takes_only_physician_codes(scorer):
    doctor = profile(noc="31102", wage_annual=None, weekly_hours=None, months_in_position=24)
    result = scorer.score(doctor, stream="PHYSICIAN")
    assert (result.maximum, result.factor("medical_practice").points, result.factor("teer").points,
            result.factor("category").points) == (115, 18, 9, 10)
    assert result.factor("wage") is None and result.wage is None
    with pytest.raises(InputError, match="stream PHYSICIAN is for NOC 31100, 31101, 31102 only; got 21231"):
        scorer.score(profile(), stream="PHYSICIAN")


def test_an_owp_profile_on_the_legacy_grid_uses_its_default_stream(scorer):
    result = scorer.score(profile(grid="OWP2026", stream="OWP"), grid="G2022")
    assert result.stream == "FW" and any("not a G2022 stream" in note for note in result.notes)
    with pytest.raises(InputError, match="unknown stream 'OWP' for grid G2022; allowed: FW, IS, IDS, MASTERS, PHD"):
        scorer.score(profile(grid="G2022", stream="OWP"))


def test_relocation_compares_cut_offs_only_on_the_same_scale(scorer):
    current = scorer.relocate(profile(), DEFAULT_PLACES)
    assert [r.place.municipality for r in current][:4] == ["Toronto", "Mississauga", "Markham", "Hamilton"]
    assert all(r.draw is None for r in current)  # no OWP2026 cut-offs exist; G2022 ones are another scale
    by_place = {r.place.municipality: r for r in current}
    assert {name: r.regional_points for name, r in by_place.items()} == {
        "Toronto": 0, "Mississauga": 5, "Markham": 5, "Hamilton": 10, "Waterloo": 10, "Guelph": 10, "Ottawa": 10,
        "Kingston": 10, "London": 10, "Barrie": 10, "Greater Sudbury": 15, "Thunder Bay": 15}
    legacy = {r.place.municipality: r for r in scorer.relocate(profile(), ["Toronto", "Hamilton", "Kenora"],
                                                               grid="G2022")}
    assert (legacy["Hamilton"].draw.date, legacy["Hamilton"].draw.targeting, legacy["Hamilton"].draw.min_score) == (
        "2026-03-25", "region: Southwestern", 53)
    assert legacy["Toronto"].draw.min_score == 61 and legacy["Toronto"].draw.clears  # 61 ≥ 61
    assert legacy["Kenora"].total == 71 and legacy["Kenora"].draw.margin == 71 - 54


def test_report_draw_facts(scorer):
    owp = scorer.report(profile())
    assert owp.draws == [] and "not compared" in owp.draws_note
    legacy = scorer.report(profile(), grid="G2022")
    assert all(d.grid == "G2022" and d.stream == "FW" for d in legacy.draws)
    assert not any("health" in d.targeting for d in legacy.draws)  # a software engineer is not a health occupation
    assert owp.hcp.draw_dates == ["2023-02-02", "2023-03-09", "2023-05-05", "2023-07-06", "2023-07-20",
                                  "2023-08-11", "2023-12-14", "2024-02-08", "2024-03-21"]
    assert owp.hcp.stream_closed == "2026-05-30" and owp.hcp.crs_bonus == 600
    assert scorer.report(profile(noc="21220")).hcp.draw_dates == ["2023-12-14", "2024-02-08", "2024-03-21"]
    assert not scorer.report(profile(noc="21310")).hcp.targeted
    assert json.loads(owp.to_json())["score"]["total"] == 89


def test_codes_that_are_not_noc_2021_unit_groups(scorer):
    with pytest.raises(CatalogError, match="'99999' is not a NOC 2021 unit group"):
        scorer.score(profile(noc="99999"))
    with pytest.raises(InputError, match="looks like a NOC 2016 code"):
        profile(noc="2173")
