"""What the facilitator dashboard shows: headcounts live, everything else released daily.

A snapshot that is computed on demand can be differenced: a facilitator asks the room
"please do today's check-in now", refreshes, and the change between the two snapshots is
one partner's answers, however well each snapshot is suppressed. So the figures about what
partners did or answered (activity, the step funnel, check-in days, the trust items, the
topics) are **released once a day**: computed once per workshop and day, from what was
written before that day began (UTC), kept in the store, and shown unchanged to every
view that day. Check-in days cover completed days only, and the trust items completed
weeks only, so a released cell never changes afterwards.

The server makes each day's release just after midnight (:func:`release_all`), so nobody
chooses the moment it is computed; a dashboard opened before that makes it then. Only
who is here (couples joined, and with both partners in) stays live: the room needs it
while couples join, joining happens in front of the facilitator anyway, and it is
suppressed like every other count.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pandas as pd
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from . import _group_queries as Q
from . import group_progress as G
from .store.engine import session_factory, transaction
from .store.models import FigureRelease, Workshop, WorkshopStatus
from .suppression import check_k, suppress_share

log = logging.getLogger(__name__)

FRAMES = {
    "funnel": G.FUNNEL_COLUMNS,
    "participation": G.PARTICIPATION_COLUMNS,
    "trust": G.TRUST_COLUMNS,
    "topics": G.TOPIC_COLUMNS,
}
DATE_COLUMNS = ("day", "week_start")


@dataclass(frozen=True)
class Release:
    """One day's released figures, with the live headcounts put in.

    Attributes
    ----------
    day
        The figures cover what was written before this day (UTC) began.
    computed_at
        When the release was made.
    progress
        The figures, suppressed, as :class:`~trust_widgets.group_progress.GroupProgress`.
    """

    day: date
    computed_at: datetime
    progress: G.GroupProgress


def today_utc() -> date:
    """The day a release is for: today, in UTC, like every time in the store."""
    return datetime.now(UTC).date()


def _cell(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, date):
        return value.isoformat()
    return value.item() if hasattr(value, "item") else value


def encode(progress: G.GroupProgress) -> dict:
    """Return the figures as JSON-ready data (already suppressed: nothing raw is kept)."""
    c = progress.counts
    out: dict = {
        "counts": {"active": c.active, "window_days": c.window_days},
        "frames": {},
    }
    for name in FRAMES:
        frame: pd.DataFrame = getattr(progress, name)
        rows = [[_cell(v) for v in row] for row in frame.itertuples(index=False)]
        out["frames"][name] = {"rows": rows, "attrs": dict(frame.attrs)}
    return out


def decode(data: dict, workshop_id: int, k: int, joined: int, both: int) -> G.GroupProgress:
    """Rebuild released figures, with the live headcounts ``joined`` and ``both``."""
    frames = {}
    for name, columns in FRAMES.items():
        part = data["frames"][name]
        frame = G._frame([tuple(r) for r in part["rows"]], columns, **part["attrs"])
        for col in DATE_COLUMNS:
            if col in frame and len(frame):
                frame[col] = [date.fromisoformat(v) for v in frame[col]]
        frames[name] = frame
    counts = G.GroupCounts(
        joined=suppress_share(joined, joined, k),
        both_joined=suppress_share(both, joined, k),
        active=data["counts"]["active"],
        window_days=data["counts"]["window_days"],
        k=k,
    )
    return G.GroupProgress(workshop_id=workshop_id, k=k, counts=counts, **frames)


def _compute(engine: Engine, workshop_id: int, k: int, day: date) -> dict:
    progress = G.GroupProgress.load(
        engine, workshop_id, k, today=day - timedelta(days=1), before=day
    )
    return encode(progress)


def released(engine: Engine, workshop_id: int, k: int, day: date | None = None) -> Release:
    """Return the day's release for a workshop, making it if this is its first view.

    Raises
    ------
    ValueError
        For a workshop that does not exist, or a threshold out of range.
    """
    k = check_k(k)
    workshop_id, _ = Q.workshop_start(engine, workshop_id)
    day = day or today_utc()
    row = _stored(engine, workshop_id, k, day)
    if row is None:
        figures = _compute(engine, workshop_id, k, day)
        try:
            with transaction(engine) as s:
                s.add(FigureRelease(workshop_id=workshop_id, day=day, k=k, figures=figures))
        except IntegrityError:
            pass  # another page or server made it first: show that one, the same for all
        row = _stored(engine, workshop_id, k, day)
    joined, both = Q.couple_counts(engine, workshop_id)
    progress = decode(row.figures, workshop_id, k, joined, both)
    return Release(day=day, computed_at=row.created_at, progress=progress)


def _stored(engine: Engine, workshop_id: int, k: int, day: date) -> FigureRelease | None:
    with session_factory(engine)() as s:
        return s.scalar(
            select(FigureRelease).where(
                FigureRelease.workshop_id == workshop_id,
                FigureRelease.day == day,
                FigureRelease.k == k,
            )
        )


def release_all(engine: Engine, day: date | None = None) -> int:
    """Make today's release for every workshop still running; return how many were made."""
    day = day or today_utc()
    with session_factory(engine)() as s:
        workshops = s.execute(
            select(Workshop.id, Workshop.min_cell_size).where(
                Workshop.status != WorkshopStatus.ARCHIVED
            )
        ).all()
    made = 0
    for workshop_id, k in workshops:
        if _stored(engine, workshop_id, k, day) is None:
            released(engine, workshop_id, k, day)
            made += 1
    return made
