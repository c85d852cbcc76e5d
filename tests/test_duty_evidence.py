"""The duty-evidence model: its output contract, its artefact, and a duty-level regression set."""

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from nocmatch.duty_evidence import EVIDENCED_MIN, FEATURES, DutyEvidenceModel
from nocmatch.duty_training import LETTER_FOLDERS, REPO
from nocmatch.judge import SUPPORTED_MIN, WEAK_MIN, verdict_from_support

REGRESSION = Path(__file__).parent / "data" / "duty_regression.csv"
TERSE = ("Job title: Software Developer\nDuties:\n- Develop REST APIs using Spring Boot\n- Write unit tests with JUnit\n"
         "- Fix defects logged by QA\n- Review pull requests\n- Keep API docs current in Swagger\n")


def synthetic(n=600, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, len(FEATURES)))
    y = (X[:, 0] + 0.5 * X[:, 3] * X[:, 5] + rng.normal(scale=0.5, size=n) > 0).astype(int)
    return X, y


def test_numpy_trees_give_scikit_learns_probabilities():
    from sklearn.ensemble import HistGradientBoostingClassifier

    X, y = synthetic()
    ours = DutyEvidenceModel(max_iter=60).fit(X, y)
    theirs = HistGradientBoostingClassifier(max_depth=3, learning_rate=0.05, max_iter=60, early_stopping=False,
                                            random_state=0).fit(X, y)
    X_new, _ = synthetic(200, seed=1)
    X_new[::17, 2] = np.nan  # missing values take the trees' learned side
    np.testing.assert_allclose(ours.predict_proba(X_new), theirs.predict_proba(X_new)[:, 1], atol=1e-9)


def test_artefact_round_trips_through_json_and_refuses_another_format():
    X, y = synthetic()
    model = DutyEvidenceModel(max_iter=30).fit(X, y)
    again = DutyEvidenceModel.from_dict(json.loads(json.dumps(model.to_dict())))
    np.testing.assert_array_equal(again.predict_proba(X), model.predict_proba(X))
    with pytest.raises(ValueError):
        DutyEvidenceModel.from_dict({**model.to_dict(), "features": list(FEATURES[:-1])})


def test_verdict_follows_the_support_probability():
    assert verdict_from_support(SUPPORTED_MIN) == "supported"
    assert verdict_from_support(WEAK_MIN) == "weak"
    assert verdict_from_support(WEAK_MIN - 0.01) == "not supported"


def test_match_gives_probabilities_beside_the_old_fields(matcher):
    result = matcher.match(TERSE, evidence_top=3)
    assert matcher.judge.method == "duty-evidence model"
    for candidate in result.candidates:
        assert 0.0 <= candidate.support_probability <= 1.0
        assert candidate.verdict == verdict_from_support(candidate.support_probability)
    data = result.to_dict()
    for code, evidence in data["evidence_by_code"].items():
        assert evidence["method"] == "duty-evidence model"
        used = set()
        for duty in evidence["duties"]:
            assert {"position", "duty", "sentence", "similarity", "evidenced", "probability", "unit"} <= set(duty)
            assert 0.0 <= duty["probability"] <= 1.0
            assert duty["evidenced"] == (duty["probability"] >= EVIDENCED_MIN and duty["unit"] is not None)
            if duty["unit"] is not None:
                assert duty["unit"] in duty["sentence"]
                assert duty["unit"] not in used, f"{code}: one clause evidences two duties"
                used.add(duty["unit"])
        candidate = result.candidate(code)
        if candidate is not None:
            assert candidate.duties_evidenced == sum(d["evidenced"] for d in evidence["duties"])


def test_tool_names_no_longer_hide_the_work(matcher):
    # the same full-stack duties with and without their tools: the tools must not cost evidence
    with_tools = ("Duties:\n- Build the customer portal's front end in React and TypeScript\n"
                  "- Write REST endpoints in Node.js and Express\n- Write unit and integration tests with Jest\n"
                  "- Set up CI/CD pipelines in GitHub Actions\n- Fix production defects reported by users\n")
    without = ("Duties:\n- Build the customer portal's front end\n- Write REST endpoints\n"
               "- Write unit and integration tests\n- Set up continuous integration and deployment pipelines\n"
               "- Fix production defects reported by users\n")
    named, plain = (matcher.match(t, candidates=("21232", "21234")) for t in (with_tools, without))
    assert named.candidate("21232").duties_evidenced >= plain.candidate("21232").duties_evidenced - 1
    assert named.best_code in ("21232", "21234")


def regression_rows():
    with REGRESSION.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_duty_level_regression_set_stays_right(matcher):
    rows = regression_rows()
    assert len(rows) >= 30 and {r["evidenced"] for r in rows} == {"True", "False"}
    wrong = []
    letters = {}
    for row in rows:
        key = (row["set"], row["letter"])
        if key not in letters:
            text = (REPO / LETTER_FOLDERS[row["set"]] / row["letter"]).read_text(encoding="utf-8")
            letters[key] = matcher.match(text, evidence_codes=sorted({r["code"] for r in rows
                                                                      if (r["set"], r["letter"]) == key}))
        duties = {d.position: d for d in letters[key].evidence_by_code[row["code"]].duties}
        duty = duties.get(int(row["position"]))
        if duty is None or duty.evidenced != (row["evidenced"] == "True"):
            wrong.append(f"{row['letter']} {row['code']} duty {row['position']}: {duty and duty.probability}")
    assert not wrong, "\n".join(wrong)


def test_without_a_model_the_cosine_threshold_decides(matcher):
    duty_model, support = matcher.judge.duty_model, matcher.judge.support
    matcher.judge.duty_model = matcher.judge.support = None
    try:
        result = matcher.match(TERSE)
    finally:
        matcher.judge.duty_model, matcher.judge.support = duty_model, support
    assert result.evidence.method == "cosine threshold"
    assert result.best.support_probability is None
    assert all(d.probability is None and d.evidenced == (d.sentence is not None and
                                                         d.similarity >= matcher.config.evidence_min)
               for d in result.evidence.duties)
