"""Shared fixtures: a real SQLite store in a temporary folder, and couples in it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from playwright.sync_api import sync_playwright

from tests._browser import CHROMIUM_ARGS, PHONE, READY_MS, chromium_path
from trust_widgets._request import DeviceSession
from trust_widgets.context import Viewer, viewer_from_session
from trust_widgets.identity import join_with_code, redeem_claim, start_couple
from trust_widgets.schemas import JoinRequest
from trust_widgets.store.engine import create_store_engine
from trust_widgets.store.migrate import upgrade


@pytest.fixture
def engine(tmp_path):
    """A migrated store in a real SQLite file."""
    eng = create_store_engine(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    upgrade(eng)
    yield eng
    eng.dispose()


@dataclass
class Couple:
    a_token: str
    b_token: str
    a: Viewer
    b: Viewer


def make_couple(engine, name_a: str = "Ana", name_b: str = "Ben") -> Couple:
    """Create a couple on two devices, the way the landing page does."""
    started = start_couple(engine, name_a)
    [a_token] = redeem_claim(engine, started.claim_code)
    joined = join_with_code(engine, JoinRequest(code=started.invite_code, name=name_b))
    [b_token] = redeem_claim(engine, joined.claim_code)
    a = viewer_from_session(engine, DeviceSession((a_token,)))
    b = viewer_from_session(engine, DeviceSession((b_token,)))
    return Couple(a_token, b_token, a, b)


@pytest.fixture
def couple(engine) -> Couple:
    return make_couple(engine)


@pytest.fixture
def other_couple(engine) -> Couple:
    return make_couple(engine, "Cleo", "Dev")


# One sync Chromium for the whole run (see tests/_browser.py), shared by ui and security.
@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def new_context(browser):
    """Open fresh browser contexts (separate cookie jars), phone-sized; close them after."""
    contexts = []

    def make(**kwargs):
        ctx = browser.new_context(viewport=PHONE, **kwargs)
        ctx.set_default_timeout(READY_MS)
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()
