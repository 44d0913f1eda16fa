"""Identity: codes, one-time claims, hashed tokens, and cookies that cannot be bent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from trust_widgets._request import DeviceSession, parse_cookie_header
from trust_widgets.context import viewer_from_session
from trust_widgets.identity import (
    IdentityError,
    code_hash,
    join_with_code,
    new_code,
    new_token,
    normalise_code,
    partner_for_token,
    redeem_claim,
    renew_invite,
    start_couple,
    start_local_couple,
)
from trust_widgets.schemas import JoinRequest, LocalStart
from trust_widgets.store.engine import session_factory, transaction
from trust_widgets.store.models import Claim, Couple, Partner, Workshop, WorkshopStatus, utcnow
from trust_widgets.workshops import create_workshop


def test_tokens_have_at_least_128_bits():
    """Are tokens long, random and URL-safe?"""
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(len(t) >= 43 for t in tokens)  # 32 bytes in base64url


def test_codes_are_readable_and_forgiving():
    """Do codes avoid look-alike characters and match however they are typed?"""
    code = new_code()
    assert len(normalise_code(code)) == 12
    assert not set(normalise_code(code)) & set("01OIL")
    assert code_hash(code.lower().replace("-", " ")) == code_hash(code)


def test_tokens_are_stored_hashed(engine, couple, tmp_path):
    """Does the store file hold no access token in clear?"""
    engine.dispose()
    raw = b"".join(f.read_bytes() for f in tmp_path.glob("store.sqlite3*"))
    assert couple.a_token.encode() not in raw and couple.b_token.encode() not in raw
    with session_factory(engine)() as s:
        assert all(len(p.token_hash) == 64 for p in s.scalars(select(Partner)))


def test_claim_works_once(engine):
    """Can a claim code be redeemed only once?"""
    started = start_couple(engine, "Ana")
    redeem_claim(engine, started.claim_code)
    with pytest.raises(IdentityError):
        redeem_claim(engine, started.claim_code)


def test_expired_claim_is_refused(engine):
    """Is a claim older than its lifetime refused?"""
    started = start_couple(engine, "Ana")
    with transaction(engine) as s:
        s.execute(update(Claim).values(expires_at=utcnow() - timedelta(seconds=1)))
    with pytest.raises(IdentityError, match="expired"):
        redeem_claim(engine, started.claim_code)


def test_new_claim_replaces_old_token(engine):
    """Does signing in on a new device sign the old device out?"""
    started = start_couple(engine, "Ana")
    [old] = redeem_claim(engine, started.claim_code)
    with session_factory(engine)() as s:
        partner = s.scalar(select(Partner))
    from trust_widgets.identity import _new_claim

    with transaction(engine) as s:
        code = _new_claim(s, [s.get(Partner, partner.id)])
    [new] = redeem_claim(engine, code)
    assert partner_for_token(engine, old) is None
    assert partner_for_token(engine, new).id == partner.id


def test_invite_links_the_second_partner_once(engine):
    """Does an invite code add exactly one partner to the right couple?"""
    started = start_couple(engine, "Ana")
    joined = join_with_code(engine, JoinRequest(code=started.invite_code, name="Ben"))
    [b] = redeem_claim(engine, joined.claim_code)
    viewer = viewer_from_session(engine, DeviceSession((b,)))
    assert viewer.name == "Ben" and viewer.partner_name == "Ana"
    with pytest.raises(IdentityError):
        join_with_code(engine, JoinRequest(code=started.invite_code, name="Eve"))


def test_expired_invite_is_refused(engine):
    """Is an invite past its lifetime refused with a clear message?"""
    started = start_couple(engine, "Ana")
    with transaction(engine) as s:
        s.execute(update(Couple).values(invite_expires_at=utcnow() - timedelta(days=1)))
    with pytest.raises(IdentityError, match="expired"):
        join_with_code(engine, JoinRequest(code=started.invite_code, name="Ben"))


def test_renewed_invite_replaces_the_old_one(engine):
    """Does a new invite code make the old one stop working?"""
    started = start_couple(engine, "Ana")
    [a] = redeem_claim(engine, started.claim_code)
    fresh = renew_invite(engine, partner_for_token(engine, a).id)
    with pytest.raises(IdentityError):
        join_with_code(engine, JoinRequest(code=started.invite_code, name="Ben"))
    join_with_code(engine, JoinRequest(code=fresh, name="Ben"))


def test_workshop_join_code_makes_a_new_couple(engine):
    """Does a workshop join code start a new couple inside that workshop?"""
    ws = create_workshop(engine, "Tuesday group")
    joined = join_with_code(engine, JoinRequest(code=ws.join_code, name="Ana"))
    [a] = redeem_claim(engine, joined.claim_code)
    viewer = viewer_from_session(engine, DeviceSession((a,)))
    assert viewer.workshop_name == "Tuesday group" and joined.invite_code


def test_closed_workshop_refuses_joins(engine):
    """Does a closed workshop refuse new couples?"""
    ws = create_workshop(engine, "Full group")
    with transaction(engine) as s:
        s.execute(update(Workshop).values(status=WorkshopStatus.CLOSED))
    with pytest.raises(IdentityError, match="not taking"):
        join_with_code(engine, JoinRequest(code=ws.join_code, name="Ana"))


def test_unknown_code_is_refused(engine):
    """Does a made-up code get a clear message?"""
    with pytest.raises(IdentityError, match="doesn't match"):
        join_with_code(engine, JoinRequest(code="AAAA-BBBB-CCCC", name="Ana"))


def test_local_couple_holds_both_partners(engine):
    """Does starting on one device sign both partners in, switchable by index?"""
    started = start_local_couple(engine, LocalStart(name_a="Ana", name_b="Ben"))
    tokens = tuple(redeem_claim(engine, started.claim_code))
    first = viewer_from_session(engine, DeviceSession(tokens, 0))
    second = viewer_from_session(engine, DeviceSession(tokens, 1))
    assert (first.name, second.name) == ("Ana", "Ben")
    assert first.device_names == ("Ana", "Ben")


def test_other_apps_odd_cookies_do_not_sign_anyone_out(engine, couple):
    """Do malformed cookies from other apps on the same host leave ours readable?"""
    for junk in ('theme={"dark":true}', "a=b c", "broken", 'x="unterminated'):
        header = f"{junk}; tw_tokens={couple.a_token}; {junk}"
        viewer = viewer_from_session(engine, parse_cookie_header(header))
        assert viewer is not None and viewer.partner_id == couple.a.partner_id


def test_revoked_tokens_stop_working(engine, couple):
    """After sign-out, is the token worthless, while the partner's is not?"""
    from trust_widgets.identity import revoke_tokens

    revoke_tokens(engine, [couple.a_token, "unknown"])
    assert partner_for_token(engine, couple.a_token) is None
    assert partner_for_token(engine, couple.b_token) is not None


@pytest.mark.parametrize(
    "header",
    ["", "tw_tokens=", "tw_tokens=nonsense", 'tw_tokens="; drop table', "tw_active=1", "a=b; c"],
)
def test_garbage_cookies_sign_nobody_in(engine, couple, header):
    """Does a missing, empty or made-up cookie give no viewer at all?"""
    assert viewer_from_session(engine, parse_cookie_header(header)) is None


def test_cookie_mixing_two_couples_shows_only_the_active_one(engine, couple, other_couple):
    """Can pasting another couple's token next to yours reveal anything about them?"""
    mixed = parse_cookie_header(f"tw_tokens={couple.a_token}.{other_couple.a_token}; tw_active=0")
    viewer = viewer_from_session(engine, mixed)
    assert viewer.partner_id == couple.a.partner_id
    assert viewer.device_names == ("Ana",)  # the other couple's name is not offered


def test_active_index_cannot_point_past_the_tokens(engine, couple):
    """Does tw_active=1 with one token still mean the one partner, not someone else?"""
    viewer = viewer_from_session(
        engine, parse_cookie_header(f"tw_tokens={couple.a_token}; tw_active=1")
    )
    assert viewer.partner_id == couple.a.partner_id
