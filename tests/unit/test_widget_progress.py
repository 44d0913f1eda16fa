"""Step 6's progress views, headless: builds, empty states, escaping, the flagged view."""

from __future__ import annotations

from datetime import timedelta

import ipywidgets as W
from sqlalchemy.exc import OperationalError

import trust_widgets.widget_progress as wp
from tests.conftest import make_couple
from tests.unit._progress_helpers import (
    START,
    add_checkins,
    add_note,
    add_promise,
    add_win,
    days,
)
from trust_widgets.safety import QUESTIONS, save_screen
from trust_widgets.widget_progress import ProgressViews

CLASSES = {f"tw-progress-{v}" for v in wp.VIEWS} | {"tw-progress-summary", "tw-progress-highlights"}


def classes(widget: W.Widget) -> set[str]:
    own = set(getattr(widget, "_dom_classes", ()))
    return own.union(*(classes(c) for c in getattr(widget, "children", ())))


def html(widget: W.Widget) -> str:
    own = widget.value if isinstance(widget, W.HTML) else ""
    return own + "".join(html(c) for c in getattr(widget, "children", ()))


def part(views: ProgressViews, name: str) -> str:
    [box] = [c for c in views.children if f"tw-progress-{name}" in c._dom_classes]
    return box.value


def fill(engine, couple) -> None:
    """Four weeks each: A rising and sharing, B flat and sharing, plus private extras."""
    pid = add_promise(engine, couple.a)
    add_checkins(engine, couple.a, days(28), lambda i: 3 + i / 5, kept=[pid])
    add_checkins(engine, couple.b, days(28), 6)
    add_checkins(engine, couple.a, [START + timedelta(days=40)], 1, shared=False)
    add_win(engine, couple.a, START, "We walked <b>together</b>")
    add_win(engine, couple.b, START, "B-PRIVATE-WIN", shared=False)
    add_note(engine, couple.a, START, "A-NOTE-MARKER")


def test_signed_out_shows_a_sign_in_hint(engine):
    """Does a page without a viewer point to the welcome page, with no figures?"""
    views = ProgressViews(engine, None)
    assert "welcome page" in html(views) and views.figures == {}


def test_builds_headless_with_every_view(engine, couple):
    """Does the widget build without a kernel, with each view in its classed figure area?"""
    fill(engine, couple)
    views = ProgressViews(engine, couple.a)
    assert classes(views) >= CLASSES
    assert set(views.figures) == set(wp.VIEWS)
    for name, out in views.outputs.items():
        assert isinstance(out, W.HTML) and f"tw-progress-{name}" in out._dom_classes
        assert 'class="tw-plot"' in out.value and "data-figure=" in out.value
    assert "Your trust ratings: up" in part(views, "summary")
    assert "Ben&#x27;s shared trust ratings: flat" in part(views, "summary")
    assert "not what caused it" in part(views, "summary")


def test_empty_couple_sees_how_to_start(engine, couple):
    """Does a couple without data see words on how to start, not blank charts?"""
    views = ProgressViews(engine, couple.a)
    assert "No check-ins yet" in part(views, "summary")
    assert "Nothing stands out" in part(views, "highlights")
    for fig in views.figures.values():
        assert not fig.data and fig.layout.annotations


def test_highlights_acknowledge_real_progress_and_wins_escaped(engine, couple):
    """Does the highlights box name a real rise and the wins, with user text escaped?"""
    pid = add_promise(engine, couple.a)
    add_checkins(engine, couple.a, days(28), lambda i: 3 if i < 14 else 6, kept=[pid])
    add_win(engine, couple.a, START, "<script>alert(1)</script>")
    box = part(ProgressViews(engine, couple.a), "highlights")
    assert "Your trust ratings averaged 6.0" in box and "up from 3.0" in box
    assert "You have noted 1 small win so far." in box and "<script>" not in box


def test_partner_name_is_escaped_everywhere(engine):
    """Is a partner's name with markup escaped in the summary and in every figure?"""
    couple = make_couple(engine, "Ana", "<img src=x onerror=alert(1)>")
    add_checkins(engine, couple.b, days(10), 5)
    add_win(engine, couple.b, START, "ok")
    views = ProgressViews(engine, couple.a)
    assert "<img" not in html(views)
    assert all("<img" not in fig.to_json() for fig in views.figures.values())


def test_private_entries_stay_with_their_author(engine, couple):
    """Does B's page show none of A's private check-ins, notes or wins, and A none of B's?"""
    fill(engine, couple)
    for viewer, hidden in ((couple.b, "A-NOTE-MARKER"), (couple.a, "B-PRIVATE-WIN")):
        views = ProgressViews(engine, viewer)
        everything = html(views) + "".join(f.to_json() for f in views.figures.values())
        assert hidden not in everything and "A-NOTE-MARKER" not in everything
    b = ProgressViews(engine, couple.b)
    # A's private day-40 check-in (trust 1) is not among the partner points B sees.
    partner = [t for t in b.figures["trajectory"].data if t.legendgroup == "partner"]
    assert 1.0 not in {y for t in partner for y in t.y}


def test_flagged_shows_only_own_data_and_no_gap(engine, couple):
    """Does a flagged partner see only their own views, with no comparison figure?"""
    fill(engine, couple)
    views = ProgressViews(engine, couple.a, flagged=True)
    assert "gap" not in views.figures and "tw-progress-gap" not in classes(views)
    assert {"trajectory", "followthrough", "calendar", "wins"} == set(views.figures)
    everything = html(views) + "".join(f.to_json() for f in views.figures.values())
    assert "Ben" not in everything
    assert all(t.legendgroup in (None, "me") for t in views.figures["trajectory"].data)


def snapshot(views: ProgressViews) -> tuple:
    return (html(views), sorted(classes(views)), {k: f.to_json() for k, f in views.figures.items()})


def test_partner_page_does_not_change_when_one_is_flagged(engine, couple):
    """Is B's page identical whether or not A's private safety check raised a flag?"""
    fill(engine, couple)
    before = snapshot(ProgressViews(engine, couple.b))
    answers = {q.key: "no" for q in QUESTIONS} | {"safe_together": "yes", "afraid": "yes"}
    save_screen(engine, couple.a.partner_id, answers)
    ProgressViews(engine, couple.a, flagged=True)
    assert snapshot(ProgressViews(engine, couple.b)) == before
    assert "gap" in ProgressViews(engine, couple.b).figures


def test_store_failure_shows_a_calm_message(engine, couple, monkeypatch):
    """Does a store error show a calm message instead of a traceback?"""

    def broken(*_):
        raise OperationalError("select", {}, Exception("disk I/O error"))

    monkeypatch.setattr(wp, "checkins_frame", broken)
    views = ProgressViews(engine, couple.a)
    assert "can't be shown just now" in html(views) and views.figures == {}
