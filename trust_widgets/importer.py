"""Safe import of daily check-ins from a CSV file: every row is checked, then all or nothing.

The format is in ``docs/demo-data.md``. :func:`validate_file` streams the file, checks every
row against the format and the store, and collects every error with its row and field.
:func:`import_file` writes nothing if there is any error, else all rows in one transaction.
"""

from __future__ import annotations

import csv
import heapq
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from . import _clock
from .checkins import keepable
from .instrument import load_instrument
from .store.engine import session_factory, transaction
from .store.models import CheckIn, Partner, Promise, SafetyScreen, Visibility

OPTIONAL = ("kept_commitment_ids", "visibility")
MAX_BYTES = 50_000_000
MAX_ROWS = 1_000_000
MAX_ERRORS = 200  # reported; the rest are only counted
EARLIEST = date(2000, 1, 1)  # catches two-digit years and similar typos
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")  # fromisoformat alone also takes 20260105, 2026-W02
_CHUNK = 500  # ids per IN (...) query, well under every database's parameter limit


def _items() -> dict[str, tuple[int, int]]:
    """The active instrument's items and ranges: the file's columns follow the instrument."""
    return {item.name: (item.min, item.max) for item in load_instrument().items}


def _required() -> tuple[str, ...]:
    return ("partner_id", "day", *_items())


def _order() -> dict[str, int]:
    return {f: i for i, f in enumerate(["(file)", "(encoding)", "(row)", *_required(), *OPTIONAL])}


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem: ``row`` is the file's line number (header: 1; 0: the whole file)."""

    row: int
    field: str
    message: str

    def __str__(self) -> str:
        where = "file" if self.row == 0 else f"row {self.row}"
        return f"{where}, field {self.field}: {self.message}"


class ErrorList(list[RowError]):
    """The first :data:`MAX_ERRORS` errors in file order; ``total`` counts all of them."""

    total: int = 0


@dataclass(frozen=True, slots=True)
class CheckInRow:
    """A parsed row. Rows with errors keep ``None`` in the fields that did not parse."""

    line: int
    partner_id: int | None
    day: date | None
    ratings: dict[str, int | None]
    kept: tuple[int, ...]
    visibility: Visibility | None


@dataclass(frozen=True)
class ImportResult:
    written: int
    errors: ErrorList
    partners: int = 0
    days: tuple[date, date] | None = None  # first and last day in the file


def show(value: str, limit: int = 40) -> str:
    """Quote a cell for a message: shortened, control characters escaped."""
    return repr(value[:limit]) + ("…" if len(value) > limit else "")


class _Collector:
    """Keep the first :data:`MAX_ERRORS` errors by (row, field) in bounded memory."""

    def __init__(self) -> None:
        self._heap: list[tuple[int, int, int, RowError]] = []  # a max-heap, by negated keys
        self._order = _order()
        self.total = 0

    def add(self, row: int, field: str, message: str) -> None:
        self.total += 1
        rank = self._order.get(field, len(self._order))
        item = (-row, -rank, -self.total, RowError(row, field, message))
        if len(self._heap) < MAX_ERRORS:
            heapq.heappush(self._heap, item)
        elif item > self._heap[0]:  # earlier in the file than the latest one kept
            heapq.heapreplace(self._heap, item)

    def result(self) -> ErrorList:
        out = ErrorList(item[-1] for item in sorted(self._heap, reverse=True))
        out.total = self.total
        return out


def _lines(f, err: _Collector, bad: set[int]) -> Iterator[str]:
    """Decode a binary file line by line as strict UTF-8, so that an error names its line."""
    for number, raw in enumerate(f, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]  # spreadsheets' "CSV UTF-8" starts with a byte-order mark
        if b"\x00" in raw:
            err.add(number, "(encoding)", "contains NUL bytes: is this a binary or UTF-16 file?")
            bad.add(number)
            raw = raw.replace(b"\x00", b"")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            byte = f"byte 0x{raw[exc.start]:02x} at position {exc.start + 1}"
            err.add(number, "(encoding)", f"not UTF-8 ({byte}); save the file as CSV UTF-8")
            bad.add(number)
            text = raw.decode("utf-8", errors="replace")  # read on, to find the other errors
        yield text


def _header(cells: list[str], err: _Collector) -> list[str]:
    names = [c.strip().lower() for c in cells]
    if len(names) == 1 and ";" in names[0]:  # a spreadsheet set to a semicolon locale
        err.add(1, "(file)", "columns must be separated by commas, not ';'")
        return names
    required, order = _required(), _order()
    for name in required:
        if name not in names:
            err.add(1, name, "missing column")
    known = ", ".join(required + OPTIONAL)
    for i, name in enumerate(names):
        if name not in order or name.startswith("("):
            err.add(1, show(name), f"unknown column (column {i + 1}); the columns are {known}")
        elif name in names[:i]:
            err.add(1, name, f"column appears twice (column {i + 1})")
    return names


def _int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else None


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if _DAY.fullmatch(text) else None
    except ValueError:  # e.g. 2026-02-30
        return None


def _parse(line: int, cells: dict[str, str], err: _Collector) -> CheckInRow:
    """Check one row's cells on their own. A column missing from the header is skipped."""
    partner = day = vis = None
    if "partner_id" in cells and (partner := _int(cells["partner_id"])) is None:
        err.add(line, "partner_id", f"must be a partner id, got {show(cells['partner_id'])}")
    if "day" in cells:
        if (day := _day(cells["day"].strip())) is None:
            err.add(line, "day", f"must be a real date as YYYY-MM-DD, got {show(cells['day'])}")
        elif day > _clock.today():
            err.add(line, "day", f"{day} is in the future")
        elif day < EARLIEST:
            err.add(line, "day", f"{day} is before {EARLIEST}")
    ratings = {}
    for item, (low, high) in _items().items():
        if item in cells:
            ratings[item] = value = _int(cells[item])
            if value is None or not low <= value <= high:
                message = f"must be a whole number from {low} to {high}, got {show(cells[item])}"
                err.add(line, item, message)
    kept: list[int] = []
    for part in filter(None, (p.strip() for p in cells.get("kept_commitment_ids", "").split(";"))):
        if (value := _int(part)) is None:
            err.add(line, "kept_commitment_ids", f"must be ids separated by ';', got {show(part)}")
        elif value in kept:
            err.add(line, "kept_commitment_ids", f"commitment {value} is listed twice")
        else:
            kept.append(value)
    text = cells.get("visibility", "").strip().lower() or "private"  # private unless shared
    if text in ("private", "shared"):
        vis = Visibility(text)
    else:
        err.add(line, "visibility", f"must be private or shared, got {show(text)}")
    return CheckInRow(line, partner, day, ratings, tuple(kept), vis)


def validate_file(engine: Engine, path: str | Path) -> tuple[list[CheckInRow], ErrorList]:
    """Check every row of a check-in CSV file against the format and the store.

    Returns
    -------
    rows, errors
        The parsed rows, and the errors in file order (at most :data:`MAX_ERRORS`;
        ``errors.total`` counts all). The rows are fit to write only when there is no error.
    """
    path, err = Path(path), _Collector()
    if (size := path.stat().st_size) > MAX_BYTES:
        err.add(0, "(file)", f"the file has {size:,} bytes; the limit is {MAX_BYTES:,}: split it")
        return [], err.result()
    with path.open("rb") as f:
        if f.read(2) in (b"\xff\xfe", b"\xfe\xff"):
            err.add(1, "(encoding)", "the file is UTF-16; save it as CSV UTF-8")
            return [], err.result()
        f.seek(0)
        rows = _read_rows(f, err)
    if rows:
        _check_store(engine, rows, err)
    return rows, err.result()


def _read_rows(f, err: _Collector) -> list[CheckInRow]:
    bad: set[int] = set()  # lines that are not UTF-8: reported once, their cells not checked
    reader = csv.reader(_lines(f, err, bad), strict=True)
    rows: list[CheckInRow] = []
    seen: dict[tuple[int, date], int] = {}
    try:
        header = next(reader, None)
        if not header or not any(c.strip() for c in header):
            err.add(1, "(file)", f"the first line must be the header: {','.join(_required())}")
            return rows
        names, last = _header(header, err), reader.line_num
        for cells in reader:
            start, last = last + 1, reader.line_num
            if not any(c.strip() for c in cells) or (bad and bad & set(range(start, last + 1))):
                continue  # blank lines are fine; undecodable ones are already reported
            if len(rows) == MAX_ROWS:
                err.add(start, "(file)", f"more than {MAX_ROWS:,} rows; split the file")
                break
            if len(cells) != len(names):
                err.add(start, "(row)", f"has {len(cells)} cells; the header has {len(names)}")
                continue
            rows.append(row := _parse(start, dict(zip(names, cells, strict=True)), err))
            if row.partner_id is not None and row.day is not None:
                first = seen.setdefault((row.partner_id, row.day), start)
                if first != start:
                    err.add(
                        start, "day", f"partner {row.partner_id} has {row.day} on row {first} too"
                    )
        if not rows and not err.total:
            err.add(2, "(file)", "the file has a header but no check-ins")
    except csv.Error as exc:
        err.add(reader.line_num, "(row)", f"unreadable CSV ({show(str(exc), 80)}); stopped here")
    return rows


def _chunks(values) -> Iterator[list]:
    values = sorted(values)
    for i in range(0, len(values), _CHUNK):
        yield values[i : i + _CHUNK]


def _check_store(engine: Engine, rows: list[CheckInRow], err: _Collector) -> None:
    """Check partners, that kept ids are their own commitments, and days already stored."""
    partners = {r.partner_id for r in rows} - {None}
    days = [r.day for r in rows if r.day is not None]
    with session_factory(engine)() as s:  # reads only, never commits
        known = set()
        for ch in _chunks(partners):
            known.update(s.scalars(select(Partner.id).where(Partner.id.in_(ch))))
        promises: dict[int, Promise] = {}
        for ch in _chunks({k for r in rows for k in r.kept}):
            promises.update((p.id, p) for p in s.scalars(select(Promise).where(Promise.id.in_(ch))))
        existing = set()
        for ch in _chunks(known if days else ()):
            q = select(CheckIn.author_id, CheckIn.day).where(CheckIn.author_id.in_(ch))
            existing.update(
                map(tuple, s.execute(q.where(CheckIn.day.between(min(days), max(days)))))
            )
    for r in rows:
        if r.partner_id is None:
            continue
        if r.partner_id not in known:
            err.add(r.line, "partner_id", f"no partner with id {r.partner_id} in the store")
            continue
        for k in r.kept:
            promise = promises.get(k)
            if promise is None or promise.author_id != r.partner_id:
                message = f"{k} is not one of partner {r.partner_id}'s commitments"
                err.add(r.line, "kept_commitment_ids", message)
            elif r.day is not None and not keepable(promise, r.day):
                # The same rule as the check-in form: active, started, and due that day.
                message = (
                    f"commitment {k} could not be kept on {r.day} (paused, not started or not due)"
                )
                err.add(r.line, "kept_commitment_ids", message)
        if (r.partner_id, r.day) in existing:
            err.add(r.line, "day", f"partner {r.partner_id} already has a check-in on {r.day}")


def write_rows(engine: Engine, rows: list[CheckInRow]) -> int:
    """Write validated rows in one transaction; return how many. Raises if any is refused."""
    with transaction(engine) as s:
        couple_of: dict[int, int] = {}
        for ch in _chunks({r.partner_id for r in rows}):
            q = select(Partner.id, Partner.couple_id).where(Partner.id.in_(ch))
            couple_of.update(map(tuple, s.execute(q)))
        # A partner whose own safety check raised a red flag shares nothing, whatever the
        # file says. Silently: whoever runs the import must not learn who is flagged.
        flagged = set(
            s.scalars(select(SafetyScreen.author_id).where(SafetyScreen.flagged.is_(True)))
        )
        batch = [
            dict(couple_id=couple_of[r.partner_id], author_id=r.partner_id, day=r.day,
                 visibility=Visibility.PRIVATE if r.partner_id in flagged else r.visibility,
                 instrument_version=load_instrument().key,
                 ratings=r.ratings, kept_promise_ids=list(r.kept))
            for r in rows
        ]  # fmt: skip
        if batch:
            s.execute(insert(CheckIn), batch)
    return len(batch)


def import_file(engine: Engine, path: str | Path, *, dry_run: bool = False) -> ImportResult:
    """Validate ``path`` and, only if every row is good, write all rows in one transaction.

    With ``dry_run`` nothing is written; ``written`` then counts the rows that would be.
    """
    rows, errors = validate_file(engine, path)
    if errors.total:
        return ImportResult(0, errors)
    try:
        written = len(rows) if dry_run else write_rows(engine, rows)
    except IntegrityError:  # another writer stored one of these days after validation
        errors.append(RowError(0, "(store)", "the store changed during the import; nothing "
                                             "was written. Run the import again."))  # fmt: skip
        errors.total = 1
        return ImportResult(0, errors)
    days = (min(r.day for r in rows), max(r.day for r in rows))  # type: ignore[type-var]
    return ImportResult(written, errors, len({r.partner_id for r in rows}), days)
