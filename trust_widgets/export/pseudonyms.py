"""Keyed pseudonyms (HMAC-SHA256) for workshops, couples and partners.

An unkeyed hash of a small integer id can be reversed by trying every id; an HMAC with a
secret key cannot, as long as the key stays secret (ENISA 2019). Each message names the kind
of thing and carries its internal id plus its creation time, so two stores that both have a
"couple 1" still give two different pseudonyms under one key, and pooled exports do not
merge strangers. Internal ids and times go into the HMAC only, never into an export.

Nothing but pseudonyms is derived from the key. A per-couple date shift was, and it gave
itself away modulo 7 (weekday commitments dip on the real weekend) in every export under
that key; exports carry ``day_index`` and no calendar date instead.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

HEX_CHARS = 16  # 64 bits: collisions stay negligible up to millions of couples
PREFIXES = {"workshop": "W-", "couple": "C-", "partner": "P-"}
HOME = "home"  # the one workshop pseudonym shared by couples using the kit at home


def _stamp(moment: datetime | None) -> str:
    """A creation time as text that is the same on SQLite (naive) and PostgreSQL (aware)."""
    if moment is None:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds")


def message(kind: str, ident: int | str, created_at: datetime | None = None) -> bytes:
    """Return the HMAC input for one workshop, couple or partner."""
    return f"trust-workshop/{kind}/{ident}/{_stamp(created_at)}".encode()


class Pseudonymiser:
    """Turns internal identities into stable pseudonyms under one key."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("the pseudonym key is too short")
        self._key = key

    def __repr__(self) -> str:  # never show the key, not even in a traceback
        return "Pseudonymiser(key hidden)"

    def _digest(self, msg: bytes) -> bytes:
        return hmac.new(self._key, msg, hashlib.sha256).digest()

    def pseudonym(self, kind: str, ident: int | str, created_at: datetime | None = None) -> str:
        """Return ``W-``/``C-``/``P-`` plus 16 lowercase hex characters."""
        return PREFIXES[kind] + self._digest(message(kind, ident, created_at)).hex()[:HEX_CHARS]

    def workshop(self, workshop_id: int | None, created_at: datetime | None = None) -> str:
        """Return a workshop's pseudonym; ``None`` (at home) gives the pseudonym of "home"."""
        if workshop_id is None:
            return self.pseudonym("workshop", HOME)
        return self.pseudonym("workshop", workshop_id, created_at)

    def couple(self, couple_id: int, created_at: datetime | None = None) -> str:
        return self.pseudonym("couple", couple_id, created_at)

    def partner(self, partner_id: int, created_at: datetime | None = None) -> str:
        return self.pseudonym("partner", partner_id, created_at)
