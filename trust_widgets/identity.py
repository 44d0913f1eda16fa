"""Who is this partner? Join codes, invite codes, one-time claims and access tokens.

Tokens are minted only by the server, when it swaps a one-time claim code for a cookie.
The store keeps their SHA-256; a token never appears in a URL, a page or a log.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import weakref
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Engine, event, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from .store.engine import session_factory, transaction
from .store.entries import AccessError
from .store.models import Claim, Couple, Partner, Workshop, WorkshopStatus, utcnow

if TYPE_CHECKING:  # pydantic is imported only where input is validated, not on every page
    from .schemas import DisplayName, JoinRequest, LocalStart

# No 0/O, 1/I/L: codes are read aloud in rooms and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # about 59 bits
CLAIM_TTL = timedelta(minutes=15)
INVITE_TTL = timedelta(days=14)
TOKEN_BYTES = 32  # 256 bits, well over the 128 the kit promises


class IdentityError(ValueError):
    """A code or request that cannot be honoured; the message is safe to show to a user."""


class WrongCode(IdentityError):
    """A code that opens nothing (mistyped, used or expired): counted by the code limits."""


@dataclass(frozen=True)
class Started:
    """What a partner needs right after starting: a claim for the cookie, maybe an invite."""

    claim_code: str
    invite_code: str | None = None


def hash_secret(value: str) -> str:
    """Return the SHA-256 hex digest used to store tokens and codes."""
    return hashlib.sha256(value.encode()).hexdigest()


def new_token() -> str:
    """Return a fresh access token (256 bits from :mod:`secrets`)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_code() -> str:
    """Return a human-friendly code such as ``KXF4-9QPT-M2RA``."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(value: str) -> str:
    """Upper-case a typed code and drop spaces and dashes so that ``kxf4 9qpt`` matches."""
    return "".join(ch for ch in value.upper() if ch.isalnum())


def code_hash(value: str) -> str:
    """Hash a human code after normalising it."""
    return hash_secret(normalise_code(value))


def _new_claim(session: Session, partners: list[Partner]) -> str:
    code = secrets.token_urlsafe(24)
    session.flush()
    session.add(
        Claim(
            code_hash=hash_secret(code),
            partner_ids=[p.id for p in partners],
            expires_at=utcnow() + CLAIM_TTL,
        )
    )
    return code


def _set_invite(couple: Couple) -> str:
    code = new_code()
    couple.invite_code_hash = code_hash(code)
    couple.invite_expires_at = utcnow() + INVITE_TTL
    return code


def start_local_couple(engine: Engine, request: LocalStart) -> Started:
    """Create a couple whose two partners both use this device."""
    with transaction(engine) as s:
        couple = Couple()
        a = Partner(couple=couple, slot=0, display_name=request.name_a)
        b = Partner(couple=couple, slot=1, display_name=request.name_b)
        s.add_all([couple, a, b])
        return Started(claim_code=_new_claim(s, [a, b]))


def start_couple(engine: Engine, name: DisplayName, workshop: Workshop | None = None) -> Started:
    """Create a couple with its first partner, and an invite code for the second."""
    with transaction(engine) as s:
        couple = Couple(workshop_id=workshop.id if workshop else None)
        me = Partner(couple=couple, slot=0, display_name=name)
        s.add_all([couple, me])
        invite = _set_invite(couple)
        return Started(claim_code=_new_claim(s, [me]), invite_code=invite)


def join_with_code(engine: Engine, request: JoinRequest) -> Started:
    """Join a workshop (new couple) or a partner's couple, depending on the code."""
    h = code_hash(request.code)
    with session_factory(engine)() as s:
        workshop = s.scalar(select(Workshop).where(Workshop.join_code_hash == h))
    if workshop is not None:
        if workshop.status != WorkshopStatus.OPEN:
            raise IdentityError("This workshop is not taking new couples. Ask your facilitator.")
        return start_couple(engine, request.name, workshop)
    with transaction(engine) as s:
        couple = s.scalar(select(Couple).where(Couple.invite_code_hash == h))
        if couple is None or couple.invite_expires_at is None:
            raise WrongCode(
                "That code doesn't match an open workshop or invite. Check it and try again."
            )
        if _aware(couple.invite_expires_at) < utcnow() or len(couple.partners) != 1:
            raise WrongCode("That invite has expired. Ask your partner for a new one.")
        me = Partner(couple=couple, slot=1, display_name=request.name)
        s.add(me)
        couple.invite_code_hash = None
        couple.invite_expires_at = None
        return Started(claim_code=_new_claim(s, [me]))


def renew_invite(engine: Engine, partner_id: int) -> str:
    """Make a new invite code for the partner's couple (the old one stops working)."""
    with transaction(engine) as s:
        partner = s.get(Partner, partner_id)
        if partner is None or len(partner.couple.partners) != 1:
            raise IdentityError("Your partner has already joined.")
        return _set_invite(partner.couple)


def claim_for_demo(engine: Engine) -> str | None:
    """Return a claim for the first demo couple, or ``None`` when there is no demo."""
    with transaction(engine) as s:
        couple = s.scalar(
            select(Couple).join(Workshop).where(Workshop.is_demo.is_(True)).order_by(Couple.id)
        )
        if couple is None:
            return None
        return _new_claim(s, list(couple.partners))


def redeem_claim(engine: Engine, code: str) -> list[str]:
    """Swap a one-time claim code for fresh access tokens, one per partner, in slot order.

    A new token replaces the partner's old one, so a partner is signed in on one device.
    """
    with transaction(engine) as s:
        claim = s.scalar(select(Claim).where(Claim.code_hash == hash_secret(code)))
        if claim is None or claim.used_at is not None or _aware(claim.expires_at) < utcnow():
            raise WrongCode("This link has expired. Start again from the welcome page.")
        claim.used_at = utcnow()
        partners = s.scalars(select(Partner).where(Partner.id.in_(claim.partner_ids))).all()
        tokens = []
        for partner in sorted(partners, key=lambda p: p.slot):
            token = new_token()
            partner.token_hash = hash_secret(token)
            tokens.append(token)
        return tokens


def revoke_tokens(engine: Engine, tokens: tuple[str, ...] | list[str]) -> None:
    """Make these access tokens worthless (sign-out); unknown tokens are ignored."""
    hashes = [hash_secret(t) for t in tokens if t]
    if not hashes:
        return
    with transaction(engine) as s:
        for partner in s.scalars(select(Partner).where(Partner.token_hash.in_(hashes))):
            partner.token_hash = None


def partner_for_token(engine: Engine, token: str | None) -> Partner | None:
    """Return the partner whose token this is, with couple and partners loaded, or ``None``."""
    if not token or len(token) > 200:
        return None
    digest = hash_secret(token)
    with session_factory(engine)() as s:
        partner = s.scalar(select(Partner).where(Partner.token_hash == digest))
        if partner is None or not hmac.compare_digest(partner.token_hash or "", digest):
            return None
        _ = [p.display_name for p in partner.couple.partners]  # load before the session closes
        _ = partner.couple.workshop
        return partner


def _aware(moment):
    # SQLite hands back naive datetimes even for timezone-aware columns.
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class SignedOut(AccessError, SQLAlchemyError):
    """A page's partner signed out (here or in another tab): nothing more is written.

    Also a store error, so that every save's ``except SQLAlchemyError`` turns it into a
    calm message and rolls the transaction back.
    """


SIGNED_OUT = (
    "You have been signed out on this device, so this was not saved. To go on, sign in "
    "again from the welcome page."
)
# By engine: the digest of the token a page's kernel writes for.
_ACTING: weakref.WeakKeyDictionary[Engine, str | None] = weakref.WeakKeyDictionary()
_WRITES = ("INSERT", "UPDATE", "DELETE")


def guard_writes(engine: Engine, token: str | None) -> None:
    """From now on, check before every write through ``engine`` that ``token`` still signs
    its partner in; ``None`` (a signed-out page) writes for nobody and lifts the check.

    A page's kernel lives on after its partner signs out in another tab, and the store is
    the one place that knows; the check runs in the write's own transaction.
    """
    _ACTING[engine] = hash_secret(token) if token else None
    if not event.contains(engine, "before_cursor_execute", _refuse_when_signed_out):
        event.listen(engine, "before_cursor_execute", _refuse_when_signed_out)


def _refuse_when_signed_out(conn, _cursor, statement, _params, _context, _many) -> None:
    digest = _ACTING.get(conn.engine)
    if digest is None or statement.lstrip()[:6].upper() not in _WRITES:
        return
    # A SELECT, so this nested statement passes through this hook at once.
    found = conn.scalar(select(Partner.id).where(Partner.token_hash == digest))
    if found is None:
        raise SignedOut(SIGNED_OUT)
