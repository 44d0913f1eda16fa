"""With ``--max-kernels``, a page beyond the cap waits for a place, or says the room is busy."""

from __future__ import annotations

import asyncio
import time

import pytest
from playwright.async_api import async_playwright

from . import _room, _server
from .conftest import run_async, serve, wait_for_kernels

pytestmark = pytest.mark.load

WAIT_SECONDS = 15  # the server's wait for a kernel place, set short for these tests
READY_MS = 90_000


@pytest.fixture(scope="module")
def capped(tmp_path_factory, chromium):
    """A server that runs one kernel at most."""
    voila = {"CappedKernelManager": {"wait_timeout": WAIT_SECONDS}}
    server, _, _ = serve(tmp_path_factory.mktemp("capped"), "--max-kernels", "1", voila=voila)
    yield server
    _server.stop_server(server)


async def _ready(page, base: str) -> float:
    """Open the landing page; return seconds until it is ready."""
    t0 = time.monotonic()
    await page.goto(base + "/", wait_until="commit", timeout=READY_MS)
    await page.wait_for_selector(".tw-page.tw-step-0.tw-ready", timeout=READY_MS)
    return time.monotonic() - t0


def test_a_page_beyond_the_cap_waits_and_loads_when_a_page_closes(capped):
    """Does the second page wait while the only kernel is taken, then load once it frees?"""

    async def go():
        async with async_playwright() as pw:
            browser = await _room.launch(pw)
            try:
                first = await (await browser.new_context()).new_page()
                await _ready(first, capped.base)
                second = await (await browser.new_context()).new_page()
                waiting = asyncio.create_task(_ready(second, capped.base))
                await asyncio.sleep(4)
                # (Nothing may touch the second page meanwhile: it is still navigating.)
                assert not waiting.done(), "the second page did not wait for a place"
                await first.goto("about:blank")  # closing the first page frees its kernel
                seconds = await asyncio.wait_for(waiting, READY_MS / 1000)
                await second.goto("about:blank")
                return seconds
            finally:
                await browser.close()

    assert run_async(go()) > 4
    assert wait_for_kernels(capped.proc.pid, 0) == 0


def test_a_page_that_waits_too_long_gets_a_calm_busy_page(capped):
    """After the wait limit, is the answer a calm 'busy' page (503), never a traceback?"""

    async def go():
        async with async_playwright() as pw:
            browser = await _room.launch(pw)
            try:
                holder = await (await browser.new_context()).new_page()
                await _ready(holder, capped.base)
                page = await (await browser.new_context()).new_page()
                t0 = time.monotonic()
                response = await page.goto(capped.base + "/", timeout=READY_MS)
                waited = time.monotonic() - t0
                status, text = response.status, await page.locator("body").inner_text()
                exits = await page.locator(".tw-quick-exit").count()
                notices = await page.locator(".tw-notice").count()
                await holder.goto("about:blank")
                await page.reload(wait_until="commit", timeout=READY_MS)  # a moment later
                await page.wait_for_selector(".tw-page.tw-step-0.tw-ready", timeout=READY_MS)
                await page.goto("about:blank")
                return status, text, (exits, notices), waited
            finally:
                await browser.close()

    status, text, shown, waited = run_async(go())
    assert status == 503 and waited >= WAIT_SECONDS - 1
    assert "The room is busy" in text and "reload" in text
    assert shown == (1, 1)  # the quick exit, and the message as a calm notice (no warning)
    assert "Traceback" not in text and "Error" not in text
    assert wait_for_kernels(capped.proc.pid, 0) == 0
