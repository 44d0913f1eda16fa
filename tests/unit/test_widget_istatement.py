"""The I-statement coach form, headless: type, click, and check traits and the store."""

from __future__ import annotations

from sqlalchemy import func, select

from trust_widgets.store.engine import session_factory
from trust_widgets.store.models import IStatement
from trust_widgets.widget_istatement import IStatementCoach


def count(engine) -> int:
    with session_factory(engine)() as s:
        return s.scalar(select(func.count()).select_from(IStatement))


def fill(form: IStatementCoach, **values) -> None:
    for name, value in values.items():
        form.inputs[name].value = value  # as the browser would set it


def test_draft_is_flagged_as_the_user_types(engine, couple):
    """Does typing a blaming draft show a flag with an explanation and a suggestion?"""
    form = IStatementCoach(engine, couple.a)
    fill(form, draft="You never text me back")
    assert form.flag_kinds == ["you-never"]
    assert "tw-flag-you-never" in form.flags_box.value
    assert "you don&#x27;t text me back" in form.flags_box.value
    fill(form, draft="I feel anxious when I don't hear from you all day.")
    assert form.flag_kinds == [] and form.flags_box.value == ""


def test_suggestion_can_start_the_statement(engine, couple):
    """Does "start from this suggestion" fill in the "when" part?"""
    form = IStatementCoach(engine, couple.a)
    fill(form, draft="You never text me back")
    form.use_suggestion.click()
    assert form.when == "you don't text me back"


def test_save_shared_and_private(engine, couple):
    """Do saved statements land in the store with the chosen visibility?"""
    form = IStatementCoach(engine, couple.a)
    fill(form, feel="anxious", when="I don't hear from you", because="I worry", need="a text")
    form.visibility_input.value = "shared"
    form.save_button.click()
    fill(form, feel="ashamed", when="I check your phone")
    form.save_button.click()
    with session_factory(engine)() as s:
        rows = s.execute(select(IStatement.text, IStatement.visibility)).all()
    assert [(r.text, r.visibility.value) for r in rows] == [
        ("I feel anxious when I don't hear from you, because I worry. I need a text.", "shared"),
        ("I feel ashamed when I check your phone.", "private"),
    ]
    assert "Saved privately" in form.status.value
    assert form.feel == "" and form.visibility == "private"  # ready for the next one


def test_invalid_input_shows_errors_and_writes_nothing(engine, couple):
    """Does a missing or too-long field get a message next to it, and no write?"""
    form = IStatementCoach(engine, couple.a)
    fill(form, feel="", when="x" * 301)
    form.save_button.click()
    assert "Please fill this in" in form.errors["feel"].value
    assert "under 300 characters" in form.errors["when"].value
    assert "tw-error" in form.errors["feel"].value
    assert count(engine) == 0


def test_page_users_cannot_push_huge_or_odd_values(engine, couple):
    """Are synced values clipped, and is an unknown visibility refused on the Python side?"""
    import pytest
    from traitlets import TraitError

    form = IStatementCoach(engine, couple.a)
    fill(form, draft="y" * 100_000)
    assert len(form.draft) == 2000
    with pytest.raises(TraitError):
        form.visibility = "everyone"
    form.visibility = "SHARED"  # caseless
    assert form.visibility == "shared"


def test_partner_sees_shared_only_and_text_is_escaped(engine, couple):
    """Does B's form list A's shared statement, escaped, and not A's private one?"""
    a = IStatementCoach(engine, couple.a)
    fill(a, feel="<b>hurt</b>", when="<script>alert(1)</script>")
    a.visibility = "shared"
    a.save_button.click()
    fill(a, feel="secretly scared", when="you go out")
    a.save_button.click()
    b = IStatementCoach(engine, couple.b)
    shown = "".join(w.value for w in b.theirs_box.children)
    assert "&lt;script&gt;" in shown and "<script>" not in shown
    assert "secretly scared" not in shown
    assert "No statements yet" in b.mine_box.children[0].value


def test_edit_and_delete_own_statement(engine, couple):
    """Can the author edit a statement in place and delete it after confirming?"""
    form = IStatementCoach(engine, couple.a)
    fill(form, feel="sad", when="we argue")
    form.save_button.click()
    row = form.mine_box.children[0]
    _, edit, delete = row.children
    edit.click()
    assert form.feel == "sad" and form.save_button.description == "Save changes"
    fill(form, feel="tired")
    form.save_button.click()
    assert count(engine) == 1
    _, _, delete = form.mine_box.children[0].children
    delete.click()
    assert count(engine) == 1  # first click only asks
    delete.click()
    assert count(engine) == 0


def test_signed_out_form_offers_the_welcome_page(engine):
    """Without a viewer, does the form explain how to sign in instead of failing?"""
    form = IStatementCoach(engine, None)
    assert "welcome page" in form.children[0].value


def test_store_failure_shows_a_calm_message(engine, couple, monkeypatch):
    """When the store fails mid-save, does the couple get a message, not a traceback?"""
    from sqlalchemy.exc import OperationalError

    import trust_widgets.widget_istatement as module

    def broken(*_args, **_kwargs):
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(module, "save_istatement", broken)
    form = IStatementCoach(engine, couple.a)
    fill(form, feel="sad", when="we argue")
    form.save_button.click()
    assert "Nothing was changed" in form.errors["form"].value
    assert "locked" not in form.errors["form"].value
    assert form.feel == "sad"  # the couple's words are kept for another try
