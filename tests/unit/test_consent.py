"""Research consent logic: an append-only, dated, versioned history; who counts as consented."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

import trust_widgets.consent as consent
from tests.conftest import make_couple
from trust_widgets.consent import (
    TEXT_VERSIONS,
    ConsentError,
    ConsentState,
    ConsentText,
    consent_text,
    consented_couple_ids,
    consented_partner_ids,
    current_consent,
    record_decision,
    split_front_matter,
    version_still_valid,
)
from trust_widgets.identity import start_couple
from trust_widgets.store.engine import session_factory, transaction
from trust_widgets.store.entries import visible_entries
from trust_widgets.store.models import Consent, Partner, Visibility

V1 = TEXT_VERSIONS[-1]


def rows(engine) -> list[Consent]:
    with session_factory(engine)() as s:
        return list(s.scalars(select(Consent).order_by(Consent.id)))


def decide(engine, viewer, decision: str, version: str = V1):
    return record_decision(engine, viewer.partner_id, decision, version)


def add_row(engine, viewer, **values) -> None:
    """A row written directly, as older code or an import might have left it."""
    with transaction(engine) as s:
        s.add(Consent(couple_id=viewer.couple_id, author_id=viewer.partner_id, **values))


@pytest.fixture
def new_text(monkeypatch):
    """Publish a second text version; ``reconsent`` says whether it needs a fresh yes."""

    def publish(reconsent: bool) -> str:
        nxt = "research-consent-next"
        monkeypatch.setattr(consent, "TEXT_VERSIONS", (V1, nxt))
        monkeypatch.setattr(consent, "REQUIRES_RECONSENT", frozenset({nxt} if reconsent else ()))
        monkeypatch.setattr(consent, "consent_text", lambda: ConsentText(nxt, ""))
        return nxt

    return publish


def test_agreeing_records_a_private_dated_versioned_row(engine, couple):
    """Does a yes write one private row with the text's version and the date of the decision?"""
    before = datetime.now(UTC).replace(tzinfo=None)
    status = decide(engine, couple.a, "agree")
    [row] = rows(engine)
    assert (row.granted, row.text_version, row.withdrawn_at) == (True, V1, None)
    assert (row.author_id, row.couple_id) == (couple.a.partner_id, couple.a.couple_id)
    assert row.visibility == Visibility.PRIVATE
    assert row.created_at.replace(tzinfo=None) >= before - timedelta(seconds=1)
    assert status.state is ConsentState.GRANTED and status.current
    assert current_consent(engine, couple.a.partner_id).current
    assert consented_partner_ids(engine, [couple.a.partner_id]) == {couple.a.partner_id}


def test_declining_records_a_no_and_nobody_is_consented(engine, couple):
    """Does "no, thank you" record a dated no that keeps the partner out of exports?"""
    decide(engine, couple.a, "decline")
    [row] = rows(engine)
    assert (row.granted, row.withdrawn_at, row.text_version) == (False, None, V1)
    assert current_consent(engine, couple.a.partner_id).state is ConsentState.DECLINED
    assert consented_partner_ids(engine) == set()


def test_withdrawing_appends_and_keeps_the_agreement_in_the_history(engine, couple):
    """Does withdrawing add a dated row, leave the earlier yes untouched, and end consent?"""
    decide(engine, couple.a, "agree")
    decide(engine, couple.a, "withdraw")
    agreed, withdrew = rows(engine)
    assert (agreed.granted, agreed.withdrawn_at) == (True, None)
    assert withdrew.granted is False and withdrew.withdrawn_at is not None
    assert withdrew.created_at == withdrew.withdrawn_at
    assert current_consent(engine, couple.a.partner_id).state is ConsentState.WITHDRAWN
    assert consented_partner_ids(engine) == set()


def test_saying_yes_again_after_withdrawing_counts_again(engine, couple):
    """Can a partner who withdrew opt in again, with a new row?"""
    for decision in ("agree", "withdraw", "agree"):
        decide(engine, couple.a, decision)
    assert [r.granted for r in rows(engine)] == [True, False, True]
    assert consented_partner_ids(engine) == {couple.a.partner_id}


def test_repeating_the_decision_in_force_writes_nothing(engine, couple):
    """Do repeated clicks, or a withdrawal with nothing to withdraw, leave the history alone?"""
    decide(engine, couple.a, "withdraw")
    assert rows(engine) == []
    decide(engine, couple.a, "decline")
    decide(engine, couple.a, "decline")
    decide(engine, couple.a, "withdraw")
    decide(engine, couple.b, "agree")
    decide(engine, couple.b, "agree")
    assert [(r.author_id, r.granted) for r in rows(engine)] == [
        (couple.a.partner_id, False),
        (couple.b.partner_id, True),
    ]


def test_a_no_after_a_yes_is_a_withdrawal(engine, couple):
    """Does declining on a page that still showed "undecided" withdraw the earlier yes?"""
    decide(engine, couple.a, "agree")
    status = decide(engine, couple.a, "decline")
    assert status.state is ConsentState.WITHDRAWN
    assert rows(engine)[-1].withdrawn_at is not None


def test_bad_choices_and_unknown_partners_write_nothing(engine, couple):
    """Are a forged choice and a partner who does not exist refused with a calm message?"""
    with pytest.raises(ConsentError, match="isn't one this page offers"):
        decide(engine, couple.a, "grant-all")
    with pytest.raises(ConsentError, match="not signed in"):
        record_decision(engine, 999_999, "agree", V1)
    assert rows(engine) == []


def test_agreeing_needs_the_text_of_today_but_withdrawing_never_waits(engine, couple, new_text):
    """Is a yes to a text the page no longer shows refused, while a withdrawal goes through?"""
    decide(engine, couple.a, "agree")  # to version 1
    v2 = new_text(reconsent=False)
    with pytest.raises(ConsentError, match="changed"):
        decide(engine, couple.b, "agree", V1)
    with pytest.raises(ConsentError, match="changed"):
        decide(engine, couple.b, "agree", "made-up-version")
    assert [r.author_id for r in rows(engine)] == [couple.a.partner_id]
    decide(engine, couple.a, "withdraw", "made-up-version")
    assert rows(engine)[-1].text_version == v2  # an unknown version is never recorded
    assert current_consent(engine, couple.a.partner_id).state is ConsentState.WITHDRAWN


def test_an_older_yes_stays_valid_unless_a_later_text_needs_a_new_one(engine, couple, new_text):
    """Does a yes to version 1 survive version 2, unless version 2 requires re-consent?"""
    decide(engine, couple.a, "agree")
    new_text(reconsent=False)
    assert consented_partner_ids(engine) == {couple.a.partner_id}
    new_text(reconsent=True)
    status = current_consent(engine, couple.a.partner_id)
    assert status.needs_reconsent and not status.current
    assert consented_partner_ids(engine) == set()
    decide(engine, couple.a, "agree", "research-consent-next")
    assert consented_partner_ids(engine) == {couple.a.partner_id}


def test_unknown_versions_are_never_valid(monkeypatch):
    """Is a version the kit never published (or none) never taken as consent?"""
    monkeypatch.setattr(consent, "TEXT_VERSIONS", ("v1", "v2", "v3"))
    monkeypatch.setattr(consent, "REQUIRES_RECONSENT", frozenset({"v2"}))
    assert [version_still_valid(v) for v in ("v1", "v2", "v3", "v9", None)] == [
        False,
        True,
        True,
        False,
        False,
    ]


def test_the_latest_row_wins_whatever_the_clock_says(engine, couple):
    """Does a later row decide even when its timestamp is earlier (a clock set back)?"""
    now = datetime.now(UTC)
    add_row(engine, couple.a, granted=True, text_version=V1, created_at=now)
    back = now - timedelta(days=2)
    add_row(engine, couple.a, granted=False, text_version=V1, withdrawn_at=back, created_at=back)
    assert current_consent(engine, couple.a.partner_id).state is ConsentState.WITHDRAWN
    assert consented_partner_ids(engine) == set()


def test_a_grant_row_marked_withdrawn_counts_as_withdrawn(engine, couple):
    """If a yes row carries a withdrawal date, is the partner left out?"""
    add_row(engine, couple.a, granted=True, text_version=V1, withdrawn_at=datetime.now(UTC))
    assert current_consent(engine, couple.a.partner_id).state is ConsentState.WITHDRAWN
    assert consented_partner_ids(engine) == set()


def test_consented_ids_take_a_session_and_a_subset(engine, couple, other_couple):
    """Does the exporter get the same answer from its own session, for the ids it asks about?"""
    for viewer in (couple.a, couple.b, other_couple.a):
        decide(engine, viewer, "agree")
    everyone = {couple.a.partner_id, couple.b.partner_id, other_couple.a.partner_id}
    with session_factory(engine)() as s:
        assert consented_partner_ids(s) == everyone
        assert consented_partner_ids(s, [couple.b.partner_id, other_couple.b.partner_id]) == {
            couple.b.partner_id
        }
        assert consented_partner_ids(s, []) == set()


def test_couples_count_only_when_both_partners_agree(engine, couple, other_couple):
    """Is a couple included only with two consenting partners, and never a half couple?"""
    start_couple(engine, "Solo")  # the second partner never joined
    with session_factory(engine)() as s:
        solo = s.scalar(select(Partner).where(Partner.display_name == "Solo"))
    record_decision(engine, solo.id, "agree", V1)
    for viewer in (couple.a, couple.b, other_couple.a):
        decide(engine, viewer, "agree")
    decide(engine, other_couple.b, "decline")
    assert consented_couple_ids(engine) == {couple.a.couple_id}
    assert consented_couple_ids(engine, [other_couple.a.couple_id, solo.couple_id]) == set()
    decide(engine, couple.b, "withdraw")
    assert consented_couple_ids(engine) == set()


def test_the_other_partner_cannot_read_a_decision(engine, couple):
    """Is a consent row invisible to the other partner through the access rules?"""
    decide(engine, couple.a, "agree")
    assert visible_entries(engine, couple.b.partner_id, Consent) == []
    assert len(visible_entries(engine, couple.a.partner_id, Consent)) == 1
    assert current_consent(engine, couple.b.partner_id).state is ConsentState.UNDECIDED


def test_the_shipped_text_is_the_latest_version_and_says_what_it_must():
    """Does consent.md carry the newest version and the points a partner needs to decide?"""
    text = consent_text()
    assert text.version == TEXT_VERSIONS[-1]
    for point in ("never used", "both of you", "withdraw", "facilitator", "nothing changes"):
        assert point in text.html
    assert "version:" not in text.html and "TEXT_VERSIONS" not in text.html
    assert "<script" not in text.html


def test_front_matter_must_be_there_and_well_formed():
    """Is a consent file without a proper version block refused instead of shown unversioned?"""
    meta, body = split_front_matter("---\n# a note\nversion: x-1\n---\nHello\n")
    assert (meta, body) == ({"version": "x-1"}, "Hello\n")
    for bad in ("Hello", "---\nversion x\n---\n", "---\nversion: x\n"):
        with pytest.raises(ValueError):
            split_front_matter(bad)


def test_a_second_couple_does_not_change_the_first(engine):
    """Are two couples' decisions kept apart?"""
    first, second = make_couple(engine), make_couple(engine, "Cleo", "Dev")
    decide(engine, first.a, "agree")
    assert current_consent(engine, second.a.partner_id).state is ConsentState.UNDECIDED
