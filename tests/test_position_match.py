"""Letters with several positions: each position matched on its own duties, its dates and months, the
months per code, and where they reach (CLI, JSON, EOI). Real letters, the real catalog and model."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest
from conftest import LETTERS, run_cli

from nocmatch.eoi import EoiScorer, Profile, letter_match
from nocmatch.letter.experience import merged_months

REPO = Path(__file__).resolve().parents[1]
REALISTIC = REPO / "benchmarks" / "data" / "realistic_letters"
POSITIONS = REPO / "benchmarks" / "data" / "position_letters"
PROMOTION = REALISTIC / "ra006_promotion_developer_to_dev_manager.txt"
#: what every entry of ``positions[]`` carries in the JSON (issue 12's contract)
POSITION_KEYS = {"title", "start", "end", "current", "months", "fte_months", "best_code", "best_title", "verdict",
                 "support_probability", "candidates", "sentences"}


def matched(matcher, path: Path, **options):
    return matcher.match(path.read_text(encoding="utf-8"), name=path.name, **options)


@pytest.fixture(scope="module")
def promotion(matcher):
    return matched(matcher, PROMOTION)


def test_a_promotion_letter_gives_each_position_its_own_code_and_months(promotion):
    developer, manager = promotion.positions
    assert (developer.title, developer.start, developer.end, developer.current) == (
        "Software Developer", "2017-08-14", "2020-03-31", False)
    assert (developer.months, developer.best_code, developer.verdict) == (31, "21232", "supported")
    # the current position counts to the letter's date (June 3, 2024), and says so
    assert (manager.start, manager.end, manager.current, manager.counted_to) == (
        "2020-04-01", "2024-06-03", True, "letter date")
    assert (manager.months, manager.best_code, manager.verdict) == (50, "20012", "supported")
    assert developer.support_probability >= 0.5 and manager.support_probability >= 0.5


def test_each_position_holds_its_own_duty_sentences(promotion):
    developer, manager = promotion.positions
    assert any("Java and C# code" in s for s in developer.sentences)
    assert not any("Java and C# code" in s for s in manager.sentences)
    assert any("annual budget" in s for s in manager.sentences)
    assert not set(developer.sentences) & set(manager.sentences)
    # each position's evidence is about its own duties only
    assert {d.sentence for d in developer.evidence.duties if d.evidenced} <= set(developer.sentences)


def test_the_letter_is_judged_on_the_position_held_now(matcher, promotion):
    # as reviewers judge a promotion letter: the manager's duties, not the developer's before them
    assert (promotion.judged_position, promotion.best_code) == (2, "20012")
    assert promotion.candidates[0].code == promotion.best_code
    assert promotion.letter.duty_sentences == promotion.positions[1].sentences
    assert json.loads(promotion.to_json())["judged_position"] == 2
    # a data analyst promoted to data scientist: on both positions together the analyst's database
    # work had ranked 21223 first; the position held now is a data scientist's (labelled 21211)
    analyst = matched(matcher, REALISTIC / "ra011_promotion_analyst_to_data_scientist.txt")
    assert (analyst.judged_position, analyst.supported_code) == (2, "21211")
    assert analyst.positions[0].best_code == "21223"  # the earlier position keeps its own code


def test_a_letter_with_one_described_position_is_judged_whole(matcher):
    # the position parse split one line off the network engineer's duties: not an earlier position
    result = matched(matcher, REALISTIC / "rb039_network_engineer_lviv_isp.txt")
    assert len(result.positions) == 2 and result.judged_position is None
    judged = set(result.letter.duty_sentences)
    assert all(set(p.sentences) <= judged for p in result.positions)  # both positions' duties are judged


def test_months_per_code_and_for_the_claimed_code(matcher, promotion):
    summary = promotion.experience
    assert {(c.code, c.months, tuple(c.positions)) for c in summary.by_code} == {("21232", 31, (1,)),
                                                                                ("20012", 50, (2,))}
    assert (summary.letter_date, summary.counted_to) == ("2024-06-03", "2024-06-03")
    assert (summary.claimed_code, summary.claimed.months, summary.claimed.positions) == ("20012", 50, [2])
    claimed = matched(matcher, PROMOTION, evidence_code="21232").experience
    assert (claimed.claimed_code, claimed.claimed.months, claimed.claimed.positions) == ("21232", 31, [1])
    nowhere = matched(matcher, PROMOTION, evidence_code="21231").experience
    assert nowhere.claimed.months == 0 and any("21231" in note for note in nowhere.notes)


def test_json_contract(promotion):
    data = json.loads(promotion.to_json())
    assert len(data["positions"]) == 2
    for position in data["positions"]:
        assert POSITION_KEYS <= position.keys()
        assert position["candidates"][0]["code"] == position["best_code"]
    assert data["positions"][0]["end"] == "2020-03-31"
    assert data["experience"]["claimed"]["months"] == 50


def test_a_one_position_letter_has_one_position_with_the_letters_code(matcher):
    result = matched(matcher, LETTERS / "l05_software-dev-websites.txt")
    assert len(result.positions) == 1
    only = result.positions[0]
    assert (only.best_code, only.verdict) == (result.best_code, result.best.verdict)
    assert only.sentences == result.letter.duty_sentences


def test_promotion_with_unchanged_duties_is_one_code(matcher):
    result = matched(matcher, POSITIONS / "pl17_undivided_duties_after_positions.txt")
    assert len(result.positions) == 2 and all(p.shared_duties for p in result.positions)
    assert {p.best_code for p in result.positions} == {result.best_code}
    (row,) = result.experience.by_code
    assert row.positions == [1, 2]
    assert row.months == sum(p.months for p in result.positions)  # consecutive: nothing counted twice


def test_part_time_hours_count_pro_rata(matcher):
    result = matched(matcher, POSITIONS / "pl11_part_time_analyst_to_data_scientist.txt")
    part_time = result.positions[0]
    assert part_time.hours_per_week == 20
    assert part_time.fte_months == round(part_time.months * 20 / 30, 1) < part_time.months
    assert result.positions[1].fte_months == result.positions[1].months


def test_undated_positions_are_reported_not_guessed(matcher):
    result = matched(matcher, POSITIONS / "pl10_no_dates_tester_to_qa_analyst.txt")
    assert all(p.months is None and p.start is None for p in result.positions)
    assert result.experience.undated == [1, 2]
    assert all(c.months is None for c in result.experience.by_code)


def test_overlapping_periods_count_once():
    d = datetime.date
    assert merged_months([(d(2018, 1, 1), d(2019, 12, 31)), (d(2019, 1, 1), d(2020, 12, 31))]) == 36
    assert merged_months([(d(2018, 1, 1), d(2018, 6, 30)), (d(2018, 7, 1), d(2018, 12, 31))]) == 12
    assert merged_months([(d(2018, 1, 1), d(2018, 6, 30)), (d(2020, 1, 1), d(2020, 6, 30))]) == 12
    assert merged_months([]) == 0


def test_cli_shows_the_positions_table_and_one_positions_evidence(monkeypatch, capsys, home):
    monkeypatch.setenv("NOCMATCH_HOME", str(home))
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run_cli(monkeypatch, capsys, "match", str(PROMOTION))
    assert code == 0
    table = out[:out.index("the one held now")]  # the letter's ranking says which position it judges
    assert "Positions in the letter" in table and "Software Developer" in table and "21232" in table
    assert "20012" in table and "Months in 20012 (claimed): 50" in out
    assert "check them against the letter" in table  # positions are read from the layout: said, not hidden
    code, out, _ = run_cli(monkeypatch, capsys, "match", str(PROMOTION), "--position", "1")
    assert code == 0 and "Position 1: Software Developer" in out
    assert "Main duties and the letter sentences" in out and "21232 Software developers" in out
    code, _, err = run_cli(monkeypatch, capsys, "match", str(PROMOTION), "--position", "3")
    assert code != 0 and "lists 2 position(s)" in err and "Traceback" not in err


def test_eoi_takes_months_from_the_scored_position_only_when_the_profile_leaves_them_out(matcher, promotion):
    base = dict(noc="20012", job_location="Toronto", wage_hourly=45.0, legal_status="work_permit",
                months_ontario_work=14, best_yearly_earnings=90000, education="bachelors", clb=9)
    found = letter_match(promotion, "20012")
    assert (found.code, found.months_in_position) == ("20012", 50)
    scorer = EoiScorer(matcher.catalog)
    report = scorer.report(Profile.from_dict(base), letter=found)
    assert "50 months in position" in report.score.factor("ontario_experience").answer
    assert any("months_in_position is not in the profile" in n and "position 2" in n for n in report.score.notes)
    given = scorer.report(Profile.from_dict(dict(base, months_in_position=3)), letter=found)
    assert "3 months in position" in given.score.factor("ontario_experience").answer
    assert not any("months_in_position is not in the profile" in n for n in given.score.notes)


def test_the_labelled_multi_position_letters_stay_right(matcher):
    """A regression set: the letters the positions stage was written and fixed with keep every
    position's code, dates and months (benchmarks/positions.py; each blind set's first run is the
    held-out number, reported there)."""
    import sys
    sys.path.insert(0, str(REPO / "benchmarks"))
    from positions import REGRESSION_SETS, SETS, evaluate
    for folder in (f for f in SETS.values() if f.name in REGRESSION_SETS):
        report = evaluate(matcher, folder)
        wrong = [p["letter"] for p in report["per_letter"] if not (p["codes_right"] and p["months_right"])]
        assert not wrong, f"{folder.name}: {wrong}"
