"""Data for step 6's progress views: the couple's entries as small pandas frames.

Every frame is built from :func:`~trust_widgets.store.entries.visible_entries` and nothing
else, so it holds the viewer's own entries (private ones included) and the partner's shared
ones, of the viewer's couple only. Private notes (:class:`DailyNote`) are never read here.
The pure helpers (smoothing, trend, highlights, downsampling) live in ``_progress_stats``.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, timedelta
from functools import lru_cache

import pandas as pd
from sqlalchemy import Engine

from . import _clock
from ._progress_stats import (
    DOWN,
    FLAT,
    ITEMS,
    ME,
    NOT_ENOUGH,
    PARTNER,
    TRUST_ITEMS,
    UP,
    downsample,
    progress_highlights,
    smooth,
    trend_direction,
)
from .commitments import due_on
from .store.engine import session_factory
from .store.entries import AccessError, visible_entries
from .store.models import CheckIn, Partner, Promise, SmallWin, Visibility

__all__ = [
    "DOWN", "FLAT", "ITEMS", "ME", "NOT_ENOUGH", "PARTNER", "TRUST_ITEMS", "UP",
    "checkins_frame", "describe_trend", "downsample", "followthrough_days",
    "followthrough_frame", "progress_highlights", "smooth", "trend_direction",
    "weekly_followthrough", "wins_frame",
]  # fmt: skip

log = logging.getLogger(__name__)
CHECKIN_COLUMNS = ["day", "who", "name", "shared", *ITEMS, "trust"]
FOLLOW_COLUMNS = ["day", "who", "name", "promise_id", "due", "kept"]
WIN_COLUMNS = ["day", "who", "name", "shared", "text"]
_TREND_WORDS = {
    UP: "up over the latest four weeks",
    FLAT: "flat: no clear change over the latest four weeks",
    DOWN: "down over the latest four weeks",
    NOT_ENOUGH: "not enough check-ins in the latest four weeks to tell yet",
}


def _names(engine: Engine, partner_id: int) -> dict[int, str]:
    """Display names of the viewer's couple, by partner id (names are shared by design)."""
    with session_factory(engine)() as s:
        me = s.get(Partner, partner_id)
        if me is None:
            raise AccessError("You are not signed in. Start again from the welcome page.")
        return {p.id: p.display_name for p in me.couple.partners}


def _who(author_id: int, partner_id: int) -> str:
    return ME if author_id == partner_id else PARTNER


def _rating(value: object, low: float = 0, high: float = 10, reverse: bool = False) -> float:
    """A rating rescaled to 0-10 (flipped if reverse-scored), or NaN when missing or outside
    its instrument's range. Rescaling lets check-ins from another instrument share a chart."""
    if isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high:
        score = (float(value) - low) / (high - low) * 10 if high > low else float("nan")
        return 10 - score if reverse else score
    return float("nan")


@lru_cache(maxsize=16)
def _scales(version: str) -> tuple[dict[str, tuple[int, int]], tuple[str, ...], frozenset[str]]:
    """Each item's range, the trust items and the reverse-scored ones, for an instrument.

    An instrument whose file is gone falls back to the kit's own names on 0-10.
    """
    from .instrument import InstrumentError, load_instrument

    try:
        inst = load_instrument(version)
    except (InstrumentError, ValueError):
        return {item: (0, 10) for item in ITEMS}, TRUST_ITEMS, frozenset()
    ranges = {item.name: (item.min, item.max) for item in inst.items}
    return ranges, tuple(inst.trust_items) or TRUST_ITEMS, frozenset(inst.reverse_scored)


def _scores(checkin: CheckIn) -> dict[str, float]:
    """The kit's columns for one check-in, from whatever instrument it was made with."""
    ranges, trust_items, reverse = _scales(checkin.instrument_version or "")
    out = {}
    for item in ITEMS:
        low, high = ranges.get(item, (0, 10))
        # The kit's own anxiety item is shown as it was asked (higher = more anxious).
        flip = item in reverse and item != "anxiety"
        out[item] = _rating(_get(checkin.ratings, item), low, high, flip)
    trust = [
        _rating(_get(checkin.ratings, t), *ranges.get(t, (0, 10)), t in reverse)
        for t in trust_items
        if t in ranges
    ]
    known = [v for v in trust if v == v]  # drop NaN
    out["trust"] = sum(known) / len(known) if known else float("nan")
    return out


def _get(ratings: object, item: str) -> object:
    return ratings.get(item) if isinstance(ratings, dict) else None


def checkins_frame(engine: Engine, partner_id: int) -> pd.DataFrame:
    """Return one row per visible check-in: day, who ("me"/"partner"), name, shared,
    the six items and ``trust`` (the mean of the three trust items), sorted by who and day.
    """
    names = _names(engine, partner_id)
    rows = [
        {
            "day": c.day,
            "who": _who(c.author_id, partner_id),
            "name": names.get(c.author_id, ""),
            "shared": c.visibility == Visibility.SHARED,
            **_scores(c),
        }
        for c in visible_entries(engine, partner_id, CheckIn)
    ]
    frame = pd.DataFrame(rows, columns=CHECKIN_COLUMNS)
    frame = frame.astype({item: float for item in (*ITEMS, "trust")} | {"shared": bool})
    frame["day"] = pd.to_datetime(frame["day"])
    return frame.sort_values(["who", "day"], ignore_index=True)


def followthrough_days(engine: Engine, partner_id: int, today: date | None = None) -> pd.DataFrame:
    """Return one row per commitment due: day, who, name, promise_id, due (1), kept (0/1).

    A commitment counts as due only on days its owner checked in (a visible check-in), so a
    day without a check-in is never a broken promise. Daily and weekday commitments follow
    :func:`~trust_widgets.commitments.due_on`. A weekly one is due once per ISO week in which
    its owner checked in, on the week's Sunday, and kept if marked on any day of that week;
    the current week counts only once it is kept or its Sunday (up to ``today``) has come.
    A commitment set aside (inactive) stops being due after the day it was last changed.
    """
    today = today or _clock.today()
    names = _names(engine, partner_id)
    kept: dict[tuple[int, date], set[int]] = {}
    could: dict[tuple[int, date], set[int]] = {}  # recorded at save time, where known
    checked: dict[int, list[date]] = defaultdict(list)
    for c in visible_entries(engine, partner_id, CheckIn):
        kept[c.author_id, c.day] = {i for i in (c.kept_promise_ids or []) if isinstance(i, int)}
        if c.due_promise_ids is not None:
            could[c.author_id, c.day] = set(c.due_promise_ids)
        checked[c.author_id].append(c.day)

    def open_on(p: Promise, day: date) -> bool:
        # A day the commitment could not be ticked (paused) is never counted as due.
        recorded = could.get((p.author_id, day))
        return recorded is None or p.id in recorded

    rows = []
    for p in visible_entries(engine, partner_id, Promise):
        start = p.start_day or p.created_at.date()
        end = None if p.active else p.updated_at.date()
        who, name = _who(p.author_id, partner_id), names.get(p.author_id, "")
        weeks: dict[date, list[date]] = defaultdict(list)
        for day in checked[p.author_id]:
            if (end is not None and day > end) or not open_on(p, day):
                continue
            if p.frequency == "weekly":
                weeks[day - timedelta(days=day.weekday())].append(day)
            elif p.frequency in {"daily", "weekdays"} and due_on(p.frequency, day, start):
                rows.append((day, who, name, p.id, 1, int(p.id in kept[p.author_id, day])))
        for monday, days in weeks.items():
            sunday = monday + timedelta(days=6)
            done = any(p.id in kept[p.author_id, d] for d in days)
            if due_on("weekly", sunday, start) and (done or sunday <= today):
                rows.append((sunday, who, name, p.id, 1, int(done)))
    frame = pd.DataFrame(rows, columns=FOLLOW_COLUMNS)
    frame["day"] = pd.to_datetime(frame["day"])
    return frame.astype({"due": int, "kept": int}).sort_values(["who", "day"], ignore_index=True)


def weekly_followthrough(days: pd.DataFrame) -> pd.DataFrame:
    """Sum a :func:`followthrough_days` frame per ISO week (its Monday) and owner."""
    day = pd.to_datetime(days["day"])
    week = day - pd.to_timedelta(day.dt.day_of_week, unit="D")
    grouped = days.assign(week=week).groupby(["week", "who", "name"], as_index=False)
    return grouped[["due", "kept"]].sum().astype({"due": int, "kept": int})


def followthrough_frame(engine: Engine, partner_id: int) -> pd.DataFrame:
    """Return commitments due and kept per ISO week and owner: week, who, name, due, kept."""
    return weekly_followthrough(followthrough_days(engine, partner_id))


def wins_frame(engine: Engine, partner_id: int) -> pd.DataFrame:
    """Return the visible small wins: day, who, name, shared, text (raw: escape it later)."""
    names = _names(engine, partner_id)
    rows = [
        (w.day, _who(w.author_id, partner_id), names.get(w.author_id, ""),
         w.visibility == Visibility.SHARED, w.text)
        for w in visible_entries(engine, partner_id, SmallWin)
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=WIN_COLUMNS)
    frame["day"] = pd.to_datetime(frame["day"])
    return frame.sort_values(["day", "who"], ignore_index=True)


def describe_trend(who: str, name: str, direction: str) -> str:
    """Say a trend in plain words (plain text, escape it for HTML), e.g. "Your trust: up …"."""
    whose = (
        "Your trust ratings" if who == ME else f"{name or 'Your partner'}'s shared trust ratings"
    )
    return f"{whose}: {_TREND_WORDS[direction]}."
