"""Limits on wrong codes: join and invite codes, sign-in claims and facilitator links.

Every code the kit accepts is long and random, so guessing one is already hopeless; these
limits make sure nobody can try. What is counted is *failures*, not attempts: a room of 30
couples joining from one network address gets in, however fast, as long as they type
their codes right. Each failure fills a leaky bucket for the client's address, for its
device cookie and for the code tried; a bucket holds :data:`BURST` failures and drains one
every :data:`DRAIN_SECONDS`. While any of the three is full, every code from that client
(or for that code) is refused with :class:`TooManyAttempts`, right ones too: an answer that
differed would tell a guesser when it had found one.

The buckets live in the store, so every page kernel and every server on one store shares
them. Their keys are SHA-256 digests; a drained bucket is deleted.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from sqlalchemy import Engine, select, update

from .identity import IdentityError, WrongCode, hash_secret
from .store.engine import transaction
from .store.models import CodeFailures, utcnow

BURST = 10  # wrong codes answered before the limit
DRAIN_SECONDS = 60.0  # after that, one more try a minute
T = TypeVar("T")


class TooManyAttempts(IdentityError):
    """Too many wrong codes lately; the message is safe to show.

    Attributes
    ----------
    retry_after
        Whole seconds until one more try is allowed.
    """

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, math.ceil(retry_after / 60))
        when = "a minute" if minutes == 1 else f"{minutes} minutes"
        super().__init__(
            "Too many codes that didn't work were tried from here. Nothing is wrong with your "
            f"account. Please wait {when}, check the code, and try again."
        )
        self.retry_after = retry_after


@dataclass(frozen=True)
class Client:
    """Who is trying a code, as the server saw them; each part is already a digest."""

    address: str | None = None
    device: str | None = None

    def keys(self) -> list[str]:
        return [k for k in (self.address, self.device) if k]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _keys(client: Client | None, code: str | None) -> list[str]:
    keys = client.keys() if client else []
    if code:
        keys.append(hash_secret("code:" + code))
    return sorted(set(keys))  # one order everywhere: no two writers lock in opposite orders


def _drained(row: CodeFailures, now: datetime) -> float:
    elapsed = max(0.0, (now - _aware(row.updated_at)).total_seconds())
    return max(0.0, row.level - elapsed / DRAIN_SECONDS)


def _reserve(engine: Engine, keys: list[str]) -> None:
    """Count one failure in advance, atomically, or refuse when a bucket is full.

    Counting first and refunding on success means parallel guesses cannot all slip past
    one reading of the buckets.
    """
    now = utcnow()
    with transaction(engine) as s:
        # A write first: SQLite then holds its write lock for the whole check (PostgreSQL
        # locks the rows), so no other attempt reads the buckets between our read and write.
        s.execute(
            update(CodeFailures).where(CodeFailures.key.in_(keys)).values(level=CodeFailures.level)
        )
        rows = {r.key: r for r in s.scalars(select(CodeFailures).where(CodeFailures.key.in_(keys)))}
        fullest = max((_drained(r, now) for r in rows.values()), default=0.0)
        if fullest > BURST - 1:
            raise TooManyAttempts(max(1, math.ceil((fullest - (BURST - 1)) * DRAIN_SECONDS)))
        for key in keys:
            row = rows.get(key)
            if row is None:
                s.add(CodeFailures(key=key, level=1.0, updated_at=now))
            else:
                row.level, row.updated_at = _drained(row, now) + 1.0, now


def _refund(engine: Engine, keys: list[str]) -> None:
    now = utcnow()
    with transaction(engine) as s:
        for row in s.scalars(select(CodeFailures).where(CodeFailures.key.in_(keys))):
            level = _drained(row, now) - 1.0
            if level <= 0:
                s.delete(row)  # drained: nothing is kept about a client that did nothing wrong
            else:
                row.level, row.updated_at = level, now


def attempt_code(
    engine: Engine, client: Client | None, code: str | None, attempt: Callable[[], T]
) -> T:
    """Run ``attempt()`` under the limit: refused when full, counted when it fails.

    ``attempt`` raises :class:`~trust_widgets.identity.WrongCode` for a code that opens
    nothing; anything else it raises (a closed workshop, a store error) is not counted.

    Raises
    ------
    TooManyAttempts
        A bucket is full; ``attempt`` did not run.
    """
    keys = _keys(client, code)
    if not keys:
        return attempt()
    _reserve(engine, keys)
    try:
        result = attempt()
    except WrongCode:
        raise  # the failure stays counted
    except BaseException:
        _refund(engine, keys)
        raise
    _refund(engine, keys)
    return result
