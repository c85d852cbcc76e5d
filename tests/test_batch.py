"""Batch classification: error rows, resume, output formats, the --force rule, interruption, the
output lock, duplicate ids, spreadsheet-safe CSV, what a folder run reads, empty inputs, the answer."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import threading

import pandas as pd
import pytest
from conftest import LETTERS, letter_labels

from nocmatch.batch import neutralise_cell, read_inputs, restore_cell, run_batch
from nocmatch.errors import InputError

#: home and matcher are the small test index: nothing here depends on the other unit groups
pytestmark = pytest.mark.small_index

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


@contextlib.contextmanager
def counted_matches(matcher):
    """``matcher.match_many`` counting the letters it is given (a list, one item per call) while inside."""
    calls: list[int] = []
    original = matcher.match_many

    def counting(texts, **kwargs):
        texts = list(texts)
        calls.append(len(texts))
        return original(texts, **kwargs)

    matcher.match_many = counting
    try:
        yield calls
    finally:
        del matcher.match_many


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
    with counted_matches(matcher) as calls:
        second = run_batch(matcher, folder, out)
    # the letters matched are skipped; the 4 error rows are tried again (no_duties.txt is the one
    # that reaches the matcher), the 2 new letters matched
    assert second.skipped == first.matched and second.retried == first.failed == 4
    assert second.matched == 2 and second.failed == 4 and sum(calls) == 2 + 1
    rows = read_back(out)
    assert len(rows) == first.total + 2
    assert sorted(int(r["row"]) for r in rows) == list(range(1, first.total + 3))  # renumbered to the new folder


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
        if done >= 6:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(matcher, folder, out, chunk_size=3, on_progress=interrupt)
    written = read_back(out)
    assert len(written) == 6 and sum(not r["error"] for r in written) == 3  # binary, empty, huge; 3 good
    assert not [p for p in tmp_path.iterdir() if p.name.endswith((".tmp", ".lock"))]
    summary = run_batch(matcher, folder, out, chunk_size=3)
    assert summary.skipped == 3 and summary.retried == 3 and len(read_back(out)) == len(list(folder.iterdir()))


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
    # the error rows are tried again (and fail again); the letters matched are not
    assert again.returncode == 1
    assert f"0 matched, 4 failed, {len(GOOD)} already done, 4 earlier errors retried" in again.stderr.decode()


# -- two runs, one output ---------------------------------------------------------------------
HOLD_THE_OUTPUT = """
import sys
from pathlib import Path
from nocmatch.batch import OutputStore
with OutputStore(Path(sys.argv[1]), {}):
    print("locked", flush=True)
    sys.stdin.readline()
"""
TRY_THE_OUTPUT = """
import sys
from pathlib import Path
from nocmatch.batch import OutputStore
from nocmatch.errors import InputError
try:
    OutputStore(Path(sys.argv[1]), {}, force=True).close()
except InputError as exc:
    print(exc)
    sys.exit(3)
"""


def test_a_second_writer_is_refused_and_no_row_is_lost(matcher, folder, tmp_path):
    out = tmp_path / "results.csv"
    (tmp_path / ".results.csv.tmp").mkdir()  # the fixed temporary name of old: each writer now has its own
    (tmp_path / ".results.csv.k1ll3d.tmp").write_text("left by a run killed while writing")
    attempts = []

    def second_writer(done, total):
        if not attempts:  # while this run holds the output, another process tries to write it
            attempts.append(subprocess.run([sys.executable, "-c", TRY_THE_OUTPUT, str(out)],
                                           capture_output=True, text=True, timeout=120))

    summary = run_batch(matcher, folder, out, chunk_size=4, on_progress=second_writer)
    refused = attempts[0]
    assert refused.returncode == 3, refused.stderr
    assert refused.stdout.strip() == (f"{out} is being written by another nocmatch batch run (pid {os.getpid()}); "
                                      "wait for it to end, or choose another --out")
    assert len(read_back(out)) == summary.total == len(list(folder.iterdir()))
    assert sorted(p.name for p in tmp_path.iterdir()) == [".results.csv.tmp", "letters", "results.csv",
                                                          "results.csv.run.json"]  # lock and temporaries gone


def test_a_run_is_refused_while_another_process_writes_the_output(matcher, folder, tmp_path):
    out = tmp_path / "results.jsonl"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_THE_OUTPUT, str(out)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(InputError, match=rf"being written by another nocmatch batch run \(pid {holder.pid}\)"):
            run_batch(matcher, folder, out)
        assert not out.exists()
    finally:
        holder.communicate("\n", timeout=60)
    summary = run_batch(matcher, folder, out)  # the lock is gone with its holder
    assert summary.matched == len(GOOD) and not (tmp_path / "results.jsonl.lock").exists()


# -- duplicate ids ------------------------------------------------------------------------------
def test_rows_sharing_an_id_each_get_their_own_result_and_resume(matcher, tmp_path):
    developer, nurse = "l05_software-dev-websites.txt", "l17_registered-nurse.txt"
    table = tmp_path / "letters.csv"
    pd.DataFrame({"id": ["A", "A"], "text": [(LETTERS / developer).read_text(), (LETTERS / nurse).read_text()]}
                 ).to_csv(table, index=False)
    out = tmp_path / "results.csv"

    def interrupt(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(matcher, table, out, id_column="id", chunk_size=1, on_progress=interrupt)
    summary = run_batch(matcher, table, out, id_column="id")
    assert summary.duplicate_ids == ["A"] and summary.skipped == 1 and summary.matched == 1
    rows = read_back(out)
    assert [(r["row"], r["id"]) for r in rows] == [("1", "A"), ("2", "A")]
    assert rows[0]["answer_code"] == ROWS[developer]["expected_code"]
    assert rows[1]["answer_code"] == ROWS[nurse]["expected_code"] and rows[1]["out_of_scope"] == "True"
    again = run_batch(matcher, table, out, id_column="id")
    assert again.skipped == 2 and again.matched == 0 and len(read_back(out)) == 2


# -- spreadsheet formulas -----------------------------------------------------------------------
FORMULA_IDS = ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "'quoted", "plain"]


def test_neutralised_cells_read_back_as_they_were():
    for value in FORMULA_IDS + ["'=x", "''", "'", "", "-", "a=b"]:
        assert restore_cell(neutralise_cell(value)) == value
    assert neutralise_cell("=1+1") == "'=1+1" and neutralise_cell("a=b") == "a=b" and neutralise_cell(0.5) == 0.5


def test_a_csv_output_never_starts_a_cell_with_a_formula_and_still_resumes(matcher, tmp_path):
    text = (LETTERS / GOOD[0]).read_text()
    table = tmp_path / "letters.jsonl"
    table.write_text("".join(json.dumps({"id": i, "text": text}) + "\n" for i in FORMULA_IDS)
                     + json.dumps({"id": "=ERR", "text": ""}) + "\n")
    out = tmp_path / "results.csv"
    first = run_batch(matcher, table, out, id_column="id")
    assert first.matched == len(FORMULA_IDS) and first.failed == 1
    with out.open(newline="", encoding="utf-8") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    raw = {r["id"]: r for r in pd.read_csv(out, dtype=str, keep_default_na=False).to_dict("records")}
    assert "'=ERR" in raw and raw["'=ERR"]["error"].startswith("'=ERR: ") and "''quoted" in raw
    second = run_batch(matcher, table, out, id_column="id")  # the neutralised ids are these letters' ids
    assert second.skipped == len(FORMULA_IDS) and second.retried == 1 and second.matched == 0
    assert [r["id"] for r in read_back(out)] == [neutralise_cell(i) for i in FORMULA_IDS + ["=ERR"]]
    run_batch(matcher, table, tmp_path / "results.jsonl", id_column="id")  # other formats keep the raw text
    assert [r["id"] for r in read_back(tmp_path / "results.jsonl")] == FORMULA_IDS + ["=ERR"]


# -- what a folder run reads ----------------------------------------------------------------------
def run_guarded(fifo, function, *args, **kwargs):
    """``function(*args, **kwargs)``, failing (instead of hanging) if it opens ``fifo`` to read it."""
    outcome = {}

    def target():
        try:
            outcome["value"] = function(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(300)
    if thread.is_alive():
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # lets the blocked reader go
        thread.join(60)
        pytest.fail("the FIFO was opened")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def test_a_folder_run_reads_letter_files_only_and_never_its_own_output(matcher, tmp_path):
    root = tmp_path / "letters"
    (root / "sub").mkdir(parents=True)
    for name in GOOD[:2]:
        shutil.copy(LETTERS / name, root / name)
    shutil.copy(LETTERS / GOOD[2], root / "sub" / "third.TXT")
    shutil.copy(LETTERS / "labels.csv", root / "labels.csv")
    shutil.copy(LETTERS / GOOD[3], root / "notes.md")
    (root / ".DS_Store").write_bytes(b"\0\1")
    os.mkfifo(root / "pipe.txt")
    (root / "loop").symlink_to(".")
    (root / "sub" / "up").symlink_to("..")
    (root / "gone.txt").symlink_to("nowhere")
    (root / "self.txt").symlink_to("self.txt")
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(root / "sock.txt"))
    out = root / "results.csv"  # inside the folder it reads
    try:
        summary = run_guarded(root / "pipe.txt", run_batch, matcher, root, out)
        assert summary.failed == 0 and summary.matched == 3
        assert summary.skipped_files == [".DS_Store (hidden)", "gone.txt (broken symlink)", "labels.csv",
                                         "loop (symlink loop)", "notes.md", "pipe.txt (not a regular file)",
                                         "self.txt (symlink loop)", "sock.txt (not a regular file)",
                                         "sub/up (symlink loop)"]
        assert [r["id"] for r in read_back(out)] == [GOOD[0], GOOD[1], "sub/third.TXT"]
        # a pattern adds files, and even one matching everything leaves out the run's own files
        second = run_guarded(root / "pipe.txt", run_batch, matcher, root, out, globs=("*.md", "*"))
        assert second.skipped == 3 and second.total == 5 and second.failed == 1  # labels.csv: not a letter
        rows = {r["id"]: r for r in read_back(out)}
        assert set(rows) == {GOOD[0], GOOD[1], "sub/third.TXT", "labels.csv", "notes.md"}
        assert rows["notes.md"]["answer_code"] == ROWS[GOOD[3]]["expected_code"]
        assert "unsupported file type" in rows["labels.csv"]["error"]
    finally:
        listener.close()


# -- a re-run tries the error rows again --------------------------------------------------------------
def test_a_rerun_retries_error_rows_in_place(matcher, tmp_path):
    root = tmp_path / "letters"
    root.mkdir()
    for name in GOOD[:3]:
        shutil.copy(LETTERS / name, root / name)
    (root / GOOD[1]).write_text("")  # not written yet, say
    out = tmp_path / "results.parquet"
    first = run_batch(matcher, root, out)
    assert first.failed == 1 and read_back(out)[1]["error"]
    shutil.copy(LETTERS / GOOD[1], root / GOOD[1])
    second = run_batch(matcher, root, out)
    assert (second.skipped, second.retried, second.matched, second.failed) == (2, 1, 1, 0)
    rows = read_back(out)
    assert [r["id"] for r in rows] == GOOD[:3] and not rows[1]["error"]
    assert rows[1]["answer_code"] == ROWS[GOOD[1]]["expected_code"]


# -- no letters at all ----------------------------------------------------------------------------
@pytest.mark.parametrize("name, content, message", [
    ("letters.csv", "id,text\n\n\n", r"has no letters \(2 rows, all empty\)"),
    ("letters.csv", "id,text\n,\n,\n", r"has no letters \(2 rows, all empty\)"),
    ("letters.csv", "id,text\n", r"has no letters \(no rows\)"),
    ("letters.jsonl", "", r"has no letters \(no rows\)"),
    ("letters.jsonl", "\n\n", r"has no letters \(2 rows, all empty\)"),
])
def test_a_table_without_letters_is_refused(matcher, tmp_path, name, content, message):
    table = tmp_path / name
    table.write_text(content)
    with pytest.raises(InputError, match=message):
        run_batch(matcher, table, tmp_path / "out.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_a_folder_without_letters_is_refused(matcher, tmp_path):
    root = tmp_path / "letters"
    root.mkdir()
    with pytest.raises(InputError, match=r"letters: has no letters \(the folder is empty\)"):
        run_batch(matcher, root, tmp_path / "out.csv")
    shutil.copy(LETTERS / "labels.csv", root / "labels.csv")
    with pytest.raises(InputError, match=r"has no letters \(no \.txt, \.docx, \.pdf files; skipped 1: labels\.csv;"):
        run_batch(matcher, root, tmp_path / "out.csv")
    with pytest.raises(InputError, match=r"\(no \.txt, \.docx, \.pdf, \*\.md files; skipped 1: labels\.csv\)$"):
        run_batch(matcher, root, tmp_path / "out.csv", globs=("*.md",))
    assert not (tmp_path / "out.csv").exists()


# -- the answer -----------------------------------------------------------------------------------
def test_an_out_of_scope_letter_answers_with_the_best_code_overall(matcher, tmp_path):
    nurse, developer = "l17_registered-nurse.txt", GOOD[0]
    table = tmp_path / "letters.csv"
    texts = [(LETTERS / nurse).read_text(), (LETTERS / developer).read_text()]
    pd.DataFrame({"text": texts}).to_csv(table, index=False)
    summary = run_batch(matcher, table, tmp_path / "out.csv")
    nurse_row, developer_row = read_back(tmp_path / "out.csv")
    assert nurse_row["out_of_scope"] == "True" and nurse_row["best_code"] != ROWS[nurse]["expected_code"]
    assert (nurse_row["answer_code"], nurse_row["answer_title"]) == (nurse_row["best_overall_code"],
                                                                     nurse_row["best_overall_title"])
    assert nurse_row["answer_code"] == ROWS[nurse]["expected_code"]
    assert developer_row["answer_code"] == developer_row["best_code"] == ROWS[developer]["expected_code"]
    assert summary.by_code == {ROWS[nurse]["expected_code"]: 1, ROWS[developer]["expected_code"]: 1}


def test_cli_batch_warns_of_duplicate_ids_and_refuses_a_table_without_letters(home, tmp_path):
    env = dict(os.environ, NOCMATCH_HOME=str(home))
    table = tmp_path / "letters.csv"
    text = (LETTERS / GOOD[0]).read_text()
    pd.DataFrame({"id": ["[b]A", "[b]A", "B"], "text": [text, text, text]}).to_csv(table, index=False)
    run = subprocess.run([sys.executable, "-m", "nocmatch.cli", "batch", str(table), "--id-column", "id",
                          "--out", str(tmp_path / "r.csv")], capture_output=True, text=True, env=env, timeout=600)
    assert run.returncode == 0, run.stderr
    assert ("warning: 1 id is on more than one row: [b]A; each row has its own result "
            "(the row column tells them apart)") in run.stderr
    table.write_text("id,text\n\n\n")
    empty = subprocess.run([sys.executable, "-m", "nocmatch.cli", "batch", str(table), "--out",
                            str(tmp_path / "e.csv")], capture_output=True, text=True, env=env, timeout=600)
    assert empty.returncode != 0 and len(empty.stderr.splitlines()) == 1
    assert f"{table}: has no letters (2 rows, all empty)" in empty.stderr and not (tmp_path / "e.csv").exists()


# -- letters with several positions ---------------------------------------------------------------
#: A letter with two positions, each with its own duties: Software Developer (2017-08-14 to 2020-03-31,
#: 31 months, 21232), then Software Development Manager (2020-04-01 to the letter's date, 50 months, 20012).
TWO_POSITIONS = LETTERS.parents[2] / "benchmarks" / "data" / "realistic_letters" / "ra006_promotion_developer_to_dev_manager.txt"
ONE_POSITION = "l05_software-dev-websites.txt"


@pytest.fixture()
def position_folder(tmp_path):
    """a_: two positions, b_: one, c_: empty (an error row)."""
    root = tmp_path / "letters"
    root.mkdir()
    shutil.copy(TWO_POSITIONS, root / "a_two.txt")
    shutil.copy(LETTERS / ONE_POSITION, root / "b_one.txt")
    (root / "c_empty.txt").write_text("")
    return root


def test_letter_rows_count_the_positions_and_give_each_its_code(matcher, position_folder, tmp_path):
    out = tmp_path / "results.csv"
    run_batch(matcher, position_folder, out)
    rows = {r["id"]: r for r in read_back(out)}
    assert (rows["a_two.txt"]["positions"], rows["a_two.txt"]["codes_by_position"]) == ("2", "21232;20012")
    assert rows["a_two.txt"]["answer_code"] == "20012"  # the position held now: the manager's
    assert (rows["a_two.txt"]["judged_position"], rows["b_one.txt"]["judged_position"]) == ("2", "")
    assert (rows["b_one.txt"]["positions"], rows["b_one.txt"]["codes_by_position"]) == (
        "1", ROWS[ONE_POSITION]["expected_code"])
    assert (rows["c_empty.txt"]["positions"], rows["c_empty.txt"]["codes_by_position"]) == ("", "")
    frame = matcher.match_frame(pd.DataFrame({"text": [TWO_POSITIONS.read_text(), ""]}))  # one row per letter
    assert len(frame) == 2 and list(frame["codes_by_position"]) == ["21232;20012", ""]
    assert list(frame["positions"]) == [2, ""]


def test_a_position_without_duties_of_its_own_has_an_empty_code(matcher):
    from dataclasses import replace

    from nocmatch.batch import position_rows, result_row

    result = matcher.match(TWO_POSITIONS.read_text())
    result.positions[1] = replace(result.positions[1], best_code=None, best_title=None, verdict=None,
                                  support_probability=None, candidates=[], evidence=None)
    assert result_row(1, "x", result)["codes_by_position"] == "21232;"
    first, second = position_rows(1, "x", result)
    assert first["best_code"] == "21232" and first["months_in_code"] == 31
    assert second["best_code"] == second["verdict"] == second["confidence"] == "" and second["months"] == 50


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_by_position_rows(matcher, position_folder, tmp_path, suffix):
    out = tmp_path / f"positions{suffix}"
    summary = run_batch(matcher, position_folder, out, by_position=True, full=True)
    assert (summary.matched, summary.failed, summary.positions) == (2, 1, 3)
    rows = read_back(out)
    assert [(str(r["row"]), r["id"], str(r["position"])) for r in rows] == [
        ("1", "a_two.txt", "1"), ("1", "a_two.txt", "2"), ("2", "b_one.txt", "1"), ("3", "c_empty.txt", "")]
    developer, manager, single, failed = rows
    expected = {
        "title": "Software Developer", "start": "2017-08-14", "end": "2020-03-31", "current": "False",
        "months": "31", "best_code": "21232", "best_title": "Software developers and programmers",
        "verdict": "supported", "positions": "2", "error": ""}
    assert {k: str(developer[k]) for k in expected} == expected
    expected.update(title="Software Development Manager", start="2020-04-01", end="2024-06-03", current="True",
                    months="50", best_code="20012", best_title="Computer and information systems managers")
    assert {k: str(manager[k]) for k in expected} == expected
    assert manager["counted_to"] == "letter date" and float(manager["fte_months"]) == 50
    assert float(developer["support_probability"]) > 0.5 and str(developer["months_in_code"]) == "31"
    assert single["best_code"] == ROWS[ONE_POSITION]["expected_code"] and str(single["positions"]) == "1"
    assert failed["error"] and failed["best_code"] == failed["title"] == ""
    # --json: each row carries its position's own match
    full = developer["result"] if isinstance(developer["result"], dict) else json.loads(developer["result"])
    assert (full["index"], full["best_code"], full["evidence"]["code"]) == (1, "21232", "21232")


def test_by_position_resume_skips_a_letters_rows_and_retries_its_error_row(matcher, position_folder, tmp_path):
    out = tmp_path / "positions.csv"

    def interrupt(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):  # after the first letter: its two rows are written
        run_batch(matcher, position_folder, out, by_position=True, chunk_size=1, on_progress=interrupt)
    assert [(r["id"], r["position"]) for r in read_back(out)] == [("a_two.txt", "1"), ("a_two.txt", "2")]
    with counted_matches(matcher) as calls:
        second = run_batch(matcher, position_folder, out, by_position=True)
        assert (second.skipped, second.matched, second.failed, sum(calls)) == (1, 1, 1, 1)
        shutil.copy(LETTERS / GOOD[0], position_folder / "c_empty.txt")  # the missing letter arrives
        third = run_batch(matcher, position_folder, out, by_position=True)
    assert (third.skipped, third.retried, third.matched, third.failed, sum(calls)) == (2, 1, 1, 0, 2)
    rows = read_back(out)
    assert [(r["id"], r["position"]) for r in rows] == [("a_two.txt", "1"), ("a_two.txt", "2"), ("b_one.txt", "1"),
                                                        ("c_empty.txt", "1")]  # the error row replaced in place
    assert rows[3]["best_code"] == ROWS[GOOD[0]]["expected_code"] and not any(r["error"] for r in rows)
    shutil.copy(LETTERS / GOOD[1], position_folder / "0_first.txt")  # the others move down one file
    fourth = run_batch(matcher, position_folder, out, by_position=True)
    assert (fourth.skipped, fourth.matched) == (3, 1)
    assert [(r["row"], r["id"], r["position"]) for r in read_back(out)] == [
        ("2", "a_two.txt", "1"), ("2", "a_two.txt", "2"), ("3", "b_one.txt", "1"), ("4", "c_empty.txt", "1"),
        ("1", "0_first.txt", "1")]  # every row of a letter says where it is now


def test_by_position_keeps_duplicate_ids_apart_and_csv_cells_safe(matcher, tmp_path):
    table = tmp_path / "letters.jsonl"
    texts = [TWO_POSITIONS.read_text(), (LETTERS / ONE_POSITION).read_text(), ""]
    table.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in zip(["=A", "=A", "-B"], texts)))
    out = tmp_path / "positions.csv"
    first = run_batch(matcher, table, out, id_column="id", by_position=True)
    assert first.duplicate_ids == ["=A"] and (first.matched, first.failed) == (2, 1)
    with out.open(newline="", encoding="utf-8") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    rows = read_back(out)
    assert [(r["row"], r["id"], r["position"], r["best_code"]) for r in rows] == [
        ("1", "'=A", "1", "21232"), ("1", "'=A", "2", "20012"),
        ("2", "'=A", "1", ROWS[ONE_POSITION]["expected_code"]), ("3", "'-B", "", "")]
    again = run_batch(matcher, table, out, id_column="id", by_position=True)
    assert (again.skipped, again.retried, again.matched) == (2, 1, 0) and len(read_back(out)) == 4


def test_letter_rows_and_position_rows_never_resume_each_other(matcher, position_folder, tmp_path):
    out = tmp_path / "results.csv"
    run_batch(matcher, position_folder, out)
    before = out.read_bytes()
    with pytest.raises(InputError) as refused:
        run_batch(matcher, position_folder, out, by_position=True)
    assert str(refused.value) == (f"{out} holds one row per letter and this run writes one row per position "
                                  "(--by-position); use --force to replace it, or choose another --out")
    assert out.read_bytes() == before
    run_batch(matcher, position_folder, out, by_position=True, force=True)
    assert len(read_back(out)) == 4
    with pytest.raises(InputError, match=r"holds one row per position \(--by-position\) and this run writes one "
                                         r"row per letter; use --force"):
        run_batch(matcher, position_folder, out)
    assert len(read_back(out)) == 4


def test_cli_batch_by_position_and_the_mode_refusal(home, position_folder, tmp_path):
    env = dict(os.environ, NOCMATCH_HOME=str(home))
    out = tmp_path / "positions.csv"
    command = [sys.executable, "-m", "nocmatch.cli", "batch", str(position_folder), "--out", str(out)]
    run = subprocess.run(command + ["--by-position"], capture_output=True, text=True, env=env, timeout=600)
    assert run.returncode == 1, run.stderr  # c_empty.txt is an error row
    assert "2 matched, 1 failed" in run.stderr and "(3 positions matched)" in run.stderr
    assert [r["position"] for r in read_back(out)] == ["1", "2", "1", ""]
    refused = subprocess.run(command, capture_output=True, text=True, env=env, timeout=600)
    assert refused.returncode != 0 and len(refused.stderr.strip().splitlines()) == 1
    assert "holds one row per position (--by-position) and this run writes one row per letter" in refused.stderr
