"""The page shell: navigation, the signed-in line, and page classes."""

from __future__ import annotations

import pytest

from trust_widgets.context import Viewer
from trust_widgets.widget_shell import StepPage, nav_html, prev_next_html, who_html


def viewer(**over) -> Viewer:
    base = dict(
        partner_id=1,
        name="Ana",
        couple_id=1,
        partner_name="Ben",
        workshop_name=None,
        is_demo=False,
        active=0,
        device_names=("Ana",),
    )
    return Viewer(**(base | over))


def test_nav_marks_current_and_ticks_completed():
    """Does the step list mark the current step and tick completed ones?"""
    html = nav_html(2, completed={2})
    assert 'aria-current="page" class="tw-current"><span class="tw-done"' in html
    assert html.count("tw-done") == 1
    assert "Step 2 of 6" in html


def test_prev_next_links_have_stable_classes():
    """Do step pages link back and forward with tw-nav-prev and tw-nav-next?"""
    assert 'class="tw-nav-prev" href="01_understand_the_root.ipynb"' in prev_next_html(2)
    assert 'class="tw-nav-next" href="03_set_boundaries.ipynb"' in prev_next_html(2)
    assert "tw-nav-prev" not in prev_next_html(0)
    assert "tw-nav-next" not in prev_next_html(7)


def test_names_are_escaped():
    """Is a partner's name escaped wherever it appears in HTML?"""
    html = who_html(viewer(name="<img src=x onerror=alert(1)>", device_names=("a", "<i>b</i>")))
    assert "<img" not in html and "<i>" not in html


def test_shared_device_offers_a_switch():
    """Does a shared device offer to switch to the other partner, and only then?"""
    assert "Switch to Ben" in who_html(viewer(device_names=("Ana", "Ben")))
    assert "Switch to" not in who_html(viewer())


def test_page_classes_and_ready_marker():
    """Does the page root carry tw-page, tw-step-n, and tw-ready once ready?"""
    page = StepPage(2, None, [])
    assert {"tw-page", "tw-step-2"} <= set(page._dom_classes)
    assert "tw-ready" not in page._dom_classes
    page.ready = True
    assert "tw-ready" in page._dom_classes


def test_unknown_step_is_refused():
    """Is a page number outside 0-7 refused?"""
    with pytest.raises(Exception, match="step"):
        StepPage(9, None, [])
