# One command to set up and run the main job (`make demo`), one to run the tests (`make test`).
# `make test` = lint + the fast tier + the slow tier (what CI runs); `make test-fast` = lint + the fast tier.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
LETTER ?= tests/data/letters/l01_senior-swe-dept-head.txt

.PHONY: setup demo test test-fast lint serve

$(BIN)/nocmatch: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# PyTorch first, pinned: where pip finds the CPU build of 2.13.0 (as on this project's machines) it takes it;
	# elsewhere install the CPU build from PyTorch's CPU index first (README: CPU-only PyTorch)
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e ".[test]"
	touch $@

setup: $(BIN)/nocmatch

demo: setup
	@if [ -f $(SHARED)/noc2021/noc_2021_version_1.0_-_elements.csv ]; then \
		$(BIN)/nocmatch ingest --source $(SHARED)/noc2021; else $(BIN)/nocmatch ingest; fi
	$(BIN)/nocmatch match $(LETTER) --evidence

lint: setup   # ruff (pycodestyle, pyflakes, bugbear, import order) on the package, tests and benchmarks; mypy on the package
	$(BIN)/ruff check nocmatch tests benchmarks
	$(BIN)/mypy

# Two pytest-xdist workers; the tests of one index (the real catalog, the small test index) stay on one
# worker (--dist loadgroup, groups set in tests/conftest.py), so that each index is built once.
PYTEST := NOCMATCH_SHARED=$(abspath $(SHARED)) $(BIN)/python -m pytest -q -n 2 --dist loadgroup

test-fast: lint   # everything that needs no index built and no browser
	$(PYTEST) -m "not slow"

test: test-fast   # then the slow tier: the real catalog ingested once, the small test index, the browser, the notebook, the golden snapshot
	$(PYTEST) -m slow

serve: setup   # the review page on http://127.0.0.1:8765 (PORT=...)
	$(BIN)/nocmatch serve --port $(or $(PORT),8765)
