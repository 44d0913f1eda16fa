"""Changing a URL, a code, a query parameter or a cookie never shows someone else's entries."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import start_own, wait_ready

STEP2 = "/voila/render/02_communicate_openly.ipynb"


def test_urls_codes_and_cookies_cannot_reach_another_couple(server, new_context):
    """Can a second couple, or a forged cookie, see the first couple's statements? No."""
    a_ctx = new_context()
    a = a_ctx.new_page()
    invite = start_own(a, server, "Ana")
    a.locator(".tw-istatement-feel input").fill("marker-shared-7c1")
    a.locator(".tw-istatement-when input").fill("we talk")
    a.locator(".tw-istatement-visibility label", has_text="Share with").click()
    a.click(".tw-istatement-save")
    expect(a.locator(".tw-istatement-mine")).to_contain_text("marker-shared-7c1")

    # Another couple, with query parameters that name other ids, codes and tokens.
    c = new_context().new_page()
    start_own(c, server, "Cleo")
    for query in ("?partner_id=1", "?couple=1&partner=2", f"?code={invite}", "?tw_active=1"):
        c.goto(server + STEP2 + query)
        wait_ready(c, 2)
        expect(c.locator(".tw-page")).not_to_contain_text("marker-shared-7c1")
        expect(c.locator(".tw-who")).to_contain_text("Signed in as Cleo")

    # A browser with a forged token, or none, is signed out and sees no entries.
    for cookies in ([{"name": "tw_tokens", "value": "forged-token-value", "url": server}], []):
        ctx = new_context()
        ctx.add_cookies(cookies) if cookies else None
        page = ctx.new_page()
        page.goto(server + STEP2 + "?partner_id=1")
        wait_ready(page, 2)
        expect(page.locator(".tw-who")).to_contain_text("not signed in")
        expect(page.locator(".tw-page")).not_to_contain_text("marker-shared-7c1")


def test_tokens_are_httponly_and_never_in_the_page(server, new_context):
    """Is the token cookie hidden from page scripts and absent from the page's HTML?"""
    ctx = new_context()
    page = ctx.new_page()
    start_own(page, server, "Ana")
    [cookie] = [c for c in ctx.cookies() if c["name"] == "tw_tokens"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert cookie["value"] not in page.content()
    assert "tw_tokens" not in page.evaluate("document.cookie")
