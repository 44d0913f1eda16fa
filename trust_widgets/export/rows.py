"""Turning a batch of planned couples into export rows, in export order.

Per couple: ``day_index`` counts from the couple's first exported check-in, commitments are
counted per partner on the real days (:mod:`.followthrough`), and only whole numbers 0-10
pass as ratings. No calendar date leaves this module; ``weekday`` (the real ISO weekday)
only when the export opted in to it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from sqlalchemy import Connection

from .._instrument_file import KEY_PATTERN
from . import source
from .fields import ALL_COLUMNS, RATING_ITEMS
from .followthrough import Commitment, count_days
from .plan import PlannedCouple
from .report import ExportReport

UNKNOWN_INSTRUMENT = "unknown"


def checkin_rows(
    conn: Connection,
    batch: list[PlannedCouple],
    commitments: dict[int, list[Commitment]],
    today: date,
    report: ExportReport,
    versions: Counter[str],
    columns: tuple[str, ...],
) -> dict[str, tuple]:
    """Turn one batch of couples into one sequence per column of ``columns``, in export order.

    Rows are built with every column of :data:`~.fields.FIELDS`; only ``columns`` are
    returned, so an opt-in column not asked for never reaches a writer.
    """
    by_couple: dict[int, list[tuple]] = defaultdict(list)
    for row in source.stream_checkins(conn, [c.id for c in batch]):
        by_couple[row[0]].append(row)
    out: list[tuple] = []
    known: dict[str, str] = {}
    for couple in batch:
        rows = by_couple.pop(couple.id, None)
        if not rows:
            continue
        by_author: dict[int, list[tuple]] = defaultdict(list)
        for r in rows:
            by_author[r[1]].append(r)
        exported = [by_author[p.id] for p in couple.partners if by_author.get(p.id)]
        if not exported:
            continue
        first = min(mine[0][2] for mine in exported)  # each partner's rows are in day order
        for p in couple.partners:
            mine = by_author.get(p.id, [])
            days = [(r[2], r[5], r[6]) for r in mine]
            counts = count_days(days, commitments.get(p.id, ()), today)
            head = (couple.workshop, couple.pseudonym, p.pseudonym, p.index, p.region)
            for r, (due, kept) in zip(mine, counts, strict=True):
                version = known.get(r[3])
                if version is None:
                    version = known[r[3]] = _instrument(r[3])
                day = r[2]
                when = ((day - first).days, day.isoweekday())  # day_index, weekday
                out.append((*head, *when, version, *_ratings(r[4]), due, kept))
        if couple.is_demo:
            report.rows_out_demo += sum(len(mine) for mine in exported)
    values = list(zip(*out, strict=True)) if out else [() for _ in ALL_COLUMNS]
    by_name = dict(zip(ALL_COLUMNS, values, strict=True))
    for name in RATING_ITEMS:
        report.ratings_missing += by_name[name].count(None)
    versions.update(by_name["instrument_version"])
    return {name: by_name[name] for name in columns}


def _instrument(value: object) -> str:
    ok = isinstance(value, str) and KEY_PATTERN.fullmatch(value)
    return value if ok else UNKNOWN_INSTRUMENT  # type: ignore[return-value]


_NO_RATINGS = (None,) * len(RATING_ITEMS)


def _ratings(ratings: object) -> tuple[int | None, ...]:
    """The six items as whole numbers 0-10, else None (bool and float are not ratings)."""
    if not isinstance(ratings, dict):
        return _NO_RATINGS
    values = tuple(map(ratings.get, RATING_ITEMS))
    if set(map(type, values)) == {int} and min(values) >= 0 and max(values) <= 10:
        return values  # the usual case, checked in C
    return tuple(v if type(v) is int and 0 <= v <= 10 else None for v in values)
