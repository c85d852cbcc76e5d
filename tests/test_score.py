"""The decision rule on hand-made similarity matrices: no model is loaded here."""

from __future__ import annotations

import numpy as np
import pytest

from nocmatch.engine.score import DutyTable, ScoringConfig, confidences, review_reasons, score_code, verdict_for

CFG = ScoringConfig()


def table(n, optional=(), groups=None, names=("",)):
    return DutyTable(code="99999", optional=np.array([i in optional for i in range(n)]),
                     group=np.array(groups if groups is not None else [0] * n), group_names=names)


def test_one_sentence_cannot_evidence_two_duties():
    # a single broad sentence is very close to all three duties
    sims = np.array([[0.9, 0.88, 0.87]])
    result = score_code(sims, 0.6, table(3), CFG)
    assert result.duties_evidenced == 1
    assert sum(1 for _, s, _ in result.pairs if s >= 0) == 1


def test_each_sentence_goes_to_its_best_duty_overall():
    sims = np.array([[0.80, 0.75], [0.78, 0.20]])
    result = score_code(sims, 0.6, table(2), CFG)
    # the assignment maximises the total: sentence 1 takes duty 0, sentence 0 takes duty 1
    assert {(d, s) for d, s, _ in result.pairs} == {(0, 1), (1, 0)}
    assert result.duties_evidenced == 2


def test_may_duties_are_not_essential_and_weigh_less():
    sims = np.array([[0.1, 0.1, 0.1, 0.9]])
    result = score_code(sims, 0.6, table(4, optional=(3,)), CFG)
    assert result.essential_total == 3 and result.essential_evidenced == 0
    assert result.duties_evidenced == 1
    essential_hit = score_code(np.array([[0.9, 0.1, 0.1, 0.1]]), 0.6, table(4, optional=(3,)), CFG)
    assert essential_hit.coverage > result.coverage


def test_best_sub_occupation_is_judged():
    # duties 0-2 belong to sub-occupation A, 3-5 to B; the letter evidences B fully
    sims = np.array([[0.1, 0.1, 0.1, 0.8, 0.2, 0.2], [0.1, 0.1, 0.1, 0.2, 0.8, 0.2], [0.1, 0.1, 0.1, 0.2, 0.2, 0.8]])
    result = score_code(sims, 0.6, table(6, groups=[0, 0, 0, 1, 1, 1], names=("A", "B")), CFG)
    assert result.sub_occupation == "B"
    assert (result.duties_evidenced, result.duties_total) == (3, 3)


def test_a_one_duty_sub_occupation_cannot_reach_full_coverage():
    sims = np.array([[0.9, 0.1]])
    result = score_code(sims, 0.6, table(2, groups=[0, 1], names=("A", "B")), CFG)
    assert result.coverage == pytest.approx(1.0 / CFG.min_duty_weight)


@pytest.mark.parametrize("lead, k, n, ke, ne, expected", [
    (True, 4, 6, 4, 5, "supported"),
    (True, 3, 6, 3, 5, "weak"),        # half is not "more than half"
    (True, 4, 6, 2, 5, "weak"),        # enough duties but not the essential ones
    (False, 6, 6, 5, 5, "weak"),       # duties without the lead statement
    (False, 1, 6, 1, 5, "not supported"),
])
def test_verdict_rule(lead, k, n, ke, ne, expected):
    assert verdict_for(lead, k, n, ke, ne, CFG) == expected


def test_confidences_sum_to_one_and_follow_the_scores():
    conf = confidences(np.array([0.6, 0.5, 0.2]), CFG.temperature)
    assert conf.sum() == pytest.approx(1.0)
    assert list(np.argsort(-conf)) == [0, 1, 2]


def test_close_codes_need_review():
    strong = score_code(np.array([[0.9, 0.1], [0.1, 0.9]]), 0.7, table(2), CFG)
    twin = score_code(np.array([[0.9, 0.1], [0.1, 0.9]]), 0.7, table(2), CFG)
    twin.code = "88888"
    reasons = review_reasons([strong, twin], confidences(np.array([strong.score, twin.score]), CFG.temperature), CFG)
    assert any("close" in r for r in reasons)
    clear = review_reasons([strong], np.array([1.0]), CFG)
    assert clear == []


def test_weak_top_code_needs_review():
    weak = score_code(np.array([[0.35, 0.1], [0.1, 0.3]]), 0.3, table(2), CFG)
    reasons = review_reasons([weak], np.array([1.0]), CFG)
    assert any("weakly supported" in r for r in reasons)
