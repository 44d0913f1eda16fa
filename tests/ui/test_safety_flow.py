"""The private safety check in a browser: the red-flag path is for that partner only."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import answer_safety, join, start_own, wait_ready

SAFETY = "/voila/render/safety_check.ipynb"


def test_red_flag_shows_resources_to_that_partner_only(server, new_context):
    """Does a red flag show help to the partner who answered, and nothing to the other?"""
    a = new_context().new_page()
    invite = start_own(a, server, "Ana", safety=None)  # the check waits on step 2
    answer_safety(a, red_flag=True)
    expect(a.locator(".tw-safety-guidance")).to_contain_text("may not be")
    expect(a.locator(".tw-safety-resources .tw-resource-abuse").first).to_be_visible()
    expect(a.locator(".tw-istatement-visibility")).to_be_hidden()  # no prompt to share

    b = new_context().new_page()
    join(b, server, invite, "Ben")
    expect(b.locator(".tw-safety-resources")).to_have_count(0)
    for path, step in (
        ("/voila/render/02_communicate_openly.ipynb", 2),
        ("/voila/render/03_set_boundaries.ipynb", 3),
    ):
        b.goto(server + path)
        wait_ready(b, step)
        expect(b.locator(".tw-page")).not_to_contain_text("may not be safe")
        expect(b.locator(".tw-safety-resources")).to_have_count(0)


def test_check_can_be_revisited_from_the_header(server, new_context):
    """Can a partner reopen the check from any page's header, blank (never pre-filled)?"""
    page = new_context().new_page()
    start_own(page, server, "Ana")
    page.click(".tw-safety-link")
    wait_ready(page, "safety")
    expect(page.locator(".tw-safety-afraid input:checked")).to_have_count(0)
