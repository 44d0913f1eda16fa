"""In-page navigation in Chromium: one kernel serves a visit, and the address bar follows."""

from __future__ import annotations

import psutil
import pytest
from playwright.sync_api import expect

from trust_widgets.steps import CONSENT_NOTEBOOK, SAFETY_NOTEBOOK, STEPS

from .conftest import (
    answer_safety,
    start_own,
    start_server,
    start_together,
    stop_server,
    wait_ready,
    write_statement,
)

RENDER = "/voila/render/"


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    """A server of this module's own, so that its kernels can be counted."""
    proc, base = start_server(tmp_path_factory.mktemp("in-place"))
    yield proc, base
    stop_server(proc)


def kernel_pids(proc) -> set[int]:
    """The page kernels the server is running now."""
    children = psutil.Process(proc.pid).children(recursive=True)
    return {c.pid for c in children if "ipykernel_launcher" in " ".join(c.cmdline())}


class Watch:
    """Counts page loads and kernel websockets of one browser page, and keeps their frames."""

    def __init__(self, page) -> None:
        self.loads: list[str] = []
        self.sockets: list[str] = []
        self.frames: list[str] = []
        page.on("load", lambda p: self.loads.append(p.url))
        page.on("websocket", self._socket)

    def _socket(self, ws) -> None:
        self.sockets.append(ws.url)
        ws.on("framereceived", lambda f: self.frames.append(f if isinstance(f, str) else ""))
        ws.on("framesent", lambda f: self.frames.append(f if isinstance(f, str) else ""))


def open_step_list(page, title: str) -> None:
    page.locator(".tw-steps summary").click()
    page.locator(".tw-steps a", has_text=title).click()


def test_one_kernel_serves_a_whole_visit(own_server, new_context):
    """Does a partner walk every page by "next" and by the header with one kernel, and no
    page load, the address bar following?"""
    proc, base = own_server
    page = new_context().new_page()
    start_own(page, base, "Robin")
    page.goto(base + "/")
    wait_ready(page, 0)
    before = kernel_pids(proc)
    watch = Watch(page)
    for step in STEPS[1:]:
        page.click(".tw-nav-next")
        wait_ready(page, step.number)
        assert page.url == base + RENDER + step.notebook
        expect(page).to_have_title(f"Trust Workshop: {step.title}")
    expect(page.locator(".tw-page")).to_have_count(1)  # the pages left behind are gone
    for step in (STEPS[3], STEPS[6], STEPS[1]):
        open_step_list(page, step.title)
        wait_ready(page, step.number)
    expect(page.locator(".tw-progress-trajectory")).to_have_count(0)
    open_step_list(page, STEPS[6].title)
    wait_ready(page, 6)
    expect(page.locator(".tw-progress-trajectory .js-plotly-plot")).to_be_visible()
    page.click(".tw-safety-link")
    wait_ready(page, "safety")
    assert page.url.endswith(SAFETY_NOTEBOOK)
    page.click(".tw-consent-link")
    wait_ready(page, "consent")
    assert page.url.endswith(CONSENT_NOTEBOOK)
    expect(page.locator(".tw-quick-exit")).to_be_visible()
    assert watch.loads == [] and watch.sockets == []
    assert kernel_pids(proc) - before == set()


def test_back_forward_and_reload_land_on_the_right_step(own_server, new_context):
    """Do back, forward and reload land on the right step, with that step's content?"""
    _proc, base = own_server
    page = new_context().new_page()
    start_own(page, base, "Sam")  # ends on step 2
    page.click(".tw-nav-next")
    wait_ready(page, 3)
    page.click(".tw-nav-next")
    wait_ready(page, 4)
    page.go_back()
    wait_ready(page, 3)
    assert page.url.endswith(STEPS[3].notebook)
    expect(page.locator(".tw-boundaries-comparison")).to_be_visible()
    page.go_back()
    wait_ready(page, 2)
    expect(page.locator(".tw-istatement-save")).to_be_visible()
    page.go_forward()
    wait_ready(page, 3)
    assert page.url.endswith(STEPS[3].notebook)
    page.reload()
    wait_ready(page, 3)
    expect(page).to_have_title(f"Trust Workshop: {STEPS[3].title}")
    page.go_back()  # across the reload, to a page of the kernel before it
    wait_ready(page, 2)
    assert page.url.endswith(STEPS[2].notebook)


def test_a_deep_link_to_step_4_works_and_moves_on_in_place(own_server, new_context):
    """Does a bookmark of step 4 open step 4, and "next" from there stay in the page?"""
    _proc, base = own_server
    page = new_context().new_page()
    start_own(page, base, "Kim")
    page.goto(base + RENDER + STEPS[4].notebook)
    wait_ready(page, 4)
    expect(page.locator(".tw-checkin")).to_be_visible()
    watch = Watch(page)
    page.click(".tw-nav-next")
    wait_ready(page, 5)
    assert watch.loads == [] and watch.sockets == []


def test_switching_partner_leaves_nothing_of_the_first(own_server, new_context):
    """After "Switch to Ben", is anything of Ana's private entries in the page or in what
    its websocket carries, on any page Ben opens in place?"""
    _proc, base = own_server
    page = new_context().new_page()
    start_together(page, base, "Ana", "Ben")
    answer_safety(page)
    page.click(".tw-nav-next")
    wait_ready(page, 2)
    write_statement(page, "MARKER-ANA-91c", "we talk about money")
    expect(page.locator(".tw-istatement-mine")).to_contain_text("MARKER-ANA-91c")

    watch = Watch(page)
    page.click(".tw-switch-partner")
    wait_ready(page, 2)
    expect(page.locator(".tw-who")).to_contain_text("Signed in as Ben with Ana")
    for step in (STEPS[3], STEPS[7], STEPS[6]):  # each a new step: its own marker
        open_step_list(page, step.title)
        wait_ready(page, step.number)
        assert "MARKER-ANA-91c" not in page.content()
    assert watch.sockets and watch.frames
    assert not [f for f in watch.frames if "MARKER-ANA-91c" in f]


def test_a_save_after_sign_out_in_another_tab_is_refused(own_server, new_context):
    """After sign-out in one tab, is a save in another tab refused with a calm message?"""
    _proc, base = own_server
    ctx = new_context()
    page = ctx.new_page()
    start_own(page, base, "Lee")  # on step 2
    other = ctx.new_page()
    other.goto(base + "/")
    wait_ready(other, 0)
    other.click(".tw-signout")
    wait_ready(other, 0)
    write_statement(page, "hopeful", "we plan the week")
    expect(page.locator(".tw-istatement-form-error")).to_contain_text("signed out")
    expect(page.locator(".tw-page")).not_to_contain_text("Traceback")
    expect(page.locator(".tw-istatement-mine")).not_to_contain_text("hopeful")
