"""In-page navigation, headless: one app swaps partner pages and closes what it leaves."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from trust_widgets.identity import SIGNED_OUT, SignedOut, guard_writes, revoke_tokens
from trust_widgets.navigation import WorkshopApp, close_tree, open_widgets
from trust_widgets.pages import PAGE_BUILDERS
from trust_widgets.steps import PARTNER_PAGES, STEPS
from trust_widgets.store.engine import get_engine, session_factory, transaction
from trust_widgets.store.models import IStatement
from trust_widgets.widget_istatement import IStatementCoach

STEP2, STEP3 = STEPS[2].notebook, STEPS[3].notebook


@pytest.fixture
def signed_in(engine, couple, monkeypatch):
    """Page builders see ``couple.a`` signed in, on the test's store."""
    monkeypatch.setenv("TRUST_WIDGETS_DB", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("HTTP_COOKIE", f"tw_tokens={couple.a_token}; tw_active=0")
    return couple


def test_every_partner_page_has_a_builder():
    """Is each partner page (steps, safety check, consent) one the app can show?"""
    assert set(PAGE_BUILDERS) == set(PARTNER_PAGES)


def test_a_route_from_the_page_swaps_the_page_in_place(signed_in):
    """Does writing a route into the app's field show that page, marked for tw.js?"""
    app = WorkshopApp(STEP2)
    assert "tw-step-2" in app.page._dom_classes and "tw-ready" in app.page._dom_classes
    app.asked.value = STEP3  # as tw.js does, after a click on "next"
    assert app.route == STEP3 and "tw-step-3" in app.page._dom_classes
    assert f'data-path="{STEP3}"' in app.marker.value
    assert app.children == (app.asked, app.marker, app.page)


def test_a_route_that_is_not_a_partner_page_is_ignored(signed_in):
    """Can the browser make the app show a facilitator's page, or anything else? No."""
    app = WorkshopApp(STEP2)
    page = app.page
    for wanted in ("facilitator/dashboard.ipynb", "research/01_trajectories.ipynb", "x" * 10**5):
        app.asked.value = wanted
        assert app.route == STEP2 and app.page is page
    with pytest.raises(Exception, match="no partner page"):
        app.route = "facilitator/dashboard.ipynb"


def test_the_page_left_behind_is_closed(signed_in):
    """Does a walk to and fro keep the kernel's widget count flat, the old pages closed?"""
    app = WorkshopApp(STEP2)
    first = app.page
    app.asked.value = STEP3
    assert first.comm is None and all(c.comm is None for c in first.children)
    counts = []
    for _ in range(4):
        for route in (STEP2, STEP3, STEPS[4].notebook, STEPS[0].notebook):
            app.asked.value = route
        counts.append(len(open_widgets()))
    assert len(set(counts)) == 1, counts


def test_close_tree_keeps_what_was_there_before():
    """Does closing a page spare widgets it holds that existed before it was built?"""
    import ipywidgets as W

    shared = W.Layout()
    before = open_widgets()
    page = W.VBox([W.HTML("a", layout=shared), W.Text()])
    made = open_widgets() - before  # the boxes and their own layouts and styles
    assert close_tree(page, keep=before) == len(made)
    assert not made & open_widgets() and shared.comm is not None


def test_a_save_after_sign_out_elsewhere_is_refused(engine, couple):
    """After sign-out in another tab, is a save from this page's kernel refused calmly,
    with nothing written?"""
    form = IStatementCoach(engine, couple.a)
    guard_writes(engine, couple.a_token)
    form.inputs["feel"].value, form.inputs["when"].value = "calm", "we talk"
    form.save_button.click()
    revoke_tokens(engine, [couple.a_token])  # the sign-out, as the server does it
    form.inputs["feel"].value, form.inputs["when"].value = "sad", "we fight"
    form.save_button.click()
    with session_factory(engine)() as s:
        assert s.scalar(select(func.count()).select_from(IStatement)) == 1
    assert "signed out" in form.errors["form"].value
    assert "Traceback" not in form.errors["form"].value
    guard_writes(engine, None)


def test_the_app_guards_its_writes_for_its_partner(signed_in, engine):
    """Does a partner page's app check its partner's token before writes?"""
    WorkshopApp(STEP2)
    revoke_tokens(engine, [signed_in.a_token])
    pages_engine = get_engine(migrate=False)  # the kernel's own engine for the store
    with pytest.raises(SignedOut), transaction(pages_engine) as s:
        s.add(IStatement(author_id=signed_in.a.partner_id, text="x", feel="x", when="x"))
    guard_writes(pages_engine, None)
    assert "sign in again" in SIGNED_OUT
