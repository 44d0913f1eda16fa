"""SQLAlchemy 2 models for workshops, couples, partners and what partners write.

Every entry a partner writes carries a :class:`Visibility`. Private entries are for their
author only; shared entries are for both partners of the couple. Nothing here decides who
may read what: :mod:`trust_widgets.store.entries` does, in one place.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

# Stable constraint names let Alembic alter tables on SQLite and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Return the current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Visibility(enum.StrEnum):
    PRIVATE = "private"
    SHARED = "shared"


class WorkshopStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    ARCHIVED = "archived"


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(cls, name=name, values_callable=lambda e: [m.value for m in e], native_enum=False)


class Workshop(Base):
    __tablename__ = "workshops"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    join_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    status: Mapped[WorkshopStatus] = mapped_column(
        _enum(WorkshopStatus, "workshop_status"), default=WorkshopStatus.OPEN
    )
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # sha256 of the facilitator key; the key itself is only in the facilitator's link.
    facilitator_key_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Counts below this are never shown to the facilitator (small-cell suppression).
    min_cell_size: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    # The session plan as data (see data/session-plans); None means the default plan.
    session_plan: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    couples: Mapped[list[Couple]] = relationship(back_populates="workshop")


class Couple(Base):
    __tablename__ = "couples"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None for a couple using the kit at home, outside any workshop.
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshops.id", ondelete="CASCADE"))
    invite_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    invite_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    workshop: Mapped[Workshop | None] = relationship(back_populates="couples")
    partners: Mapped[list[Partner]] = relationship(
        back_populates="couple", order_by="Partner.slot", cascade="all, delete-orphan"
    )


class Partner(Base):
    __tablename__ = "partners"
    __table_args__ = (UniqueConstraint("couple_id", "slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    couple_id: Mapped[int] = mapped_column(ForeignKey("couples.id", ondelete="CASCADE"))
    slot: Mapped[int] = mapped_column(Integer)  # 0 or 1: who joined first
    display_name: Mapped[str] = mapped_column(String(40))
    # sha256 of the access token; the token itself is only ever in the partner's cookie.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    locale: Mapped[str] = mapped_column(String(16), default="en")
    # Which resource list (data/resources/<region>.csv) this partner sees.
    region: Mapped[str] = mapped_column(String(16), default="intl", server_default="intl")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    couple: Mapped[Couple] = relationship(back_populates="partners")


class Claim(Base):
    """A one-time, short-lived code that the server swaps for access tokens in a cookie."""

    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    partner_ids: Mapped[list[int]] = mapped_column(JSON)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class FacilitatorSession(Base):
    """A facilitator's signed-in device: the link's key, swapped for a session of its own.

    The session id lives only in the facilitator's cookie; the store keeps its SHA-256. It
    expires, and can be revoked from the dashboard, without replacing the link.
    """

    __tablename__ = "facilitator_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CodeFailures(Base):
    """Wrong codes lately tried by one client, or against one code: a leaky bucket.

    ``key`` is a SHA-256 of what is counted (a client address, a device, a code), never the
    value itself. ``level`` drains at a fixed rate; a row that has drained is deleted.
    """

    __tablename__ = "code_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    level: Mapped[float] = mapped_column(Float, default=0.0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FigureRelease(Base):
    """A facilitator dashboard's figures for one day, computed once and kept as released.

    Every view of the dashboard on that day shows these numbers, so refreshing cannot
    reveal what one partner did since (see :mod:`trust_widgets.released_progress`).
    """

    __tablename__ = "figure_releases"
    __table_args__ = (UniqueConstraint("workshop_id", "day", "k"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[date] = mapped_column(Date)  # figures cover the days before this one
    k: Mapped[int] = mapped_column(Integer)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EntryMixin:
    """Columns every partner-written entry has: whose it is and who may see it."""

    id: Mapped[int] = mapped_column(primary_key=True)

    @declared_attr
    def couple_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("couples.id", ondelete="CASCADE"), index=True)

    @declared_attr
    def author_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("partners.id", ondelete="CASCADE"), index=True)

    visibility: Mapped[Visibility] = mapped_column(
        _enum(Visibility, "visibility"), default=Visibility.PRIVATE
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class IStatement(EntryMixin, Base):
    __tablename__ = "i_statements"

    feel: Mapped[str] = mapped_column(String(200))
    when: Mapped[str] = mapped_column(String(300))
    because: Mapped[str] = mapped_column(String(300), default="")
    need: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text)


class Reflection(EntryMixin, Base):
    """A partner's reflection on one topic of a step; structured answers go in ``answers``."""

    __tablename__ = "reflections"

    step: Mapped[int] = mapped_column(Integer)
    topic: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text, default="")
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")


class Boundary(EntryMixin, Base):
    """A partner's private answer on one boundary topic; ``shared`` allows the mutual reveal."""

    __tablename__ = "boundaries"
    __table_args__ = (UniqueConstraint("author_id", "topic"),)

    topic: Mapped[str] = mapped_column(String(120))
    answer: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")


class BoundaryTopic(Base):
    """A topic a partner added for the couple. Visible to both partners by design."""

    __tablename__ = "boundary_topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    couple_id: Mapped[int] = mapped_column(ForeignKey("couples.id", ondelete="CASCADE"), index=True)
    added_by_id: Mapped[int] = mapped_column(ForeignKey("partners.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AgreementItem(EntryMixin, Base):
    """One boundary the couple agrees on. Always shared; agreed once both have confirmed."""

    __tablename__ = "agreement_items"

    text: Mapped[str] = mapped_column(Text)
    confirmed_by: Mapped[list[int]] = mapped_column(JSON, default=list)


class Promise(EntryMixin, Base):
    """A commitment (step 4). Shared by default; ``frequency`` says on which days it is due."""

    __tablename__ = "promises"

    title: Mapped[str] = mapped_column(String(200))
    frequency: Mapped[str] = mapped_column(String(20), default="daily")  # daily|weekdays|weekly
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    start_day: Mapped[date | None] = mapped_column(Date)  # first day it is due


class CheckIn(EntryMixin, Base):
    """One partner's daily check-in: ratings on the instrument's items, and promises kept.

    The visibility covers the ratings and the kept promises. Free text never lives here:
    the private note is a :class:`DailyNote`, a small win a :class:`SmallWin`.
    """

    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("author_id", "day"),)

    day: Mapped[date] = mapped_column(Date)
    instrument_version: Mapped[str] = mapped_column(String(40))
    ratings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    kept_promise_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    # What could be kept that day, recorded when saved: pauses then count as nothing due.
    # None (older or imported rows): the views work it out from the commitments instead.
    due_promise_ids: Mapped[list[int] | None] = mapped_column(JSON)


class DailyNote(EntryMixin, Base):
    """A check-in's optional note. Always private to its author."""

    __tablename__ = "daily_notes"
    __table_args__ = (UniqueConstraint("author_id", "day"),)

    day: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)


class SmallWin(EntryMixin, Base):
    """A small win noticed on a day; private or shared, as its author chooses."""

    __tablename__ = "small_wins"

    day: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)


class Consent(EntryMixin, Base):
    """Research consent. Always private to its author."""

    __tablename__ = "consents"

    granted: Mapped[bool] = mapped_column(Boolean)
    text_version: Mapped[str] = mapped_column(String(40))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SafetyScreen(EntryMixin, Base):
    """A private safety check. Never shown to the partner, a facilitator or an export."""

    __tablename__ = "safety_screens"

    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)


ENTRY_MODELS: tuple[type[EntryMixin], ...] = (
    IStatement,
    Reflection,
    Boundary,
    AgreementItem,
    Promise,
    CheckIn,
    DailyNote,
    SmallWin,
    Consent,
    SafetyScreen,
)
# Entries that must never be shared, whatever a caller asks for.
ALWAYS_PRIVATE: frozenset[type[EntryMixin]] = frozenset({Consent, SafetyScreen, DailyNote})
