"""Step 4's forms, headless: the commitment tracker and the daily check-in."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.exc import OperationalError
from traitlets import TraitError

from trust_widgets import _clock
from trust_widgets import checkins as C
from trust_widgets._forms import STORE_FAILED
from trust_widgets.store.entries import visible_entries
from trust_widgets.store.models import CheckIn, DailyNote, Promise, SmallWin, Visibility
from trust_widgets.widget_checkin import DailyCheckIn
from trust_widgets.widget_commitments import CommitmentTracker

# A fixed day, held still for every test: a run that crosses midnight, or runs on any date,
# sees the same "today" as the kit does.
TODAY = date(2026, 3, 18)
NAMES = ("predictability", "dependability", "faith", "safety", "anxiety", "communication")


@pytest.fixture(autouse=True)
def _today_stays_still(monkeypatch):
    monkeypatch.setattr(_clock, "today", lambda: TODAY)


GUILT = ("streak", "missed", "failed", "fail", "in a row", "skipped")


def find(widget, cls: str) -> list:
    """Every widget under ``widget`` (itself included) carrying the CSS class ``cls``."""
    found = [widget] if cls in getattr(widget, "_dom_classes", ()) else []
    for child in getattr(widget, "children", ()):
        found += find(child, cls)
    return found


def one(widget, cls: str):
    [w] = find(widget, cls)
    return w


def text_of(widget) -> str:
    own = str(getattr(widget, "value", "")) + str(getattr(widget, "description", ""))
    return own + "".join(text_of(c) for c in getattr(widget, "children", ()))


def assert_kind(message: str) -> None:
    lowered = message.lower()
    assert not any(word in lowered for word in GUILT), message


# The commitment tracker.


def test_add_a_commitment_from_a_suggestion(engine, couple):
    """Does one click on a suggestion fill the form, and Add save it shared by default?"""
    form = CommitmentTracker(engine, couple.a)
    suggestions = find(form, "tw-commit-suggestion")
    assert len(suggestions) == 3
    suggestions[0].click()
    assert one(form, "tw-commit-title").value == form.title != ""
    assert one(form, "tw-commit-frequency").value == "weekdays"
    one(form, "tw-commit-add").click()
    [p] = C.commitments_for(engine, couple.a.partner_id)
    assert p.visibility == Visibility.SHARED and p.frequency == "weekdays"
    assert form.title == "" and form.revision == 1
    assert "Shared" in text_of(one(form, "tw-commit-mine"))


def test_empty_title_shows_an_error_and_writes_nothing(engine, couple):
    """Does Add with no words show a message by the title and save nothing?"""
    form = CommitmentTracker(engine, couple.a)
    one(form, "tw-commit-add").click()
    assert "1 to 200" in one(form, "tw-commit-title-error").value
    assert "tw-error" in one(form, "tw-commit-title-error").value
    assert C.commitments_for(engine, couple.a.partner_id) == []


def test_partner_sees_shared_titles_escaped_and_read_only(engine, couple):
    """Is a shared title shown to the partner escaped, without buttons, and private ones not?"""
    C.add_commitment(engine, couple.a.partner_id, "<script>alert(1)</script> on time", "daily")
    C.add_commitment(engine, couple.a.partner_id, "MARKER-PRIVATE", "daily", "private")
    form = CommitmentTracker(engine, couple.b)
    theirs = one(form, "tw-commit-theirs")
    html = text_of(theirs)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; on time" in html and "<script>" not in html
    assert "MARKER-PRIVATE" not in text_of(form)
    assert find(theirs, "tw-commit-delete") == find(theirs, "tw-commit-pause") == []


def test_pause_resume_and_confirmed_delete(engine, couple):
    """Can the author pause, resume, and delete only after confirming?"""
    C.add_commitment(engine, couple.a.partner_id, "Be on time", "daily")
    form = CommitmentTracker(engine, couple.a)
    one(form, "tw-commit-pause").click()
    assert "Paused" in text_of(form) and find(form, "tw-commit-resume")
    one(form, "tw-commit-resume").click()
    assert C.commitments_for(engine, couple.a.partner_id)[0].active
    delete = one(form, "tw-commit-delete")
    delete.click()
    assert delete.description == "Really delete?"
    assert len(C.commitments_for(engine, couple.a.partner_id)) == 1
    delete.click()
    assert C.commitments_for(engine, couple.a.partner_id) == []


def test_flagged_tracker_offers_no_sharing(engine, couple):
    """Does a flagged partner get no share option, and private commitments even if forced?"""
    form = CommitmentTracker(engine, couple.a, flagged=True)
    assert find(form, "tw-commit-visibility") == []
    form.title, form.visibility = "Be on time", "shared"  # even if a page user forces it
    form.add()
    [p] = C.commitments_for(engine, couple.a.partner_id)
    assert p.visibility == Visibility.PRIVATE
    assert C.commitments_for(engine, couple.b.partner_id) == []


def test_tracker_and_checkin_need_a_viewer(engine):
    """Do both forms show a sign-in hint when nobody is signed in?"""
    for form in (CommitmentTracker(engine, None), DailyCheckIn(engine, None)):
        assert "welcome page" in text_of(form)


# The daily check-in.


def test_checkin_shows_items_with_labels_and_anchors(engine, couple):
    """Is every item a 0-10 slider with its label, anchors and a class of its own?"""
    form = DailyCheckIn(engine, couple.a)
    for name in NAMES:
        slider = one(form, f"tw-checkin-{name}")
        assert (slider.min, slider.max) == (0, 10) and len(slider.description) > 10
    html = text_of(form)
    assert "0 = Not at all" in html and "10 = Very anxious" in html
    assert one(form, "tw-checkin-note").description == "Private note: only you"
    assert find(form, "tw-checkin-win-visibility") and find(form, "tw-checkin-visibility")


def test_kept_boxes_list_only_own_commitments_due_that_day(engine, couple):
    """Are only the partner's own active, due commitments offered to tick?"""
    a = couple.a.partner_id
    daily = C.add_commitment(engine, a, "Be on time", "daily")
    paused = C.add_commitment(engine, a, "Paused one", "daily")
    C.set_commitment_active(engine, a, paused.id, False)
    C.add_commitment(engine, couple.b.partner_id, "Ben's", "daily")
    form = DailyCheckIn(engine, couple.a)
    [box] = find(form, "tw-checkin-kept")
    assert box.description == "Be on time" and f"tw-checkin-kept-{daily.id}" in box._dom_classes
    box.value = True
    assert form.kept == [daily.id]
    form.kept = [daily.id, paused.id, daily.id + 99]  # a page user can set any synced trait
    assert form.kept == [daily.id]


def test_save_then_reopen_for_editing(engine, couple):
    """Does a save store everything with the instrument key, and reopening load it to edit?"""
    a = couple.a.partner_id
    p = C.add_commitment(engine, a, "Be on time", "daily")
    form = DailyCheckIn(engine, couple.a)
    one(form, f"tw-checkin-kept-{p.id}").value = True
    one(form, "tw-checkin-faith").value = 8
    one(form, "tw-checkin-note").value = "a quiet evening"
    one(form, "tw-checkin-win").value = "We cooked together"
    one(form, "tw-checkin-win-visibility").value = "shared"
    one(form, "tw-checkin-save").click()
    saved = C.checkin_for(engine, a, TODAY)
    assert saved.ratings["faith"] == 8 and saved.ratings["safety"] == 5
    assert saved.kept_promise_ids == [p.id] and saved.instrument_version == "tw-checkin-1"
    assert [w.text for w in visible_entries(engine, couple.b.partner_id, SmallWin)] == [
        "We cooked together"
    ]
    assert form.win == "" and "We cooked together" in one(form, "tw-checkin-wins").value
    again = DailyCheckIn(engine, couple.a)
    assert again.editing and one(again, "tw-checkin-save").description == "Save changes"
    assert one(again, "tw-checkin-faith").value == 8 and again.note == "a quiet evening"
    assert one(again, f"tw-checkin-kept-{p.id}").value is True
    one(again, "tw-checkin-anxiety").value = 2
    one(again, "tw-checkin-save").click()
    assert "changes are saved" in one(again, "tw-checkin-status").value
    assert C.checkin_for(engine, a, TODAY).ratings["anxiety"] == 2
    assert len(visible_entries(engine, a, CheckIn)) == 1


def test_status_is_warm_and_never_counts(engine, couple):
    """Are the messages kind, with no streaks or missed days, and 'Welcome back' after a gap?"""
    a = couple.a.partner_id
    first = DailyCheckIn(engine, couple.a, today=TODAY - timedelta(days=4))
    one(first, "tw-checkin-save").click()
    status = one(first, "tw-checkin-status").value
    assert "first check-in" in status
    back = DailyCheckIn(engine, couple.a)
    assert "Welcome back" in back.greeting.value
    one(back, "tw-checkin-save").click()
    status = one(back, "tw-checkin-status").value
    assert "Welcome back" in status and "4" not in status
    for message in (status, text_of(back), text_of(first)):
        assert_kind(message)
    assert C.days_checked_in(engine, a, TODAY - timedelta(days=7)) == {
        TODAY - timedelta(days=4),
        TODAY,
    }


def test_a_forgotten_day_can_be_filled_in(engine, couple):
    """Can the partner pick yesterday, and is a day outside the week refused?"""
    form = DailyCheckIn(engine, couple.a)
    yesterday = (TODAY - timedelta(days=1)).isoformat()
    one(form, "tw-checkin-day").value = yesterday
    one(form, "tw-checkin-save").click()
    assert C.checkin_for(engine, couple.a.partner_id, TODAY - timedelta(days=1)) is not None
    for bad in ((TODAY + timedelta(days=1)).isoformat(), "2000-01-01", "yesterday"):
        with pytest.raises(TraitError):
            form.day = bad


def test_forced_bad_rating_shows_by_the_item_and_writes_nothing(engine, couple):
    """Does a rating forced out of range show next to its item and write nothing at all?"""
    form = DailyCheckIn(engine, couple.a)
    form.note, form.win = "note", "win"
    form.ratings = {**form.ratings, "anxiety": 42, "unknown": 3}
    assert "unknown" not in form.ratings
    assert form.save() is None
    assert "from 0 to 10" in one(form, "tw-checkin-anxiety-error").value
    assert one(form, "tw-checkin-status").value == ""
    for model in (CheckIn, DailyNote, SmallWin):
        assert visible_entries(engine, couple.a.partner_id, model) == []


def test_flagged_checkin_keeps_everything_private(engine, couple):
    """Does a flagged partner get no share options, and private rows even if forced?"""
    form = DailyCheckIn(engine, couple.a, flagged=True)
    assert find(form, "tw-checkin-visibility") == find(form, "tw-checkin-win-visibility") == []
    form.visibility = form.win_visibility = "shared"  # even if a page user forces them
    form.win = "A good talk"
    one(form, "tw-checkin-save").click()
    assert C.checkin_for(engine, couple.a.partner_id, TODAY).visibility == Visibility.PRIVATE
    for model in (CheckIn, SmallWin):
        assert visible_entries(engine, couple.b.partner_id, model) == []


def test_share_choice_is_remembered(engine, couple):
    """Does the ratings' share choice start from the partner's last check-in?"""
    form = DailyCheckIn(engine, couple.a, today=TODAY - timedelta(days=1))
    assert form.visibility == "shared"
    one(form, "tw-checkin-visibility").value = False
    one(form, "tw-checkin-save").click()
    later = DailyCheckIn(engine, couple.a)
    assert later.visibility == "private" and one(later, "tw-checkin-visibility").value is False


def test_store_failure_is_calm(engine, couple, monkeypatch):
    """Does a store error show the calm message by the Save button, not a traceback?"""
    form = DailyCheckIn(engine, couple.a)

    def broken(*_a, **_k):
        raise OperationalError("INSERT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(C, "save_checkin", broken)
    assert form.save() is None
    assert STORE_FAILED in one(form, "tw-checkin-form-error").value.replace("&#x27;", "'")


def test_partner_commitment_not_offered_and_b_sees_no_note(engine, couple):
    """Does B's check-in list none of A's commitments, and B's page show none of A's notes?"""
    p = C.add_commitment(engine, couple.a.partner_id, "A's promise", "daily")
    a_form = DailyCheckIn(engine, couple.a)
    a_form.note = "MARKER-NOTE-9"
    a_form.save()
    b_form = DailyCheckIn(engine, couple.b)
    assert find(b_form, f"tw-checkin-kept-{p.id}") == []
    assert "MARKER-NOTE-9" not in text_of(b_form)
    assert visible_entries(engine, couple.b.partner_id, Promise)[0].id == p.id  # shared, read


def test_adding_a_commitment_keeps_the_half_done_check_in(engine, couple):
    """Does adding a commitment mid check-in keep the sliders and the typed note?"""
    from trust_widgets.checkins import add_commitment
    from trust_widgets.widget_checkin import DailyCheckIn

    form = DailyCheckIn(engine, couple.a)
    form.sliders["faith"].value = 9
    form.note = "half-typed"
    promise = add_commitment(engine, couple.a.partner_id, "Be on time", "daily")
    form.refresh_commitments()
    assert form.sliders["faith"].value == 9 and form.note == "half-typed"
    assert promise.id in form._due
