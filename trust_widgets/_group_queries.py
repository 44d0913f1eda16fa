"""The store reads behind :mod:`trust_widgets.group_progress`: raw, unsuppressed counts.

Every query is scoped to one workshop's couples through :func:`_couples` (a couple at home,
``workshop_id`` NULL, never matches). Counting is done by GROUP BY in the database; the one
exception is the trust ratings, whose JSON is read in Python, and only from shared
check-ins. What leaves this module is counts keyed by step, day, week, item or guide topic:
never a couple, a partner, a name or a word anyone wrote. Nothing here is suppressed yet,
so nothing here may be shown as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from numbers import Integral

import pandas as pd
from sqlalchemy import Engine, Select, case, func, literal, select, union, union_all

from .boundaries import GUIDE_TOPICS
from .instrument import DEFAULT_KEY, InstrumentError, load_instrument
from .progress_data import _rating, _scales
from .store.engine import session_factory
from .store.models import (
    AgreementItem,
    Boundary,
    CheckIn,
    Couple,
    IStatement,
    Partner,
    Promise,
    Reflection,
    SmallWin,
    Visibility,
    Workshop,
)

# Activity is the fact that something was written. Safety checks, consents and private
# notes never count, not even as a fact: nothing about them reaches a facilitator.
ACTIVITY_MODELS = (IStatement, Reflection, Boundary, AgreementItem, Promise, CheckIn, SmallWin)
FUNNEL_STEPS = (1, 2, 3, 4, 5)
# A partner's weekly mean, as a share of the item's scale, falls in one of three bins;
# on 0-10 that is 0-3, 4-6 and 7-10 for whole numbers.
BINS = (("low", 0.35), ("middle", 0.65), ("high", float("inf")))


class UnknownWorkshop(LookupError, ValueError):
    """No workshop has this id; the message is safe to show. A ``ValueError`` too, so
    callers that catch bad input catch it."""


def _couples(workshop_id: int) -> Select:
    return select(Couple.id).where(Couple.workshop_id == workshop_id)


def workshop_start(engine: Engine, workshop_id: object) -> tuple[int, date]:
    """Return the checked workshop id and the UTC date it was created on."""
    if isinstance(workshop_id, bool) or not isinstance(workshop_id, Integral):
        raise UnknownWorkshop("A workshop is chosen by its number.")
    with session_factory(engine)() as s:
        created = s.scalar(select(Workshop.created_at).where(Workshop.id == int(workshop_id)))
    if created is None:
        raise UnknownWorkshop(f"There is no workshop number {int(workshop_id)}.")
    # SQLite hands back naive UTC; PostgreSQL an aware time.
    return int(workshop_id), (created.astimezone(UTC) if created.tzinfo else created).date()


def couple_counts(engine: Engine, workshop_id: int) -> tuple[int, int]:
    """Couples with at least one partner, and couples with both partners."""
    per_couple = (
        select(Partner.couple_id, func.count().label("n"))
        .where(Partner.couple_id.in_(_couples(workshop_id)))
        .group_by(Partner.couple_id)
        .subquery()
    )
    query = select(
        func.count(), func.coalesce(func.sum(case((per_couple.c.n >= 2, 1), else_=0)), 0)
    )
    with session_factory(engine)() as s:
        joined, both = s.execute(query).one()
    return int(joined), int(both)


def active_couples(engine: Engine, workshop_id: int, since: datetime, until: datetime) -> int:
    """Couples with any entry (of :data:`ACTIVITY_MODELS`) created in ``[since, until)``."""
    branches = [
        select(m.couple_id.label("couple_id")).where(
            m.couple_id.in_(_couples(workshop_id)), m.created_at >= since, m.created_at < until
        )
        for m in ACTIVITY_MODELS
    ]
    ids = union(*branches).subquery()
    with session_factory(engine)() as s:
        return int(s.scalar(select(func.count()).select_from(ids)) or 0)


def furthest_steps(engine: Engine, workshop_id: int) -> dict[int, int]:
    """Couples by the furthest step (1-5) either partner completed, as in ``pages.py``."""
    couples = _couples(workshop_id)
    done = {
        1: (Reflection, (Reflection.step == 1,)),
        2: (IStatement, ()),
        3: (Boundary, ()),
        4: (CheckIn, ()),
        5: (Reflection, (Reflection.step == 5,)),
    }
    rows = union_all(
        *(
            select(m.couple_id.label("couple_id"), literal(n).label("step")).where(
                m.couple_id.in_(couples), *extra
            )
            for n, (m, extra) in done.items()
        )
    ).subquery()
    furthest = select(func.max(rows.c.step).label("step")).group_by(rows.c.couple_id).subquery()
    query = select(furthest.c.step, func.count()).group_by(furthest.c.step)
    with session_factory(engine)() as s:
        return {int(step): int(n) for step, n in s.execute(query)}


def checkin_days(engine: Engine, workshop_id: int, before: date | None = None) -> dict[date, int]:
    """Couples with at least one check-in (of any visibility: the fact only), per day
    (only days before ``before``, if given)."""
    query = (
        select(CheckIn.day, func.count(func.distinct(CheckIn.couple_id)))
        .where(CheckIn.couple_id.in_(_couples(workshop_id)), *_days_before(before))
        .group_by(CheckIn.day)
    )
    with session_factory(engine)() as s:
        return {day: int(n) for day, n in s.execute(query)}


def discussed_topics(engine: Engine, workshop_id: int) -> dict[str, int]:
    """Couples in which a partner marked a guide topic "discuss" and allowed the reveal."""
    keys = [key for key, _ in GUIDE_TOPICS]
    query = (
        select(Boundary.topic, func.count(func.distinct(Boundary.couple_id)))
        .where(
            Boundary.couple_id.in_(_couples(workshop_id)),
            Boundary.visibility == Visibility.SHARED,
            Boundary.answer == "discuss",
            Boundary.topic.in_(keys),  # couples' own topics are never read
        )
        .group_by(Boundary.topic)
    )
    with session_factory(engine)() as s:
        return {topic: int(n) for topic, n in s.execute(query)}


def first_shared_checkin(engine: Engine, workshop_id: int) -> date | None:
    """The earliest day of a shared check-in in the workshop, if any."""
    query = select(func.min(CheckIn.day)).where(
        CheckIn.couple_id.in_(_couples(workshop_id)), CheckIn.visibility == Visibility.SHARED
    )
    with session_factory(engine)() as s:
        return s.scalar(query)


def active_scales() -> tuple[str, dict[str, tuple[int, int]], tuple[str, ...], frozenset[str]]:
    """The active instrument's key, item ranges, trust items and reverse-scored items."""
    try:
        key = load_instrument().key
    except (InstrumentError, ValueError):
        key = DEFAULT_KEY
    return key, *_scales(key)


def bin_of(score: float) -> str:
    """The bin of a score on 0-10 (the item's scale rescaled)."""
    return next(name for name, upper in BINS if score / 10 < upper)


def bin_values(low: int, high: int, reverse: bool = False) -> dict[str, tuple[int, int] | None]:
    """The whole numbers of an item's own scale in each bin, as (first, last), or None."""
    found: dict[str, list[int]] = {name: [] for name, _ in BINS}
    for value in range(low, high + 1):
        found[bin_of(_rating(value, low, high, reverse))].append(value)
    return {name: (min(v), max(v)) if v else None for name, v in found.items()}


def weekly_trust(
    engine: Engine,
    workshop_id: int,
    start: date,
    items: Iterable[str],
    before: date | None = None,
) -> pd.DataFrame:
    """Each partner's weekly mean of each trust item, from SHARED check-ins only.

    Returns one row per partner, week and item (columns ``couple``, ``partner``, ``week``,
    ``item``, ``score`` on 0-10). It identifies partners by id, so it must be aggregated
    before anything leaves :mod:`trust_widgets.group_progress`.
    """
    items = tuple(items)
    query = select(
        CheckIn.couple_id, CheckIn.author_id, CheckIn.day, CheckIn.instrument_version,
        CheckIn.ratings,
    ).where(
        CheckIn.couple_id.in_(_couples(workshop_id)), CheckIn.visibility == Visibility.SHARED,
        *_days_before(before),
    )  # fmt: skip
    with session_factory(engine)() as s:
        rows = s.execute(query).all()
    records = []
    for couple, partner, day, version, ratings in rows:
        ranges, _, reverse = _scales(version or "")
        week = (day - start).days // 7 + 1
        for item in items:
            value = ratings.get(item) if isinstance(ratings, dict) else None
            score = _rating(value, *ranges.get(item, (0, 10)), item in reverse)
            if score == score:  # NaN: missing or out of its range
                records.append((couple, partner, week, item, score))
    frame = pd.DataFrame(records, columns=["couple", "partner", "week", "item", "score"])
    return frame.groupby(["week", "item", "couple", "partner"], as_index=False)["score"].mean()


def _days_before(before: date | None) -> tuple:
    return () if before is None else (CheckIn.day < before,)


def day_start(day: date) -> datetime:
    """Midnight UTC at the start of ``day``: entries' times are stored in UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def window(today: date, window_days: int) -> tuple[datetime, datetime]:
    """The start and end of the ``window_days`` days ending with ``today`` (UTC)."""
    return day_start(today - timedelta(days=window_days - 1)), day_start(today + timedelta(days=1))
