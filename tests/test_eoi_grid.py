"""The EOI grids as data: every band edge of every factor of both grids, stream factor sets and maxima.

Expected points are the spec's tables (shared/spec/oinp-rules.md §1.2–1.5 for G2022, §2.1 for
OWP2026), written out here independently of the grid files.
"""

from __future__ import annotations

import pytest

from nocmatch.eoi.grid import available_grids, load_grid
from nocmatch.eoi.profile import EDUCATION_LEVELS, FIELDS_OF_STUDY, LEGAL_STATUSES
from nocmatch.errors import InputError

REGIONS = ("Toronto", "GTA except Toronto", "Northern Ontario", "Eastern Ontario", "Central Ontario",
           "Southwestern Ontario")
# A neutral answer for every input; each case changes the ones its factor reads.
BASE = {"teer": 1, "category": "2", "hourly_wage": 30.0, "months_in_position": 0, "months_ontario_work": 0,
        "best_yearly_earnings": 0, "legal_status": "none", "education": "bachelors", "canadian_credentials": 0,
        "field_of_study": "stem_health", "clb": 7, "official_languages": 1, "job_region": "Toronto",
        "study_region": "Toronto"}


def cases(grid: str, factor: str, input_name: str, table: dict) -> list:
    return [pytest.param(grid, factor, {input_name: answer}, points, id=f"{grid}-{factor}-{answer}")
            for answer, points in table.items()]


def edges(grid: str, factor: str, input_name: str, rows: list[tuple]) -> list:
    return [pytest.param(grid, factor, {input_name: answer}, points, id=f"{grid}-{factor}-{answer}")
            for answer, points in rows]


OWP = "OWP2026"
G22 = "G2022"
BAND_CASES = [
    # ---- OWP2026 (spec §2.1) ----
    *cases(OWP, "teer", "teer", {0: 9, 1: 9, 2: 6, 3: 6, 4: 0, 5: 0}),
    *cases(OWP, "category", "category", {"3": 10, "7": 8, "2": 6, "0": 4, "1": 4, "4": 4, "8": 4, "9": 4,
                                         "5": 2, "6": 2}),
    *edges(OWP, "wage", "hourly_wage", [(40.00, 15), (39.99, 12), (35.00, 12), (34.99, 10), (30.00, 10),
                                        (29.99, 8), (25.00, 8), (24.99, 5), (20.00, 5), (19.99, 0), (0.01, 0)]),
    # self-employed physicians: "2 years or more", so exactly 24 months is the top band here
    *cases(OWP, "medical_practice", "months_in_position", {24: 18, 23: 15, 13: 15, 12: 12, 6: 12, 5: 0}),
    *cases(OWP, "earnings", "best_yearly_earnings", {70000: 8, 69999: 6, 50000: 6, 49999: 4, 30000: 4,
                                                     29999: 0, 0: 0}),
    *cases(OWP, "legal_status", "legal_status", {"work_permit": 10, "study_permit": 5, "none": 0}),
    *cases(OWP, "education", "education", {"doctorate": 10, "professional_degree": 10, "masters": 8,
                                           "graduate_certificate": 6, "bachelors": 6,
                                           "college_graduate_certificate": 5, "undergraduate_certificate": 5,
                                           "college_diploma": 5, "apprenticeship": 5, "secondary_or_less": 0}),
    *cases(OWP, "canadian_credentials", "canadian_credentials", {3: 10, 2: 10, 1: 5, 0: 0}),
    *cases(OWP, "language_ability", "clb", {12: 15, 9: 15, 8: 12, 7: 8, 6: 4, 5: 0, 1: 0, None: 0}),
    *cases(OWP, "official_languages", "official_languages", {2: 10, 1: 5, 0: 0}),
    *cases(OWP, "job_location", "job_region", {"Northern Ontario": 15, "Eastern Ontario": 10,
                                               "Central Ontario": 10, "Southwestern Ontario": 10,
                                               "GTA except Toronto": 5, "Toronto": 0}),
    # ---- G2022 (spec §1.2–1.5) ----
    *cases(G22, "teer", "teer", {0: 10, 1: 10, 2: 8, 3: 8, 4: 0, 5: 0}),
    *cases(G22, "category", "category", {"0": 10, "2": 10, "3": 10, "7": 7, "1": 5, "9": 5, "4": 4, "8": 4,
                                         "5": 3, "6": 3}),
    *edges(G22, "wage", "hourly_wage", [(40.00, 10), (39.99, 8), (35.00, 8), (34.99, 7), (30.00, 7),
                                        (29.99, 6), (25.00, 6), (24.99, 5), (20.00, 5), (19.99, 0)]),
    *cases(G22, "work_permit", "legal_status", {"work_permit": 10, "study_permit": 0, "none": 0}),
    *cases(G22, "work_or_study_permit", "legal_status", {"work_permit": 10, "study_permit": 10, "none": 0}),
    *cases(G22, "job_tenure", "months_in_position", {0: 0, 5: 0, 6: 3, 30: 3}),
    *cases(G22, "earnings", "best_yearly_earnings", {40000: 3, 39999: 0, 0: 0}),
    *cases(G22, "education", "education", {"doctorate": 10, "masters": 8, "graduate_certificate": 6,
                                           "bachelors": 6, "professional_degree": 6,
                                           "undergraduate_certificate": 5, "apprenticeship": 5,
                                           "college_diploma": 5, "college_graduate_certificate": 5,
                                           "secondary_or_less": 0}),
    *cases(G22, "field_of_study", "field_of_study", {"stem_health": 12, "trades": 12, "business_social": 6,
                                                     "arts_humanities": 0}),
    *cases(G22, "canadian_education", "canadian_credentials", {2: 10, 1: 5, 0: 0}),
    *cases(G22, "language_ability", "clb", {12: 10, 9: 10, 8: 6, 7: 4, 6: 0, 1: 0, None: 0}),
    *cases(G22, "official_languages", "official_languages", {2: 10, 1: 5, 0: 0}),
    *cases(G22, "job_location", "job_region", {"Northern Ontario": 10, "Eastern Ontario": 8, "Central Ontario": 8,
                                               "Southwestern Ontario": 8, "GTA except Toronto": 3, "Toronto": 0}),
    *cases(G22, "study_location", "study_region", {"Northern Ontario": 10, "Eastern Ontario": 8,
                                                   "Central Ontario": 8, "Southwestern Ontario": 8,
                                                   "GTA except Toronto": 3, "Toronto": 0, "none": 0}),
]

# OWP factor 4: time in the job-offer position, and only under 6 months there, Ontario work in general.
EXPERIENCE_CASES = [
    ((30, 0), 18), ((25, 0), 18), ((24, 0), 15), ((13, 0), 15), ((12, 0), 12), ((6, 0), 12),
    ((6, 40), 12),                      # one ladder, never both: 6 months in position beats 40 in Ontario
    ((5, 25), 12), ((5, 24), 9), ((5, 13), 9), ((5, 12), 6), ((5, 6), 6), ((5, 5), 0), ((0, 0), 0),
]


def score_factor(grid_id: str, factor_id: str, answers: dict, settings: dict | None = None) -> int:
    grid = load_grid(grid_id)
    values = grid.resolve_settings(settings)
    _, band = grid.factors[factor_id].evaluate(dict(BASE, **answers), values)
    points = band.points
    return values[points["setting"]] if isinstance(points, dict) else points


@pytest.mark.parametrize("grid_id, factor_id, answers, expected", BAND_CASES)
def test_band_edges(grid_id, factor_id, answers, expected):
    assert score_factor(grid_id, factor_id, answers) == expected


@pytest.mark.parametrize("months, expected", EXPERIENCE_CASES, ids=[f"{m[0]}-{m[1]}" for m, _ in EXPERIENCE_CASES])
def test_owp_experience_ladders(months, expected):
    in_position, in_ontario = months
    answers = {"months_in_position": in_position, "months_ontario_work": in_ontario}
    assert score_factor(OWP, "ontario_experience", answers) == expected


def test_every_factor_of_every_grid_has_band_edge_cases():
    covered = {(p.values[0], p.values[1]) for p in BAND_CASES} | {(OWP, "ontario_experience")}
    every = {(g, f) for g in (OWP, G22) for f in load_grid(g).factors}
    assert every - covered == set()


def test_uncertain_settings_move_the_band():
    # exactly 24 months: "over 24" (default) gives 15, the physician wording's reading gives 18
    assert score_factor(OWP, "ontario_experience", {"months_in_position": 24},
                        {"experience_top_band_min_months": 24}) == 18
    assert score_factor(OWP, "official_languages", {"official_languages": 0},
                        {"no_test_language_knowledge_points": 5}) == 5
    assert score_factor(G22, "field_of_study", {"field_of_study": "trades"}, {"trades_field_points": 0}) == 0


STREAMS = {
    (OWP, "OWP"): (["teer", "category", "wage", "ontario_experience", "earnings", "legal_status", "education",
                    "canadian_credentials", "language_ability", "official_languages", "job_location"], 130),
    (OWP, "PHYSICIAN"): (["teer", "category", "medical_practice", "earnings", "legal_status", "education",
                          "canadian_credentials", "language_ability", "official_languages", "job_location"], 115),
    (G22, "FW"): (["teer", "category", "wage", "work_permit", "job_tenure", "earnings", "language_ability",
                   "official_languages", "job_location"], 76),
    (G22, "IS"): (["teer", "category", "wage", "work_or_study_permit", "job_tenure", "earnings", "education",
                   "field_of_study", "canadian_education", "language_ability", "official_languages", "job_location",
                   "study_location"], 118),
    (G22, "IDS"): (["category", "wage", "work_permit", "job_tenure", "earnings", "job_location"], 46),
    (G22, "MASTERS"): (["work_or_study_permit", "earnings", "education", "field_of_study", "canadian_education",
                        "language_ability", "official_languages", "study_location"], 75),
    (G22, "PHD"): (["work_or_study_permit", "earnings", "education", "field_of_study", "canadian_education",
                    "language_ability", "official_languages", "study_location"], 75),
}


@pytest.mark.parametrize("grid_id, stream_id", list(STREAMS), ids=[f"{g}-{s}" for g, s in STREAMS])
def test_stream_factor_sets_and_maxima(grid_id, stream_id):
    factors, maximum = STREAMS[(grid_id, stream_id)]
    grid = load_grid(grid_id)
    stream = grid.stream(stream_id)
    assert list(stream.factors) == factors
    assert grid.maximum(stream, grid.resolve_settings()) == maximum


def test_grids_are_versioned_data_with_dates_sources_and_confidence():
    assert available_grids() == ["G2022", "OWP2026"]
    owp, g22 = load_grid(OWP), load_grid(G22)
    assert (owp.status, owp.effective_to) == ("current", None)
    assert (g22.status, g22.effective_from, g22.effective_to) == ("closed", "2022-11-16", "2026-05-29")
    for grid in (owp, g22):
        assert set(grid.streams) == {s for g, s in STREAMS if g == grid.id}
        for factor in grid.factors.values():
            assert factor.confidence and factor.sources
            assert all(grid.sources[s]["confidence"] for s in factor.sources)


@pytest.mark.parametrize("grid_id", [OWP, G22])
def test_every_profile_choice_is_scored_by_every_grid(grid_id):
    """A profile value no band accepts would be an error for a valid applicant."""
    grid = load_grid(grid_id)
    for factor_id, (input_name, choices) in {"education": ("education", EDUCATION_LEVELS),
                                             "legal_status": ("legal_status", LEGAL_STATUSES),
                                             "work_permit": ("legal_status", LEGAL_STATUSES),
                                             "work_or_study_permit": ("legal_status", LEGAL_STATUSES),
                                             "field_of_study": ("field_of_study", FIELDS_OF_STUDY),
                                             "job_location": ("job_region", REGIONS)}.items():
        if factor_id in grid.factors:
            for choice in choices:
                score_factor(grid_id, factor_id, {input_name: choice})


def test_unknown_grid_stream_and_setting_say_what_is_allowed():
    with pytest.raises(InputError, match=r"unknown grid 'G2019'; allowed: G2022, OWP2026"):
        load_grid("G2019")
    with pytest.raises(InputError, match=r"unknown stream 'HCP' for grid G2022; allowed: FW, IS, IDS, MASTERS, PHD"):
        load_grid(G22).stream("HCP")
    with pytest.raises(InputError, match=r"must be one of 24, 25"):
        load_grid(OWP).resolve_settings({"experience_top_band_min_months": 30})
    assert load_grid("owp2026").stream("owp").id == "OWP"  # case does not matter
