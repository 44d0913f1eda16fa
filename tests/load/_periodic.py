"""A ``with`` block that calls ``sample()`` every few seconds in a background thread."""

from __future__ import annotations

import threading


class Periodic:
    """Call ``self.sample()`` every ``interval`` seconds while in a ``with`` block.

    Subclasses call :meth:`start_sampling` from their constructor and define ``sample``.
    ``SAMPLE_AT_EXIT`` takes one last sample when the block ends.
    """

    SAMPLE_AT_EXIT = False

    def start_sampling(self, interval: float) -> None:
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def sample(self) -> None:
        raise NotImplementedError

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self._interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        if self.SAMPLE_AT_EXIT:
            self.sample()
