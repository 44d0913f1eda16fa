"""The dashboard cannot be differenced: figures are released once a day, and kept.

The review's attack: the facilitator says "please do today's check-in now" and refreshes;
the change between the two snapshots pins one partner's answers. Replayed here against the
demo workshop, with one partner acting between two looks, in every way a partner can.
"""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from trust_widgets.demo import create_demo
from trust_widgets.released_progress import release_all, released, today_utc
from trust_widgets.store.engine import session_factory, transaction
from trust_widgets.store.models import (
    Boundary,
    CheckIn,
    FigureRelease,
    IStatement,
    Partner,
    Visibility,
    Workshop,
)
from trust_widgets.widget_dashboard import Dashboard
from trust_widgets.workshops import get_workshop

K = 3


def _figures(board: Dashboard) -> str:
    """Everything the dashboard draws, but the live headcounts."""
    return json.dumps(
        {view: [f.to_json() for f in figs] for view, figs in board.figures.items()}, sort_keys=True
    ) + str(board.children[-1].children[1:])


def _demo(engine):
    summary = create_demo(engine, couples=8, days=35)
    with transaction(engine) as s:
        s.query(Workshop).update({Workshop.min_cell_size: K})
    return get_workshop(engine, summary.workshop.id)


def _one_partner_acts(engine, today) -> None:
    """A partner checks in high today and for yesterday, writes a statement, marks a topic."""
    with transaction(engine) as s:
        me = s.scalars(select(Partner).order_by(Partner.id)).first()
        high = dict.fromkeys(("predictability", "dependability", "faith"), 10)
        for day in (today, today - timedelta(days=1), today - timedelta(days=9)):
            s.add(
                CheckIn(couple_id=me.couple_id, author_id=me.id, day=day, ratings=high,
                        instrument_version="tw-checkin-v1", visibility=Visibility.SHARED)
            )  # fmt: skip
        s.add(IStatement(couple_id=me.couple_id, author_id=me.id, feel="hurt", when="x", text="x"))
        s.merge(Boundary(couple_id=me.couple_id, author_id=me.id, topic="passwords",
                         answer="discuss", visibility=Visibility.SHARED))  # fmt: skip


def test_two_looks_minutes_apart_never_differ_because_one_partner_acted(engine):
    """After "please check in now" and a refresh, does any figure move? No: not one."""
    ws = _demo(engine)
    first = Dashboard(engine, ws)
    before = _figures(first)
    _one_partner_acts(engine, today_utc())
    first.refresh()
    second = Dashboard(engine, ws)  # another device, too
    assert _figures(first) == before
    assert _figures(second) == before


def test_the_next_days_release_shows_what_happened(engine):
    """Is the partner's activity then lost for good? No: the next day's release has it."""
    ws = _demo(engine)
    before = _figures(Dashboard(engine, ws))
    _one_partner_acts(engine, today_utc())
    tomorrow = today_utc() + timedelta(days=1)
    assert _figures(Dashboard(engine, ws, today=tomorrow)) != before


def test_a_release_covers_completed_days_and_weeks_only(engine):
    """Does a release show today's check-ins, or a week that is not over? No."""
    ws = _demo(engine)
    today = today_utc()
    _one_partner_acts(engine, today)
    progress = released(engine, ws.id, K, today + timedelta(days=1)).progress
    assert progress.participation.empty or max(progress.participation["day"]) < today + timedelta(
        days=1
    )
    weeks = progress.trust
    if len(weeks):
        assert max(weeks["week_start"]) + timedelta(days=7) <= today + timedelta(days=1)


def test_each_day_is_computed_once_and_kept(engine):
    """Is a day's release made once, stored, and the same for everyone? Yes, once per day."""
    ws = _demo(engine)
    assert release_all(engine) == 1
    assert release_all(engine) == 0
    released(engine, ws.id, K)
    with session_factory(engine)() as s:
        rows = s.scalars(select(FigureRelease)).all()
    assert [(r.workshop_id, r.day, r.k) for r in rows] == [(ws.id, today_utc(), K)]
    assert "hurt" not in json.dumps(rows[0].figures)  # counts only, already suppressed
