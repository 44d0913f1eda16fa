"""The shell on every page: quick exit, navigation, and no request leaving the machine."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from trust_widgets.steps import SAFETY_NOTEBOOK, STEPS

from .conftest import wait_ready

PAGES = [(s.number, f"/voila/render/{s.notebook}") for s in STEPS] + [
    ("safety", f"/voila/render/{SAFETY_NOTEBOOK}")
]


def host_of(url: str) -> str:
    """The host a request goes to; a blob: URL lives in the page, under the page's origin."""
    if url.startswith("blob:"):
        url = url[5:]
    return urlparse(url).hostname or url[:5]


def test_no_request_leaves_the_machine(server, new_context):
    """Does any page, signed in or not, fetch anything from outside 127.0.0.1? No."""
    hosts: set[str] = set()
    for signed_in in (False, True):
        ctx = new_context()
        ctx.on("request", lambda r: hosts.add(host_of(r.url)))
        ctx.on("websocket", lambda ws: hosts.add(urlparse(ws.url).hostname))
        page = ctx.new_page()
        if signed_in:
            page.goto(server + "/")
            wait_ready(page, 0)
            page.click(".tw-try-demo")
            wait_ready(page, 1)
        for number, path in PAGES:
            page.goto(server + path)
            wait_ready(page, number)
        page.goto(server + "/voila/render/no-such-page.ipynb")
    assert hosts <= {"127.0.0.1", "data:"}, hosts


def test_font_awesome_is_served_locally(server, new_context):
    """Is Font Awesome's stylesheet served by the app itself?"""
    page = new_context().new_page()
    response = page.goto(server + "/tw/fa/css/all.min.css")
    assert response.status == 200 and "Font Awesome" in response.text()[:400]


@pytest.mark.parametrize("number,path", PAGES)
def test_quick_exit_is_always_on_screen(server, new_context, number, path):
    """Is quick exit visible on a phone, still visible after scrolling, and first by keyboard?"""
    page = new_context().new_page()
    page.goto(server + path)
    wait_ready(page, number)
    exit_link = page.locator(".tw-quick-exit")
    expect(exit_link).to_be_visible()
    expect(exit_link).to_be_in_viewport()
    page.mouse.wheel(0, 5000)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    expect(exit_link).to_be_in_viewport()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "tw-quick-exit"


def test_quick_exit_replaces_the_page(server, new_context):
    """Does quick exit (click, Enter, or Escape twice) leave for a neutral page?"""
    page = new_context().new_page()
    for how in ("click", "enter", "escape"):
        page.goto(server + "/voila/render/02_communicate_openly.ipynb")
        wait_ready(page, 2)
        if how == "click":
            page.click(".tw-quick-exit")
        elif how == "enter":
            page.focus(".tw-quick-exit")
            page.keyboard.press("Enter")
        else:
            page.keyboard.press("Escape")
            page.keyboard.press("Escape")
        page.wait_for_url("**/tw/away")
        expect(page).to_have_title("Simple lentil soup")
        assert "Trust" not in page.content()


def test_navigation_links_between_steps(server, new_context):
    """Do next and previous links take a person between steps?"""
    page = new_context().new_page()
    page.goto(server + "/")
    wait_ready(page, 0)
    page.click(".tw-nav-next")
    wait_ready(page, 1)
    page.click(".tw-nav-next")
    wait_ready(page, 2)
    page.click(".tw-nav-prev")
    wait_ready(page, 1)
