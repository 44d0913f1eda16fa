"""A workshop's group progress for its facilitator: aggregates only, small cells suppressed.

Every function reads one workshop (by id) and returns counts that are already suppressed
(:mod:`trust_widgets.suppression`): ``None`` in a dataclass, ``<NA>`` in a frame's nullable
``Int64`` column; show them as hidden (``suppression.suppressed_label``), never as 0. The
unit is the couple unless a name says partners. Nothing returned holds a row per couple or
partner, a name, a word anyone wrote (couples' own boundary topics included), or anything
from a safety check, a consent or a private note. Content (ratings, "needs discussion")
comes from shared entries only; the *fact* that something was written (steps reached,
activity, check-in days) counts whatever its visibility, since that says nothing of what it
holds. Frames carry ``attrs["k"]`` and, where counts are out of the couples joined,
``attrs["total"]`` (that number, suppressed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pandas as pd
from sqlalchemy import Engine

from . import _group_queries as Q
from .boundaries import GUIDE_TOPICS
from .steps import step
from .suppression import (
    Partition,
    check_k,
    suppress_answer_partition,
    suppress_answer_share,
    suppress_nested,
    suppress_share,
)

__all__ = [
    "GroupCounts", "GroupProgress", "UnknownWorkshop", "checkin_participation",
    "couples_joined_active", "discussion_topics", "step_funnel", "trust_distribution",
]  # fmt: skip

UnknownWorkshop = Q.UnknownWorkshop
BIN_NAMES = tuple(name for name, _ in Q.BINS)
BIN_TITLES = {"low": "Low", "middle": "Middle", "high": "High"}
FUNNEL_COLUMNS = ["step", "title", "couples"]
PARTICIPATION_COLUMNS = ["day", "couples"]
TRUST_COLUMNS = ["week", "week_start", "item", "bin", "bin_label", "partners", "row_partners"]
TOPIC_COLUMNS = ["topic", "title", "couples"]
MAX_WINDOW = 3660  # days: ten years


@dataclass(frozen=True)
class GroupCounts:
    """Couples joined, with both partners, and active lately (``None``: suppressed)."""

    joined: int | None
    both_joined: int | None
    active: int | None
    window_days: int
    k: int


def _joined(engine: Engine, workshop_id: int, k: int) -> tuple[int, int, int | None]:
    """The workshop's checked id, its true couples joined (for shares), and the shown one."""
    workshop_id, _ = Q.workshop_start(engine, workshop_id)
    joined, _ = Q.couple_counts(engine, workshop_id)
    return workshop_id, joined, suppress_share(joined, joined, k)


def _frame(rows: list, columns: list[str], **attrs: object) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    for name in ("couples", "partners", "row_partners"):
        if name in frame:
            frame[name] = frame[name].astype("Int64")
    frame.attrs.update(attrs)
    return frame


def couples_joined_active(
    engine: Engine, workshop_id: int, k: int, today: date | None = None, window_days: int = 7
) -> GroupCounts:
    """Couples joined, couples with both partners, and couples active in the latest days.

    Active means any entry (its fact, never its content) created in the ``window_days``
    days ending ``today`` (UTC). Both and active are shares of joined, suppressed as such;
    joined itself is suppressed when small.
    """
    k = check_k(k)
    if isinstance(window_days, bool) or not isinstance(window_days, int):
        raise ValueError("The activity window must be a whole number of days.")
    if not 1 <= window_days <= MAX_WINDOW:
        raise ValueError(f"The activity window must be 1 to {MAX_WINDOW} days.")
    workshop_id, _ = Q.workshop_start(engine, workshop_id)
    joined, both = Q.couple_counts(engine, workshop_id)
    today = today or datetime.now(UTC).date()
    active = Q.active_couples(engine, workshop_id, *Q.window(today, window_days))
    return GroupCounts(
        joined=suppress_share(joined, joined, k),
        both_joined=suppress_share(both, joined, k),
        active=suppress_share(active, joined, k),
        window_days=window_days,
        k=k,
    )


def step_funnel(engine: Engine, workshop_id: int, k: int) -> pd.DataFrame:
    """Couples in which a partner reached at least step n (n = 1-5), out of couples joined.

    A partner reaches the furthest step they completed (see ``pages.completed_steps``), so
    the counts never increase from step to step; they are suppressed as a funnel.
    """
    k = check_k(k)
    workshop_id, joined, shown_total = _joined(engine, workshop_id, k)
    furthest = Q.furthest_steps(engine, workshop_id)
    reached = [sum(n for s, n in furthest.items() if s >= m) for m in Q.FUNNEL_STEPS]
    shown = suppress_nested(reached, joined, k)
    rows = [(n, step(n).title, c) for n, c in zip(Q.FUNNEL_STEPS, shown, strict=True)]
    return _frame(rows, FUNNEL_COLUMNS, k=k, total=shown_total)


def checkin_participation(
    engine: Engine, workshop_id: int, k: int, before: date | None = None
) -> pd.DataFrame:
    """Couples with at least one check-in, per day from the first to the latest check-in.

    Each day is a share of couples joined (today's number, so every day has the same
    total) and suppressed as such; days without check-ins are 0. With ``before``, only the
    days before it.
    """
    k = check_k(k)
    workshop_id, joined, shown_total = _joined(engine, workshop_id, k)
    per_day = Q.checkin_days(engine, workshop_id, before)
    if not per_day:
        return _frame([], PARTICIPATION_COLUMNS, k=k, total=shown_total)
    first, last = min(per_day), max(per_day)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    rows = [(d, suppress_share(per_day.get(d, 0), joined, k)) for d in days]
    return _frame(rows, PARTICIPATION_COLUMNS, k=k, total=shown_total)


def trust_distribution(
    engine: Engine, workshop_id: int, k: int, before: date | None = None
) -> pd.DataFrame:
    """Partners by their weekly mean of each trust item, in three bins, from shared check-ins.

    Week 1 is the workshop's first seven days, from the UTC date it was created, or from
    the first shared check-in if that came earlier (history imported before the workshop
    was set up, or a demo's made-up past), so weeks are never numbered 0 or less. A week's
    row for an item is shown only when at least ``k`` couples and ``k`` partners contribute
    to it, and then its bins are suppressed as a partition of ``row_partners``. Trust items
    and their ranges are the active instrument's, as in the progress views; reverse-scored
    ones are turned round, so "high" always means more trust. With ``before``, only the
    weeks that ended by that day, so a week's row never changes once shown.
    """
    k = check_k(k)
    workshop_id, created = Q.workshop_start(engine, workshop_id)
    start = min(created, Q.first_shared_checkin(engine, workshop_id) or created)
    _, ranges, items, reverse = Q.active_scales()
    labels = {item: _bin_labels(*ranges.get(item, (0, 10)), item in reverse) for item in items}
    means = Q.weekly_trust(engine, workshop_id, start, items, before)
    if before is not None and len(means):
        means = means[[start + timedelta(days=7 * int(w)) <= before for w in means["week"]]]
    groups = dict(list(means.groupby(["week", "item"], sort=True)))
    weeks = range(1, int(means["week"].max()) + 1) if len(means) else []
    rows = []
    for week in weeks:
        week_start = start + timedelta(days=7 * (week - 1))
        for item in items:
            part = _trust_row(groups.get((week, item)), k)
            rows += [
                (week, week_start, item, name, labels[item][name], part.cells[name], part.total)
                for name, _ in Q.BINS
            ]
    return _frame(rows, TRUST_COLUMNS, k=k)


def _trust_row(group: pd.DataFrame | None, k: int) -> Partition:
    """One week's bins for one item: hidden whole unless k couples and k partners are in it."""
    if group is None:
        return suppress_answer_partition(dict.fromkeys(BIN_NAMES, 0), k)
    if group["couple"].nunique() < k or len(group) < k:
        return Partition(dict.fromkeys(BIN_NAMES), None)
    counts = group["score"].map(Q.bin_of).value_counts()
    return suppress_answer_partition({name: int(counts.get(name, 0)) for name in BIN_NAMES}, k)


def _bin_labels(low: int, high: int, reverse: bool) -> dict[str, str]:
    """Legend text per bin, with the item's own whole numbers in it: "Low (0-3)"."""
    out = {}
    for name, span in Q.bin_values(low, high, reverse).items():
        if span is None:
            out[name] = BIN_TITLES[name]
        else:
            numbers = str(span[0]) if span[0] == span[1] else f"{span[0]}-{span[1]}"
            out[name] = f"{BIN_TITLES[name]} ({numbers})"
    return out


def discussion_topics(engine: Engine, workshop_id: int, k: int) -> pd.DataFrame:
    """Couples in which a partner marked a guide topic "needs discussion" and revealed it.

    Only the guide's own topics count; those a couple added are their words and never
    appear. Sorted most often first; suppressed topics come last, in guide order, so their
    place in the list gives nothing away.
    """
    k = check_k(k)
    workshop_id, joined, shown_total = _joined(engine, workshop_id, k)
    counts = Q.discussed_topics(engine, workshop_id)
    rows = [
        (key, title, suppress_answer_share(counts.get(key, 0), joined, k))
        for key, title in GUIDE_TOPICS
    ]
    order = {key: i for i, (key, _) in enumerate(GUIDE_TOPICS)}
    rows.sort(key=lambda r: (r[2] is None, -(r[2] or 0), order[r[0]]))
    return _frame(rows, TOPIC_COLUMNS, k=k, total=shown_total)


@dataclass(frozen=True)
class GroupProgress:
    """Everything the facilitator dashboard shows for one workshop, already suppressed."""

    workshop_id: int
    k: int
    counts: GroupCounts
    funnel: pd.DataFrame = field(repr=False)
    participation: pd.DataFrame = field(repr=False)
    trust: pd.DataFrame = field(repr=False)
    topics: pd.DataFrame = field(repr=False)

    @classmethod
    def load(
        cls,
        engine: Engine,
        workshop_id: int,
        k: int,
        today: date | None = None,
        before: date | None = None,
    ) -> GroupProgress:
        """Read every aggregate of workshop ``workshop_id`` with threshold ``k``.

        With ``before``, check-in days and trust weeks end before that day (see
        :mod:`trust_widgets.released_progress`).
        """
        k = check_k(k)
        workshop_id, _ = Q.workshop_start(engine, workshop_id)
        return cls(
            workshop_id=workshop_id,
            k=k,
            counts=couples_joined_active(engine, workshop_id, k, today),
            funnel=step_funnel(engine, workshop_id, k),
            participation=checkin_participation(engine, workshop_id, k, before),
            trust=trust_distribution(engine, workshop_id, k, before),
            topics=discussion_topics(engine, workshop_id, k),
        )
