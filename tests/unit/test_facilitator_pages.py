"""Facilitator pages: open only with the workshop's key, and never as a couple."""

from __future__ import annotations

import pytest

from trust_widgets import facilitator_pages as fp
from trust_widgets.context import current_viewer
from trust_widgets.facilitator_sessions import open_session
from trust_widgets.widget_dashboard import Dashboard
from trust_widgets.widget_new_workshop import NewWorkshopForm
from trust_widgets.workshops import create_workshop, workshop_for_key


@pytest.fixture
def served(engine, monkeypatch):
    """Pages read the store and the request's cookies from the environment, as in Voilà."""
    monkeypatch.setenv("TRUST_WIDGETS_DB", str(engine.url))
    monkeypatch.delenv("HTTP_COOKIE", raising=False)
    return engine


def _cookie(monkeypatch, **values):
    monkeypatch.setenv("HTTP_COOKIE", "; ".join(f"{k}={v}" for k, v in values.items()))


def _sign_in(monkeypatch, engine, key: str) -> None:
    """Open the private link, as /tw/facilitate does: the key becomes a session cookie."""
    _cookie(monkeypatch, tw_facilitator=open_session(engine, key))


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def _text(page) -> str:
    return " ".join(str(getattr(w, "value", "")) for w in _walk(page))


@pytest.mark.parametrize("make", [fp.dashboard_page, fp.presenter_page, fp.handouts_page])
def test_pages_refuse_without_the_key(served, monkeypatch, make):
    """Does each facilitator page refuse a visitor without the key, with a clear message?"""
    for cookie in ({}, {"tw_facilitator": "wrong-key"}):
        _cookie(monkeypatch, **cookie)
        page = make()
        assert "tw-ready" in page._dom_classes
        assert "private facilitator link" in _text(page)
        assert not any(isinstance(w, Dashboard) for w in _walk(page))


def test_a_partner_token_opens_no_dashboard(served, monkeypatch, couple):
    """Is a couple's own sign-in useless on the facilitator's pages?"""
    create_workshop(served, "Tuesday")
    _cookie(monkeypatch, tw_tokens=couple.a_token)
    assert "private facilitator link" in _text(fp.dashboard_page())


def test_key_opens_its_own_workshop_only(served, monkeypatch):
    """Does the key open its workshop's dashboard, named, and not another's?"""
    a = create_workshop(served, "Tuesday group")
    create_workshop(served, "Thursday group")
    _sign_in(monkeypatch, served, a.facilitator_key)
    page = fp.dashboard_page()
    [board] = [w for w in _walk(page) if isinstance(w, Dashboard)]
    assert board._id == a.id
    assert "Tuesday group" in _text(page) and "Thursday group" not in _text(page)
    assert "tw-ready" in page._dom_classes


def test_facilitator_key_is_no_partner_sign_in(served, monkeypatch):
    """Can a facilitator act as a couple with their key? No: no viewer on couple pages."""
    a = create_workshop(served, "Tuesday")
    _sign_in(monkeypatch, served, a.facilitator_key)
    assert current_viewer(served) is None


def test_presenter_and_handouts_open_with_the_key(served, monkeypatch):
    """Do the presenter view and the handout list open for the facilitator?"""
    a = create_workshop(served, "Tuesday")
    _sign_in(monkeypatch, served, a.facilitator_key)
    assert "tw-presenter" in _text(fp.presenter_page()) or any(
        "tw-presenter" in w._dom_classes for w in _walk(fp.presenter_page())
    )
    handouts = _text(fp.handouts_page())
    assert "tw/handouts/step-1.html" in handouts and "tw/handouts/step-6.pdf" in handouts


def test_new_workshop_form_creates_and_shows_secrets_once(served):
    """Does the form create a workshop and show a code and a link that opens it?"""
    form = NewWorkshopForm(served)
    form.name = "Evening group"
    form.min_cell = 6
    form.create()
    assert form.workshop_id
    html = form._result.value
    key = html.split("tw/facilitate#")[1].split('"')[0]
    info = workshop_for_key(served, key)
    assert info.name == "Evening group" and info.min_cell_size == 6
    assert form.name == ""


def test_new_workshop_form_refuses_bad_names(served):
    """Is an empty name refused with a message, creating nothing?"""
    form = NewWorkshopForm(served)
    form.name = "   "
    form.create()
    assert form.workshop_id == 0 and "1 to 120" in form._error.value


def test_open_dashboard_stops_when_the_key_is_replaced(served, monkeypatch):
    """After `workshop link` replaces the key, can the open dashboard still archive? No."""
    from trust_widgets.workshops import get_workshop, replace_facilitator_key

    a = create_workshop(served, "Tuesday")
    _sign_in(monkeypatch, served, a.facilitator_key)
    [board] = [w for w in _walk(fp.dashboard_page()) if isinstance(w, Dashboard)]
    replace_facilitator_key(served, a.id)
    board._buttons["close"].click()
    assert get_workshop(served, a.id).status == "open"


def test_the_key_itself_is_no_session(served, monkeypatch):
    """Does a cookie holding the facilitator key (not a session) open anything? No."""
    a = create_workshop(served, "Tuesday")
    _cookie(monkeypatch, tw_facilitator=a.facilitator_key)
    assert "private facilitator link" in _text(fp.dashboard_page())
