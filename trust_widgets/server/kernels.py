"""A cap on the kernels one server runs at once: pages beyond it wait for a place.

Every page load starts a kernel of 50-130 MB that lives while the page is open. Without a
cap, a room where everyone opens a page at once starts as many kernels as there are open
pages, on a laptop that may not have the memory, and every one of them competes for the same
few cores. With ``max_kernels`` set, a page whose kernel would go over the cap waits, first
come first served, until a kernel stops (its page closes, it is culled, or it dies), for at
most ``wait_timeout`` seconds; then it gets :class:`RoomBusy`, which the page handler turns
into a calm "the room is busy" page.

Preheated kernels (``--preheat``) count too, since they hold memory as well. Refilling the
pool waits behind every waiting page and without a time limit: a page never loses its turn
to a kernel that nobody has asked for yet.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections import deque
from contextvars import ContextVar

from jupyter_core.utils import ensure_async
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Float, Int

from .._request import QUERY_SECRET_ENV
from ._logs import kernel_tag
from ._quota import (
    CONNECT_SECONDS,
    DEFAULT_PER_ADDRESS,
    DEFAULT_PER_DEVICE,
    LOADING_SECONDS,
    KernelBook,
    Reservation,
)

WAIT_SECONDS = 60.0
_PREHEAT_ENV = "VOILA_PREHEAT"  # Voilà sets it to "True" in the env of pool kernels
# The quota place of the page being rendered; the page handler sets it, and a kernel
# started while it is set belongs to that page (Voilà starts it in the handler's task).
PAGE_PLACE: ContextVar[Reservation | None] = ContextVar("tw_page_place", default=None)
log = logging.getLogger(__name__)


class RoomBusy(Exception):
    """No kernel place came free within the wait limit."""


class SlotsClosed(RuntimeError):
    """The server is stopping: no more kernels start."""


class Slots:
    """Count places; hand free ones out first come, first served, pages before pool refills.

    Used for kernel places, and for the pages being rendered at once.

    Parameters
    ----------
    limit
        The most places at once; 0 means no limit (places are still counted).
    """

    def __init__(self, limit: int = 0) -> None:
        if limit < 0:
            raise ValueError("A limit must be 0 (no limit) or more.")
        self.limit = limit
        self.used = 0
        self.closed = False
        self._queue: deque[tuple[bool, asyncio.Future]] = deque()

    @property
    def waiting(self) -> int:
        """How many requests are waiting for a place."""
        return sum(not fut.done() for _, fut in self._queue)

    def _free(self) -> bool:
        return not self.limit or self.used < self.limit

    def _dispatch(self) -> None:
        # Grant places in queue order, waiting pages before waiting pool refills.
        while self._free():
            pending = [(page, fut) for page, fut in self._queue if not fut.done()]
            self._queue = deque(pending)
            entry = next((e for e in pending if e[0]), None) or next(iter(pending), None)
            if entry is None:
                return
            self._queue.remove(entry)
            self.used += 1
            entry[1].set_result(None)

    async def acquire(self, *, page: bool = True, timeout: float | None = None) -> None:
        """Take a place, waiting for one if need be.

        Raises
        ------
        RoomBusy
            No place came free within ``timeout`` seconds (``None``: wait as long as it takes).
        SlotsClosed
            The slots were closed before or while waiting.
        """
        if self.closed:
            raise SlotsClosed("The server is stopping.")
        fut = asyncio.get_running_loop().create_future()
        self._queue.append((page, fut))
        self._dispatch()
        try:
            await asyncio.wait_for(asyncio.shield(fut), timeout)
        except (TimeoutError, asyncio.CancelledError) as exc:
            if fut.done() and not fut.cancelled() and fut.exception() is None:
                self.release()  # granted just as the wait ended: pass the place on
            else:
                fut.cancel()
            if isinstance(exc, TimeoutError):
                raise RoomBusy(f"no place came free within {timeout} s") from None
            raise

    def release(self) -> None:
        """Give a place back and hand it to the next in line."""
        self.used = max(0, self.used - 1)
        self._dispatch()

    def close(self) -> None:
        """Refuse new requests and fail the waiting ones (the server is stopping)."""
        self.closed = True
        for _, fut in self._queue:
            if not fut.done():
                fut.set_exception(SlotsClosed("The server is stopping."))
        self._queue.clear()


class CappedKernelManager(AsyncMappingKernelManager):
    """Jupyter Server's kernel manager with a cap on running kernels (see the module text).

    It also keeps the :class:`~._quota.KernelBook`: whom each page kernel serves, and how
    many kernels each client holds. A page kernel that no page connects to within
    ``connect_timeout`` seconds is stopped.
    """

    max_kernels = Int(0, config=True, help="Most kernels at once (0: no cap).")
    wait_timeout = Float(
        WAIT_SECONDS, config=True, help="Seconds a page waits for a kernel place before 'busy'."
    )
    kernels_per_device = Int(
        DEFAULT_PER_DEVICE, config=True, help="Most page kernels one device holds (0: no limit)."
    )
    kernels_per_address = Int(
        DEFAULT_PER_ADDRESS,
        config=True,
        help="Most page kernels one client address holds (0: no limit).",
    )
    connect_timeout = Float(
        CONNECT_SECONDS,
        config=True,
        help="Seconds after its page is sent before a kernel nobody connected to is stopped.",
    )
    loading_timeout = Float(
        LOADING_SECONDS,
        config=True,
        help="The same, for a kernel whose page said from the browser that it is loading.",
    )

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.slots = Slots(self.max_kernels)
        self._held: set[str] = set()
        self._pool_waits: set[asyncio.Task] = set()
        self._checks: set[asyncio.Task] = set()
        self.query_secrets: dict[str, str] = {}
        self.book = KernelBook(
            limits={"device": self.kernels_per_device, "address": self.kernels_per_address}
        )

    def waiting_for_place(self, task: asyncio.Future) -> bool:
        """Tell whether ``task`` (a pool refill) is still waiting for a kernel place."""
        return task in self._pool_waits

    async def start_kernel(self, *, kernel_id: str | None = None, **kwargs) -> str:
        """Start a kernel once a place is free; a page waits at most ``wait_timeout``."""
        if kernel_id is not None and kernel_id in self:
            return await super().start_kernel(kernel_id=kernel_id, **kwargs)
        pool = (kwargs.get("env") or {}).get(_PREHEAT_ENV) == "True"
        secret = None
        if pool:  # only this kernel may fetch its page's request (see _sockets)
            secret = secrets.token_urlsafe(32)
            kwargs["env"] = {**kwargs["env"], QUERY_SECRET_ENV: secret}
        task = asyncio.current_task()
        if pool and task is not None:
            self._pool_waits.add(task)
        try:
            await self.slots.acquire(page=not pool, timeout=None if pool else self.wait_timeout)
        finally:
            self._pool_waits.discard(task)
        try:
            kernel_id = await super().start_kernel(kernel_id=kernel_id, **kwargs)
        except BaseException:
            self.slots.release()
            raise
        self._held.add(kernel_id)
        if secret is not None:
            self.query_secrets[kernel_id] = secret
        place = None if pool else PAGE_PLACE.get()
        if place is not None:
            place.bind(kernel_id)
        if kernel_id not in self._kernels:  # it died before we noted it
            self._forget(kernel_id)
        return kernel_id

    def expect_connection(self, kernel_id: str) -> None:
        """Stop the kernel unless its page connects within ``connect_timeout`` seconds
        (``loading_timeout`` once its page has said it is loading)."""

        async def check() -> None:
            await asyncio.sleep(self.connect_timeout)
            if self.book.is_loading(kernel_id):  # a slow browser, not a script: more time
                await asyncio.sleep(max(0.0, self.loading_timeout - self.connect_timeout))
            if kernel_id in self and not self.book.ever_connected(kernel_id):
                log.warning("stopping kernel %s: its page never connected", kernel_tag(kernel_id))
                with contextlib.suppress(KeyError, RuntimeError):  # it stopped meanwhile
                    await ensure_async(self.shutdown_kernel(kernel_id))

        task = asyncio.ensure_future(check())
        self._checks.add(task)  # a reference, so the task is not collected before it runs
        task.add_done_callback(self._checks.discard)

    def remove_kernel(self, kernel_id: str):
        """Drop a stopped, culled or dead kernel from the map, and free its place."""
        km = super().remove_kernel(kernel_id)
        self._forget(kernel_id)
        self.book.stopped(kernel_id)
        self.query_secrets.pop(kernel_id, None)
        return km

    def _forget(self, kernel_id: str) -> None:
        if kernel_id in self._held:
            self._held.discard(kernel_id)
            self.slots.release()

    async def shutdown_all(self, *args, **kwargs) -> None:
        """Stop every kernel; kernels still waiting for a place never start."""
        self.slots.close()
        await ensure_async(super().shutdown_all(*args, **kwargs))
