"""The dashboard widget: group numbers only, and status controls that do what they say."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from trust_widgets.demo import create_demo
from trust_widgets.identity import IdentityError, join_with_code
from trust_widgets.released_progress import today_utc
from trust_widgets.schemas import JoinRequest
from trust_widgets.store.engine import session_factory, transaction
from trust_widgets.store.models import (
    DailyNote,
    IStatement,
    Partner,
    Promise,
    SmallWin,
    Visibility,
    Workshop,
)
from trust_widgets.suppression import suppressed_label
from trust_widgets.widget_dashboard import Dashboard
from trust_widgets.workshops import create_workshop, get_workshop

MARKER = "ZEBRA-MARKER-7731"


@pytest.fixture
def demo(engine):
    """The demo workshop (6 couples, 28 days), with a marker in every kind of free text."""
    summary = create_demo(engine, couples=6, days=28)
    with transaction(engine) as s:
        s.execute(update(Partner).values(display_name=MARKER + "-name"))
        s.execute(update(Promise).values(title=MARKER + "-promise"))
        s.execute(update(IStatement).values(text=MARKER + "-statement", feel=MARKER))
        s.execute(update(DailyNote).values(text=MARKER + "-note"))
        s.execute(update(SmallWin).values(text=MARKER + "-win"))
        s.execute(update(Workshop).values(min_cell_size=3))
    return get_workshop(engine, summary.workshop.id)


def _state(board: Dashboard) -> str:
    """Everything the page would receive: widget values and the figures' JSON."""
    parts = []

    def walk(w):
        parts.append(str(getattr(w, "value", "")))
        parts.append(json.dumps(getattr(w, "outputs", ()), default=str))
        for child in getattr(w, "children", ()):
            walk(child)

    walk(board)
    parts += [f.to_json() for figs in board.figures.values() for f in figs]
    return " ".join(parts)


def test_dashboard_shows_group_numbers_and_no_marker(engine, demo):
    """Does the dashboard draw every view for the demo and leak no name or text?"""
    board = Dashboard(engine, demo)
    assert set(board.figures) == {"funnel", "participation", "trust", "topics"}
    state = _state(board)
    assert MARKER not in state
    assert "Couples joined: <strong>6</strong>" in state


def test_small_workshop_hides_its_counts(engine):
    """Are two couples shown as hidden, not as 2?"""
    ws = create_workshop(engine, "Small")
    for name in ("Ana", "Cleo"):
        join_with_code(engine, JoinRequest(code=ws.join_code, name=name))
    board = Dashboard(engine, get_workshop(engine, ws.id))
    state = _state(board)
    assert f"Couples joined: <strong>{suppressed_label(5)}</strong>" in state


def test_close_reopen_and_archive(engine):
    """Do the buttons close, reopen and, after a second click, archive the workshop?"""
    ws = create_workshop(engine, "A")
    board = Dashboard(engine, get_workshop(engine, ws.id))
    board._buttons["close"].click()
    assert board.status == "closed" and get_workshop(engine, ws.id).status == "closed"
    with pytest.raises(IdentityError):
        join_with_code(engine, JoinRequest(code=ws.join_code, name="Ana"))
    board._buttons["reopen"].click()
    assert get_workshop(engine, ws.id).status == "open"
    board._buttons["archive"].click()
    assert board.confirm_archive and get_workshop(engine, ws.id).status == "open"
    board._buttons["archive"].click()
    assert get_workshop(engine, ws.id).status == "archived"
    assert board._buttons["archive"].layout.display == "none"


def test_new_join_code_works_once_shown(engine):
    """Does 'Show a new join code' give a working code and retire the old one?"""
    ws = create_workshop(engine, "A")
    board = Dashboard(engine, get_workshop(engine, ws.id))
    board._buttons["code"].click()
    assert board.join_code and board.join_code in board._code.value
    assert join_with_code(engine, JoinRequest(code=board.join_code, name="Ana")).invite_code
    with pytest.raises(IdentityError):
        join_with_code(engine, JoinRequest(code=ws.join_code, name="Ben"))


def test_private_checkins_do_not_move_the_trust_view(engine, demo):
    """Does making check-ins private remove them from the trust view, as the rules say?"""
    from trust_widgets.store.models import CheckIn

    before = Dashboard(engine, demo).figures["trust"][0].to_json()  # today's release
    with transaction(engine) as s:
        s.execute(update(CheckIn).values(visibility=Visibility.PRIVATE))
    # Figures are released once a day: the change shows in the next day's release.
    tomorrow = today_utc() + timedelta(days=1)
    after = Dashboard(engine, demo, today=tomorrow).figures["trust"][0].to_json()
    assert before != after
    with session_factory(engine)() as s:
        assert s.scalar(select(CheckIn).limit(1)) is not None


def test_a_replaced_link_can_change_nothing(engine):
    """Once the facilitator key is replaced, can an open dashboard still close or re-code? No."""
    ws = create_workshop(engine, "A")
    allowed = [True]
    board = Dashboard(engine, get_workshop(engine, ws.id), still_allowed=lambda: allowed[0])
    allowed[0] = False
    board._buttons["close"].click()
    board._buttons["code"].click()
    assert get_workshop(engine, ws.id).status == "open" and board.join_code == ""
    assert "has been replaced" in board._error.value
