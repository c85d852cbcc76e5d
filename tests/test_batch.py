"""Batch classification: error rows, resume, output formats, the --force rule, interruption."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from conftest import LETTERS, letter_labels
from nocmatch.batch import read_inputs, run_batch
from nocmatch.errors import InputError

ROWS = {r["file"]: r for r in letter_labels()}
GOOD = [r["file"] for r in letter_labels() if r["scope"] == "tech"][:6]


@pytest.fixture()
def folder(tmp_path):
    root = tmp_path / "letters"
    root.mkdir()
    for name in GOOD:
        shutil.copy(LETTERS / name, root / name)
    (root / "empty.txt").write_text("  \n")
    (root / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (root / "no_duties.txt").write_text("To whom it may concern:\n\nSincerely,\n\nJane Smith\n")
    (root / "huge.txt").write_bytes(b"Designs software. " * 70_000)
    return root


def read_back(path):
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in path.read_text().splitlines()]
    if path.suffix == ".csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False).to_dict("records")
    return pd.read_parquet(path).to_dict("records")


def test_bad_letters_become_error_rows_and_the_rest_are_right(matcher, folder, tmp_path):
    out = tmp_path / "results.csv"
    summary = run_batch(matcher, folder, out, chunk_size=4)
    rows = {r["id"]: r for r in read_back(out)}
    assert set(rows) == {p.name for p in folder.iterdir()}
    assert summary.failed == 4 and summary.matched == len(GOOD)
    for name in ("empty.txt", "binary.txt", "no_duties.txt", "huge.txt"):
        assert rows[name]["error"] and not rows[name]["best_code"]
    for name in GOOD:
        assert rows[name]["error"] == "" and rows[name]["best_code"] == ROWS[name]["expected_code"]
    assert sum(summary.by_code.values()) == len(GOOD)


def test_resume_skips_ids_already_written(matcher, folder, tmp_path):
    out = tmp_path / "results.jsonl"
    first = run_batch(matcher, folder, out)
    extra = [r["file"] for r in letter_labels() if r["file"] not in GOOD][:2]
    for name in extra:
        shutil.copy(LETTERS / name, folder / name)
    calls = []
    original = matcher.match_many

    def counting(texts, **kwargs):
        texts = list(texts)
        calls.append(len(texts))
        return original(texts, **kwargs)

    matcher.match_many = counting
    try:
        second = run_batch(matcher, folder, out)
    finally:
        del matcher.match_many
    assert second.skipped == first.total and second.matched == 2 and sum(calls) == 2
    assert len(read_back(out)) == first.total + 2


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_every_output_format_round_trips(matcher, folder, tmp_path, suffix):
    out = tmp_path / f"results{suffix}"
    run_batch(matcher, folder, out, full=True)
    rows = read_back(out)
    good = [r for r in rows if not r["error"]]
    assert len(good) == len(GOOD)
    for row in good:
        full = row["result"] if isinstance(row["result"], dict) else json.loads(row["result"])
        assert full["best_code"] == row["best_code"] == ROWS[row["id"]]["expected_code"]
        assert float(row["confidence"]) == pytest.approx(full["candidates"][0]["confidence"])


def test_a_different_runs_output_is_not_overwritten_without_force(matcher, folder, tmp_path):
    out = tmp_path / "results.csv"
    out.write_text("somebody else's file\n")
    with pytest.raises(InputError, match="--force"):
        run_batch(matcher, folder, out)
    assert out.read_text() == "somebody else's file\n"
    run_batch(matcher, folder, out, force=True)  # replaced on request; now this run's output ...
    with pytest.raises(InputError, match="--force"):  # ... is not the same run as one over all codes
        run_batch(matcher, folder, out, candidates="all")
    summary = run_batch(matcher, folder, out, candidates="all", force=True)
    assert summary.skipped == 0 and summary.matched == len(GOOD)


def test_output_cannot_be_the_input(matcher, tmp_path):
    table = tmp_path / "letters.csv"
    pd.DataFrame({"text": ["x"]}).to_csv(table, index=False)
    with pytest.raises(InputError, match="overwrite the input"):
        run_batch(matcher, table, table)


def test_an_interrupted_run_leaves_a_valid_file_and_resumes(matcher, folder, tmp_path):
    out = tmp_path / "results.parquet"

    def interrupt(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(matcher, folder, out, chunk_size=3, on_progress=interrupt)
    assert len(read_back(out)) == 3
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    summary = run_batch(matcher, folder, out, chunk_size=3)
    assert summary.skipped == 3 and len(read_back(out)) == len(list(folder.iterdir()))


def test_table_inputs_with_text_and_id_columns(matcher, tmp_path):
    texts = [(LETTERS / name).read_text() for name in GOOD[:2]]
    csv_in = tmp_path / "letters.csv"
    pd.DataFrame({"body": texts + [""], "ref": ["a", "b", "c"]}).to_csv(csv_in, index=False)
    summary = run_batch(matcher, csv_in, tmp_path / "out.csv", text_column="body", id_column="ref")
    rows = {r["id"]: r for r in read_back(tmp_path / "out.csv")}
    assert rows["a"]["best_code"] == ROWS[GOOD[0]]["expected_code"] and rows["c"]["error"]
    assert summary.failed == 1
    jsonl_in = tmp_path / "letters.jsonl"
    jsonl_in.write_text(json.dumps({"text": texts[0], "id": 7}) + "\n{not json\n")
    items = list(read_inputs(jsonl_in, "text", "id"))
    assert items[0].id == "7" and items[0].text and "invalid JSON" in items[1].error
    with pytest.raises(InputError, match="no column 'letter'"):
        list(read_inputs(csv_in, "letter"))


def test_match_frame(matcher):
    frame = pd.DataFrame({"text": [(LETTERS / name).read_text() for name in GOOD[:3]] + [""]}, index=list("wxyz"))
    out = matcher.match_frame(frame)
    assert list(out.index) == list("wxyz")
    assert list(out["best_code"][:3]) == [ROWS[n]["expected_code"] for n in GOOD[:3]]
    assert out.loc["z", "error"]


def test_cli_batch_exit_code_and_summary(home, folder, tmp_path):
    env = dict(os.environ, NOCMATCH_HOME=str(home))
    proc = subprocess.run([sys.executable, "-m", "nocmatch.cli", "batch", str(folder), "--out", str(tmp_path / "r.csv")],
                          capture_output=True, env=env, timeout=600)
    assert proc.returncode == 1
    assert f"{len(GOOD)} matched, 4 failed" in proc.stderr.decode()
    again = subprocess.run([sys.executable, "-m", "nocmatch.cli", "batch", str(folder), "--out", str(tmp_path / "r.csv")],
                           capture_output=True, env=env, timeout=600)
    assert again.returncode == 0 and "already done" in again.stderr.decode()
