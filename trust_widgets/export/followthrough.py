"""Commitments due and kept per check-in day, counted the way step 6 counts them.

The rules are those of :func:`trust_widgets.progress_data.followthrough_days`, on the
partner's *shared* commitments and *shared* check-ins only (a private commitment is never
counted, not even as a number):

- a daily or weekday commitment is due on each check-in day
  :func:`~trust_widgets.commitments.due_on` says, from its first day on;
- a weekly one is due once per ISO week in which the partner checked in. Step 6 puts it on
  the week's Sunday; a day-level export puts it on the first day of that week it was marked
  kept, else on the week's last check-in day (and, for the current week, only once its Sunday
  has come). Weekly sums of the export therefore equal step 6's weekly follow-through;
- a commitment set aside (paused) stops being due after the day it was last changed, and a
  day on which the check-in recorded that it could not be ticked never counts it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from ..commitments import due_on

_DAY_BY_DAY = frozenset({"daily", "weekdays"})  # weekly ones count once per week instead


@dataclass(frozen=True, slots=True)
class Commitment:
    """What the count needs of a commitment: never its title."""

    id: int
    frequency: str
    start: date
    end: date | None  # last day it was due, for a paused commitment


class Day(NamedTuple):
    """One shared check-in: its day, the ids marked kept, and the ids it could keep (or None).

    A tuple, not a dataclass: an export makes one per check-in, a million at a time, and
    :func:`count_days` also takes plain ``(day, kept, could)`` tuples.
    """

    day: date
    kept: frozenset[int]
    could: frozenset[int] | None


def count_days(
    days: Sequence[Day], commitments: Sequence[Commitment], today: date
) -> list[list[int]]:
    """Return ``[due, kept]`` for each of ``days`` (one partner's check-ins, any order)."""
    out = [[0, 0] for _ in days]
    for c in commitments:
        cid, end = c.id, c.end
        weeks: dict[date, list[int]] = defaultdict(list)
        for i, (day, kept, could) in enumerate(days):
            if (end is not None and day > end) or (could is not None and cid not in could):
                continue
            if c.frequency == "weekly":
                weeks[day - timedelta(days=day.weekday())].append(i)
            elif c.frequency in _DAY_BY_DAY and due_on(c.frequency, day, c.start):
                row = out[i]
                row[0] += 1
                row[1] += cid in kept
        for monday, members in weeks.items():
            sunday = monday + timedelta(days=6)
            kept_on = sorted((days[i][0], i) for i in members if cid in days[i][1])
            if not due_on("weekly", sunday, c.start) or not (kept_on or sunday <= today):
                continue
            i = kept_on[0][1] if kept_on else max((days[i][0], i) for i in members)[1]
            out[i][0] += 1
            out[i][1] += bool(kept_on)
    return out
