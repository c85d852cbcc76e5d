"""Every number the EOI scorer takes from the user is finite and in range, or refused with one line.

TOML reads ``nan``, ``inf`` and ``1e400`` as floats; before ``nocmatch/eoi/limits.py`` a NaN wage
scored 74 points as "$NaN/h" and ``--json`` wrote a bare ``NaN``, and ``inf``/``1e308`` ended in
"internal error: decimal.InvalidOperation". Each numeric profile field and numeric setting is tried
here with every kind of bad number, through the library and through ``nocmatch eoi``.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_cli

from nocmatch.eoi.grid import load_grid, parse_grid
from nocmatch.eoi.limits import PROFILE_LIMITS, SETTING_LIMITS, NumberRange, shown
from nocmatch.eoi.profile import Profile
from nocmatch.eoi.score import EoiScorer
from nocmatch.errors import InputError

# The worked example of docs/eoi.md (tests/test_eoi_score.py): 89 points on OWP2026, 61 on G2022.
ENGINEER = dict(noc="21231", job_location="Toronto", wage_annual=85000, weekly_hours=40, legal_status="work_permit",
                months_in_position=14, months_ontario_work=20, best_yearly_earnings=78000, education="bachelors",
                canadian_credentials=0, clb=9)

# Each bad number as TOML writes it and as Python holds it.
NOT_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
HUGE = {"1e308": 1e308}
NEGATIVE = {"-1": -1}
ZERO = {"0": 0}
#: fields where 0 is refused too: a wage of $0, a salary divided by 0 hours or 0 weeks, CLB 0 does not exist
ZERO_REFUSED = {"wage_hourly", "wage_annual", "weekly_hours", "clb", "second_language_clb", "weeks_per_year",
                "two_languages_min_clb_best", "two_languages_min_clb_other"}


def bad_values(field: str) -> dict[str, float]:
    """TOML literal → Python value of every number ``field`` must refuse."""
    values = {**NOT_FINITE, **HUGE, **NEGATIVE}
    if field in ZERO_REFUSED:
        values.update(ZERO)
    limits = PROFILE_LIMITS.get(field) or SETTING_LIMITS[field]
    above = limits.high + 1
    values[repr(above)] = above                        # just past the top of the range
    if limits.whole:
        values["1.5"] = 1.5                            # months, credentials and CLB levels are whole
    return values


PROFILE_CASES = [pytest.param(field, literal, value, id=f"{field}={literal}")
                 for field in PROFILE_LIMITS for literal, value in bad_values(field).items()]
SETTING_CASES = [pytest.param(name, literal, value, id=f"{name}={literal}")
                 for name in SETTING_LIMITS for literal, value in bad_values(name).items()]


def answers_with(field: str, value) -> dict:
    """The worked example with ``field`` set to ``value`` (and no other field in the way)."""
    answers = dict(ENGINEER)
    if field == "wage_hourly":  # one wage form only, or the "not both" check would speak first
        answers.pop("wage_annual")
        answers.pop("weekly_hours")
    return dict(answers, **{field: value})


def assert_one_line_naming(message: str, name: str, value) -> None:
    """The refusal names the field, the value given and the accepted range, on one line."""
    assert len(message.strip().splitlines()) == 1, message
    assert f"{name} must be " in message and f"; got {shown(value)}" in message, message
    assert " from " in message or " greater than " in message, message  # the range is stated


# -- the library -------------------------------------------------------------------------------------
@pytest.mark.parametrize("field, literal, value", PROFILE_CASES)
def test_profile_refuses_bad_number(field, literal, value):
    with pytest.raises(InputError) as refused:
        Profile.from_dict(answers_with(field, value), source="profile.toml")
    message = str(refused.value)
    assert message.startswith("profile.toml: ")
    assert_one_line_naming(message, field, value)


@pytest.mark.parametrize("field", list(PROFILE_LIMITS))
def test_profiles_built_directly_or_changed_are_checked_too(field):
    with pytest.raises(InputError, match=f"{field} must be .*; got nan"):
        Profile(**answers_with(field, math.nan))
    valid = Profile.from_dict(answers_with(field, 1))  # 1 is in every field's range
    with pytest.raises(InputError, match=f"{field} must be .*; got inf"):
        valid.with_changes(**{field: math.inf})


@pytest.mark.parametrize("field, value", [("wage_hourly", "nan"), ("months_in_position", "14"), ("clb", True),
                                          ("weekly_hours", [40]), ("best_yearly_earnings", None)])
def test_values_that_are_not_numbers(field, value):
    with pytest.raises(InputError) as refused:
        Profile.from_dict(answers_with(field, value))
    assert_one_line_naming(str(refused.value), field, value)


@pytest.fixture(scope="module")
def scorer(catalog) -> EoiScorer:
    return EoiScorer(catalog)


@pytest.mark.parametrize("name, literal, value", SETTING_CASES)
def test_settings_refuse_bad_number(scorer, name, literal, value):
    with pytest.raises(InputError) as refused:
        scorer.score(Profile.from_dict(dict(ENGINEER, settings={name: value})))
    message = str(refused.value)
    assert message.startswith("profile [settings]: ")
    assert_one_line_naming(message, f"setting {name}", value)


@pytest.mark.parametrize("name", ["experience_top_band_min_months", "no_test_language_knowledge_points",
                                  "trades_field_points"])
@pytest.mark.parametrize("value", [math.nan, math.inf, 1e308, -1])
def test_settings_with_a_list_of_values_refuse_bad_numbers_on_either_grid(scorer, name, value):
    # trades_field_points is a G2022 setting: scored on OWP2026 it is unused, but still checked
    for grid in ("OWP2026", "G2022"):
        with pytest.raises(InputError, match=f"setting {name} must be one of .*; got {re.escape(shown(value))}"):
            scorer.score(Profile.from_dict(dict(ENGINEER, settings={name: value})), grid=grid)


def test_a_setting_that_is_not_a_number_is_one_line(scorer):
    import datetime
    with pytest.raises(InputError, match=r"setting weeks_per_year must be a number from 1 to 53 .*datetime.date"):
        scorer.score(Profile.from_dict(dict(ENGINEER, settings={"weeks_per_year": datetime.date(2024, 1, 1)})))


# -- valid numbers still score as before ----------------------------------------------------------------
def test_worked_example_totals_are_unchanged(scorer):
    owp, legacy = scorer.score(Profile.from_dict(ENGINEER)), scorer.score(Profile.from_dict(ENGINEER), grid="G2022")
    assert (owp.total, owp.maximum, owp.wage.hourly, legacy.total) == (89, 130, 40.86, 61)
    # whole numbers written as floats are the same answers; ints given for float fields are floats
    same = Profile.from_dict(dict(ENGINEER, months_in_position=14.0, clb=9.0))
    assert (same.months_in_position, same.clb) == (14, 9) and type(same.months_in_position) is int
    assert scorer.score(same).total == 89 and owp.wage.annual == 85000.0 and type(owp.wage.annual) is float


EDGES = [  # the ends of each range are accepted
    dict(wage_hourly=10_000.0, wage_annual=None, weekly_hours=None),
    dict(wage_hourly=0.01, wage_annual=None, weekly_hours=None),
    dict(wage_annual=100_000_000, weekly_hours=1),         # the largest hourly wage a salary can give
    dict(wage_annual=0.01, weekly_hours=168),
    dict(months_in_position=600, months_ontario_work=600, canadian_credentials=20, best_yearly_earnings=100_000_000),
    dict(months_in_position=0, months_ontario_work=0, best_yearly_earnings=0, clb=1, second_language_clb=12),
    dict(best_yearly_earnings=-0.0, settings={"weeks_per_year": 1}),
    dict(settings={"weeks_per_year": 53, "two_languages_min_clb_best": 12, "two_languages_min_clb_other": 1}),
]


@pytest.mark.parametrize("changes", EDGES, ids=[str(i) for i in range(len(EDGES))])
def test_range_ends_are_accepted_and_give_strict_json(scorer, changes):
    answers = {k: v for k, v in dict(ENGINEER, **changes).items() if v is not None}
    for grid in ("OWP2026", "G2022"):
        report = scorer.report(Profile.from_dict(answers), grid=grid)
        text = report.to_json()
        json.loads(text, parse_constant=lambda word: pytest.fail(f"--json wrote {word}"))
        assert "$-0" not in text and "NaN" not in text


def test_json_refuses_a_nan_that_slipped_in(scorer):
    report = scorer.report(Profile.from_dict(ENGINEER))
    report.score.wage.hourly = math.nan  # as a future bug would: past every input check
    with pytest.raises(ValueError, match="not JSON compliant"):
        report.to_json()


# -- the range helper and the grid files -------------------------------------------------------------------
def test_number_range_wording():
    assert NumberRange(0, 10_000, low_accepted=False, unit="$ an hour").describe() == (
        "a number greater than 0 and at most 10,000 ($ an hour)")
    assert NumberRange(1, 12, whole=True, kind="a whole CLB level").describe() == "a whole CLB level from 1 to 12"
    assert shown(10**5000) == "a number over 1e+308" and shown(-(10**400)) == "a number under -1e+308"
    assert (shown(True), shown(1e308), shown("x" * 100)[-1]) == ("true", "1e+308", "…")


def test_a_grid_with_an_unranged_numeric_setting_does_not_load():
    data = json.loads(load_grid("OWP2026").path.read_text(encoding="utf-8"))
    data["settings"]["hours_per_day"] = {"value": 8, "allowed": None, "uncertain": True, "description": "",
                                         "source": ""}
    with pytest.raises(ValueError, match="numeric setting hours_per_day has no range"):
        parse_grid(data)


# -- the command line --------------------------------------------------------------------------------------
def run(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    return run_cli(monkeypatch, capsys, "eoi", *args)


@pytest.fixture
def data_dir(catalog_home) -> Path:
    return catalog_home


def toml_profile(answers: dict, raw: dict[str, str] | None = None, settings: dict[str, str] | None = None) -> str:
    """A profile file: ``answers`` as TOML values, ``raw`` and ``settings`` as TOML literals (``nan``)."""
    lines = [f"{k} = {json.dumps(v)}" for k, v in answers.items()]
    lines += [f"{k} = {literal}" for k, literal in (raw or {}).items()]
    if settings:
        lines += ["[settings]", *(f"{k} = {literal}" for k, literal in settings.items())]
    return "\n".join(lines) + "\n"


def assert_refused_on_one_line(code: int, out: str, err: str, name: str, value) -> None:
    assert code != 0 and out == "", (code, out)
    assert err.startswith("error: ") and "internal error" not in err and "Traceback" not in err, err
    assert_one_line_naming(err, name, value)


@pytest.mark.parametrize("field, literal, value", PROFILE_CASES)
def test_cli_refuses_bad_number_in_profile(monkeypatch, capsys, tmp_path, data_dir, field, literal, value):
    answers = {k: v for k, v in answers_with(field, 1).items() if k != field}
    path = tmp_path / "profile.toml"
    path.write_text(toml_profile(answers, raw={field: literal}), encoding="utf-8")
    code, out, err = run(monkeypatch, capsys, "--profile", str(path), "--data-dir", str(data_dir), "--json")
    assert_refused_on_one_line(code, out, err, field, value)


@pytest.mark.parametrize("name, literal, value", SETTING_CASES)
def test_cli_refuses_bad_number_in_settings(monkeypatch, capsys, tmp_path, data_dir, name, literal, value):
    path = tmp_path / "profile.toml"
    path.write_text(toml_profile(ENGINEER, settings={name: literal}), encoding="utf-8")
    code, out, err = run(monkeypatch, capsys, "--profile", str(path), "--data-dir", str(data_dir), "--json")
    assert_refused_on_one_line(code, out, err, f"setting {name}", value)


@pytest.mark.parametrize("digits, message", [(400, "months_in_position must be a whole number from 0 to 600"),
                                             (5000, "a number in it is too long to read")])
def test_cli_huge_integers_are_one_line(monkeypatch, capsys, tmp_path, data_dir, digits, message):
    answers = {k: v for k, v in ENGINEER.items() if k != "months_in_position"}
    path = tmp_path / "profile.toml"
    path.write_text(toml_profile(answers, raw={"months_in_position": "9" * digits}), encoding="utf-8")
    code, out, err = run(monkeypatch, capsys, "--profile", str(path), "--data-dir", str(data_dir))
    assert code != 0 and out == "" and len(err.strip().splitlines()) == 1 and message in err, err
    assert "internal error" not in err


def test_cli_json_of_a_valid_profile_is_strict_json(monkeypatch, capsys, tmp_path, data_dir):
    path = tmp_path / "profile.toml"
    path.write_text(toml_profile(ENGINEER), encoding="utf-8")
    code, out, _ = run(monkeypatch, capsys, "--profile", str(path), "--data-dir", str(data_dir), "--json")
    report = json.loads(out, parse_constant=lambda word: pytest.fail(f"--json wrote {word}"))
    assert code == 0 and report["score"]["total"] == 89


@pytest.mark.parametrize("raw, settings, name, value", [
    ({"weekly_hours": "nan"}, None, "weekly_hours", math.nan),
    (None, {"weeks_per_year": "inf"}, "setting weeks_per_year", math.inf),
])
def test_installed_command_refuses_nan_and_inf(tmp_path, data_dir, raw, settings, name, value):
    # the real console script in a fresh process: exit status and stderr exactly as a user sees them
    answers = {k: v for k, v in ENGINEER.items() if k not in (raw or {})}
    path = tmp_path / "profile.toml"
    path.write_text(toml_profile(answers, raw=raw, settings=settings), encoding="utf-8")
    done = subprocess.run([str(Path(sys.executable).parent / "nocmatch"), "eoi", "--profile", str(path),
                           "--data-dir", str(data_dir), "--json"], capture_output=True, text=True, timeout=120)
    assert_refused_on_one_line(done.returncode, done.stdout, done.stderr, name, value)
