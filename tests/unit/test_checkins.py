"""Step 4's store: commitments, check-ins by day, kept commitments, notes, wins, atomicity."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from trust_widgets import _clock
from trust_widgets import checkins as C
from trust_widgets.checkins import CheckInError
from trust_widgets.instrument import RatingsError, load_instrument
from trust_widgets.store.engine import session_factory, transaction
from trust_widgets.store.entries import AccessError, visible_entries
from trust_widgets.store.models import CheckIn, DailyNote, Promise, SmallWin, Visibility

# A fixed day, held still for every test: a run that crosses midnight, or runs on any date,
# sees the same "today" as the kit does.
TODAY = date(2026, 3, 18)
NAMES = ("predictability", "dependability", "faith", "safety", "anxiety", "communication")


@pytest.fixture(autouse=True)
def _today_stays_still(monkeypatch):
    monkeypatch.setattr(_clock, "today", lambda: TODAY)


GOOD = dict.fromkeys(NAMES, 6)


def count(engine, model) -> int:
    with session_factory(engine)() as s:
        return s.scalar(select(func.count()).select_from(model))


def started(engine, promise_id: int, days_ago: int = 30) -> None:
    """Move a commitment's start back, so past days can count it."""
    with transaction(engine) as s:
        s.execute(
            update(Promise)
            .where(Promise.id == promise_id)
            .values(start_day=TODAY - timedelta(days=days_ago))
        )


def recent(weekday: int) -> date:
    """The latest day with this weekday (0 = Monday), today or in the last six days."""
    return TODAY - timedelta(days=(TODAY.weekday() - weekday) % 7)


def test_add_commitment_defaults_and_checks(engine, couple):
    """Is a commitment tidied, shared by default, due from today, and checked on the way in?"""
    p = C.add_commitment(engine, couple.a.partner_id, "  Text   at lunch ", "weekdays")
    assert (p.title, p.visibility, p.active, p.start_day) == (
        "Text at lunch",
        Visibility.SHARED,
        True,
        TODAY,
    )
    for title, frequency, visibility, field in [
        ("   ", "daily", "shared", "title"),
        ("x" * 201, "daily", "shared", "title"),
        ("Be on time", "hourly", "shared", "frequency"),
        ("Be on time", "daily", "everyone", "visibility"),
    ]:
        with pytest.raises(CheckInError) as err:
            C.add_commitment(engine, couple.a.partner_id, title, frequency, visibility)
        assert err.value.field == field
    assert count(engine, Promise) == 1


def test_commitment_count_is_capped(engine, couple):
    """Can a page user not flood the store with commitments?"""
    for n in range(C.MAX_COMMITMENTS):
        C.add_commitment(engine, couple.a.partner_id, f"c{n}", "daily")
    with pytest.raises(CheckInError, match="up to"):
        C.add_commitment(engine, couple.a.partner_id, "one more", "daily")


def test_commitments_for_shows_own_and_partners_shared_only(engine, couple, other_couple):
    """Does a partner see their own commitments and only the partner's shared ones?"""
    C.add_commitment(engine, couple.a.partner_id, "A shared", "daily")
    C.add_commitment(engine, couple.a.partner_id, "A private", "daily", "private")
    C.add_commitment(engine, couple.b.partner_id, "B shared", "weekly")
    C.add_commitment(engine, couple.b.partner_id, "B private", "daily", "private")
    C.add_commitment(engine, other_couple.a.partner_id, "Cleo shared", "daily")
    titles = {p.title for p in C.commitments_for(engine, couple.a.partner_id)}
    assert titles == {"A shared", "A private", "B shared"}


def test_only_the_author_pauses_or_deletes(engine, couple, other_couple):
    """Can only a commitment's author pause, resume or delete it?"""
    p = C.add_commitment(engine, couple.a.partner_id, "Be on time", "daily")
    for someone in (couple.b.partner_id, other_couple.a.partner_id):
        with pytest.raises(AccessError):
            C.set_commitment_active(engine, someone, p.id, False)
        with pytest.raises(AccessError):
            C.delete_commitment(engine, someone, p.id)
    assert C.set_commitment_active(engine, couple.a.partner_id, p.id, False).active is False
    assert C.set_commitment_active(engine, couple.a.partner_id, p.id, True).active is True
    C.delete_commitment(engine, couple.a.partner_id, p.id)
    assert count(engine, Promise) == 0


def test_second_checkin_same_day_edits_the_first(engine, couple):
    """Does saving twice on one day update one check-in, with the instrument's key?"""
    me = couple.a.partner_id
    first = C.save_checkin(engine, me, TODAY, GOOD, [])
    second = C.save_checkin(engine, me, TODAY, GOOD | {"faith": 9}, [], visibility="shared")
    assert second.id == first.id and count(engine, CheckIn) == 1
    saved = C.checkin_for(engine, me, TODAY)
    assert saved.ratings["faith"] == 9 and saved.instrument_version == "tw-checkin-1"
    assert saved.visibility == Visibility.SHARED
    assert C.days_checked_in(engine, me, TODAY - timedelta(days=7)) == {TODAY}
    assert C.checkin_for(engine, couple.b.partner_id, TODAY) is None


def test_kept_ids_accept_own_due_commitments(engine, couple):
    """Are the partner's own due commitments recorded, weekly ones on any day of the week?"""
    me = couple.a.partner_id
    daily = C.add_commitment(engine, me, "Be on time", "daily")
    weekly = C.add_commitment(engine, me, "Share plans", "weekly")
    for p in (daily, weekly):
        started(engine, p.id)
    monday = recent(0)
    saved = C.save_checkin(engine, me, monday, GOOD, [weekly.id, daily.id, daily.id])
    assert saved.kept_promise_ids == [weekly.id, daily.id]
    assert {p.id for p in C.due_commitments(engine, me, monday)} == {daily.id, weekly.id}


@pytest.mark.parametrize("case", ["partner", "other-couple", "not-due", "paused", "unknown"])
def test_kept_ids_refuse_anything_else(engine, couple, other_couple, case):
    """Is a commitment that isn't the partner's own, active and due refused, writing nothing?"""
    me = couple.a.partner_id
    owner = {"partner": couple.b.partner_id, "other-couple": other_couple.a.partner_id}
    p = C.add_commitment(engine, owner.get(case, me), "Text at lunch", "weekdays")
    started(engine, p.id)
    day = recent(5) if case == "not-due" else recent(2)  # Saturday, or Wednesday
    if case == "paused":
        C.set_commitment_active(engine, me, p.id, False)
    kept = [p.id + 1000] if case == "unknown" else [p.id]
    with pytest.raises(CheckInError, match="can't be recorded"):
        C.save_checkin(engine, me, day, GOOD, kept, note="n", win="w")
    assert count(engine, CheckIn) == count(engine, DailyNote) == count(engine, SmallWin) == 0


def test_kept_ids_refuse_days_before_the_commitment_started(engine, couple):
    """Can a commitment added today not be ticked for a day before it existed?"""
    p = C.add_commitment(engine, couple.a.partner_id, "Be on time", "daily")
    with pytest.raises(CheckInError):
        C.save_checkin(engine, couple.a.partner_id, TODAY - timedelta(days=1), GOOD, [p.id])


def test_kept_ids_must_be_whole_numbers(engine, couple):
    """Are ids that are not whole numbers refused?"""
    for bad in ([True], ["1"], [1.5]):
        with pytest.raises(CheckInError) as err:
            C.save_checkin(engine, couple.a.partner_id, TODAY, GOOD, bad)
        assert err.value.field == "kept"


def test_day_is_today_or_up_to_a_week_back(engine, couple):
    """Can a forgotten day be filled in, but not a future day or one over a week back?"""
    me = couple.a.partner_id
    C.save_checkin(engine, me, TODAY - timedelta(days=C.BACKFILL_DAYS), GOOD, [])
    for day in (TODAY + timedelta(days=1), TODAY - timedelta(days=C.BACKFILL_DAYS + 1), "today"):
        with pytest.raises(CheckInError) as err:
            C.save_checkin(engine, me, day, GOOD, [])
        assert err.value.field == "day"
    assert C.last_checkin_before(engine, me, TODAY) == TODAY - timedelta(days=C.BACKFILL_DAYS)


def test_note_is_private_and_an_empty_note_deletes_it(engine, couple):
    """Does B never see A's note, even marked shared, and does an empty note remove it?"""
    a, b = couple.a.partner_id, couple.b.partner_id
    C.save_checkin(engine, a, TODAY, GOOD, [], note="  only for me  ", visibility="shared")
    with transaction(engine) as s:  # even a row forced to "shared" stays private
        s.execute(update(DailyNote).values(visibility=Visibility.SHARED))
    assert visible_entries(engine, b, DailyNote) == []
    assert [n.text for n in visible_entries(engine, a, DailyNote)] == ["only for me"]
    assert C.note_for(engine, a, TODAY) == "only for me" and C.note_for(engine, b, TODAY) == ""
    C.save_checkin(engine, a, TODAY, GOOD, [], note="")
    assert count(engine, DailyNote) == 0


def test_small_win_visibility_is_the_authors_choice(engine, couple):
    """Does B see A's shared small win but not a private one?"""
    a, b = couple.a.partner_id, couple.b.partner_id
    C.save_checkin(engine, a, TODAY, GOOD, [], win="We laughed", win_visibility="shared")
    C.save_checkin(engine, a, TODAY, GOOD, [], win="I slept well")
    assert [w.text for w in visible_entries(engine, b, SmallWin)] == ["We laughed"]
    assert [w.text for w in C.wins_for(engine, a, TODAY)] == ["We laughed", "I slept well"]
    with pytest.raises(CheckInError) as err:
        C.save_checkin(engine, a, TODAY, GOOD, [], win="x", win_visibility="public")
    assert err.value.field == "win_visibility"


def test_bad_rating_writes_nothing_at_all(engine, couple):
    """Does one bad rating leave the store untouched: no check-in, note or win?"""
    me = couple.a.partner_id
    with pytest.raises(RatingsError) as err:
        C.save_checkin(engine, me, TODAY, GOOD | {"anxiety": 11}, [], note="n", win="w")
    assert set(err.value.errors) == {"anxiety"}
    assert count(engine, CheckIn) == count(engine, DailyNote) == count(engine, SmallWin) == 0


def test_failed_edit_keeps_the_saved_checkin(engine, couple):
    """Does a refused edit leave the earlier check-in, note and wins exactly as they were?"""
    me = couple.a.partner_id
    C.save_checkin(engine, me, TODAY, GOOD, [], note="first", win="a win")
    with pytest.raises(CheckInError):
        C.save_checkin(engine, me, TODAY, GOOD | {"faith": 1}, [999], note="", win="another")
    assert C.checkin_for(engine, me, TODAY).ratings["faith"] == 6
    assert C.note_for(engine, me, TODAY) == "first" and count(engine, SmallWin) == 1


def test_long_texts_are_refused(engine, couple):
    """Are an over-long note and small win refused by field?"""
    me = couple.a.partner_id
    for kwargs, field in (({"note": "x" * 2001}, "note"), ({"win": "x" * 301}, "win")):
        with pytest.raises(CheckInError) as err:
            C.save_checkin(engine, me, TODAY, GOOD, [], **kwargs)
        assert err.value.field == field


def test_another_instrument_is_recorded_by_its_key(engine, couple, tmp_path, monkeypatch):
    """Is a check-in answered with another instrument stored with that instrument's key?"""
    (tmp_path / "mini-2.csv").write_text(
        "field_name,form_name,section_header,field_type,field_label,"
        "select_choices_or_calculations,field_note,text_validation_min,text_validation_max,"
        "identifier,required_field\ncalm,daily,,slider,Calm?,,,1,7,,y\n"
    )
    (tmp_path / "mini-2.json").write_text(
        '{"instrument": "mini", "version": "2", "title": "Mini", "licence": "Test.",'
        ' "trust_items": ["calm"]}'
    )
    monkeypatch.setenv("TRUST_WIDGETS_INSTRUMENTS", str(tmp_path))
    mini = load_instrument("mini-2")
    saved = C.save_checkin(engine, couple.a.partner_id, TODAY, {"calm": 7}, [], instrument=mini)
    assert saved.instrument_version == "mini-2" and saved.ratings == {"calm": 7}


def test_unknown_partner_is_refused(engine):
    """Is a partner id that does not exist refused as not signed in?"""
    with pytest.raises(AccessError):
        C.save_checkin(engine, 999, TODAY, GOOD, [])
    with pytest.raises(AccessError):
        C.add_commitment(engine, 999, "x", "daily")
