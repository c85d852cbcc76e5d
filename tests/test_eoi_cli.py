"""`nocmatch eoi` as a user runs it: every form of the command, and each bad input as one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli

from nocmatch.eoi.profile import TEMPLATE

WORKED = TEMPLATE  # the template is the worked example of docs/eoi.md, ready to edit


def run(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    return run_cli(monkeypatch, capsys, "eoi", *args)


@pytest.fixture
def data_dir(catalog_home) -> Path:
    return catalog_home


@pytest.fixture
def write(tmp_path):
    def write_profile(text: str) -> str:
        path = tmp_path / "profile.toml"
        path.write_text(text, encoding="utf-8")
        return str(path)
    return write_profile


def test_template_round_trips(monkeypatch, capsys, data_dir, write):
    code, out, _ = run(monkeypatch, capsys, "--template")
    assert code == 0 and out == TEMPLATE
    code, out, err = run(monkeypatch, capsys, "--profile", write(out), "--data-dir", str(data_dir))
    assert code == 0 and err == ""
    assert "grid OWP2026" in out and "89" in out and "130" in out and "experience_top_band_min_months" in out


def test_json_forms_have_the_same_content(monkeypatch, capsys, data_dir, write):
    path = write(WORKED)
    code, out, _ = run(monkeypatch, capsys, "--profile", path, "--data-dir", str(data_dir), "--json")
    report = json.loads(out)
    assert code == 0 and report["schema_version"] == 1
    assert set(report) == {"score", "draws", "draws_note", "hcp", "relocation", "letter", "runner_up", "schema_version"}
    assert (report["score"]["grid"], report["score"]["total"], report["score"]["maximum"]) == ("OWP2026", 89, 130)
    assert [f["factor"] for f in report["score"]["factors"]][:3] == ["teer", "category", "wage"]
    code, out, _ = run(monkeypatch, capsys, "--profile", path, "--data-dir", str(data_dir), "--json",
                       "--grid", "G2022", "--to", "Waterloo,Kenora")
    report = json.loads(out)
    assert (report["score"]["grid"], report["score"]["stream"], report["score"]["total"]) == ("G2022", "FW", 61)
    rows = {r["place"]["municipality"]: r for r in report["relocation"]}
    assert (rows["Waterloo"]["total"], rows["Waterloo"]["change"], rows["Waterloo"]["draw"]["min_score"]) == (69, 8, 55)
    assert rows["Kenora"]["region"] == "Northern Ontario"


def test_relocate_table(monkeypatch, capsys, data_dir, write):
    code, out, _ = run(monkeypatch, capsys, "--profile", write(WORKED), "--data-dir", str(data_dir), "--relocate")
    assert code == 0
    for place in ("Mississauga", "Markham", "Hamilton", "Waterloo", "Guelph", "Ottawa", "Kingston", "London",
                  "Barrie", "Greater Sudbury", "Thunder Bay"):
        assert place in out
    assert "no cut-off on this scale" in out


BAD = [
    (["--grid", "G2019"], WORKED, "unknown grid 'G2019'; allowed: G2022, OWP2026"),
    (["--grid", "G2022", "--stream", "HCP"], WORKED, "unknown stream 'HCP' for grid G2022; allowed: FW, IS, IDS"),
    ([], WORKED.replace("wage_annual = 85000\nweekly_hours = 40", "wage_hourly = -5"),
     "wage_hourly must be a number greater than 0 and at most 10,000 ($ an hour); got -5"),
    ([], WORKED.replace("wage_annual = 85000", "wage_annual = -85000"),
     "wage_annual must be a number greater than 0 and at most 100,000,000"),
    ([], WORKED.replace("clb = 9", "clb = 13"), "clb must be a whole CLB level from 1 to 12"),
    ([], WORKED.replace("clb = 9", "clb = 0"), "clb must be a whole CLB level from 1 to 12"),
    ([], WORKED.replace('job_location = "Toronto"', 'job_location = "Torronto"'),
     "unknown Ontario municipality 'Torronto' (did you mean: Toronto"),
    ([], WORKED.replace('noc = "21231"', 'noc = "2173"'), "looks like a NOC 2016 code"),
    ([], WORKED.replace('noc = "21231"', 'noc = "99999"'), "'99999' is not a NOC 2021 unit group"),
    ([], WORKED.replace('noc = "21231"', 'noc = "software"'), "noc must be a NOC 2021 unit group, 5 digits"),
    ([], WORKED.replace('noc = "21231"', "noc = "), "malformed TOML"),
    ([], WORKED + "\nsalary = 5\n", "unknown field 'salary'; allowed: noc, job_location"),
    ([], WORKED.replace('education = "bachelors"', 'education = "phd"'),
     "education 'phd' is not allowed; allowed: doctorate"),
    ([], WORKED + "\n[settings]\nweeks = 50\n", "unknown setting 'weeks'; allowed:"),
    ([], WORKED + "\n[settings]\nexperience_top_band_min_months = 30\n", "must be one of 24, 25"),
    (["--to", " , "], WORKED, "--to needs place names"),
    ([], WORKED.replace('noc = "21231"', ""), "noc is required by stream OWP"),
    ([], WORKED.replace("clb = 9", 'clb = "nine"'), "clb must be a whole CLB level from 1 to 12"),
    (["--stream", "PHYSICIAN"], WORKED, "stream PHYSICIAN is for NOC 31100, 31101, 31102 only"),
]


@pytest.mark.parametrize("args, profile, message", BAD, ids=[b[2][:40] for b in BAD])
def test_bad_input_is_one_line(monkeypatch, capsys, data_dir, write, args, profile, message):
    code, out, err = run(monkeypatch, capsys, "--profile", write(profile), "--data-dir", str(data_dir), *args)
    assert code != 0 and out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("error:") and message in err and "Traceback" not in err


def test_missing_profile_is_one_line(monkeypatch, capsys, tmp_path):
    for args, message in ((["--profile", str(tmp_path / "nope.toml")], "no such profile file"),
                          ([], "give --profile profile.toml")):
        code, _, err = run(monkeypatch, capsys, *args)
        assert code != 0 and len(err.strip().splitlines()) == 1 and message in err
