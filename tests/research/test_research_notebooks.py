"""Research notebooks: generated, thin, and runnable against any export named by TW_EXPORT.

``pytest --nbval-lax`` (pyproject addopts) also runs them as collected from ``notebooks/``,
against their default, the bundled ``data/demo-export/``. Here they run against a small
fixture export instead, through ``TW_EXPORT``, as a researcher's own export would be used.
"""

from __future__ import annotations

import ast
import importlib.util
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "notebooks" / "research"
NOTEBOOKS = sorted(FOLDER.glob("*.ipynb"))
ALLOWED_IMPORTS = {"os", "pathlib", "pandas", "trust_widgets.analysis"}
PLOTLY = "application/vnd.plotly.v1+json"


def generator():
    spec = importlib.util.spec_from_file_location(
        "make_research_notebooks", ROOT / "scripts" / "make_research_notebooks.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_notebooks_match_their_generator(tmp_path):
    """Are the committed notebooks exactly what scripts/make_research_notebooks.py writes?"""
    written = generator().write_all(tmp_path)
    assert [p.name for p in written] == [p.name for p in NOTEBOOKS]
    for path in written:
        assert path.read_text() == (FOLDER / path.name).read_text(), (
            f"{path.name} is stale: run python scripts/make_research_notebooks.py"
        )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_stay_thin(path):
    """Do code cells only import from the analysis package (and os, pathlib, pandas), stay
    short, and does every code cell follow a markdown cell that explains?"""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert cell.source.count("\n") < 10, cell.source
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Import):
                assert {a.name for a in node.names} <= ALLOWED_IMPORTS, cell.source
            elif isinstance(node, ast.ImportFrom):
                assert node.module in ALLOWED_IMPORTS, cell.source
    words = sum(len(c.source.split()) for c in nb.cells if c.cell_type == "markdown")
    assert words > 250 and nb.cells[0].cell_type == "markdown"
    assert "TW_EXPORT" in nb.cells[0].source


def test_readme_says_how_to_point_at_an_export():
    """Does the README explain TW_EXPORT, the export format and regenerating the demo export?"""
    text = (FOLDER / "README.md").read_text()
    for needle in ("TW_EXPORT", "trust-workshop export", "make_research_notebooks.py",
                   "partner_index", "checkins.csv"):  # fmt: skip
        assert needle in text, needle


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_quietly_on_another_export(path, small_export, monkeypatch):
    """Does each notebook run without error or warning against the export in TW_EXPORT, and
    draw its figures from that export (not the bundled one)?"""
    monkeypatch.setenv("TW_EXPORT", str(small_export))
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, kernel_name="python3", timeout=300,
                   resources={"metadata": {"path": str(FOLDER)}}).execute()  # fmt: skip
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    stderr = "".join(o.text for o in outputs if o.output_type == "stream" and o.name == "stderr")
    assert not stderr.strip(), stderr
    assert any(PLOTLY in o.get("data", {}) for o in outputs)
    summary = next(o for o in outputs if "text/plain" in o.get("data", {}))
    assert re.search(r"couples\s+8\b", summary["data"]["text/plain"])
