"""The consent form, headless: click the choices, and check the store and what is shown."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError
from traitlets import TraitError

import trust_widgets.consent as consent
import trust_widgets.widget_consent as module
from trust_widgets._forms import STORE_FAILED
from trust_widgets._html import esc
from trust_widgets.consent import TEXT_VERSIONS, ConsentText, record_decision
from trust_widgets.store.engine import session_factory
from trust_widgets.store.models import Consent
from trust_widgets.widget_consent import ConsentForm, day_text

V1 = TEXT_VERSIONS[-1]


def rows(engine) -> list[Consent]:
    with session_factory(engine)() as s:
        return list(s.scalars(select(Consent).order_by(Consent.id)))


def offered(form: ConsentForm) -> set[str]:
    """The choices the page shows (hidden buttons can still be clicked by a page user)."""
    return {d.value for d, b in form.buttons.items() if b.layout.display != "none"}


def seen(form: ConsentForm) -> tuple:
    """Everything the form shows: its texts, and which buttons are visible."""
    texts = tuple(c.value for c in form.children if hasattr(c, "value"))
    return (texts, form.status_line.value, form.error.value, sorted(offered(form)))


def test_signed_out_form_shows_the_text_and_offers_the_welcome_page(engine):
    """Without a viewer, can someone read the text and learn how to sign in, with no choices?"""
    form = ConsentForm(engine, None)
    assert "Both of you must agree" in form.children[0].value
    assert "welcome page" in form.children[1].value
    assert not hasattr(form, "buttons") and "tw-consent" in form._dom_classes


def test_undecided_partner_is_offered_yes_and_no(engine, couple):
    """Does a partner who has not decided see that, and only "agree" and "decline"?"""
    form = ConsentForm(engine, couple.a)
    assert "You have not decided yet." in form.status_line.value
    assert offered(form) == {"agree", "decline"}
    assert form.status == "undecided" and form.text_version == V1
    classes = {c for b in form.buttons.values() for c in b._dom_classes}
    assert {"tw-consent-agree", "tw-consent-decline", "tw-consent-withdraw"} <= classes
    assert "tw-consent-status" in form.status_line._dom_classes


def test_agreeing_then_withdrawing(engine, couple):
    """Does "Yes" record a dated agreement, and "Withdraw" end it, each shown to the partner?"""
    form = ConsentForm(engine, couple.a)
    form.buttons["agree"].click()
    [agreed] = rows(engine)
    assert agreed.granted and agreed.text_version == V1
    day = day_text(agreed.created_at)
    assert f"You agreed on {day} (version {V1})." in form.status_line.value
    assert "Saved." in form.status_line.value
    assert offered(form) == {"withdraw"} and form.status == "granted"
    form.buttons["withdraw"].click()
    assert [r.granted for r in rows(engine)] == [True, False]
    assert f"You withdrew on {day_text(rows(engine)[-1].created_at)}" in form.status_line.value
    assert offered(form) == {"agree"} and form.status == "withdrawn"


def test_declining_and_coming_back_later(engine, couple):
    """Is "No, thank you" recorded and shown on the next visit, with the option to say yes?"""
    ConsentForm(engine, couple.a).buttons["decline"].click()
    [row] = rows(engine)
    assert row.granted is False and row.withdrawn_at is None
    again = ConsentForm(engine, couple.a)
    assert f"You declined on {day_text(row.created_at)}." in again.status_line.value
    assert offered(again) == {"agree"} and again.status == "declined"


def test_a_partner_never_sees_the_other_partners_decision(engine, couple):
    """Is Ben's page exactly the same whether Ana agreed, declined or did nothing?"""
    before = seen(ConsentForm(engine, couple.b))
    for choice in ("agree", "withdraw", "agree"):
        record_decision(engine, couple.a.partner_id, choice, V1)
        assert seen(ConsentForm(engine, couple.b)) == before
    ana = ConsentForm(engine, couple.a)
    assert "agreed" in ana.status_line.value and "agreed" not in seen(ConsentForm(engine, couple.b))


def test_forged_values_and_hidden_buttons_write_nothing(engine, couple):
    """Are a forged version, a forged state, a forged choice and a hidden button harmless?"""
    form = ConsentForm(engine, couple.a)
    with pytest.raises(TraitError):
        form.text_version = "research-consent-999"
    with pytest.raises(TraitError):
        form.status = "granted-for-everyone"
    form.buttons["withdraw"].click()  # hidden while undecided; a page user can still send it
    assert not form.decide("export-everything")
    assert esc("isn't one this page offers") in form.error.value
    assert rows(engine) == []
    assert form.text_version == V1 and offered(form) == {"agree", "decline"}


def test_a_stale_page_follows_the_decision_made_elsewhere(engine, couple):
    """When another tab agreed, does "No, thank you" on an older page withdraw that yes?"""
    stale = ConsentForm(engine, couple.a)
    ConsentForm(engine, couple.a).buttons["agree"].click()
    stale.buttons["decline"].click()
    assert [r.granted for r in rows(engine)] == [True, False]
    assert rows(engine)[-1].withdrawn_at is not None
    assert "You withdrew on" in stale.status_line.value


def test_a_page_showing_an_older_text_cannot_agree(engine, couple, monkeypatch):
    """If the text changed since the page opened, is a yes refused calmly and nothing saved?"""
    form = ConsentForm(engine, couple.a)
    monkeypatch.setattr(consent, "TEXT_VERSIONS", (V1, "research-consent-next"))
    monkeypatch.setattr(consent, "consent_text", lambda: ConsentText("research-consent-next", ""))
    form.buttons["agree"].click()
    assert "reload the page" in form.error.value and rows(engine) == []


def test_an_agreement_the_new_text_does_not_cover_asks_again(engine, couple, monkeypatch):
    """After a text that needs re-consent, is the partner told and offered yes and withdraw?"""
    record_decision(engine, couple.a.partner_id, "agree", V1)
    v2 = "research-consent-next"
    monkeypatch.setattr(consent, "TEXT_VERSIONS", (V1, v2))
    monkeypatch.setattr(consent, "REQUIRES_RECONSENT", frozenset({v2}))
    monkeypatch.setattr(consent, "consent_text", lambda: ConsentText(v2, "<p>New</p>"))
    monkeypatch.setattr(module, "consent_text", consent.consent_text)
    form = ConsentForm(engine, couple.a)
    assert "text has changed since then" in form.status_line.value
    assert offered(form) == {"agree", "withdraw"}
    form.buttons["agree"].click()
    assert rows(engine)[-1].text_version == v2 and offered(form) == {"withdraw"}


def test_store_failure_shows_a_calm_message_and_writes_nothing(engine, couple):
    """When the store fails mid-save, is the message calm, the history unchanged?"""
    form = ConsentForm(engine, couple.a)

    def broken(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("INSERT"):
            raise OperationalError(statement, {}, Exception("disk I/O error"))

    event.listen(engine, "before_cursor_execute", broken)
    try:
        form.buttons["agree"].click()
    finally:
        event.remove(engine, "before_cursor_execute", broken)
    assert esc(STORE_FAILED) in form.error.value and "disk" not in form.error.value
    assert rows(engine) == []
    assert "not decided" in form.status_line.value and offered(form) == {"agree", "decline"}


def test_a_store_that_cannot_be_read_shows_no_choices(engine, couple, monkeypatch):
    """If the decision can't be loaded, is that said calmly, with no buttons to guess with?"""

    def broken(*_args):
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    monkeypatch.setattr(module, "current_consent", broken)
    form = ConsentForm(engine, couple.a)
    assert esc("can't be shown just now") in form.error.value and offered(form) == set()


def test_a_shared_device_is_pointed_to_a_private_place(engine, couple):
    """On a browser set up for both partners, is a more private way suggested?"""
    both = dataclasses.replace(couple.a, device_names=("Ana", "Ben"))
    assert any(
        "set up for both of you" in getattr(c, "value", "")
        for c in ConsentForm(engine, both).children
    )
    assert not any(
        "set up for both of you" in getattr(c, "value", "")
        for c in ConsentForm(engine, couple.a).children
    )
