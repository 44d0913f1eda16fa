"""A room of couples, driven in one Chromium: every partner joins, saves a card, checks in.

Each couple: partner A opens the landing page, joins with the workshop code and gets an
invite code; partner B opened the landing page at the same moment and joins with that code as
soon as A has it. Then each partner, on their own (one browser context, one cookie jar each),
answers the private safety check on step 1, saves a step-1 card with a text planted for this
partner, opens step 4 and checks in with a planted private note, and leaves the page (which
asks the server to stop its kernel). Three page loads per partner, all timed to ``tw-ready``.

Used by ``tests/load`` and ``benchmarks/room_load.py``. Every wait is bounded.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from playwright.async_api import Browser, Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from tests._browser import CHROMIUM_ARGS, PHONE

from ._server import FLOOR
from ._store_check import card_text, note_text, partner_name

SAFE = {"afraid": "No", "harm": "No", "monitor": "No", "isolate": "No", "money": "No",
        "safe_together": "Yes"}  # fmt: skip
STEP4 = "/voila/render/04_consistency.ipynb"
BROWSER_NICE = 10
FAILED_PAGE = ("could not be shown", "Something went wrong while loading this page")
# ipywidgets' front end can give up on a page's widget too early under load (ipywidgets#4026);
# tw.js then reloads the page once and says so. Such a page is a recovery, not an error.
RESTORE_RACE = "widget model not found"
RELOADED = "tw: the page's widgets did not load"


def chromium_path() -> str | None:
    """Return Debian's Chromium (or ``TW_CHROMIUM``), or ``None`` if it is missing."""
    path = os.environ.get("TW_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    return path if Path(path).exists() else None


@dataclass
class Load:
    """One page load: who, which step, and milliseconds from request to ``tw-ready``."""

    who: str
    step: int
    ms: float


@dataclass
class Room:
    """What a run of the room recorded."""

    loads: list[Load] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    done: int = 0  # partners who finished every step
    saved: set[str] = field(default_factory=set)  # planted texts the page confirmed "Saved"
    recovered: list[str] = field(default_factory=list)  # pages that reloaded themselves once
    seconds: float = 0.0


class Partner:
    """One partner in their own browser context; records loads and errors into ``room``."""

    def __init__(self, room: Room, page: Page, base: str, who: str, timeout_s: float) -> None:
        self.room, self.page, self.base, self.who = room, page, base, who
        self.timeout_ms = timeout_s * 1000
        page.set_default_timeout(self.timeout_ms)
        page.on("pageerror", lambda e: self.error(f"page error: {e}"))
        page.on("console", self._console)
        page.on("response", self._response)
        self._race: list[str] = []  # restore-race errors, until the page reloads itself

    def error(self, what: str) -> None:
        self.room.errors.append(f"{self.who}: {what}")

    def _console(self, message) -> None:
        if message.type == "error" and RESTORE_RACE in message.text:
            self._race.append(message.text)
        elif message.type == "error":
            self.error(f"console: {message.text}")
        elif message.type == "warning" and message.text.startswith(RELOADED):
            self.room.recovered.append(f"{self.who}: {self.page.url}")
            self._race.clear()

    def settle(self) -> None:
        """Count a restore-race error as an error unless its page reloaded itself."""
        for text in self._race:
            self.error(f"console: {text}")
        self._race.clear()

    def _response(self, response) -> None:
        if response.status >= 400:
            self.error(f"HTTP {response.status} {response.url}")

    async def timed(self, step: int, start) -> None:
        """Run ``start()`` (a navigation) and time it until the step's page is ready."""
        t0 = time.perf_counter()
        await start()
        try:
            await self.page.wait_for_selector(
                f".tw-page.tw-step-{step}.tw-ready", timeout=self.timeout_ms
            )
        except PlaywrightTimeout:
            self.settle()
            raise PlaywrightTimeout(f"step {step} not ready: {await self._state()}") from None
        self.settle()
        self.room.loads.append(Load(self.who, step, (time.perf_counter() - t0) * 1000))
        body = await self.page.locator("body").inner_text()
        if any(text in body for text in FAILED_PAGE):
            self.error(f"step {step} shows an error page")

    async def _state(self) -> str:
        """Describe where a page got stuck, for the error report."""
        try:
            return await self.page.evaluate(
                """() => `${location.pathname} ${document.readyState}, `
                + `page ${!!document.querySelector('.tw-page')}, `
                + `cells ${document.querySelectorAll('#rendered_cells .jp-Cell').length}, `
                + `output: ` + (document.querySelector('#rendered_cells .jp-OutputArea')
                                ?.innerText ?? '').slice(0, 200)"""
            )
        except Exception as exc:  # the page may be gone or navigating
            return f"unknown ({type(exc).__name__})"

    async def landing(self) -> None:
        await self.timed(0, lambda: self.page.goto(self.base + "/", wait_until="commit"))

    async def join(self, code: str, name: str) -> str | None:
        """Join with ``code``; return the invite code shown (for a new couple), then continue."""
        await self.page.locator(".tw-welcome-code input").fill(code)
        await self.page.locator(".tw-welcome-join-name input").fill(name)
        await self.page.click(".tw-join")
        await self.page.wait_for_selector(".tw-continue")
        invite = self.page.locator(".tw-invite-code")
        return (await invite.text_content()).strip() if await invite.count() else None

    async def steps(self, card: str, note: str, *, leave: bool = True) -> None:
        """Step 1: safety check and card; step 4: check-in; then leave the page (or not)."""
        page = self.page
        await self.timed(1, lambda: page.click(".tw-continue"))
        for key, label in SAFE.items():
            await page.locator(f".tw-safety-{key} label").get_by_text(label, exact=True).click()
        await page.click(".tw-safety-save")
        await page.wait_for_selector(".tw-safety-guidance")
        await page.locator(".tw-roots-card textarea").fill(card)
        await page.click(".tw-roots-card-save")
        await page.locator(".tw-roots-card-state", has_text="Saved").wait_for()
        self.room.saved.add(card)
        await self.timed(4, lambda: page.goto(self.base + STEP4, wait_until="commit"))
        await page.locator(".tw-checkin-note textarea").fill(note)
        await page.click(".tw-checkin-save")
        await page.locator(".tw-checkin-status", has_text="Saved").wait_for()
        self.room.saved.add(note)
        self.settle()
        if leave:  # as closing the tab does: the page asks the server to stop its kernel
            await page.goto("about:blank")
        self.room.done += 1


async def _couple(browser: Browser, room: Room, base: str, code: str, i: int, tag: str,
                  timeout_s: float, drop_every: int) -> None:  # fmt: skip
    invite: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()

    async def partner(slot: int) -> None:
        who = f"couple {i:02d} {'AB'[slot]}"
        ctx = await browser.new_context(viewport=PHONE)
        try:
            p = Partner(room, await ctx.new_page(), base, who, timeout_s)
            await p.landing()
            if slot == 0:
                got = await p.join(code, partner_name(i, 0))
                if got is None:
                    raise RuntimeError("no invite code after joining the workshop")
                invite.set_result(got)
            else:
                got = await asyncio.wait_for(asyncio.shield(invite), timeout_s)
                if got is None:
                    raise RuntimeError("partner A failed before sharing an invite code")
                await p.join(got, partner_name(i, 1))
            drop = bool(drop_every) and (2 * i + slot) % drop_every == drop_every - 1
            await p.steps(card_text(tag, i, slot), note_text(tag, i, slot), leave=not drop)
        except Exception as exc:  # one partner's failure is recorded, the room goes on
            room.errors.append(f"{who}: {type(exc).__name__}: {_first_lines(exc)}")
            if not invite.done():
                invite.set_result(None)
        finally:
            await ctx.close()

    await asyncio.gather(partner(0), partner(1))


async def run_room(browser: Browser, base: str, code: str, couples: int, tag: str, *,
                   timeout_s: float = 240, deadline_s: float = 900,
                   drop_every: int = 0) -> Room:  # fmt: skip
    """Send ``couples`` couples into the room at once; return what happened (bounded).

    Every ``drop_every``-th partner (0: none) closes the browser without leaving the page,
    as a phone that dies does: the server learns nothing, and culling must end its kernel.
    """
    room = Room()
    t0 = time.monotonic()
    tasks = [_couple(browser, room, base, code, i, tag, timeout_s, drop_every)
             for i in range(couples)]  # fmt: skip
    try:
        await asyncio.wait_for(asyncio.gather(*tasks), deadline_s)
    except TimeoutError:
        room.errors.append(f"room: not done within the {deadline_s:.0f} s deadline")
    room.seconds = time.monotonic() - t0
    return room


async def floor_times(browser: Browser, base: str, loads: int, timeout_s: float = 120) -> list:
    """Time ``loads`` loads of the floor notebook by one user with a warm cache (ms).

    The first load fills the cache and is not counted, as in ``benchmarks/page_load.py``.
    """
    ctx = await browser.new_context(viewport=PHONE)
    times = []
    try:
        for n in range(loads + 1):
            page = await ctx.new_page()
            t0 = time.perf_counter()
            await page.goto(f"{base}/voila/render/{FLOOR}", wait_until="commit")
            await page.wait_for_selector(".tw-ready", timeout=timeout_s * 1000)
            if n:
                times.append((time.perf_counter() - t0) * 1000)
            await page.goto("about:blank")  # stops the floor's kernel
            await page.close()
    finally:
        await ctx.close()
    return times


async def launch(pw) -> Browser:
    """Launch the one Chromium (never a downloaded browser)."""
    path = chromium_path()
    if path is None:
        raise RuntimeError("Chromium is missing: apt-get install chromium, or set TW_CHROMIUM.")
    browser = await pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
    lower_priority("chrom")
    return browser


def lower_priority(name: str, niceness: int = BROWSER_NICE) -> None:
    """Run our own ``name*`` child processes at lower CPU priority.

    In a real room the 60 browsers run on 60 phones and laptops; here they share the
    server's 2 cores. At the same priority they would starve the server they are meant to
    measure. Renderers started later inherit the niceness from Chromium's zygote.
    """
    for proc in psutil.Process().children(recursive=True):
        try:
            if proc.name().startswith(name):
                proc.nice(niceness)
        except psutil.Error:
            continue


def _first_lines(exc: Exception) -> str:
    """The message of ``exc`` and, for Playwright, the locator it was waiting for."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    waiting = next((line for line in lines if line.startswith("- waiting for")), None)
    return " ".join(filter(None, [*lines[:1], waiting]))
