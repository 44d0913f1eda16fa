"""Load tests: a real ``trust-workshop serve`` on loopback and one real Chromium.

Chromium is never skipped: if it is missing, these tests fail and say how to install it.
Every wait is bounded; only processes started here are stopped.
"""

from __future__ import annotations

import asyncio
import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from . import _room, _server

KERNELS_GONE_SECONDS = 60


@pytest.fixture(scope="session")
def chromium() -> str:
    path = _room.chromium_path()
    if path is None:
        pytest.fail(
            "Chromium is missing: install Debian's `chromium` (apt-get install chromium) "
            "or set TW_CHROMIUM. Load tests are never skipped."
        )
    return path


def serve(folder: Path, *args: str, voila: dict | None = None):
    """Start a server on a fresh store with one workshop; return (server, db URL, join code).

    ``voila`` is written as ``voila.json`` in the server's working folder (Voilà reads it).
    """
    if voila:
        (folder / "voila.json").write_text(json.dumps(voila))
    db_url, code = _server.make_store(folder)
    notebooks = _server.make_notebooks(folder / "notebooks")
    return _server.start_server(folder, db_url, notebooks, *args), db_url, code


def wait_for_kernels(pid: int, count: int, seconds: float = KERNELS_GONE_SECONDS) -> int:
    """Wait (bounded) until the server runs ``count`` kernels; return the last count seen."""
    deadline = time.monotonic() + seconds
    while True:
        kernels, _ = _server.kernels_and_memory(pid)
        if kernels == count or time.monotonic() > deadline:
            return kernels
        time.sleep(1)


def run_async(coro):
    """Run ``coro`` on its own loop in a new thread: other tests may leave a loop running here.

    Every coroutine these tests run is bounded in time by its own timeouts.
    """
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()
