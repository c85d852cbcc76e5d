"""The accuracy benchmark's metrics on hand-built inputs (answers worked out by hand), its set loading,
and the baselines and the whole run on real letters."""

from __future__ import annotations

import csv
import json
import shutil
import sys

import matplotlib
import numpy as np
import pytest
from conftest import LETTERS, REPO

sys.path.insert(0, str(REPO))
matplotlib.use("Agg")
from benchmarks import accuracy as acc  # noqa: E402
from benchmarks import baselines as bl  # noqa: E402
from nocmatch.errors import InputError  # noqa: E402

SWE, WEB, DEV, BA = "21231", "21234", "21232", "21221"
NURSE, ACCOUNTANT = "31301", "11100"


def prediction(ranked, answer=None, flagged=False, best_overall=None, confidence=None):
    answer = answer if answer is not None else ranked[0]
    return acc.Prediction(list(ranked), answer, flagged, best_overall or answer, confidence)


# -- metrics ----------------------------------------------------------------------------------
def test_top_k_counts_only_tech_letters():
    expected = [SWE, WEB, DEV, NURSE]
    preds = [prediction([SWE, WEB, DEV]),          # top-1 right
             prediction([DEV, BA, WEB]),           # right at rank 3
             prediction([SWE, WEB, BA, DEV]),      # right at rank 4: neither
             prediction([SWE, WEB, DEV], NURSE, flagged=True)]  # non-tech: not counted
    assert acc.top_k(expected, preds, 1) == {"value": 0.3333, "hits": 1, "total": 3}
    assert acc.top_k(expected, preds, 3) == {"value": 0.6667, "hits": 2, "total": 3}


def test_macro_f1_by_hand():
    # SWE: 2 labels, answered SWE twice, once right → P 1/2, R 1/2, F1 1/2.
    # WEB: 1 label, answered WEB twice, once right → P 1/2, R 1, F1 2/3.
    # DEV: 1 label, never answered (a refusal) → P 0, R 0, F1 0.
    # The nurse answered SWE costs SWE's precision; BA never occurs and is not averaged.
    expected = [SWE, SWE, WEB, DEV, NURSE]
    answers = [SWE, WEB, WEB, None, SWE]
    result = acc.macro_f1(expected, answers)
    assert set(result["per_code"]) == {SWE, WEB, DEV}
    assert result["per_code"][SWE] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert result["per_code"][WEB]["f1"] == pytest.approx(2 / 3, abs=1e-4)
    assert result["per_code"][DEV] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert result["value"] == pytest.approx((0.5 + 2 / 3 + 0) / 3, abs=1e-4)


def test_macro_f1_perfect_and_empty():
    assert acc.macro_f1([SWE, WEB, NURSE], [SWE, WEB, ACCOUNTANT])["value"] == 1.0  # any non-tech answer is "other"
    assert acc.macro_f1([NURSE], [ACCOUNTANT]) == {"value": None, "per_code": {}}


def test_title_mismatch_accuracy_uses_the_answer():
    letters = [acc.LabeledLetter("a", "", SWE, True), acc.LabeledLetter("b", "", NURSE, True),
               acc.LabeledLetter("c", "", WEB, False), acc.LabeledLetter("d", "", DEV, None)]
    preds = [prediction([SWE]), prediction([SWE], NURSE, flagged=True), prediction([SWE]), prediction([SWE])]
    assert acc.title_mismatch_accuracy(letters, preds) == {"value": 1.0, "hits": 2, "total": 2}
    preds[1] = prediction([SWE])  # the nurse's letter given a tech code
    assert acc.title_mismatch_accuracy(letters, preds)["hits"] == 1


def test_out_of_scope_rates():
    expected = [NURSE, ACCOUNTANT, "52120", SWE, SWE, WEB, DEV]
    preds = [prediction([SWE], NURSE, flagged=True),            # flagged, right code named
             prediction([SWE], "11101", flagged=True),          # flagged, another code named
             prediction([WEB], WEB, best_overall="52120"),      # not flagged; best of all 516 is the label
             prediction([SWE]), prediction([SWE], "10019", flagged=True), prediction([WEB]), prediction([DEV])]
    rates = acc.out_of_scope_rates(expected, preds)
    assert rates["out_of_scope_detected"] == {"value": 0.6667, "hits": 2, "total": 3}
    assert rates["tech_wrongly_flagged"] == {"value": 0.25, "hits": 1, "total": 4}
    assert rates["right_code_named"] == {"value": 0.6667, "hits": 2, "total": 3}


def test_reliability_table_brier_and_ece_by_hand():
    table = acc.reliability([0.95, 1.0, 0.85, 0.15], [True, True, False, False])
    # Brier = (0.05² + 0² + 0.85² + 0.15²) / 4 = 0.7475 / 4
    assert table["brier"] == pytest.approx(0.186875, abs=1e-4)
    filled = {b["low"]: b for b in table["bins"] if b["count"]}
    assert set(filled) == {0.1, 0.8, 0.9}  # 1.0 falls in the last bin
    assert filled[0.9] == {"low": 0.9, "high": 1.0, "count": 2, "mean_confidence": 0.975, "accuracy": 1.0}
    assert filled[0.8]["accuracy"] == 0.0 and filled[0.1]["mean_confidence"] == 0.15
    # ECE = 2/4·|1 − 0.975| + 1/4·|0 − 0.85| + 1/4·|0 − 0.15|
    assert table["ece"] == pytest.approx(0.2625, abs=1e-4)
    assert len(table["bins"]) == 10 and sum(b["count"] for b in table["bins"]) == 4
    assert acc.reliability([], [])["brier"] is None


def test_confusion_matrix_and_pairs():
    result = acc.confusion([SWE, SWE, SWE, WEB, NURSE, NURSE], [SWE, DEV, DEV, "10019", NURSE, WEB])
    labels = result["labels"]
    assert labels[-1] == "other" and len(labels) == 12
    matrix = np.array(result["matrix"])
    cell = lambda row, col: matrix[labels.index(row), labels.index(col)]  # noqa: E731
    assert (cell(SWE, SWE), cell(SWE, DEV), cell(WEB, "other"), cell("other", "other"), cell("other", WEB)) == (1, 2, 1, 1, 1)
    assert matrix.sum() == 6
    assert result["pairs"][0] == {"label": SWE, "answer": DEV, "count": 2}
    assert {(p["label"], p["answer"]) for p in result["pairs"]} == {(SWE, DEV), (WEB, "other"), ("other", WEB)}


def test_baseline_predictions_from_scores():
    codes = [ACCOUNTANT, "20012", SWE, WEB, NURSE] + [c for c in acc.TECH_CODES if c not in ("20012", SWE, WEB)]
    scores = np.zeros((2, len(codes)))
    scores[0, codes.index(WEB)], scores[0, codes.index(SWE)], scores[0, codes.index(NURSE)] = 0.6, 0.5, 0.1
    scores[1, codes.index(NURSE)], scores[1, codes.index(SWE)] = 0.9, 0.4
    first, second = acc.predictions_from_scores(scores, codes)
    assert first.ranked_tech[:2] == [WEB, SWE] and first.answer == WEB and not first.flagged
    assert len(first.ranked_tech) == 11 and set(first.ranked_tech) == set(acc.TECH_CODES)
    assert second.answer == NURSE and second.flagged and second.ranked_tech[0] == SWE


def test_target_checks_and_lead_over_baselines():
    def metrics(top1, flagged):
        base = {k: {"value": 1.0} for k in acc.TARGETS}
        return {**base, "top1": {"value": top1}, "tech_wrongly_flagged": {"value": flagged}}
    checks = acc.target_checks({"nocmatch": metrics(0.9, 0.0), "a": metrics(0.7, 0.3), "b": metrics(0.8, 0.1)},
                               external=True)
    assert checks["top1"]["met"] is False and checks["top1"]["lead_over_best_baseline"] == pytest.approx(0.1)
    assert checks["tech_wrongly_flagged"]["met"] is True and checks["tech_wrongly_flagged"]["best_baseline"] == 0.1
    assert checks["top1_lead_external"]["met"] is False  # 10 points < 15


# -- sets -------------------------------------------------------------------------------------
def test_dev_set_meets_the_issue_minimums():
    labeled = acc.load_labeled_set(acc.SET_FOLDERS["dev"], "dev")
    counts = acc.composition(labeled)
    assert counts["letters"] == 76 and not labeled.unreadable
    assert all(check["met"] for check in acc.check_minimums(counts).values())


def test_generic_external_set_layout(tmp_path):
    (tmp_path / "letters").mkdir()
    shutil.copy(LETTERS / "l05_software-dev-websites.txt", tmp_path / "letters" / "a.txt")
    rows = [{"filename": "a.txt", "noc": "21234", "title_code": "21232"},
            {"filename": "missing.txt", "noc": "21231"},
            {"filename": "b", "noc": "1100", "text": (LETTERS / "l18_accountant.txt").read_text(encoding="utf-8")}]
    (tmp_path / "gold.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    (tmp_path / "README.md").write_text("# Held-out letters\n\nlabels by two consultants\n", encoding="utf-8")
    labeled = acc.load_labeled_set(tmp_path, "external")
    assert [(x.file, x.expected, x.title_mismatch) for x in labeled.letters] == [("a.txt", WEB, True), ("b", "01100", None)]
    assert labeled.unreadable == [{"file": "missing.txt", "error": "missing.txt: letter file not found"}]
    assert labeled.readme == "Held-out letters"


def test_labels_without_a_label_column_fail_in_one_line(tmp_path):
    (tmp_path / "labels.csv").write_text("file,comment\na.txt,hi\n", encoding="utf-8")
    with pytest.raises(InputError, match="no label column"):
        acc.load_labeled_set(tmp_path, "external")


def test_absent_external_set_is_skipped_or_refused(tmp_path):
    chosen, skipped = acc.select_sets(None, tmp_path / "eval")
    assert list(chosen) == ["dev", "test", "realistic", "blind"] and "absent" in skipped["external"]
    with pytest.raises(InputError, match="does not exist"):
        acc.select_sets(["external"], tmp_path / "eval")
    with pytest.raises(InputError, match="unknown set"):
        acc.select_sets(["training"], tmp_path / "eval")


def test_cli_refuses_a_missing_set_in_one_line(tmp_path, capsys):
    assert acc.main(["--sets", "external", "--eval-dir", str(tmp_path / "nope"), "--out-dir", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "does not exist" in err[0]
    assert not (tmp_path / "accuracy.json").exists()


# -- baselines and the run on real letters ----------------------------------------------------
def test_split_sentences_drops_markers_and_short_pieces():
    text = ("ACME INC.\n\nTo whom it may concern,\n- Writes code for web sites. Tests the sites daily.\n"
            "2) Fixes bugs in the API\nSincerely,")
    assert bl.split_sentences(text) == ["To whom it may concern,", "Writes code for web sites.",
                                        "Tests the sites daily.", "Fixes bugs in the API"]


@pytest.fixture(scope="module")
def fitted(matcher):
    return [b.fit(matcher) for b in bl.default_baselines()]


def test_baselines_on_one_real_letter(matcher, fitted):
    text = (LETTERS / "l05_software-dev-websites.txt").read_text(encoding="utf-8")
    encoded = bl.encode_letters(matcher, [text])
    assert encoded.letter_vectors.shape == (1, matcher.embeddings.lead.shape[1])
    assert len(encoded.sentences["duties"][0]) == len(matcher.parse(text).duties)
    codes = list(matcher.catalog.units["code"])
    by_name = {}
    for baseline in fitted:
        scores = baseline.scores(encoded)
        assert scores.shape == (1, len(codes)) and np.isfinite(scores).all()
        by_name[baseline.name] = acc.predictions_from_scores(scores, codes)[0]
    # A web developer's letter: the word and duty based baselines put 21234 among their first three.
    for name in ("keyword", "peer", "peer-on-duties"):
        assert WEB in by_name[name].ranked_tech[:3], name
    # Zero-shot is the lead-statement cosine itself.
    zero = next(b for b in fitted if b.name == "zero-shot")
    row = codes.index(WEB)
    assert zero.scores(encoded)[0, row] == pytest.approx(float(encoded.letter_vectors[0] @ matcher.embeddings.lead[row]))
    # Peer: 0.4 × whole-letter/profile cosine + 0.6 × mean of the 5 best duties' best-sentence cosines.
    peer = next(b for b in fitted if b.name == "peer")
    duty_rows = np.flatnonzero(matcher.catalog.duties["code"].to_numpy() == WEB)
    best = (encoded.sentence_vectors["split"][0] @ matcher.embeddings.duties[duty_rows].T).max(axis=0)
    expected = 0.4 * float(encoded.letter_vectors[0] @ peer.profiles_[row]) + 0.6 * np.sort(best)[::-1][:5].mean()
    assert peer.scores(encoded)[0, row] == pytest.approx(expected, abs=1e-5)


def test_whole_run_on_a_small_labeled_set(matcher, fitted, tmp_path):
    chosen = {"l05_software-dev-websites.txt": WEB, "l01_senior-swe-dept-head.txt": "20012",
              "l17_registered-nurse.txt": NURSE}
    labels = {r["file"]: r for r in csv.DictReader((LETTERS / "labels.csv").open(encoding="utf-8"))}
    folder = tmp_path / "set"
    folder.mkdir()
    with (folder / "labels.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(next(iter(labels.values()))))
        writer.writeheader()
        for name in chosen:
            shutil.copy(LETTERS / name, folder / name)
            writer.writerow(labels[name])
    report = acc.run(matcher, {"test": folder}, {"external": "absent; skipped"}, baselines=fitted, log=lambda m: None)
    data = report["sets"]["test"]
    assert report["systems"] == ["nocmatch", "zero-shot", "keyword", "peer", "peer-on-duties"]
    assert data["composition"]["letters"] == 3 and data["composition"]["title_mismatch"] == 2
    mine = data["metrics"]["nocmatch"]
    assert mine["top1"] == {"value": 1.0, "hits": 2, "total": 2}
    assert mine["out_of_scope_detected"]["hits"] == 1 and mine["tech_wrongly_flagged"]["hits"] == 0
    assert [row["answers"]["nocmatch"] for row in data["letters"]] == [chosen[r["letter"]] for r in data["letters"]]
    assert data["calibration"]["n"] == 2 and data["disagreements"] == []
    assert report["sets"]["external"]["status"] == "absent"
    markdown = acc.render_markdown(report)
    assert "| top-1 (tech letters) | 1.000 (2/2) |" in markdown and "Not run: absent; skipped" in markdown
    duty = matcher.parse((LETTERS / "l05_software-dev-websites.txt").read_text(encoding="utf-8")).duties[0].text
    assert duty not in markdown and duty not in json.dumps(report)  # file names only, never letter text
    paths = acc.save_figures(report["figures"], tmp_path)
    assert [p.name for p in paths] == ["confusion_tech.png", "reliability.png"]
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in paths)


def test_replot_redraws_the_pictures_from_the_json(tmp_path, capsys):
    figures = {"confusion": {"dev": acc.confusion([SWE, WEB, NURSE], [SWE, SWE, NURSE])},
               "reliability": {"dev": acc.reliability([0.9, 0.6], [True, False])}}
    (tmp_path / "accuracy.json").write_text(json.dumps({"figures": figures}), encoding="utf-8")
    assert acc.main(["--replot", "--out-dir", str(tmp_path)]) == 0
    assert all((tmp_path / name).read_bytes()[:4] == b"\x89PNG" for name in ("confusion_tech.png", "reliability.png"))
    assert acc.main(["--replot", "--out-dir", str(tmp_path / "none")]) == 1
    assert capsys.readouterr().err.count("\n") == 1
