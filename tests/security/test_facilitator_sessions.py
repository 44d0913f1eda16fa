"""The facilitator's link is swapped for a session: stored hashed, expiring, revocable."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.security._attacks import DASHBOARD, LANDING, Device
from trust_widgets.facilitator_sessions import (
    end_session,
    open_session,
    revoke_sessions,
    workshop_for_session,
)
from trust_widgets.identity import hash_secret
from trust_widgets.store.engine import session_factory, transaction
from trust_widgets.store.models import FacilitatorSession
from trust_widgets.widget_dashboard import Dashboard
from trust_widgets.workshops import create_workshop, get_workshop, replace_facilitator_key


def test_the_key_becomes_a_session_stored_hashed(engine):
    """Is the link's key kept anywhere after sign-in? No: a new session id, kept as a hash."""
    ws = create_workshop(engine, "Tuesday")
    session = open_session(engine, ws.facilitator_key)
    assert session and session != ws.facilitator_key
    with session_factory(engine)() as s:
        [row] = s.scalars(select(FacilitatorSession)).all()
    assert row.token_hash == hash_secret(session) and session not in repr(row.__dict__)
    assert workshop_for_session(engine, session).id == ws.id
    assert workshop_for_session(engine, ws.facilitator_key) is None  # the key is no session
    assert open_session(engine, "not-the-key") is None


def test_sessions_expire(engine):
    """Does a session open the dashboard after its workshop day is over? No."""
    ws = create_workshop(engine, "Tuesday")
    session = open_session(engine, ws.facilitator_key)
    with transaction(engine) as s:
        for row in s.scalars(select(FacilitatorSession)):
            row.expires_at = row.created_at - timedelta(seconds=1)
    assert workshop_for_session(engine, session) is None


def test_sign_out_and_revoke_end_sessions(engine):
    """Do sign-out, 'sign out every device' and a replaced link each end sessions at once?"""
    ws = create_workshop(engine, "Tuesday")
    laptop, phone = (
        open_session(engine, ws.facilitator_key),
        open_session(engine, ws.facilitator_key),
    )
    end_session(engine, laptop)
    assert workshop_for_session(engine, laptop) is None
    assert workshop_for_session(engine, phone) is not None
    assert revoke_sessions(engine, ws.id) == 1
    assert workshop_for_session(engine, phone) is None
    again = open_session(engine, ws.facilitator_key)
    replace_facilitator_key(engine, ws.id)
    assert workshop_for_session(engine, again) is None


def test_the_dashboard_signs_every_device_out(engine):
    """Does the dashboard's button sign out every facilitator device, and then change nothing?"""
    ws = create_workshop(engine, "Tuesday")
    session = open_session(engine, ws.facilitator_key)
    board = Dashboard(
        engine,
        get_workshop(engine, ws.id),
        still_allowed=lambda: workshop_for_session(engine, session) is not None,
    )
    board._buttons["revoke"].click()
    assert workshop_for_session(engine, session) is None
    assert "signed out" in board._error.value
    board._buttons["close"].click()
    assert get_workshop(engine, ws.id).status == "open"


def test_the_cookie_holds_a_session_not_the_key(secure_server):
    """Does the facilitator's browser ever hold the key in a cookie? No: a session of its own."""
    ws = create_workshop(secure_server.engine, "Thursday")
    device = Device(secure_server.base)
    device.get(LANDING)
    r = device.post("/tw/facilitate", {"key": ws.facilitator_key})
    assert r.status == 302
    cookie = device.cookies["tw_facilitator"]
    assert cookie != ws.facilitator_key and ws.facilitator_key not in str(device.cookies)
    assert device.get(DASHBOARD).status == 200
    assert device.post("/tw/facilitate/signout", {}).status == 302
    assert workshop_for_session(secure_server.engine, cookie) is None
