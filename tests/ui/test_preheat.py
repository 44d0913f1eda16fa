"""Identity still works when Voilà hands out preheated kernels (run before any request)."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import start_server, stop_server, wait_ready


def test_preheated_pages_know_the_partner(tmp_path, new_context):
    """Does a page from a preheated kernel show the signed-in partner, and only theirs?"""
    proc, base = start_server(tmp_path, "--preheat", "1")
    try:
        page = new_context().new_page()
        page.goto(base + "/")
        wait_ready(page, 0)
        page.click(".tw-try-demo")
        wait_ready(page, 1)
        expect(page.locator(".tw-who")).to_contain_text("Signed in as Alex")
        stranger = new_context().new_page()
        stranger.goto(base + "/voila/render/02_communicate_openly.ipynb")
        wait_ready(stranger, 2)
        expect(stranger.locator(".tw-who")).to_contain_text("not signed in")
    finally:
        stop_server(proc)
