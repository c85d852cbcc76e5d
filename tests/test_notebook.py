"""The walkthrough notebook runs top to bottom (nbclient, the venv's python3 kernel) on the test home."""

from __future__ import annotations

import json

import nbformat
import pytest
from conftest import REPO
from nbclient import NotebookClient

NOTEBOOK = REPO / "notebooks" / "walkthrough.ipynb"


def output_text(cell) -> str:
    """Everything a code cell showed: printed text and the text/html of its displayed values."""
    parts = []
    for output in cell.get("outputs", []):
        parts.append(output.get("text", ""))
        data = output.get("data", {})
        parts += [data.get("text/plain", ""), data.get("text/html", "")]
    return "\n".join(parts)


def test_notebook_is_committed_without_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)


def test_notebook_runs_top_to_bottom(home, monkeypatch):
    if not (REPO / "benchmarks" / "results" / "accuracy.json").is_file():
        pytest.fail("benchmarks/results/accuracy.json is missing: run benchmarks/accuracy.py")
    monkeypatch.setenv("NOCMATCH_HOME", str(home))  # the kernel inherits it: Matcher.load() reads this home
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()  # raises CellExecutionError on the first failing cell

    cells = [c for c in notebook.cells if c.cell_type == "code"]
    shown = [output_text(c) for c in cells]
    # The letter is a "Software Developer" whose duties are web sites: 21234, shown in the summary and table.
    summary = next(s for s in shown if "best code:" in s)
    assert "best code:    21234 Web developers and programmers" in summary
    ranked = next(s for s in shown if "lead_statement_similarity" in s)
    assert all(code in ranked for code in ("21234", "21233", "20012"))
    evidence = next(s for s in shown if "evidenced" in s and "sentence" in s and "position" in s)
    assert "True" in evidence
    # The benchmark table comes from the committed results, with every system as a column.
    report = json.loads((REPO / "benchmarks" / "results" / "accuracy.json").read_text(encoding="utf-8"))
    table = next(s for s in shown if "top-1 (tech letters)" in s)
    assert all(system in table for system in report["systems"])
    pictures = [o for c in cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert len(pictures) == 2
