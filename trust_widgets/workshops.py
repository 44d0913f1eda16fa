"""Workshops: create, close, reopen, archive, and find one by its facilitator key.

A workshop has two secrets. The join code is read out to the room; the facilitator key is
in the facilitator's private link. The store keeps only their hashes, so both are shown
once, when made; a lost facilitator link is replaced with :func:`replace_facilitator_key`.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from .identity import code_hash, hash_secret, new_code
from .store.engine import session_factory, transaction
from .store.models import Couple, FacilitatorSession, Workshop, WorkshopStatus, utcnow
from .suppression import MAX_K, MIN_K

FACILITATOR_KEY_BYTES = 32  # 256 bits: the link is the only thing guarding the dashboard
MIN_CELL_RANGE = (MIN_K, MAX_K)  # see suppression.MIN_K for why not 2
DEFAULT_MIN_CELL = 5


class WorkshopError(ValueError):
    """A workshop request that cannot be honoured; the message is safe to show."""


@dataclass(frozen=True)
class NewWorkshop:
    """A workshop just made, with its secrets in clear: show them once, then forget them."""

    id: int
    name: str
    join_code: str
    facilitator_key: str


@dataclass(frozen=True)
class WorkshopInfo:
    """What a facilitator or operator may know of a workshop: no secrets, no couples."""

    id: int
    name: str
    status: WorkshopStatus
    created_at: datetime
    min_cell_size: int
    is_demo: bool
    session_plan: dict[str, Any] | None


def new_facilitator_key() -> str:
    """Return a fresh facilitator key (from :mod:`secrets`)."""
    return secrets.token_urlsafe(FACILITATOR_KEY_BYTES)


def facilitator_link(base_url: str, key: str) -> str:
    """Return the facilitator's private link.

    The key goes after ``#``: browsers never send the fragment to a server, so the key
    stays out of access logs, proxies and ``Referer`` headers. The page posts it instead.
    """
    return f"{base_url.rstrip('/')}/tw/facilitate#{key}"


def _check_name(name: str) -> str:
    name = " ".join(name.split())
    if not 1 <= len(name) <= 120:
        raise WorkshopError("A workshop name needs 1 to 120 characters.")
    return name


def _check_min_cell(value: int) -> int:
    low, high = MIN_CELL_RANGE
    if not low <= value <= high:
        raise WorkshopError(f"The smallest group shown must be between {low} and {high}.")
    return value


def _info(w: Workshop) -> WorkshopInfo:
    return WorkshopInfo(
        id=w.id,
        name=w.name,
        status=WorkshopStatus(w.status),
        created_at=w.created_at,
        min_cell_size=w.min_cell_size,
        is_demo=w.is_demo,
        session_plan=w.session_plan,
    )


def add_workshop(
    session: Session,
    name: str,
    *,
    is_demo: bool = False,
    min_cell_size: int = DEFAULT_MIN_CELL,
    session_plan: dict[str, Any] | None = None,
) -> NewWorkshop:
    """Add a workshop within the caller's transaction; return its secrets."""
    code, key = new_code(), new_facilitator_key()
    workshop = Workshop(
        name=_check_name(name),
        join_code_hash=code_hash(code),
        facilitator_key_hash=hash_secret(key),
        is_demo=is_demo,
        min_cell_size=_check_min_cell(min_cell_size),
        session_plan=session_plan,
    )
    session.add(workshop)
    session.flush()
    return NewWorkshop(id=workshop.id, name=workshop.name, join_code=code, facilitator_key=key)


def create_workshop(engine: Engine, name: str, **options: Any) -> NewWorkshop:
    """Create a workshop and return its join code and facilitator key (shown once)."""
    with transaction(engine) as s:
        return add_workshop(s, name, **options)


def list_workshops(engine: Engine) -> list[tuple[WorkshopInfo, int]]:
    """Return every workshop with its number of couples, oldest first."""
    with session_factory(engine)() as s:
        counts = dict(
            s.execute(
                select(Couple.workshop_id, func.count())
                .where(Couple.workshop_id.is_not(None))
                .group_by(Couple.workshop_id)
            ).all()
        )
        workshops = s.scalars(select(Workshop).order_by(Workshop.id)).all()
        return [(_info(w), counts.get(w.id, 0)) for w in workshops]


def get_workshop(engine: Engine, workshop_id: int) -> WorkshopInfo:
    """Return one workshop, or raise :class:`WorkshopError` if there is none."""
    with session_factory(engine)() as s:
        w = s.get(Workshop, workshop_id)
        if w is None:
            raise WorkshopError(f"There is no workshop {workshop_id}.")
        return _info(w)


# Which status changes are allowed: archived is final.
_MOVES = {
    WorkshopStatus.OPEN: {WorkshopStatus.CLOSED, WorkshopStatus.ARCHIVED},
    WorkshopStatus.CLOSED: {WorkshopStatus.OPEN, WorkshopStatus.ARCHIVED},
    WorkshopStatus.ARCHIVED: set(),
}


def set_status(engine: Engine, workshop_id: int, status: WorkshopStatus | str) -> WorkshopInfo:
    """Close a workshop to new couples, reopen it, or archive it for good."""
    status = WorkshopStatus(status)
    with transaction(engine) as s:
        w = s.get(Workshop, workshop_id)
        if w is None:
            raise WorkshopError(f"There is no workshop {workshop_id}.")
        current = WorkshopStatus(w.status)
        if status != current:
            if status not in _MOVES[current]:
                raise WorkshopError(f"An {current.value} workshop cannot be {status.value}.")
            w.status = status
            if status == WorkshopStatus.ARCHIVED:
                w.join_code_hash = None  # the code can never let anyone in again
        return _info(w)


def replace_facilitator_key(engine: Engine, workshop_id: int) -> str:
    """Give a workshop a new facilitator key; the old link and its sessions stop at once."""
    key = new_facilitator_key()
    with transaction(engine) as s:
        w = s.get(Workshop, workshop_id)
        if w is None:
            raise WorkshopError(f"There is no workshop {workshop_id}.")
        w.facilitator_key_hash = hash_secret(key)
        # A replaced link may have leaked: every device it signed in is signed out too.
        s.execute(
            update(FacilitatorSession)
            .where(
                FacilitatorSession.workshop_id == workshop_id,
                FacilitatorSession.revoked_at.is_(None),
            )
            .values(revoked_at=utcnow())
        )
    return key


def replace_join_code(engine: Engine, workshop_id: int) -> str:
    """Give an open workshop a new join code (for a code read out wrongly or leaked)."""
    code = new_code()
    with transaction(engine) as s:
        w = s.get(Workshop, workshop_id)
        if w is None:
            raise WorkshopError(f"There is no workshop {workshop_id}.")
        if WorkshopStatus(w.status) != WorkshopStatus.OPEN:
            raise WorkshopError("The workshop is not open; reopen it first.")
        w.join_code_hash = code_hash(code)
    return code


def workshop_for_key(engine: Engine, key: str | None) -> WorkshopInfo | None:
    """Return the workshop this facilitator key opens, or ``None``."""
    if not key or len(key) > 200:
        return None
    digest = hash_secret(key)
    with session_factory(engine)() as s:
        w = s.scalar(select(Workshop).where(Workshop.facilitator_key_hash == digest))
        if w is None or not hmac.compare_digest(w.facilitator_key_hash or "", digest):
            return None
        return _info(w)
