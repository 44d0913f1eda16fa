"""The one real Chromium of a test run, and the options every layer launches it with.

Playwright's sync API runs its own event loop in the main thread, so a run may hold only one
sync browser at a time: the fixtures live in ``tests/conftest.py``, defined once for every layer.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
READY_MS = 90_000


def chromium_path() -> str:
    path = os.environ.get("TW_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(
            "Chromium is missing: install Debian's `chromium` (apt-get install chromium) "
            "or set TW_CHROMIUM. Browser tests are never skipped."
        )
    return path
