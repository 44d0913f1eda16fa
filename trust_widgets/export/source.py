"""Reading the store for an export: partner-level facts first, then check-ins in chunks.

Only columns an export may use are ever selected: no names, no tokens, no free text, and of
a consent only whether it stands. Partner-level reads are small (one row per partner,
consent or commitment); check-ins, the bulk, are streamed couple batch by couple batch.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import (
    URL,
    Connection,
    Engine,
    String,
    Text,
    bindparam,
    func,
    inspect,
    select,
    type_coerce,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..store.models import CheckIn, Consent, Couple, Partner, Promise, Visibility, Workshop
from ._decode import ids, json_value
from .errors import ExportError, ExportInputError
from .followthrough import Commitment

_TABLES = ("workshops", "couples", "partners", "checkins", "consents", "promises")
YIELD_PER = 5000


@dataclass(frozen=True, slots=True)
class PartnerRow:
    id: int
    slot: int
    region: str
    created_at: datetime | None


@dataclass(slots=True)
class CoupleRow:
    id: int
    created_at: datetime | None
    workshop_id: int | None
    workshop_created_at: datetime | None
    is_demo: bool
    partners: list[PartnerRow] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    """A partner's latest consent row, for the report's counts only."""

    status: str  # granted, declined or withdrawn
    text_version: str


def missing_sqlite_file(url: URL) -> Path | None:
    """Return the file of a SQLite ``url`` if it does not exist (opening it would create it)."""
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    if database.startswith("file:"):
        return None  # a SQLite URI: the driver decides, and mode=ro never creates
    if database in {"", ":memory:"}:
        return Path(":memory:")  # an in-memory database holds no store
    path = Path(database).expanduser()
    return None if path.is_file() else path


def check_store(engine: Engine) -> None:
    """Raise :class:`ExportInputError` unless ``engine`` holds a Trust Workshop store.

    A SQLite file that does not exist is refused before anything connects, so the export
    never creates an empty store by mistake.
    """
    missing_file = missing_sqlite_file(engine.url)
    if missing_file is not None:
        raise ExportInputError(f"there is no store at {missing_file}", "--db")
    try:
        tables = set(inspect(engine).get_table_names())
    except SQLAlchemyError as exc:
        raise ExportError(f"cannot open the store ({exc.__class__.__name__})") from None
    missing = [t for t in _TABLES if t not in tables]
    if missing:
        raise ExportInputError(
            "this database is not a Trust Workshop store, or its schema is older than this "
            f"kit (missing: {', '.join(missing)}); open it once with 'trust-workshop serve'",
            "--db",
        )


def read_couples(conn: Connection) -> dict[int, CoupleRow]:
    """Return every couple that has partners, with its partners in slot order."""
    query = (
        select(
            Partner.id, Partner.slot, Partner.region, Partner.created_at, Couple.id,
            Couple.created_at, Couple.workshop_id, Workshop.created_at, Workshop.is_demo,
        )
        .join(Couple, Partner.couple_id == Couple.id)
        .outerjoin(Workshop, Couple.workshop_id == Workshop.id)
        .order_by(Couple.id, Partner.slot, Partner.id)
    )  # fmt: skip
    couples: dict[int, CoupleRow] = {}
    for pid, slot, region, p_at, cid, c_at, wid, w_at, demo in conn.execute(query):
        couple = couples.get(cid)
        if couple is None:
            couple = couples[cid] = CoupleRow(cid, c_at, wid, w_at, bool(demo))
        couple.partners.append(PartnerRow(pid, slot, region or "", p_at))
    return couples


def latest_consents(conn: Connection) -> dict[int, ConsentRecord]:
    """Return each partner's latest consent row (highest id: rows are only ever appended).

    For the report's counts. Who may be exported is decided by
    :func:`consented_partners`, the consent module's own rule.
    """
    query = (
        select(Consent.author_id, Consent.granted, Consent.withdrawn_at, Consent.text_version)
        .order_by(Consent.author_id, Consent.id)
        .execution_options(yield_per=YIELD_PER)
    )
    out: dict[int, ConsentRecord] = {}
    for author, granted, withdrawn_at, version in conn.execute(query):
        status = "granted" if granted else "declined"
        if withdrawn_at is not None:
            status = "withdrawn"
        out[author] = ConsentRecord(status, version or "")
    return out


def consented_partners(conn: Connection) -> set[int]:
    """Return the partners with current research consent, as :mod:`trust_widgets.consent` rules."""
    from ..consent import consented_partner_ids

    with Session(bind=conn) as session:
        return consented_partner_ids(session)


def checkin_counts(conn: Connection) -> dict[int, Counter[str]]:
    """Return, per partner, how many check-ins they have of each visibility."""
    query = select(CheckIn.author_id, CheckIn.visibility, func.count()).group_by(
        CheckIn.author_id, CheckIn.visibility
    )
    out: dict[int, Counter[str]] = {}
    for author, visibility, n in conn.execute(query):
        out.setdefault(author, Counter())[str(Visibility(visibility).value)] += n
    return out


def read_commitments(conn: Connection, authors: set[int]) -> dict[int, list[Commitment]]:
    """Return the *shared* commitments of ``authors``: ids and schedule only, never titles."""
    query = (
        select(
            Promise.id, Promise.author_id, Promise.frequency, Promise.active,
            Promise.start_day, Promise.created_at, Promise.updated_at,
        )
        .where(Promise.visibility == Visibility.SHARED)
        .order_by(Promise.author_id, Promise.id)
        .execution_options(yield_per=YIELD_PER)
    )  # fmt: skip
    out: dict[int, list[Commitment]] = {}
    for pid, author, freq, active, start, created, updated in conn.execute(query):
        if author not in authors:
            continue
        first = start or _day(created)
        end = None if active else _day(updated)
        if first is not None:
            out.setdefault(author, []).append(Commitment(pid, freq, first, end))
    return out


def _day(moment: datetime | None) -> date | None:
    return moment.date() if moment is not None else None


# Raw values: the JSON and date columns are decoded below, which is about three times
# faster than SQLAlchemy's per-value processors at a million rows. Drivers that decode by
# themselves (psycopg returns dicts and dates) are served as they are.
_CHECKINS = (
    select(
        CheckIn.couple_id, CheckIn.author_id, type_coerce(CheckIn.day, String),
        CheckIn.instrument_version, type_coerce(CheckIn.ratings, Text),
        type_coerce(CheckIn.kept_promise_ids, Text), type_coerce(CheckIn.due_promise_ids, Text),
    )
    .where(CheckIn.visibility == Visibility.SHARED)  # private answers never leave the store
    .where(CheckIn.couple_id.in_(bindparam("couples", expanding=True)))
    .order_by(CheckIn.couple_id, CheckIn.author_id, CheckIn.day)
)  # fmt: skip


def stream_checkins(conn: Connection, couple_ids: Sequence[int]) -> Iterator[tuple]:
    """Yield the shared check-ins of ``couple_ids``, by couple, author and day, in chunks.

    Each row: couple_id, author_id, day (a date), instrument_version, ratings (decoded),
    kept ids (a frozenset of ints), due ids (the same, or None when not recorded).
    """
    if not couple_ids:
        return
    to_date = date.fromisoformat
    try:
        result = conn.execution_options(stream_results=True, yield_per=YIELD_PER).execute(
            _CHECKINS, {"couples": list(couple_ids)}
        )
        for part in result.partitions():
            for couple, author, day, instrument, ratings, kept, due in part:
                yield (
                    couple, author, to_date(day[:10]) if isinstance(day, str) else day,
                    instrument, json_value(ratings), ids(kept),
                    None if due is None or due == "null" else ids(due),
                )  # fmt: skip
    except SQLAlchemyError as exc:
        raise ExportError(f"reading check-ins failed ({exc.__class__.__name__})") from None
