"""The facilitator's routes over real HTTP: the private link, handouts, and no key in logs."""

from __future__ import annotations

import urllib.request

import pytest

from trust_widgets.store.engine import get_engine
from trust_widgets.workshops import create_workshop

from .conftest import start_server, stop_server
from .test_handlers import call


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    """A server with one workshop; yields (base URL, facilitator key, server log path)."""
    folder = tmp_path_factory.mktemp("facilitator-routes")
    ws = create_workshop(get_engine(f"sqlite:///{folder / 'ui.sqlite3'}"), "Tuesday group")
    proc, base = start_server(folder)
    yield base, ws.facilitator_key, folder / "server.log"
    stop_server(proc)


def test_sign_in_page_is_a_plain_form(room):
    """Does the link's page offer a labelled key field, with the quick exit, and no key?"""
    base, key, _ = room
    status, _, body = call(base + "/tw/facilitate")
    assert status == 200
    assert 'class="tw-quick-exit"' in body and 'for="tw-facilitator-key"' in body
    assert key not in body


def test_wrong_key_is_refused_calmly(room):
    """Does a wrong key get a clear message, no cookie, and no traceback?"""
    base, _, _ = room
    status, head, body = call(base + "/tw/facilitate", {"key": "not-the-key"}, Origin=base)
    assert status == 403 and "Set-Cookie" not in head
    assert "does not open any workshop" in body and "Traceback" not in body


def test_right_key_sets_a_strict_cookie(room):
    """Does the right key set an HttpOnly, SameSite=Strict cookie and open the dashboard?"""
    base, key, _ = room
    status, head, _ = call(base + "/tw/facilitate", {"key": key}, Origin=base)
    assert status == 302 and head["Location"].endswith("facilitator/dashboard.ipynb")
    cookie = head["Set-Cookie"].lower()
    assert "tw_facilitator=" in cookie and "httponly" in cookie and "samesite=strict" in cookie


def test_cross_site_key_post_is_refused(room):
    """Can another site post a key to sign a visitor in as facilitator? No."""
    base, key, _ = room
    status, head, _ = call(
        base + "/tw/facilitate", {"key": key}, **{"Sec-Fetch-Site": "cross-site"}
    )
    assert status == 403 and "Set-Cookie" not in head


def test_handouts_are_served_as_html_and_pdf(room):
    """Are the handouts there for every guide step, in HTML and PDF, and nothing else?"""
    base, _, _ = room
    for step in range(1, 7):
        status, head, body = call(f"{base}/tw/handouts/step-{step}.html")
        assert status == 200 and head["Content-Type"].startswith("text/html")
        assert "<script" not in body
        with urllib.request.urlopen(f"{base}/tw/handouts/step-{step}.pdf", timeout=60) as resp:
            assert resp.headers["Content-Type"] == "application/pdf"
            assert resp.read(5) == b"%PDF-"
    assert call(f"{base}/tw/handouts/step-9.html")[0] == 404


def test_key_never_reaches_the_server_log(room):
    """After sign-ins, does the server log hold the facilitator key anywhere? It must not."""
    base, key, log = room
    call(base + "/tw/facilitate", {"key": key}, Origin=base)
    assert key not in log.read_text()
