"""Facilitator sessions: the private link's key is swapped for a session of the device's own.

The key in the link is never kept in a cookie. ``/tw/facilitate`` checks it once and gives
the browser a fresh random session id instead, stored hashed, which expires after a
workshop day and can be revoked from the dashboard (every device at once) without
replacing the link. Replacing the link (``trust-workshop workshop link``) ends every
session of the workshop too.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import timedelta

from sqlalchemy import Engine, select, update

from .identity import hash_secret
from .store.engine import session_factory, transaction
from .store.models import FacilitatorSession, Workshop, utcnow
from .workshops import WorkshopInfo, _info, workshop_for_key

SESSION_BYTES = 32
SESSION_HOURS = 12  # a workshop day; the link signs in again at once


def open_session(engine: Engine, key: str | None) -> str | None:
    """Swap a facilitator key for a new session id; ``None`` when the key opens nothing."""
    workshop = workshop_for_key(engine, key)
    if workshop is None:
        return None
    token = secrets.token_urlsafe(SESSION_BYTES)
    now = utcnow()
    with transaction(engine) as s:
        s.add(
            FacilitatorSession(
                workshop_id=workshop.id,
                token_hash=hash_secret(token),
                created_at=now,
                expires_at=now + timedelta(hours=SESSION_HOURS),
            )
        )
    return token


def workshop_for_session(engine: Engine, token: str | None) -> WorkshopInfo | None:
    """Return the workshop a live session opens, or ``None`` (unknown, expired, revoked)."""
    if not token or len(token) > 200:
        return None
    digest = hash_secret(token)
    with session_factory(engine)() as s:
        row = s.scalar(select(FacilitatorSession).where(FacilitatorSession.token_hash == digest))
        if row is None or not hmac.compare_digest(row.token_hash, digest):
            return None
        expires = (
            row.expires_at
            if row.expires_at.tzinfo
            else row.expires_at.replace(tzinfo=utcnow().tzinfo)
        )
        if row.revoked_at is not None or expires <= utcnow():
            return None
        workshop = s.get(Workshop, row.workshop_id)
        return _info(workshop) if workshop is not None else None


def end_session(engine: Engine, token: str | None) -> None:
    """Sign this facilitator device out (unknown ids are ignored)."""
    if not token or len(token) > 200:
        return
    with transaction(engine) as s:
        s.execute(
            update(FacilitatorSession)
            .where(
                FacilitatorSession.token_hash == hash_secret(token),
                FacilitatorSession.revoked_at.is_(None),
            )
            .values(revoked_at=utcnow())
        )


def revoke_sessions(engine: Engine, workshop_id: int) -> int:
    """End every live session of a workshop; return how many there were."""
    with transaction(engine) as s:
        result = s.execute(
            update(FacilitatorSession)
            .where(
                FacilitatorSession.workshop_id == workshop_id,
                FacilitatorSession.revoked_at.is_(None),
            )
            .values(revoked_at=utcnow())
        )
        return int(result.rowcount or 0)
