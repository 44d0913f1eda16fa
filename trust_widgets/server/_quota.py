"""Whose each page kernel is, and how many kernels one client may hold.

Plain bookkeeping, with no Tornado or Jupyter in it, so it is tested without a server:

- each page kernel's **owner** (see :func:`._client.owner_digest`);
- a **quota** per client address and per device: a client's kernels are those still
  running, plus those it started in the last :data:`WINDOW_SECONDS` that no page ever
  connected to. The second part means a client that only requests pages, and never opens
  them, cannot start more than its quota in any minute, although such kernels are stopped
  after :data:`CONNECT_SECONDS` (:data:`LOADING_SECONDS` if the page said it is loading).
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass, field

WINDOW_SECONDS = 60.0
CONNECT_SECONDS = 30.0  # a page kernel nobody connects to within this is stopped...
# ...unless its page said from the browser that it is still loading (an inline script, as
# the page is parsed): then within this. In a room of 60 browsers on 2 cores, some pages
# need most of a minute between arriving and connecting.
LOADING_SECONDS = 90.0
DEFAULT_PER_DEVICE = 6  # a shared device: two partners with a few tabs each
DEFAULT_PER_ADDRESS = 12  # a household or a small office behind one address


@dataclass
class _Entry:
    keys: dict[str, str]
    owner: str
    started: float
    kernel_id: str | None = None
    connected: bool = False
    loading: bool = False
    stopped: float | None = None


@dataclass
class Reservation:
    """A place in a client's quota, held from the page request until its kernel stops."""

    _book: KernelBook
    _entry: _Entry

    @property
    def kernel_id(self) -> str | None:
        """The kernel started for the page, once there is one."""
        return self._entry.kernel_id

    def bind(self, kernel_id: str) -> None:
        """Tie the place to the kernel that was started for the page."""
        self._entry.kernel_id = kernel_id
        self._book._by_kernel[kernel_id] = self._entry

    def cancel(self) -> None:
        """Give the place back: no kernel was started."""
        if self._entry.kernel_id is None and self._entry in self._book._entries:
            self._book._entries.remove(self._entry)


@dataclass
class KernelBook:
    """Owners and quotas of page kernels (see the module text).

    Parameters
    ----------
    limits
        The most kernels per key kind (``"address"``, ``"device"``); 0 means no limit.
    """

    limits: dict[str, int] = field(default_factory=dict)
    clock: Callable[[], float] = time.monotonic
    _entries: list[_Entry] = field(default_factory=list)
    _by_kernel: dict[str, _Entry] = field(default_factory=dict)

    def _counts(self, kind: str, key: str) -> int:
        now = self.clock()
        return sum(
            e.keys.get(kind) == key
            and (e.stopped is None or (not e.connected and now - e.started < WINDOW_SECONDS))
            for e in self._entries
        )

    def _prune(self) -> None:
        now = self.clock()
        self._entries = [
            e
            for e in self._entries
            if e.stopped is None or (not e.connected and now - e.started < WINDOW_SECONDS)
        ]

    def reserve(self, keys: dict[str, str | None], owner: str) -> Reservation | None:
        """Hold a place for a new page kernel, or return ``None`` when the client is full."""
        self._prune()
        keys = {kind: key for kind, key in keys.items() if key}
        for kind, key in keys.items():
            limit = self.limits.get(kind, 0)
            if limit and self._counts(kind, key) >= limit:
                return None
        entry = _Entry(keys=keys, owner=owner, started=self.clock())
        self._entries.append(entry)
        return Reservation(self, entry)

    def retry_after(self) -> int:
        """Seconds a refused client should wait before trying again."""
        return int(WINDOW_SECONDS)

    def owner(self, kernel_id: str) -> str | None:
        """Return the digest of whom the kernel serves; ``None`` for a kernel of no page."""
        entry = self._by_kernel.get(kernel_id)
        return entry.owner if entry is not None else None

    def is_owner(self, kernel_id: str, owner: str) -> bool:
        """Tell whether ``owner`` may use the kernel (a kernel of no page: nobody may)."""
        known = self.owner(kernel_id)
        return known is not None and hmac.compare_digest(known, owner)

    def connected(self, kernel_id: str) -> None:
        """Note that the kernel's page connected to it."""
        entry = self._by_kernel.get(kernel_id)
        if entry is not None:
            entry.connected = True

    def loading(self, kernel_id: str) -> None:
        """Note that the kernel's page runs in a browser and is still loading."""
        entry = self._by_kernel.get(kernel_id)
        if entry is not None:
            entry.loading = True

    def is_loading(self, kernel_id: str) -> bool:
        entry = self._by_kernel.get(kernel_id)
        return entry is not None and entry.loading and not entry.connected

    def ever_connected(self, kernel_id: str) -> bool:
        entry = self._by_kernel.get(kernel_id)
        return entry is not None and entry.connected

    def stopped(self, kernel_id: str) -> None:
        """Note that the kernel stopped; its place frees now, or at the window's end."""
        entry = self._by_kernel.pop(kernel_id, None)
        if entry is not None:
            entry.stopped = self.clock()
        self._prune()

    def held(self, kind: str, key: str) -> int:
        """How many places the key holds now (for tests and the attack script)."""
        self._prune()
        return self._counts(kind, key)
