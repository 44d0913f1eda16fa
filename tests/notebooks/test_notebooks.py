"""Notebooks: committed clean, thin, one per step, and runnable in a real kernel.

``pytest --nbval-lax`` (configured in pyproject.toml) also runs every notebook in
``notebooks/``; the tests here cover what nbval does not.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook

from trust_widgets.steps import STEPS

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p for p in ROOT.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
                   and ".venv" not in p.parts)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_committed_without_outputs(path):
    """Is every notebook in the repo free of outputs and execution counts?"""
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        assert not cell.get("outputs"), f"{path.name} has outputs: strip them"
        assert not cell.get("execution_count"), f"{path.name} has execution counts"


def test_one_notebook_per_step():
    """Is there a notebook for the landing page, each guide step and the summary?"""
    names = {p.name for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert {s.notebook for s in STEPS} <= names


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.notebook)
def test_notebooks_stay_thin(step):
    """Does each page notebook only import from trust_widgets and lay out the page?"""
    nb = nbformat.read(ROOT / "notebooks" / step.notebook, as_version=4)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert len(code) <= 3 and sum(src.count("\n") + 1 for src in code) <= 12
    assert all("import" not in line or "trust_widgets" in line
               for src in code for line in src.splitlines())


def test_signed_in_step2_runs_in_a_kernel(tmp_path, monkeypatch, couple_on_disk):
    """Does the step-2 page build for a signed-in partner in a real kernel, with no error?"""
    url, token = couple_on_disk
    monkeypatch.setenv("TRUST_WIDGETS_DB", url)
    monkeypatch.setenv("HTTP_COOKIE", f"tw_tokens={token}; tw_active=0")
    nb = new_notebook(cells=[new_code_cell(
        "from trust_widgets import communication_page\n"
        "page = communication_page().page\n"
        "print(sorted(page._dom_classes), page.children[0].value.count('Signed in as'))\n"
        "page"
    )])
    NotebookClient(nb, kernel_name="python3", timeout=120).execute()
    outputs = nb.cells[0].outputs
    assert not [o for o in outputs if o.output_type == "error"]
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "'tw-ready'" in printed and "'tw-step-2'" in printed and printed.strip().endswith("1")
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)


@pytest.fixture
def couple_on_disk(tmp_path):
    from trust_widgets.identity import redeem_claim, start_couple
    from trust_widgets.store.engine import create_store_engine
    from trust_widgets.store.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'kernel.sqlite3'}"
    engine = create_store_engine(url)
    upgrade(engine)
    [token] = redeem_claim(engine, start_couple(engine, "Ana").claim_code)
    engine.dispose()
    return url, token
