"""Nothing of one partner's safety check reaches the other: same pages with or without it."""

from __future__ import annotations

import ipywidgets as W
import pytest

import trust_widgets.pages as pages
from tests.conftest import make_couple
from trust_widgets.boundaries import save_answer
from trust_widgets.safety import QUESTIONS, save_screen
from trust_widgets.schemas import IStatementIn
from trust_widgets.store.engine import create_store_engine
from trust_widgets.store.entries import save_istatement
from trust_widgets.store.migrate import upgrade

CLEAR = {q.key: "no" for q in QUESTIONS} | {"safe_together": "yes"}
PAGES = (
    "welcome_page",
    "roots_page",
    "communication_page",
    "boundaries_page",
    "consistency_page",
    "help_page",
    "patience_page",
    "summary_page",
    "safety_page",
)


def snapshot(widget: W.Widget) -> tuple:
    """Everything a person could see or the page could send: types, classes, texts, options."""
    own = (
        type(widget).__name__,
        tuple(sorted(getattr(widget, "_dom_classes", ()))),
        repr(getattr(widget, "value", None)),  # texts, and the state of every choice
        repr(getattr(widget, "index", None)),
        getattr(widget, "description", None),
        tuple(getattr(widget, "options", ()) or ()),
        getattr(getattr(widget, "layout", None), "display", None),
    )
    return (own, tuple(snapshot(c) for c in getattr(widget, "children", ())))


def partner_pages(tmp_path, monkeypatch, a_screen: dict | None) -> dict[str, tuple]:
    """Build Ben's pages in a store where Ana did the same things, but for her screen."""
    engine = create_store_engine(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    upgrade(engine)
    couple = make_couple(engine)
    if a_screen is not None:
        save_screen(engine, couple.a.partner_id, a_screen)
    save_istatement(
        engine,
        couple.a.partner_id,
        IStatementIn(feel="hurt", when="plans change", visibility="shared"),
    )
    save_istatement(
        engine, couple.a.partner_id, IStatementIn(feel="MARKER-PRIVATE-7f3", when="you shout")
    )
    save_answer(engine, couple.a.partner_id, "social-media", "not-okay", reveal=False)
    save_screen(engine, couple.b.partner_id, CLEAR)
    monkeypatch.setattr(pages, "get_engine", lambda **_: engine)
    monkeypatch.setattr(pages, "current_viewer", lambda _engine: couple.b)
    return {name: snapshot(getattr(pages, name)()) for name in PAGES}


@pytest.mark.parametrize("other", ["clear", "unanswered"])
def test_partner_pages_do_not_change_with_a_red_flag(tmp_path, monkeypatch, other):
    """Are Ben's pages identical whether Ana's check is flagged, clear or not taken?"""
    flagged = partner_pages(tmp_path / "flagged", monkeypatch, CLEAR | {"afraid": "yes"})
    baseline = partner_pages(tmp_path / other, monkeypatch, CLEAR if other == "clear" else None)
    for name in PAGES:
        assert flagged[name] == baseline[name], name
    assert "MARKER-PRIVATE-7f3" not in repr(flagged)  # and Ana's private statement is nowhere
    assert "Something went wrong" not in repr(flagged)  # every page really built
    assert "tw-boundaries-comparison" in repr(flagged["boundaries_page"])
