"""The presenter view: slides built from a plan, and the widget that steps through them."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime

import pytest

from trust_widgets.presenter import (
    key_points,
    plan_slides,
    session_slides,
    slide_html,
    timer_text,
)
from trust_widgets.session_plan import default_plan, parse_plan
from trust_widgets.widget_presenter import Presenter

EVIL = '<script>alert("x")</script>'


def evil_plan():
    """A plan whose every text field carries markup, as a careless or hostile file might."""
    return parse_plan(
        {
            "title": EVIL,
            "sessions": [
                {
                    "title": EVIL,
                    "safety_reminder": EVIL,
                    "items": [{"step": 3, "minutes": 20, "title": EVIL, "prompts": [EVIL]}],
                }
            ],
        }
    )


@pytest.mark.parametrize("step", range(8))
def test_every_step_has_three_to_five_short_points(step):
    """Does every step, welcome and plan included, have 3-5 short key points for the room?"""
    points = key_points(step)
    assert 3 <= len(points) <= 5
    assert all(0 < len(p) <= 120 for p in points)


def test_unknown_step_has_no_points():
    """Does asking for step 8's points give a clear error?"""
    with pytest.raises(ValueError, match="There is no step 8"):
        key_points(8)


def test_session_opens_with_its_safety_reminder_and_agenda():
    """Does each session start with its reminder and a timed agenda of its steps?"""
    plan = default_plan()
    opening = session_slides(plan, 1)[0]
    assert opening.step is None and opening.points == (plan.sessions[1].safety_reminder,)
    assert opening.agenda == (
        "Set healthy boundaries (55 min)",
        "Be consistent and transparent (45 min)",
    )
    assert opening.minutes == plan.sessions[1].minutes


def test_step_slides_carry_the_plans_questions():
    """Is there one slide per planned step, with its minutes and the plan's questions?"""
    plan = default_plan()
    slides = plan_slides(plan)
    assert [len(s) for s in slides] == [len(s.items) + 1 for s in plan.sessions]
    root = slides[0][2]
    assert root.step == 1 and root.title == "Step 1 of 6: Understand the root"
    assert root.questions == tuple(plan.sessions[0].items[1].prompts)
    assert root.minutes == 40 and root.points == key_points(1)
    renamed = slides[2][1]
    assert renamed.title == "Looking back: practise patience"
    assert "Step 6 of 6: Practise patience" in renamed.subtitle


def test_unknown_session_is_refused():
    """Does asking for a session the plan lacks give a clear error?"""
    with pytest.raises(ValueError, match="sessions 1 to 3"):
        session_slides(default_plan(), 3)


def test_plan_text_is_escaped_everywhere():
    """Is markup in any plan field shown as text, never run, on every slide?"""
    for slides in plan_slides(evil_plan()):
        for slide in slides:
            html = slide_html(slide)
            assert "<script>" not in html
    assert "&lt;script&gt;" in slide_html(session_slides(evil_plan(), 0)[1])


def test_questions_remind_the_room_not_to_share():
    """Do the questions come with the reminder that they stay within the pair?"""
    html = slide_html(session_slides(default_plan(), 0)[2])
    assert "in your pair" in html and "nobody shares with the room" in html


def test_timer_says_when_time_is_up():
    """Does the timer show the planned minutes, and the end time once started?"""
    assert timer_text(30, None) == "Planned: 30 min."
    started = datetime(2025, 1, 1, 19, 5)
    assert timer_text(30, started) == "Planned: 30 min. Started 19:05, ends about 19:35."


def test_presenter_has_its_stable_classes():
    """Does the widget carry the tw-presenter classes the page and its CSS rely on?"""
    p = Presenter()
    found = set()

    def walk(w):
        found.update(getattr(w, "_dom_classes", ()))
        for child in getattr(w, "children", ()):
            walk(child)

    walk(p)
    for cls in (
        "tw-presenter",
        "tw-presenter-title",
        "tw-presenter-points",
        "tw-presenter-questions",
        "tw-presenter-prev",
        "tw-presenter-next",
        "tw-presenter-session",
    ):
        assert cls in found, cls


def test_next_and_previous_walk_the_whole_plan():
    """Do next/previous go through every slide, across sessions, and stop at the ends?"""
    p = Presenter()
    total = sum(len(s) for s in p.slides)
    assert p.prev_button.disabled and not p.next_button.disabled
    seen = [(p.session_index, p.slide_index)]
    for _ in range(total + 3):
        p.next()
        if seen[-1] != (p.session_index, p.slide_index):
            seen.append((p.session_index, p.slide_index))
    expected = [(i, j) for i, slides in enumerate(p.slides) for j in range(len(slides))]
    assert seen == expected and p.next_button.disabled
    for _ in range(total + 3):
        p.previous()
    assert (p.session_index, p.slide_index) == (0, 0)


def test_previous_from_a_session_start_goes_to_the_last_step_before():
    """Does 'previous' on session 2's opening show session 1's last step?"""
    p = Presenter()
    p.session_index = 1
    p.previous()
    assert (p.session_index, p.slide_index) == (0, 3)
    assert "Communicate openly" in p.title.value


def test_indices_set_from_the_page_stay_in_range():
    """Are out-of-range indices (a page user can set any synced trait) pulled into range?"""
    p = Presenter()
    p.session_index = 99
    assert p.session_index == 2 and p.slide_index == 0
    p.slide_index = 99
    assert p.slide_index == len(p.slides[2]) - 1
    p.slide_index = -4
    assert p.slide_index == 0
    p.session_index = -1
    assert p.session_index == 0


def test_selectors_move_the_view():
    """Do the session and step selectors change what is on screen?"""
    p = Presenter()
    p.session_select.value = 1
    assert p.session_index == 1 and p.slide_index == 0
    assert p.slide_select.options[0] == ("Opening", 0)
    p.slide_select.value = 2
    assert p.slide_index == 2 and "Be consistent" in p.title.value
    assert p.questions.layout.display == "" and "commitments" in p.questions.value
    p.slide_select.value = 0
    assert p.questions.layout.display == "none"


def test_timer_starts_and_clears_and_resets_on_a_new_slide():
    """Does the timer show an end time once started, and clear when the slide changes?"""
    p = Presenter()
    p.next()
    p.toggle_timer()
    assert "ends about" in p.timer.value and p.timer_button.description == "Clear timer"
    p.next()
    assert p.timer_started is None and "ends about" not in p.timer.value


def test_a_workshops_own_plan_is_shown_escaped():
    """Does the widget show the plan it is given, with its text escaped?"""
    p = Presenter(evil_plan())
    assert "<script>" not in p.title.value and "&lt;script&gt;" in p.title.value
    p.next()
    assert "&lt;script&gt;" in p.questions.value


def test_presenter_never_loads_the_store():
    """Does building the presenter leave the store's modules unimported (no personal data)?"""
    code = (
        "import sys\n"
        "from trust_widgets.widget_presenter import Presenter\n"
        "p = Presenter()\n"
        "[p.next() for _ in range(12)]\n"
        "print('trust_widgets.store' in sys.modules, 'trust_widgets.context' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "False False"
