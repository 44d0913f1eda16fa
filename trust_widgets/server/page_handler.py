"""The page handler: Voilà's, for a room of couples, with its doors shut.

Before a page's kernel starts, the handler

1. serves only notebooks of the served folder, by their exact path, never a research
   notebook, and the new-workshop page only to this computer (:mod:`._paths`);
2. gives a new browser its device cookie (:mod:`._client`);
3. holds a place in the client's kernel quota, or answers with a calm page and
   ``Retry-After`` (:mod:`._quota`);
4. records whom the kernel will serve (its owner digest), so that its websocket answers
   only this browser (:mod:`._sockets`);
5. passes the kernel only the cookies its page needs, and the client's digests for the
   code limits, never the device cookie or another role's secrets.

Then pages wait in line: at most ``WorkshopVoila.max_rendering`` pages start their kernel
and run their notebook at once, first come first served, for up to ``RENDER_WAIT_SECONDS``.
With a kernel cap, a page also waits for a kernel place. A page that waited too long gets a
calm "busy" page with ``Retry-After``, never a traceback. Under the cap, a page takes a
preheated kernel only if that kernel has its place already: one still waiting behind the
pages would make this page wait without a time limit.
"""

from __future__ import annotations

import asyncio
import logging
import time

from voila.tornado.handler import TornadoVoilaHandler

from . import _headers
from ._client import (
    COOKIE_DEVICE,
    client_address,
    client_keys,
    device_cookie,
    is_local,
    kernel_cookie_header,
    new_device_id,
    owner_digest,
)
from ._guard import problem_page
from ._paths import page_kind, refusal
from ._quota import Reservation
from .kernels import PAGE_PLACE, CappedKernelManager, RoomBusy, Slots

log = logging.getLogger(__name__)

BUSY = (
    "The room is busy right now, so this page could not open. Nothing you saved is lost. "
    "Please reload the page in a moment."
)
TOO_MANY = (
    "This device has a lot of workshop pages open at once, so this one could not open. "
    "Nothing you saved is lost. Please close the tabs you no longer need, then reload this "
    "page in a minute."
)
BUSY_RETRY_SECONDS = 30
# A whole room arriving at once takes 2-3 minutes to clear on 2 cores: better to wait than fail.
RENDER_WAIT_SECONDS = 300
DEVICE_COOKIE_DAYS = 180
CLIENT_HEADER = "X-Tw-Client"


class PageHandler(TornadoVoilaHandler):
    """Voilà's page handler with the kit's checks and its waiting line (see the module)."""

    _notebook: str | None = None
    _queued: asyncio.Future | None = None
    _gone = False
    _place: Reservation | None = None
    _pool_task: asyncio.Future | None = None
    _nonce = ""

    @property
    def _proxies(self):
        return self.settings.get("tw_trusted_proxies", ())

    def _calm(self, status: int, message: str, *, kind: str = "error", retry: int = 0) -> None:
        self.clear()
        self.set_status(status)
        _headers.apply(self)
        self.set_header("Cache-Control", "no-store")
        if retry:
            self.set_header("Retry-After", str(retry))
        self.finish(problem_page(self.base_url, message, kind=kind))

    async def get(self, path=None) -> None:
        root = self.settings["contents_manager"].root_dir
        refused = refusal(path, root, local=is_local(self.request, self._proxies))
        if refused is not None:  # not an app page; a new workshop from another computer
            self._calm(*refused)
            return
        self._notebook = self.notebook_path or path
        km = self.kernel_manager
        if isinstance(km, CappedKernelManager) and not self._hold_place(km):
            log.warning("kernel quota reached for a client; page refused")
            self._calm(429, TOO_MANY, kind="notice", retry=km.book.retry_after())
            return
        self._nonce = _headers.new_nonce()
        _headers.apply(self, self._nonce)
        place_token = PAGE_PLACE.set(self._place)
        try:
            await self._render(path)
        finally:
            PAGE_PLACE.reset(place_token)
            self._settle_place()

    def _hold_place(self, km: CappedKernelManager) -> bool:
        """Give a new browser its device cookie, hold its quota place, trim the cookies."""
        device = device_cookie(self.request)
        if device is None:
            device = new_device_id()
            self.set_cookie(
                COOKIE_DEVICE,
                device,
                path=self.base_url,
                expires_days=DEVICE_COOKIE_DAYS,
                httponly=True,
                samesite="Lax",
                secure=self.request.protocol == "https",
            )
        cookies = self.request.headers.get("Cookie", "")
        keys = client_keys(client_address(self.request, self._proxies), device)
        self._place = km.book.reserve(
            {"address": keys.address, "device": keys.device}, owner_digest(cookies, device)
        )
        if self._place is None:
            return False
        # What the kernel sees of the request: only its own page's cookies, and the
        # client's digests. A browser's own X-Tw-Client header is replaced, never passed on.
        headers = self.request.headers
        headers.pop("Cookie", None)
        trimmed = kernel_cookie_header(cookies, page_kind(self._notebook))
        if trimmed:
            headers["Cookie"] = trimmed
        headers.pop(CLIENT_HEADER, None)
        headers[CLIENT_HEADER] = keys.header()
        return True

    def _settle_place(self) -> None:
        """After the page: its kernel must be connected to soon, or the place is given back."""
        place = self._place
        if place is None:
            return
        if self._pool_task is not None and place.kernel_id is None:
            self._bind_pool_kernel()
        if place.kernel_id is None:
            place.cancel()
        else:
            km = self.kernel_manager
            if place.kernel_id in km:
                km.expect_connection(place.kernel_id)

    async def _render(self, path) -> None:
        renders: Slots | None = self.settings.get("tw_renders")
        try:
            if renders is None:
                await super().get(path)
                return
            if not await self._wait_in_line(renders):
                return  # the browser left while waiting: nothing to render
            try:
                await super().get(path)
            finally:
                renders.release()
        except RoomBusy:
            if self._headers_written:  # cannot happen: the kernel starts before any output
                raise
            log.warning("room busy: %s waited too long for a place", self._notebook)
            self._calm(503, BUSY, kind="notice", retry=BUSY_RETRY_SECONDS)

    async def _wait_in_line(self, renders: Slots) -> bool:
        """Wait for a render place; return False if the browser left meanwhile."""
        t0 = time.monotonic()
        self._queued = asyncio.ensure_future(renders.acquire(timeout=RENDER_WAIT_SECONDS))
        try:
            await self._queued
        except asyncio.CancelledError:
            if self._gone:
                return False
            raise
        finally:
            self._queued = None
        if (waited := time.monotonic() - t0) > 5:
            log.info("%s waited %.0f s for a render place", self._notebook, waited)
        return True

    def on_connection_close(self) -> None:
        # A browser that gives up (reload, closed tab) leaves the line instead of having a
        # kernel started for nobody when its turn comes.
        self._gone = True
        if self._queued is not None:
            self._queued.cancel()
        super().on_connection_close()

    def should_use_rendered_notebook(self, *args) -> bool:
        if not super().should_use_rendered_notebook(*args):
            return False
        km = self.kernel_manager
        pool = getattr(km, "_pools", {}).get(self._notebook) or []  # Voilà 0.5's pool
        if pool and isinstance(km, CappedKernelManager) and km.waiting_for_place(pool[0]):
            return False
        self._pool_task = pool[0] if pool else None  # Voilà takes the first kernel in line
        return True

    def _bind_pool_kernel(self) -> None:
        task, place = self._pool_task, self._place
        if task is None or place is None or place.kernel_id is not None or not task.done():
            return
        if not task.cancelled() and task.exception() is None:
            place.bind(task.result()["kernel_id"])

    def write(self, chunk) -> None:
        # A preheated kernel is known only once Voilà has taken it from the pool, which is
        # before the page's first byte: bind it to this browser before anyone can see its id.
        if self._pool_task is not None:
            self._bind_pool_kernel()
        if self._nonce and isinstance(chunk, str):
            chunk = _headers.with_nonce(chunk, self._nonce)
        super().write(chunk)
