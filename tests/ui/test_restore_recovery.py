"""A page whose widget never comes back from the kernel reloads once, then says so calmly.

Under load, ipywidgets' front end can give up on a page's widget a moment too early and
leave "Error displaying widget: model not found" on screen for good
(jupyter-widgets/ipywidgets#4026). These tests make that happen on purpose: the fixture
notebook shows a widget view whose model does not exist, and counts its renders.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
from playwright.sync_api import expect

from .conftest import READY_MS, start_server, stop_server

REPO = Path(__file__).resolve().parents[2]
FAILED = "Error displaying widget: model not found"

CELL = """\
from pathlib import Path

import ipywidgets as W
from IPython.display import display

renders = Path({counter!r})
renders.write_text(renders.read_text() + "x" if renders.exists() else "x")
if len(renders.read_text()) <= {broken_renders}:
    # A view of a model the kernel never made: what the race leaves behind.
    view = {{"model_id": "0" * 32, "version_major": 2, "version_minor": 0}}
    display({{"application/vnd.jupyter.widget-view+json": view, "text/plain": "-"}}, raw=True)
else:
    page = W.HTML("The page came back.")
    page.add_class("tw-page")
    page.add_class("tw-came-back")
    display(page)
"""


def notebooks_with(folder: Path, broken_renders: int) -> tuple[Path, Path]:
    """Return (notebooks folder, render counter) with the fixture notebook ``broken.ipynb``."""
    nbs = folder / "notebooks"
    nbs.mkdir()
    shutil.copyfile(REPO / "notebooks" / "00_welcome.ipynb", nbs / "00_welcome.ipynb")
    counter = folder / "renders.txt"
    nb = nbformat.v4.new_notebook()
    source = CELL.format(counter=str(counter), broken_renders=broken_renders)
    nb.cells = [nbformat.v4.new_code_cell(source)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(nb, nbs / "broken.ipynb")
    return nbs, counter


def renders(counter: Path) -> int:
    return len(counter.read_text()) if counter.exists() else 0


def test_a_page_that_lost_its_widget_reloads_once_and_comes_back(tmp_path, new_context):
    """Does a page stuck on 'model not found' reload by itself and then show the page?"""
    nbs, counter = notebooks_with(tmp_path, broken_renders=1)
    proc, base = start_server(tmp_path, "--notebooks", str(nbs))
    try:
        page = new_context().new_page()
        warnings = []
        page.on("console", lambda m: m.type == "warning" and warnings.append(m.text))
        page.goto(base + "/voila/render/broken.ipynb")
        expect(page.locator(".tw-came-back")).to_be_visible(timeout=READY_MS)
        assert renders(counter) == 2
        assert any(w.startswith("tw: the page's widgets did not load") for w in warnings)
        expect(page.locator("body")).not_to_contain_text(FAILED)
        expect(page.locator(".tw-quick-exit")).to_be_visible()
    finally:
        stop_server(proc)


def test_a_page_that_stays_broken_says_so_calmly_and_never_loops(tmp_path, new_context):
    """If the reload fails too, is there a calm notice, and no second automatic reload?"""
    nbs, counter = notebooks_with(tmp_path, broken_renders=99)
    proc, base = start_server(tmp_path, "--notebooks", str(nbs))
    try:
        page = new_context().new_page()
        page.goto(base + "/voila/render/broken.ipynb")
        notice = page.locator(".tw-reload-notice")
        expect(notice).to_contain_text("This page did not load properly.", timeout=READY_MS)
        expect(notice).to_have_attribute("role", "status")
        expect(notice).to_contain_text("Anything you saved before is kept.")
        expect(page.locator("body")).not_to_contain_text(FAILED)
        assert renders(counter) == 2
        page.wait_for_timeout(3000)  # a loop would have reloaded again by now
        assert renders(counter) == 2
        page.click(".tw-reload")  # the couple asks for another try: it is theirs to make
        expect(page.locator(".tw-reload-notice")).to_be_visible(timeout=READY_MS)
        assert renders(counter) == 3
    finally:
        stop_server(proc)
