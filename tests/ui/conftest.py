"""A real ``trust-workshop serve`` on a free loopback port, and a real Chromium.

Chromium is never skipped: if it is missing, these tests fail and say how to install it.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests._browser import CHROMIUM_ARGS, PHONE, READY_MS, chromium_path  # noqa: F401

STEP2 = "/voila/render/02_communicate_openly.ipynb"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(folder: Path, *extra: str, one_address: bool = True):
    """Start ``trust-workshop serve`` on a free port; return (process, base URL).

    Every test browser comes from 127.0.0.1, as a room's phones never do, and a closed
    browser context leaves its page's kernel to be culled: so by default the per-address
    kernel quota is lifted (``one_address``). The per-device quota stays, and the quota's
    own tests (``tests/security``) keep every default.
    """
    if one_address:
        extra = ("--kernels-per-address", "0", *extra)
    port = free_port()
    exe = Path(sys.executable).with_name("trust-workshop")
    log_path = folder / "server.log"
    proc = subprocess.Popen(
        [
            str(exe),
            "serve",
            "--no-browser",
            "--with-demo",
            "--port",
            str(port),
            "--db",
            f"sqlite:///{folder / 'ui.sqlite3'}",
            *extra,
        ],
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(base + "/tw/away", timeout=2)
            return proc, base
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("server did not start:\n" + log_path.read_text())
            time.sleep(0.3)


def stop_server(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The app on a temporary SQLite store with the demo workshop; yields its base URL."""
    proc, base = start_server(tmp_path_factory.mktemp("server"))
    yield base
    stop_server(proc)


def wait_ready(page, step: int) -> None:
    page.wait_for_selector(f".tw-page.tw-step-{step}.tw-ready", timeout=READY_MS)


SAFE_ANSWERS = {
    "afraid": "No",
    "harm": "No",
    "monitor": "No",
    "isolate": "No",
    "money": "No",
    "safe_together": "Yes",
}


def answer_safety(page, red_flag: bool = False) -> None:
    """Answer the private safety check shown before a joint exercise, as a person would."""
    answers = SAFE_ANSWERS | ({"afraid": "Yes"} if red_flag else {})
    for key, label in answers.items():
        page.locator(f".tw-safety-{key} label").get_by_text(label, exact=True).click()
    page.click(".tw-safety-save")
    page.wait_for_selector(".tw-safety-guidance")


def start_own(page, base: str, name: str, safety: str | None = "clear") -> str:
    """Start a couple on this device's own, as a person would; return the invite code."""
    page.goto(base + "/")
    wait_ready(page, 0)
    page.locator(".tw-welcome-own-name input").fill(name)
    page.click(".tw-start-own")
    code = page.locator(".tw-invite-code").text_content().strip()
    page.click(".tw-continue")
    wait_ready(page, 1)  # a new partner lands on step 1, behind the safety check
    if safety:
        answer_safety(page, red_flag=safety == "flagged")
    page.goto(base + STEP2)
    wait_ready(page, 2)
    return code


def start_together(page, base: str, first: str, second: str) -> None:
    """Start a couple together on this one device, as two people would; lands on step 1."""
    page.goto(base + "/")
    wait_ready(page, 0)
    page.locator(".tw-welcome-name-a input").fill(first)
    page.locator(".tw-welcome-name-b input").fill(second)
    page.click(".tw-start-local")
    page.click(".tw-continue")
    wait_ready(page, 1)


def write_statement(page, feel: str, when: str) -> None:
    """Write an I-statement on step 2 and save it (private, the default)."""
    page.locator(".tw-istatement-feel input").fill(feel)
    page.locator(".tw-istatement-when input").fill(when)
    page.click(".tw-istatement-save")


def join(page, base: str, code: str, name: str, safety: str | None = "clear") -> None:
    """Join with a code on the landing page, as a person would."""
    page.goto(base + "/")
    wait_ready(page, 0)
    page.locator(".tw-welcome-code input").fill(code)
    page.locator(".tw-welcome-join-name input").fill(name)
    page.click(".tw-join")
    page.click(".tw-continue")
    wait_ready(page, 1)  # a new partner lands on step 1, behind the safety check
    if safety:
        answer_safety(page, red_flag=safety == "flagged")
    page.goto(base + STEP2)
    wait_ready(page, 2)
