"""Codes cannot be guessed: wrong codes are limited per client and per code, right ones not.

Unit tests of :mod:`trust_widgets.code_limits` against a real SQLite store, and the limits
over HTTP on a real server: sign-in claims and the facilitator link.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.security._attacks import Device, request, wrong_codes
from trust_widgets import code_limits as L
from trust_widgets.identity import IdentityError, WrongCode, join_with_code, start_couple
from trust_widgets.schemas import JoinRequest
from trust_widgets.store.engine import session_factory, transaction
from trust_widgets.store.models import CodeFailures
from trust_widgets.workshops import create_workshop

PHONE = L.Client(address="a" * 64, device="d" * 64)


def _wrong():
    raise WrongCode("That code doesn't match.")


def _closed():
    raise IdentityError("This workshop is not taking new couples.")


def test_ten_wrong_codes_are_answered_then_none(engine):
    """Are more than 10 wrong codes in a row ever checked? No: the 11th is refused unchecked."""
    for _ in range(L.BURST):
        with pytest.raises(WrongCode):
            L.attempt_code(engine, PHONE, None, _wrong)
    ran = []
    with pytest.raises(L.TooManyAttempts) as refused:
        L.attempt_code(engine, PHONE, None, lambda: ran.append(1))
    assert not ran and 1 <= refused.value.retry_after <= L.DRAIN_SECONDS
    assert "wait a minute" in str(refused.value)


def test_a_right_code_is_refused_too_while_the_limit_holds(engine):
    """Would a right guess after the limit tell the guesser it was right? No: it is refused."""
    for _ in range(L.BURST):
        with pytest.raises(WrongCode):
            L.attempt_code(engine, PHONE, None, _wrong)
    with pytest.raises(L.TooManyAttempts):
        L.attempt_code(engine, PHONE, None, lambda: "signed in")


def test_the_limit_drains_one_try_a_minute(engine):
    """After the burst, does a client get one more try each minute?"""
    for _ in range(L.BURST):
        with pytest.raises(WrongCode):
            L.attempt_code(engine, PHONE, None, _wrong)
    with transaction(engine) as s:  # a minute passes
        for row in s.scalars(select(CodeFailures)):
            row.updated_at -= timedelta(minutes=1)
    assert L.attempt_code(engine, PHONE, None, lambda: "ok") == "ok"
    with pytest.raises(WrongCode):
        L.attempt_code(engine, PHONE, None, _wrong)
    with pytest.raises(L.TooManyAttempts):
        L.attempt_code(engine, PHONE, None, _wrong)


def test_right_codes_are_never_slowed_and_leave_nothing(engine):
    """Is a room of 30 couples joining from one address slowed by its right codes? No."""
    ws = create_workshop(engine, "Room")
    room = L.Client(address="n" * 64)  # one NAT address for everyone
    for i in range(60):
        device = L.Client(address=room.address, device=f"{i:064d}")
        L.attempt_code(
            engine, device, ws.join_code,
            lambda i=i: join_with_code(engine, JoinRequest(code=ws.join_code, name=f"P{i}")),
        )  # fmt: skip
    with session_factory(engine)() as s:
        assert s.scalars(select(CodeFailures)).all() == []


def test_a_room_with_a_few_typos_still_gets_in(engine):
    """Do a few mistyped codes in a room lock the room's shared address? No."""
    ws = create_workshop(engine, "Room")
    room = "n" * 64
    for i in range(30):
        device = L.Client(address=room, device=f"{i:064d}")
        if i % 6 == 0:  # five typos in the room
            with pytest.raises(WrongCode):
                L.attempt_code(
                    engine, device, "TYPO",
                    lambda: join_with_code(engine, JoinRequest(code="TYPO-TYPO-TYPO", name="X")),
                )  # fmt: skip
        L.attempt_code(
            engine, device, ws.join_code,
            lambda: join_with_code(engine, JoinRequest(code=ws.join_code, name="Y")),
        )  # fmt: skip


def test_one_code_cannot_be_hammered_from_many_addresses(engine):
    """Can many clients try one code again and again? No: the code has its own limit."""
    for i in range(L.BURST):
        with pytest.raises(WrongCode):
            L.attempt_code(engine, L.Client(address=f"{i:064d}"), "ABCD-EFGH-JKLM", _wrong)
    with pytest.raises(L.TooManyAttempts):
        L.attempt_code(engine, L.Client(address="z" * 64), "ABCD-EFGH-JKLM", _wrong)


def test_parallel_guesses_cannot_slip_past(engine):
    """Can guesses sent all at once get more than 10 answers? No: each is counted first."""

    def guess(_):
        try:
            L.attempt_code(engine, PHONE, None, _wrong)
        except L.TooManyAttempts:
            return "limited"
        except WrongCode:
            return "answered"

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(guess, range(40)))
    assert results.count("answered") == L.BURST


def test_other_errors_are_not_counted(engine):
    """Is a closed workshop or a store error counted as a wrong code? No."""
    for _ in range(3 * L.BURST):
        with pytest.raises(IdentityError):
            L.attempt_code(
                engine, PHONE, None, lambda: (_ for _ in ()).throw(IdentityError("closed"))
            )
    assert L.attempt_code(engine, PHONE, None, lambda: "ok") == "ok"


def test_welcome_page_limits_wrong_join_codes(engine, monkeypatch):
    """After 10 wrong join codes on the landing page, is the next code refused calmly?"""
    from trust_widgets.widget_welcome import WelcomeForms

    monkeypatch.setenv("HTTP_X_TW_CLIENT", f"{'a' * 64} {'d' * 64}")
    started = start_couple(engine, "Ana")
    forms = WelcomeForms(engine, None)
    forms.inputs["join_name"].value = "Ben"
    for _ in range(L.BURST):
        forms.inputs["code"].value = "WRNG-WRNG-WRNG"
        forms.join.click()
        assert "match an open workshop" in forms.errs["join"].value
    forms.inputs["code"].value = started.invite_code  # the right one, too late
    forms.join.click()
    assert "Too many codes" in forms.errs["join"].value
    assert "tw-continue" not in forms.result.value


def test_claims_over_http_are_limited(own_server):
    """How many wrong sign-in claims does one client get answered? At most 10 of 200."""
    served = own_server()
    guesses = wrong_codes(served.base, "/tw/claim", "code", attempts=200)
    assert guesses.answered <= L.BURST and guesses.limited == 200 - guesses.answered
    assert all(r.isdigit() and int(r) >= 1 for r in guesses.retry_after)
    # A right claim from that client is refused while the limit holds, and shows no code.
    code = start_couple(served.engine, "Ana").claim_code
    r = request(served.base, "/tw/claim", method="POST", form={"code": code})
    assert r.status == 429 and "tw_tokens" not in r.cookies


def test_facilitator_links_over_http_are_limited(own_server):
    """Can the facilitator key be guessed at /tw/facilitate? At most 10 answers, then 429."""
    served = own_server()
    guesses = wrong_codes(served.base, "/tw/facilitate", "key", attempts=60)
    assert guesses.answered <= L.BURST and guesses.limited == 60 - guesses.answered


def test_a_right_claim_works_from_a_client_that_made_no_mistake(own_server):
    """Are successful claims slowed? No: many in a row all sign in."""
    served = own_server()
    for i in range(3 * L.BURST):
        device = Device(served.base)
        device.get("/tw/away")
        code = start_couple(served.engine, f"P{i}").claim_code
        assert device.post("/tw/claim", {"code": code}).status == 302
