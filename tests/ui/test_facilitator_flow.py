"""A facilitator runs a workshop that couples join, and sees only aggregates.

Two couples write a unique marker into every free-text field of steps 1-5, and every partner
into their display name; a third couple only joins, since the smallest group shown is 3.
No marker may reach the facilitator's browser: not in a page, not in any HTTP response, not
in any websocket frame.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from ._couple_flows import STEP_PAGES, Partner, join_with, new_partner, write_everything
from .conftest import PHONE, READY_MS, start_server, stop_server

FAC = "/voila/render/facilitator/"
FAC_READY = ".tw-page.tw-facilitator.tw-ready"
LAPTOP = {"width": 1280, "height": 900}
MIN_CELL = 3  # the smallest group the dashboard may show (the kit allows no less)
THREE = re.compile(r"Couples joined: 3(?!\d)")
BOTH = re.compile(r"both partners in: 3(?!\d)")
DASHBOARD_URL = re.compile(r"/voila/render/facilitator/dashboard\.ipynb$")


@dataclass
class Capture:
    """Everything a browser context received: page snapshots, HTTP bodies, websocket frames."""

    snapshots: list[tuple[str, str]] = field(default_factory=list)
    bodies: list[tuple[str, bytes]] = field(default_factory=list)
    unread: list[tuple[str, str]] = field(default_factory=list)  # (method, URL)
    frames: list[tuple[str, str | bytes]] = field(default_factory=list)

    def attach(self, context: BrowserContext, bodies: bool = True) -> None:
        if bodies:
            context.on("response", self._response)
        context.on("page", self._page)

    def _page(self, page: Page) -> None:
        page.on("websocket", lambda ws: ws.on("framereceived", lambda f: self._frame(ws.url, f)))

    def _frame(self, url: str, payload) -> None:
        self.frames.append((url, payload))

    def _response(self, response) -> None:
        if 300 <= response.status < 400:
            return  # a redirect has no body
        try:
            self.bodies.append((response.url, response.body()))
        except Exception:  # the page moved on before its body was read
            self.unread.append((response.request.method, response.url))

    def snapshot(self, page: Page, label: str) -> None:
        self.snapshots.append((label, page.content()))

    def read_again(self, context: BrowserContext) -> list[tuple[str, str]]:
        """Fetch the bodies the browser dropped (same cookies); return what can't be fetched."""
        left = []
        for method, url in self.unread:
            if url.startswith("blob:"):
                continue  # made in the page from what it had already received
            if method != "GET":
                left.append((method, url))
                continue
            self.bodies.append((url, context.request.get(url, max_redirects=0).body()))
        self.unread = []
        return left


@dataclass
class Workshop:
    """The module's shared state: the server, the facilitator and the six partners."""

    base: str
    code: str
    facilitator: Page
    capture: Capture
    partners: list[Partner]
    own: Capture  # what Ana's own browser received


def find_leaks(capture: Capture, partners: list[Partner]) -> list[str]:
    """Return where any partner's marker shows up in what ``capture`` holds."""
    leaks = []
    for p in partners:
        for label, html in capture.snapshots:
            leaks += [f"{p.name}, {w}: page {label}" for w in p.marks.found_in(html)]
        for url, body in capture.bodies:
            leaks += [f"{p.name}, {w}: HTTP {url}" for w in p.marks.found_in(body)]
        for url, frame in capture.frames:
            leaks += [f"{p.name}, {w}: websocket {url}" for w in p.marks.found_in(frame)]
    return leaks


def _bytes(frame: str | bytes) -> bytes:
    return frame.encode() if isinstance(frame, str) else frame


def _context(browser, viewport=PHONE) -> BrowserContext:
    ctx = browser.new_context(viewport=viewport)
    ctx.set_default_timeout(READY_MS)
    return ctx


def create_workshop(page: Page, base: str) -> str:
    """Create a workshop on the new-workshop page, follow the private link; return the code."""
    page.goto(base + FAC + "new_workshop.ipynb")
    page.wait_for_selector(FAC_READY)
    page.locator(".tw-new-workshop-name input").fill("Spring evening group")
    cell = page.locator(".tw-new-workshop-min-cell input")
    cell.fill(str(MIN_CELL))
    cell.press("Tab")  # number boxes sync on change, not on every key
    page.click(".tw-new-workshop-create")
    code = page.locator(".tw-new-workshop-code").text_content().strip()
    assert code
    page.click("a.tw-new-workshop-link")
    page.wait_for_url(DASHBOARD_URL, wait_until="commit")  # the test waits for the page
    return code


@pytest.fixture(scope="module")
def workshop(tmp_path_factory, browser):
    """A workshop on its own server, three couples in it; two wrote everything they can."""
    proc, base = start_server(tmp_path_factory.mktemp("facilitator"))
    contexts: list[BrowserContext] = []
    try:
        fac_ctx = _context(browser, LAPTOP)
        contexts.append(fac_ctx)
        capture = Capture()
        capture.attach(fac_ctx)
        facilitator = fac_ctx.new_page()
        code = create_workshop(facilitator, base)

        partners, own = [], Capture()
        for first, second in (("Ana", "Ben"), ("Cleo", "Dev"), ("Eli", "Fay")):
            # The first couple shares what may be shared (so their topics and ratings count
            # on the dashboard); the second keeps everything private.
            ctx_a, ctx_b = _context(browser), _context(browser)
            contexts += [ctx_a, ctx_b]
            if first == "Ana":
                own.attach(ctx_a, bodies=False)  # the search must find Ana's words for her
            pa, pb = ctx_a.new_page(), ctx_b.new_page()
            a = new_partner(pa, base, first, share=first == "Ana")
            b = new_partner(pb, base, second, share=first == "Ana")
            invite = join_with(a, code)
            assert invite, "joining a workshop should give an invite code for the partner"
            join_with(b, invite)
            partners += [a, b]
        # The smallest group shown is 3 couples, so a third one joins; two write everything.
        for p in partners[:4]:
            write_everything(p)
        yield Workshop(base, code, facilitator, capture, partners, own)
    finally:
        for ctx in contexts:
            ctx.close()
        stop_server(proc)


def test_markers_were_saved_where_their_authors_can_see_them(workshop):
    """Did the partners' words really reach the store (so that the search below means something)?"""
    ana, ben = workshop.partners[:2]
    ben.open(2)  # Ana shared her I-statement
    expect(ben.page.locator(".tw-istatement-theirs")).to_contain_text(
        ana.marks.by_field["I-statement feel"]
    )
    ana.open(1, reload=True)  # a fresh kernel reads her own notes back from the store
    title = ana.marks.by_field["own root title"].lower()
    expect(ana.page.locator(f".tw-roots-custom-{title}-what textarea")).to_have_value(
        ana.marks.by_field["own root note (what)"]
    )
    expect(ana.page.locator(".tw-roots-card textarea")).to_have_value(ana.marks.by_field["card"])
    # The search below is the one that must find nothing for the facilitator: in Ana's own
    # browser it finds what she saved, as the kernel sent it back to her.
    received = {where for _, frame in workshop.own.frames for where in ana.marks.found_in(frame)}
    shown_back = {"I-statement feel", "card", "own root note (what)", "commitment title"}
    assert shown_back | {"agreement proposal", "display name"} <= received, received


def test_facilitator_sees_aggregates_and_never_a_couples_words(workshop):
    """Does the facilitator see group numbers, and no word any partner wrote, anywhere?"""
    page, base, capture = workshop.facilitator, workshop.base, workshop.capture
    if not DASHBOARD_URL.search(page.url):  # opened by the private link, unless moved on
        page.goto(base + FAC + "dashboard.ipynb")
    page.wait_for_selector(FAC_READY)
    expect(page.locator(".tw-dashboard")).to_be_visible()
    page.click(".tw-dashboard-refresh")
    joined = page.locator(".tw-dashboard-joined")
    expect(joined).to_contain_text(THREE, timeout=READY_MS)  # the numbers, refreshed
    capture.snapshot(page, "dashboard, refreshed")

    page.reload()
    page.wait_for_selector(FAC_READY)
    expect(page.locator(".tw-dashboard-joined")).to_contain_text(THREE)
    expect(page.locator(".tw-dashboard-joined")).to_contain_text(BOTH)
    expect(page.locator(".tw-dashboard-privacy")).to_contain_text(f"smaller than {MIN_CELL}")
    expect(page.locator(".tw-dashboard-funnel")).to_be_visible()
    for section in ("participation", "trust", "topics"):
        expect(page.locator(f".tw-dashboard-{section}")).to_be_attached()
    capture.snapshot(page, "dashboard, reloaded")

    page.goto(base + FAC + "presenter.ipynb")
    page.wait_for_selector(FAC_READY)
    expect(page.locator(".tw-presenter")).to_be_visible()
    capture.snapshot(page, "presenter")

    page.goto(base + FAC + "handouts.ipynb")
    page.wait_for_selector(FAC_READY)
    html_links = page.eval_on_selector_all("a.tw-handout-html", "els => els.map(e => e.href)")
    pdf_links = page.eval_on_selector_all("a.tw-handout-pdf", "els => els.map(e => e.href)")
    assert html_links and len(html_links) == len(pdf_links)
    capture.snapshot(page, "handouts")
    for url in html_links:
        response = page.goto(url)
        assert response is not None and response.ok, url
        capture.snapshot(page, url)
    for url in pdf_links:
        response = page.context.request.get(url)
        assert response.ok, url
        assert response.body().startswith(b"%PDF"), url
        capture.bodies.append((url, response.body()))

    unreadable = capture.read_again(page.context)
    assert not unreadable, unreadable
    leaks = find_leaks(capture, workshop.partners)
    assert not leaks, "a couple's words reached the facilitator:\n" + "\n".join(leaks)
    # The search looked at real traffic: pages, kernel messages, and every page's own HTML.
    assert any(b"Couples joined" in _bytes(f) for _, f in capture.frames), "no kernel frames"


def test_facilitator_cannot_act_as_a_couple(workshop):
    """Does the facilitator's key leave a step page signed out?"""
    page = workshop.facilitator
    page.goto(workshop.base + STEP_PAGES[2])
    page.wait_for_selector(".tw-page.tw-step-2.tw-ready")
    expect(page.locator(".tw-who")).to_contain_text("not signed in")
    cookies = {c["name"] for c in page.context.cookies()}
    assert "tw_facilitator" in cookies and "tw_tokens" not in cookies, cookies
    workshop.capture.snapshot(page, "step 2")
    assert not find_leaks(workshop.capture, workshop.partners)


def test_no_dashboard_without_the_link_or_with_a_wrong_key(workshop, browser):
    """Is the dashboard refused without the key, and is a wrong key turned away?"""
    ctx = _context(browser, LAPTOP)
    try:
        page = ctx.new_page()
        page.goto(workshop.base + FAC + "dashboard.ipynb")
        page.wait_for_selector(FAC_READY)
        expect(page.locator(".tw-facilitator-refused")).to_be_visible()
        expect(page.locator(".tw-dashboard")).to_have_count(0)

        page.goto(workshop.base + "/tw/facilitate")
        page.locator(".tw-facilitator-key").fill("not-the-key-" + "x" * 20)
        with page.expect_navigation() as nav:
            page.click(".tw-facilitate-submit")
        assert nav.value is not None and nav.value.status == 403
        expect(page.locator("body")).to_contain_text("does not open any workshop")
        assert not [c for c in ctx.cookies() if "facilitat" in c["name"].lower()]

        page.goto(workshop.base + FAC + "dashboard.ipynb")
        page.wait_for_selector(FAC_READY)
        expect(page.locator(".tw-facilitator-refused")).to_be_visible()
    finally:
        ctx.close()
