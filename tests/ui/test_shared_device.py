"""Two partners on one device: start together, switch, keep private entries apart, sign out."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import answer_safety, wait_ready


def test_couple_on_one_device(server, new_context):
    """Can a couple start together, switch between them, and sign out on one device?"""
    page = new_context().new_page()
    page.goto(server + "/")
    wait_ready(page, 0)
    page.locator(".tw-welcome-name-a input").fill("Ana")
    page.locator(".tw-welcome-name-b input").fill("Ben")
    page.click(".tw-start-local")
    page.click(".tw-continue")
    wait_ready(page, 1)
    expect(page.locator(".tw-who")).to_contain_text("Signed in as Ana with Ben")
    answer_safety(page)
    page.goto(server + "/voila/render/02_communicate_openly.ipynb")
    wait_ready(page, 2)

    page.locator(".tw-istatement-feel input").fill("private-marker-ana")
    page.locator(".tw-istatement-when input").fill("we talk about money")
    page.click(".tw-istatement-save")
    expect(page.locator(".tw-istatement-mine")).to_contain_text("private-marker-ana")

    page.click(".tw-switch-partner")
    wait_ready(page, 2)  # back on the same step
    expect(page.locator(".tw-who")).to_contain_text("Signed in as Ben with Ana")
    expect(page.locator(".tw-page")).not_to_contain_text("private-marker-ana")

    page.goto(server + "/")
    wait_ready(page, 0)
    page.click(".tw-signout")
    wait_ready(page, 0)
    expect(page.locator(".tw-start-local")).to_be_visible()
