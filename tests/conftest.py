"""Shared fixtures: the real NOC tables from ../shared/noc2021 and one ingested home per test run."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NOCMATCH_SHARED", REPO.parent / "shared")).resolve()
NOC_DIR = SHARED / "noc2021"
LETTERS = REPO / "tests" / "data" / "letters"


def letter_labels() -> list[dict]:
    with (LETTERS / "labels.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="session")
def noc_dir() -> Path:
    if not (NOC_DIR / "noc_2021_version_1.0_-_elements.csv").is_file():
        pytest.fail(f"the NOC 2021 tables are not at {NOC_DIR}; set NOCMATCH_SHARED to the shared folder")
    return NOC_DIR


@pytest.fixture(scope="session")
def catalog(noc_dir):
    from nocmatch.ingest.parse import build_catalog
    from nocmatch.ingest.sources import ELEMENTS_FILE, STRUCTURE_FILE
    return build_catalog(noc_dir / STRUCTURE_FILE, noc_dir / ELEMENTS_FILE)


@pytest.fixture(scope="session")
def catalog_home(tmp_path_factory, catalog) -> Path:
    """A data folder holding only the parsed catalog (what `nocmatch eoi` and `show` read)."""
    root = tmp_path_factory.mktemp("catalog_home")
    catalog.save(root / "catalog")
    return root


def run_cli(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """The console entry point as the installed `nocmatch` script runs it: ``(exit code, stdout, stderr)``."""
    import sys

    from nocmatch.cli import main
    monkeypatch.setattr(sys, "argv", ["nocmatch", *args])
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code or 0
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="session")
def full_home(tmp_path_factory, noc_dir) -> Path:
    """A nocmatch home (data/noc2021 + models/) ingested once from the real tables (all 516 unit groups).

    ``NOCMATCH_TEST_HOME`` names a folder to keep it in between runs (ingest then reuses its
    embeddings: seconds instead of a minute); by default it is a fresh temporary folder.
    """
    from nocmatch.ingest import ingest
    kept = os.environ.get("NOCMATCH_TEST_HOME")
    root = Path(kept) if kept else tmp_path_factory.mktemp("home")
    ingest(str(noc_dir), root / "data" / "noc2021", root / "models", progress=False)
    return root


#: Unit groups of the small test index besides the codes of the labelled letters and duty labels:
#: look-alikes of the tech codes that tests name.
SMALL_INDEX_EXTRA = ("10010", "10019", "11101", "21300", "21311", "22221", "22222", "31102", "44101", "65200", "73100")


def small_index_codes() -> list[str]:
    """The few dozen unit groups of the small test index: every code a labelled letter or duty label
    names, and :data:`SMALL_INDEX_EXTRA`."""
    from nocmatch.config import TECH_CODES
    from nocmatch.engine.duty_training import training_rows
    labels = REPO / "benchmarks" / "data" / "duty_labels"
    codes = {row["code"] for path in labels.glob("labels_*.csv")
             for row in csv.DictReader(path.open(encoding="utf-8"))}
    codes |= {row["code"] for row in training_rows(labels, "labels")}
    codes |= {row["expected_code"] for row in letter_labels()}
    return sorted(codes | set(TECH_CODES) | set(SMALL_INDEX_EXTRA))


@pytest.fixture(scope="session")
def small_home(tmp_path_factory, catalog) -> Path:
    """A nocmatch home of a few dozen real unit groups (the real tables' rows of :func:`small_index_codes`),
    with every part of the index built: embeddings, ONNX export, lexicon, duty-evidence models (~40 s)."""
    from nocmatch.matcher import Matcher
    root = tmp_path_factory.mktemp("small_home")
    catalog.subset(small_index_codes()).save(root / "data" / "noc2021" / "catalog")
    Matcher.build(root / "data" / "noc2021", root / "models")
    return root


@pytest.fixture(scope="session")
def small_matcher(small_home):
    from nocmatch.matcher import Matcher
    return Matcher.load(small_home / "data" / "noc2021", small_home / "models")


@pytest.fixture(scope="session")
def full_matcher(full_home):
    from nocmatch.matcher import Matcher
    return Matcher.load(full_home / "data" / "noc2021", full_home / "models")


#: A test module marked ``small_index`` gets the small test index as ``home`` and ``matcher``: what it
#: checks does not depend on the other unit groups. Others get the whole catalog.
@pytest.fixture(scope="module")
def home(request) -> Path:
    return request.getfixturevalue("small_home" if request.node.get_closest_marker("small_index") else "full_home")


@pytest.fixture(scope="module")
def matcher(request):
    return request.getfixturevalue("small_matcher" if request.node.get_closest_marker("small_index") else "full_matcher")


#: Fixtures that need an index built (the whole catalog ingested and embedded: a minute and a half on a
#: fresh machine; the small test index: half a minute): a test that uses one, even through another
#: fixture, is in the slow tier.
SLOW_FIXTURES = frozenset({"home", "matcher", "full_home", "full_matcher", "small_home", "small_matcher"})
#: Test modules that start a browser, execute the notebook or run the whole letter sets.
SLOW_MODULES = frozenset({"test_review_browser", "test_notebook", "test_golden"})
#: Tests that feed the parser megabytes of adversarial text to show that it stays linear (seconds each).
SLOW_TESTS = ("test_a_letter_of_long_tokens_is_parsed_in_bounded_time", "test_find_positions_cannot_hang_on_a_long_sentence",
              "test_date_patterns_cannot_hang_on_a_long_text")


def pytest_configure(config):
    config.addinivalue_line("markers", "small_index: home and matcher are the small test index (44 unit groups)")


def index_of(item) -> str | None:
    """"small" or "full": the index a test uses (None: no index)."""
    names = set(getattr(item, "fixturenames", ()))
    if {"small_home", "small_matcher"} & names or ({"home", "matcher"} & names and item.get_closest_marker("small_index")):
        return "small"
    return "full" if SLOW_FIXTURES & names else None


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items):
    """Mark the slow tier (``pytest -m "not slow"`` runs the rest in about a minute), and keep the tests of
    each index on one worker when pytest-xdist runs them (``--dist loadgroup``), so that each index is built once."""
    for item in items:
        index = index_of(item)
        if index or item.module.__name__ in SLOW_MODULES or item.originalname in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)
        if index:
            item.add_marker(pytest.mark.xdist_group(f"{index}_index"))
