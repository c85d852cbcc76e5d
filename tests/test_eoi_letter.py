"""Letter → matched NOC code → TEER and category from the catalog → EOI points, end to end."""

from __future__ import annotations

import json
import sys

import pytest
from conftest import LETTERS

from nocmatch.cli import main
from nocmatch.eoi import EoiScorer, Profile, letter_match
from nocmatch.letter.readers import read_letter

#: home and matcher are the small test index: nothing here depends on the other unit groups
pytestmark = pytest.mark.small_index

PROFILE = dict(noc="21231", job_location="Toronto", wage_hourly=45.0, legal_status="work_permit",
               months_in_position=14, months_ontario_work=14, best_yearly_earnings=90000, education="bachelors",
               clb=9)


def matched(matcher, name: str):
    text, label = read_letter(LETTERS / name)
    return letter_match(matcher.match(text, name=label), PROFILE["noc"])


def test_supported_code_is_scored_without_runner_up(matcher):
    found = matched(matcher, "l06_software-architect-prose.txt")
    assert (found.code, found.verdict, found.needs_review) == ("21231", "supported", False)
    assert found.support_probability >= 0.5  # what the verdict rests on, carried to the EOI report
    report = EoiScorer(matcher.catalog).report(Profile.from_dict(PROFILE), letter=found)
    assert report.score.occupation.source == "letter" and report.score.factor("teer").points == 9
    assert report.runner_up is None


def test_teer_2_letter_scores_teer_2_points_and_the_runner_up(matcher):
    found = matched(matcher, "l20_network-administrator.txt")   # a network administrator: 22220, TEER 2
    assert found.code == "22220" and found.needs_review
    scorer = EoiScorer(matcher.catalog)
    report = scorer.report(Profile.from_dict(PROFILE), letter=found)
    assert report.score.occupation.teer == 2 and report.score.factor("teer").points == 6      # OWP: TEER 2 or 3
    assert scorer.report(Profile.from_dict(PROFILE), letter=found, grid="G2022").score.factor("teer").points == 8
    assert any("profile says NOC 21231" in note for note in report.score.notes)
    assert report.runner_up is not None and report.runner_up.occupation.code == found.runner_up_code
    assert report.runner_up.total - report.score.total == (report.runner_up.factor("teer").points - 6)


def test_cli_letter_form(monkeypatch, capsys, home, matcher, tmp_path):
    profile = tmp_path / "profile.toml"
    profile.write_text("\n".join(f"{k} = {json.dumps(v)}" for k, v in PROFILE.items()), encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["nocmatch", "eoi", "--profile", str(profile), "--json",
                                      "--letter", str(LETTERS / "l20_network-administrator.txt"),
                                      "--data-dir", str(home / "data" / "noc2021"), "--models-dir", str(home / "models")])
    with pytest.raises(SystemExit) as exited:  # the console entry point always exits, 0 on success
        main()
    assert exited.value.code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["letter"]["code"] == "22220" and report["letter"]["verdict"] == "out of scope"
    assert report["score"]["occupation"] == {"code": "22220", "title": "Computer network and web technicians",
                                             "teer": 2, "category": "2",
                                             "category_title": "Natural and applied sciences and related occupations",
                                             "source": "letter"}
    assert report["runner_up"]["occupation"]["code"] == report["letter"]["runner_up_code"]
