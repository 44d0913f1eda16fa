"""Step 4's store: commitments and daily check-ins, each change in one transaction.

Every function acts for one signed-in partner and changes only what that partner wrote.
Reading other partners' entries goes through :func:`visible_entries`, the one place that
decides who sees what. Messages of :class:`CheckInError` are safe to show on a page.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from numbers import Integral

from sqlalchemy import Engine, func, select

from . import _clock
from .commitments import FREQUENCY_VALUES, due_on
from .instrument import Instrument, load_instrument, validate_ratings
from .store.engine import session_factory, transaction
from .store.entries import _owned, _viewer, visible_entries
from .store.models import CheckIn, DailyNote, Promise, SmallWin, Visibility

MAX_TITLE = 200
MAX_COMMITMENTS = 30  # per partner, paused ones included: a page user cannot flood the store
MAX_NOTE = 2000
MAX_WIN = 300
BACKFILL_DAYS = 7  # a forgotten day can be filled in for a week
_VISIBILITIES = frozenset(v.value for v in Visibility)


class CheckInError(ValueError):
    """Input that cannot be saved. ``field`` names the input; the message is safe to show."""

    def __init__(self, message: str, field: str = "form") -> None:
        self.field = field
        super().__init__(message)


def _visibility(value: str, field: str) -> Visibility:
    if value not in _VISIBILITIES:
        raise CheckInError("Please choose who can see this.", field)
    return Visibility(value)


def add_commitment(
    engine: Engine, partner_id: int, title: str, frequency: str, visibility: str = "shared"
) -> Promise:
    """Add a commitment for this partner, due from today; return it."""
    title = " ".join(str(title).split())
    if not 1 <= len(title) <= MAX_TITLE:
        raise CheckInError(f"A commitment needs 1 to {MAX_TITLE} characters.", "title")
    if frequency not in FREQUENCY_VALUES:
        raise CheckInError("Please choose how often it applies.", "frequency")
    shown = _visibility(visibility, "visibility")
    with transaction(engine) as s:
        me = _viewer(s, partner_id)
        count = s.scalar(
            select(func.count()).select_from(Promise).where(Promise.author_id == me.id)
        )
        if count >= MAX_COMMITMENTS:
            raise CheckInError(
                f"You can keep up to {MAX_COMMITMENTS} commitments. Deleting one you no longer "
                "need makes room.",
                "title",
            )
        promise = Promise(
            couple_id=me.couple_id,
            author_id=me.id,
            title=title,
            frequency=frequency,
            visibility=shown,
            active=True,
            start_day=_clock.today(),
        )
        s.add(promise)
        s.flush()
        return promise


def set_commitment_active(
    engine: Engine, partner_id: int, promise_id: int, active: bool
) -> Promise:
    """Pause or resume one of this partner's own commitments; raise AccessError otherwise."""
    with transaction(engine) as s:
        promise = _owned(s, partner_id, Promise, promise_id)
        promise.active = bool(active)
        s.flush()
        return promise


def delete_commitment(engine: Engine, partner_id: int, promise_id: int) -> None:
    """Delete one of this partner's own commitments; raise AccessError otherwise.

    Check-ins that recorded it keep its id; views treat an id they cannot find as gone.
    """
    with transaction(engine) as s:
        s.delete(_owned(s, partner_id, Promise, promise_id))


def commitments_for(engine: Engine, partner_id: int) -> list[Promise]:
    """Return this partner's own commitments and the partner's shared ones, oldest first."""
    return visible_entries(engine, partner_id, Promise)


def keepable(promise: Promise, day: date) -> bool:
    """Tell whether ``promise`` can be ticked as kept on ``day``.

    It must be active and started. A weekly one can be kept on any day of its ISO week.
    """
    if not promise.active or (promise.start_day is not None and day < promise.start_day):
        return False
    return promise.frequency == "weekly" or due_on(promise.frequency, day)


def due_commitments(engine: Engine, partner_id: int, day: date) -> list[Promise]:
    """Return this partner's own commitments that can be ticked as kept on ``day``."""
    return [
        p
        for p in visible_entries(engine, partner_id, Promise)
        if p.author_id == partner_id and keepable(p, day)
    ]


def check_day(day: object, today: date | None = None) -> date:
    """Return ``day`` if a check-in may be written for it: today or up to a week back."""
    if isinstance(day, datetime):
        day = day.date()
    if not isinstance(day, date):
        raise CheckInError("Please choose a day.", "day")
    today = today or _clock.today()
    if day > today:
        raise CheckInError("A check-in can't be for a day that hasn't happened yet.", "day")
    if day < today - timedelta(days=BACKFILL_DAYS):
        raise CheckInError(
            f"A check-in can be filled in for up to {BACKFILL_DAYS} days back.", "day"
        )
    return day


def _kept_ids(kept_ids: Iterable[object]) -> list[int]:
    ids: list[int] = []
    for value in kept_ids or ():
        if isinstance(value, bool) or not isinstance(value, Integral):
            raise CheckInError("One of the ticked commitments could not be read.", "kept")
        if int(value) not in ids:
            ids.append(int(value))
    if len(ids) > MAX_COMMITMENTS:
        raise CheckInError("Too many commitments were ticked.", "kept")
    return ids


def save_checkin(
    engine: Engine,
    partner_id: int,
    day: date,
    ratings: dict[str, int],
    kept_ids: Iterable[int],
    note: str = "",
    win: str = "",
    win_visibility: str = "private",
    instrument: Instrument | None = None,
    *,
    visibility: str = "private",
    today: date | None = None,
) -> CheckIn:
    """Write this partner's check-in for ``day``, all of it in one transaction.

    A second check-in for the same day replaces the first. ``kept_ids`` must be the
    partner's own active commitments that can be kept that day. ``note`` becomes the day's
    private :class:`DailyNote` (an empty note deletes it); a non-empty ``win`` adds a
    :class:`SmallWin` with ``win_visibility``. ``visibility`` covers the ratings and kept
    commitments. Nothing is written if anything is invalid.

    Raises
    ------
    RatingsError
        A rating is missing or out of range; it carries one message per item.
    CheckInError
        Any other input cannot be saved; ``field`` names it.
    AccessError
        The partner does not exist.
    """
    instrument = instrument or load_instrument()
    clean = validate_ratings(instrument, ratings)
    day = check_day(day, today)
    kept = _kept_ids(kept_ids)
    note, win = str(note or "").strip(), " ".join(str(win or "").split())
    if len(note) > MAX_NOTE:
        raise CheckInError(f"Please keep the note under {MAX_NOTE} characters.", "note")
    if len(win) > MAX_WIN:
        raise CheckInError(f"Please keep the small win under {MAX_WIN} characters.", "win")
    shown = _visibility(visibility, "visibility")
    win_shown = _visibility(win_visibility, "win_visibility")
    with transaction(engine) as s:
        me = _viewer(s, partner_id)
        own = s.scalars(select(Promise).where(Promise.id.in_(kept))).all() if kept else []
        allowed = {p.id for p in own if p.author_id == me.id and keepable(p, day)}
        if set(kept) - allowed:
            # One answer for someone else's, missing, paused or not-due: no probing.
            raise CheckInError("One of the ticked commitments can't be recorded for that day.")
        checkin = s.scalar(select(CheckIn).where(CheckIn.author_id == me.id, CheckIn.day == day))
        if checkin is None:
            checkin = CheckIn(couple_id=me.couple_id, author_id=me.id, day=day)
            s.add(checkin)
        checkin.instrument_version = instrument.key
        checkin.ratings, checkin.kept_promise_ids = clean, kept
        mine = s.scalars(select(Promise).where(Promise.author_id == me.id)).all()
        checkin.due_promise_ids = sorted(p.id for p in mine if keepable(p, day))
        checkin.visibility = shown
        _save_note(s, me, day, note)
        if win:
            s.add(
                SmallWin(
                    couple_id=me.couple_id,
                    author_id=me.id,
                    day=day,
                    text=win,
                    visibility=win_shown,
                )
            )
        s.flush()
        return checkin


def _save_note(session, me, day: date, text: str) -> None:
    note = session.scalar(
        select(DailyNote).where(DailyNote.author_id == me.id, DailyNote.day == day)
    )
    if not text:
        if note is not None:
            session.delete(note)
        return
    if note is None:
        note = DailyNote(couple_id=me.couple_id, author_id=me.id, day=day)
        session.add(note)
    note.text, note.visibility = text, Visibility.PRIVATE


def _own(engine: Engine, partner_id: int, query):
    with session_factory(engine)() as s:
        _viewer(s, partner_id)
        return s.scalars(query).all()


def checkin_for(engine: Engine, partner_id: int, day: date) -> CheckIn | None:
    """Return this partner's own check-in for ``day``, or ``None``."""
    rows = _own(
        engine,
        partner_id,
        select(CheckIn).where(CheckIn.author_id == partner_id, CheckIn.day == day),
    )
    return rows[0] if rows else None


def note_for(engine: Engine, partner_id: int, day: date) -> str:
    """Return this partner's private note for ``day`` ("" if none)."""
    query = select(DailyNote).where(DailyNote.author_id == partner_id, DailyNote.day == day)
    rows = _own(engine, partner_id, query)
    return rows[0].text if rows else ""


def wins_for(engine: Engine, partner_id: int, day: date) -> list[SmallWin]:
    """Return the small wins this partner noted for ``day``, oldest first."""
    query = (
        select(SmallWin)
        .where(SmallWin.author_id == partner_id, SmallWin.day == day)
        .order_by(SmallWin.id)
    )
    return list(_own(engine, partner_id, query))


def days_checked_in(engine: Engine, partner_id: int, since: date) -> set[date]:
    """Return the days, from ``since`` on, on which this partner checked in."""
    query = select(CheckIn.day).where(CheckIn.author_id == partner_id, CheckIn.day >= since)
    return set(_own(engine, partner_id, query))


def last_checkin_before(engine: Engine, partner_id: int, day: date) -> date | None:
    """Return the latest day before ``day`` with a check-in by this partner, or ``None``."""
    query = select(func.max(CheckIn.day)).where(CheckIn.author_id == partner_id, CheckIn.day < day)
    return _own(engine, partner_id, query)[0]
