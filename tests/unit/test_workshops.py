"""Workshops: secrets shown once and stored hashed, status moves, and isolation by key."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from trust_widgets.identity import IdentityError, hash_secret, join_with_code
from trust_widgets.schemas import JoinRequest
from trust_widgets.store.engine import session_factory
from trust_widgets.store.models import Workshop, WorkshopStatus
from trust_widgets.workshops import (
    WorkshopError,
    create_workshop,
    facilitator_link,
    list_workshops,
    replace_facilitator_key,
    replace_join_code,
    set_status,
    workshop_for_key,
)


def test_secrets_are_stored_hashed(engine, tmp_path):
    """Does the store hold neither the join code nor the facilitator key in clear?"""
    new = create_workshop(engine, "Tuesday group")
    engine.dispose()
    raw = b"".join(f.read_bytes() for f in tmp_path.glob("store.sqlite3*"))
    assert new.facilitator_key.encode() not in raw
    assert new.join_code.replace("-", "").encode() not in raw
    with session_factory(engine)() as s:
        w = s.scalar(select(Workshop))
        assert w.facilitator_key_hash == hash_secret(new.facilitator_key)
        assert w.min_cell_size == 5


def test_facilitator_key_opens_only_its_own_workshop(engine):
    """Does each key open its own workshop, and nothing else?"""
    a = create_workshop(engine, "A")
    b = create_workshop(engine, "B")
    assert workshop_for_key(engine, a.facilitator_key).id == a.id
    assert workshop_for_key(engine, b.facilitator_key).id == b.id
    for bad in ("", None, "x" * 500, a.facilitator_key[:-1], a.join_code):
        assert workshop_for_key(engine, bad) is None


def test_a_new_link_retires_the_old_one(engine):
    """Does replacing the facilitator key stop the old link at once?"""
    ws = create_workshop(engine, "A")
    key = replace_facilitator_key(engine, ws.id)
    assert workshop_for_key(engine, ws.facilitator_key) is None
    assert workshop_for_key(engine, key).id == ws.id


def test_link_keeps_the_key_out_of_the_request():
    """Is the key in the fragment, which browsers never send to the server?"""
    link = facilitator_link("http://127.0.0.1:8866/", "KEY")
    assert link == "http://127.0.0.1:8866/tw/facilitate#KEY"


def test_closing_stops_joins_and_reopening_allows_them(engine):
    """Does a closed workshop refuse new couples until it is reopened?"""
    ws = create_workshop(engine, "A")
    set_status(engine, ws.id, "closed")
    with pytest.raises(IdentityError, match="not taking new couples"):
        join_with_code(engine, JoinRequest(code=ws.join_code, name="Ana"))
    set_status(engine, ws.id, WorkshopStatus.OPEN)
    assert join_with_code(engine, JoinRequest(code=ws.join_code, name="Ana")).invite_code


def test_archive_is_final_and_kills_the_code(engine):
    """Does archiving end joins for good, and refuse to reopen?"""
    ws = create_workshop(engine, "A")
    assert set_status(engine, ws.id, "archived").status == WorkshopStatus.ARCHIVED
    with pytest.raises(IdentityError):
        join_with_code(engine, JoinRequest(code=ws.join_code, name="Ana"))
    with pytest.raises(WorkshopError, match="cannot be open"):
        set_status(engine, ws.id, "open")
    with pytest.raises(WorkshopError):
        replace_join_code(engine, ws.id)


def test_new_join_code_replaces_the_old(engine):
    """Does a new join code work and the old one stop?"""
    ws = create_workshop(engine, "A")
    code = replace_join_code(engine, ws.id)
    with pytest.raises(IdentityError):
        join_with_code(engine, JoinRequest(code=ws.join_code, name="Ana"))
    assert join_with_code(engine, JoinRequest(code=code, name="Ana")).invite_code


@pytest.mark.parametrize(
    ("name", "cell"), [("", 5), ("   ", 5), ("x" * 121, 5), ("Fine", 2), ("Fine", 101)]
)
def test_bad_settings_are_refused(engine, name, cell):
    """Are empty names and silly thresholds refused with a clear message, writing nothing?"""
    with pytest.raises(WorkshopError):
        create_workshop(engine, name, min_cell_size=cell)
    assert list_workshops(engine) == []


def test_unknown_workshop_is_a_clear_error(engine):
    """Do status changes on a missing workshop say so?"""
    with pytest.raises(WorkshopError, match="no workshop 99"):
        set_status(engine, 99, "closed")
    with pytest.raises(WorkshopError, match="no workshop 99"):
        replace_facilitator_key(engine, 99)


def test_list_counts_couples_per_workshop(engine):
    """Does the list count each workshop's couples, and none of another's?"""
    a = create_workshop(engine, "A")
    create_workshop(engine, "B")
    join_with_code(engine, JoinRequest(code=a.join_code, name="Ana"))
    join_with_code(engine, JoinRequest(code=a.join_code, name="Cleo"))
    assert [(info.name, n) for info, n in list_workshops(engine)] == [("A", 2), ("B", 0)]
