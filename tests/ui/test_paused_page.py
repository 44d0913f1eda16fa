"""A page whose kernel was stopped for idling says so calmly, and loses no word typed."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import READY_MS, start_own, start_server, stop_server, wait_ready

FEEL = ".tw-istatement-feel textarea, .tw-istatement-feel input"


def test_a_paused_page_keeps_what_was_typed(tmp_path, new_context):
    """After the kernel of an idle page is culled, does a tap bring the page and the words back?"""
    proc, base = start_server(tmp_path, "--cull-idle", "10")
    try:
        page = new_context().new_page()
        start_own(page, base, "Robin")
        page.locator(FEEL).first.fill("Words I did not save yet")
        notice = page.locator(".tw-paused")
        expect(notice).to_be_visible(timeout=READY_MS)  # culled after 10 s without use
        expect(notice).to_contain_text("Nothing you saved is lost")
        expect(page.locator(".tw-resume")).to_be_focused()
        page.click(".tw-resume")
        wait_ready(page, 2)
        expect(page.locator(".tw-restored")).to_be_visible()
        expect(page.locator(FEEL).first).to_have_value("Words I did not save yet")
    finally:
        stop_server(proc)


def test_quick_exit_forgets_the_kept_words(tmp_path, new_context):
    """Does quick exit leave a paused page's words in the tab's storage? No."""
    proc, base = start_server(tmp_path, "--cull-idle", "10")
    try:
        page = new_context().new_page()
        start_own(page, base, "Robin")
        page.locator(FEEL).first.fill("Words to forget")
        expect(page.locator(".tw-paused")).to_be_visible(timeout=READY_MS)
        assert "Words to forget" in page.evaluate("JSON.stringify(window.sessionStorage)")
        page.click(".tw-quick-exit")
        page.wait_for_url("**/tw/away")
        assert page.evaluate("window.sessionStorage.length") == 0
    finally:
        stop_server(proc)
