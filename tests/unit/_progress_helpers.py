"""Rows for the progress tests, inserted directly (not through the check-in form)."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from datetime import date, timedelta

import pandas as pd

from trust_widgets.progress_data import ITEMS
from trust_widgets.store.engine import transaction
from trust_widgets.store.models import CheckIn, DailyNote, Promise, SmallWin, Visibility

START = date(2025, 1, 6)  # a Monday


def ratings(level: float) -> dict[str, int]:
    """All six items at ``level`` (anxiety mirrored), clamped to 0-10."""
    v = max(0, min(10, round(level)))
    return {item: (10 - v if item == "anxiety" else v) for item in ITEMS}


def add_checkins(
    engine,
    viewer,
    days: Iterable[date],
    level: Callable[[int], float] | float = 5,
    shared: bool = True,
    kept: Iterable[int] = (),
) -> None:
    """One check-in per day for ``viewer``; ``level(i)`` gives the i-th day's ratings."""
    vis = Visibility.SHARED if shared else Visibility.PRIVATE
    with transaction(engine) as s:
        for i, day in enumerate(days):
            value = level(i) if callable(level) else level
            s.add(
                CheckIn(
                    couple_id=viewer.couple_id, author_id=viewer.partner_id, visibility=vis,
                    day=day, instrument_version="test-1", ratings=ratings(value),
                    kept_promise_ids=list(kept),
                )
            )  # fmt: skip


def add_promise(engine, viewer, frequency="daily", shared=True, start=START, title="Call") -> int:
    vis = Visibility.SHARED if shared else Visibility.PRIVATE
    with transaction(engine) as s:
        p = Promise(
            couple_id=viewer.couple_id, author_id=viewer.partner_id, visibility=vis,
            title=title, frequency=frequency, start_day=start,
        )  # fmt: skip
        s.add(p)
        s.flush()
        return p.id


def add_win(engine, viewer, day: date, text: str, shared: bool = True) -> None:
    vis = Visibility.SHARED if shared else Visibility.PRIVATE
    with transaction(engine) as s:
        s.add(
            SmallWin(
                couple_id=viewer.couple_id, author_id=viewer.partner_id, visibility=vis,
                day=day, text=text,
            )
        )  # fmt: skip


def add_note(engine, viewer, day: date, text: str) -> None:
    with transaction(engine) as s:
        s.add(
            DailyNote(couple_id=viewer.couple_id, author_id=viewer.partner_id, day=day, text=text)
        )


def days(n: int, start: date = START) -> list[date]:
    return [start + timedelta(days=i) for i in range(n)]


def two_years(engine, couple, n_days: int = 730, wins: int = 200, seed: int = 7) -> None:
    """Both partners: daily shared check-ins for two years, 4 daily commitments each, wins."""
    rng = random.Random(seed)
    for viewer in (couple.a, couple.b):
        ids = [add_promise(engine, viewer, title=f"Promise {k}") for k in range(4)]
        add_checkins(
            engine, viewer, days(n_days), lambda i: 4 + i / 200 + rng.gauss(0, 1), kept=ids
        )
        for k in range(wins // 2):
            text = f"<b>Win {k}</b> & a long story " + "x" * rng.randint(0, 400)
            add_win(engine, viewer, START + timedelta(days=rng.randrange(n_days)), text)


def frame(values: list[float], who: str = "me", start: date = START, step: int = 1):
    """A check-ins frame for one person from trust values, one every ``step`` days."""
    rows = [
        {"day": pd.Timestamp(start + timedelta(days=i * step)), "who": who, "name": "Ana",
         "shared": True, **dict.fromkeys(ITEMS, float(v)), "trust": float(v)}
        for i, v in enumerate(values)
    ]  # fmt: skip
    out = pd.DataFrame(rows, columns=["day", "who", "name", "shared", *ITEMS, "trust"])
    out["anxiety"] = 10 - out["anxiety"]
    return out
