"""The command line as a user runs it: output, and one-line errors with non-zero exits."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import LETTERS, letter_labels

#: home and matcher are the small test index: nothing here depends on the other unit groups
pytestmark = pytest.mark.small_index


def run(args, home, stdin=None, env_extra=None):
    env = dict(os.environ, NOCMATCH_HOME=str(home), COLUMNS="160", **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "nocmatch.cli", *args], input=stdin, capture_output=True,
                          env=env, timeout=300)


def assert_one_line_error(proc, fragment):
    assert proc.returncode != 0
    lines = proc.stderr.decode().strip().splitlines()
    assert len(lines) == 1, proc.stderr.decode()
    assert "Traceback" not in proc.stderr.decode()
    assert fragment in lines[0]


@pytest.fixture(scope="module")
def letter():
    row = next(r for r in letter_labels() if r["title_mismatch"] == "true" and r["scope"] == "tech")
    return LETTERS / row["file"], row


def test_match_prints_the_ranking_and_warnings(home, letter):
    path, row = letter
    proc = run(["match", str(path)], home)
    assert proc.returncode == 0, proc.stderr.decode()
    text = proc.stdout.decode()
    assert f"Best code: {row['expected_code']}" in text
    assert "title_mismatch" in text


def test_match_json_from_stdin(home, letter):
    path, row = letter
    proc = run(["match", "-", "--json"], home, stdin=path.read_bytes())
    assert proc.returncode == 0, proc.stderr.decode()
    data = json.loads(proc.stdout)
    assert data["best_code"] == row["expected_code"]
    assert data["letter"]["name"] == "stdin"


def test_match_evidence_table(home, letter):
    path, row = letter
    proc = run(["match", str(path), "--evidence"], home)
    text = proc.stdout.decode()
    assert "official duty" in text and ("evidenced" in text) and "Lead statement" in text


def test_show_prints_a_profile(home):
    proc = run(["show", "21223"], home)
    text = proc.stdout.decode()
    assert proc.returncode == 0
    assert "Database analysts and data administrators" in text and "Data administrators" in text
    assert "Exclusions" in text and "21231" in text


@pytest.mark.parametrize("content, fragment", [
    (b"", "empty"),
    (b"   \n\n  \t", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
    ("Madame, Monsieur, nous confirmons que Mme Dupont occupe le poste de développeuse au sein de notre entreprise "
     "depuis le 1er mars 2020. Elle conçoit et développe des applications web pour nos clients et assure le suivi.".encode(),
     "English"),
    (b"To whom it may concern:\n\nSincerely,\n\nJane Smith\n", "no duty sentences"),
])
def test_bad_letters_get_one_line_errors(home, tmp_path, content, fragment):
    path = tmp_path / "letter.txt"
    path.write_bytes(content)
    assert_one_line_error(run(["match", str(path)], home), fragment)


def test_oversized_and_missing_files(home, tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"Designs software systems. " * 50_000)
    assert_one_line_error(run(["match", str(big)], home), "larger than 1 MB")
    assert_one_line_error(run(["match", str(tmp_path / "nope.txt")], home), "no such file")
    assert_one_line_error(run(["show", "12345"], home), "not a NOC 2021 unit group")


def test_missing_catalog(tmp_path, letter):
    path, _ = letter
    assert_one_line_error(run(["match", str(path)], tmp_path), "nocmatch ingest")


def test_corrupt_caches_are_refused_not_trusted_and_building_rebuilds_them(small_home, tmp_path, letter):
    import shutil

    from nocmatch.matcher import Matcher
    path, row = letter
    copy = tmp_path / "home"
    shutil.copytree(small_home, copy)
    answer = json.loads(run(["match", str(path), "--json"], copy).stdout)["best_code"]
    caches = [c for pattern in ("*.f32", "*.npz", "*.onnx") for c in (copy / "models").rglob(pattern)]
    assert {c.suffix for c in caches} == {".f32", ".npz", ".onnx"}  # embeddings, lexicon and models, light runtime
    for cache in caches:
        cache.write_bytes(b"garbage")
    # a query never builds (minutes of embedding behind a match): one line that says what to run
    assert_one_line_error(run(["match", str(path), "--json"], copy), "run `nocmatch ingest`")
    assert all(c.read_bytes() == b"garbage" for c in caches)
    # what `nocmatch ingest` runs once the catalog is read: every damaged cache rebuilt, none trusted
    Matcher.build(copy / "data" / "noc2021", copy / "models")
    assert all(c.stat().st_size > 1000 for c in caches)
    proc = run(["match", str(path), "--json"], copy)
    assert proc.returncode == 0, proc.stderr.decode()
    assert json.loads(proc.stdout)["best_code"] == answer


def test_ingest_from_a_folder_reuses_embeddings(full_home, noc_dir):
    proc = run(["ingest", "--source", str(noc_dir), "--json"], full_home)
    assert proc.returncode == 0, proc.stderr.decode()
    report = json.loads(proc.stdout)
    assert report["counts"]["unit_groups"] == 516 and report["embeddings_rebuilt"] is False


def test_ingest_with_a_bad_source(tmp_path):
    assert_one_line_error(run(["ingest", "--source", str(tmp_path)], tmp_path), "noc_2021_version_1.0")
