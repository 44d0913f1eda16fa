"""Step 1's form, headless: tick, type, click, and check the traits and the store."""

from __future__ import annotations

import re

import ipywidgets as W
import pytest
from sqlalchemy import select
from traitlets import TraitError

from trust_widgets import roots as R
from trust_widgets.store.engine import session_factory
from trust_widgets.store.models import Reflection, Visibility
from trust_widgets.widget_roots import RootsReflection


def rows(engine) -> list[Reflection]:
    with session_factory(engine)() as s:
        return list(s.scalars(select(Reflection).order_by(Reflection.id)))


def walk(widget: W.Widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


def html(widget: W.Widget) -> str:
    """All HTML the form shows, as the browser would receive it."""
    return "".join(w.value for w in walk(widget) if isinstance(w, W.HTML))


def by_class(widget: W.Widget, cls: str) -> list[W.Widget]:
    return [w for w in walk(widget) if cls in getattr(w, "_dom_classes", ())]


def one(widget: W.Widget, cls: str) -> W.Widget:
    [found] = by_class(widget, cls)
    return found


def test_tick_fill_and_save_a_root(engine, couple):
    """Does ticking a root show its private prompts, and Save store them for A only?"""
    form = RootsReflection(engine, couple.a)
    box = one(form, "tw-roots-past-betrayal-box")
    assert box.layout.display == "none"
    one(form, "tw-roots-past-betrayal").value = True  # as the browser would set it
    assert box.layout.display == "" and form.selected == ["past-betrayal"]
    assert "Private: only you" in html(box)
    one(form, "tw-roots-past-betrayal-what").value = "I found messages"
    one(form, "tw-roots-past-betrayal-now").value = "I check the phone"
    one(form, "tw-roots-past-betrayal-helps").value = "honesty about small things"
    one(form, "tw-roots-past-betrayal-save").click()
    [row] = rows(engine)
    assert (row.topic, row.visibility, row.author_id) == (
        "root:past-betrayal",
        Visibility.PRIVATE,
        couple.a.partner_id,
    )
    assert row.answers["now"] == "I check the phone"
    assert "Only you can see these notes" in box.status.value
    assert "tw-save" in one(form, "tw-roots-past-betrayal-save")._dom_classes
    # The card draft follows the ticked roots and the partner's own words.
    assert "What might help: honesty about small things" in form.draft
    again = RootsReflection(engine, couple.a)
    assert one(again, "tw-roots-past-betrayal").value is True
    assert one(again, "tw-roots-past-betrayal-what").value == "I found messages"


def test_invalid_notes_show_errors_and_write_nothing(engine, couple):
    """Does a too-long answer get a message next to its field, and no write?"""
    form = RootsReflection(engine, couple.a)
    one(form, "tw-roots-communication").value = True
    one(form, "tw-roots-communication-now").value = "x" * 1999 + "yz"  # clipped to 2000: valid
    assert len(one(form, "tw-roots-communication-now").value) == 2000
    form.card_text = "x" * 1600
    form.save_card()
    assert "under 1500 characters" in form.errors["card"].value
    assert "tw-error" in form.errors["card"].value
    assert rows(engine) == []


def test_untick_keeps_saved_notes_until_deleted(engine, couple):
    """Does unticking a saved root keep the notes, and Delete (confirmed) remove them?"""
    form = RootsReflection(engine, couple.a)
    one(form, "tw-roots-attachment").value = True
    one(form, "tw-roots-attachment-what").value = "moved a lot as a child"
    one(form, "tw-roots-attachment-save").click()
    one(form, "tw-roots-attachment").value = False
    assert one(form, "tw-roots-attachment").value is True
    assert "delete your notes first" in one(form, "tw-roots-attachment-box").status.value
    delete = one(form, "tw-roots-attachment-delete")
    delete.click()
    assert len(rows(engine)) == 1  # the first click only asks
    delete.click()
    assert rows(engine) == []
    assert one(form, "tw-roots-attachment").value is False
    assert one(form, "tw-roots-attachment-what").value == ""


def test_add_and_delete_a_custom_root(engine, couple):
    """Can a partner add a root in their own words, escaped, and remove it again?"""
    form = RootsReflection(engine, couple.a)
    form.custom_input.value = "<script>Money</script>"
    one(form, "tw-roots-add").click()
    key = R.custom_key("<script>Money</script>")
    check = one(form, f"tw-roots-{key.replace(':', '-')}")
    assert check.value is True and form.custom_title == ""
    assert "&lt;script&gt;Money" in html(form) and "<script>" not in html(form)
    assert [r.answers["title"] for r in rows(engine)] == ["<script>Money</script>"]
    form.custom_input.value = "   "
    one(form, "tw-roots-add").click()
    assert "Please fill this in" in one(form, "tw-roots-add-error").value
    form.custom_input.value = "m" * 81
    one(form, "tw-roots-add").click()
    assert "under 80 characters" in one(form, "tw-roots-add-error").value
    assert len(rows(engine)) == 1
    again = RootsReflection(engine, couple.a)
    delete = one(again, f"tw-roots-{key.replace(':', '-')}-delete")
    delete.click()
    delete.click()
    assert rows(engine) == [] and key not in again.checks
    assert by_class(again, f"tw-roots-{key.replace(':', '-')}") == []


def test_attachment_reflection_after_saving(engine, couple):
    """Does saving the self-reflection store it privately and show a non-diagnostic reading?"""
    form = RootsReflection(engine, couple.a)
    assert len(by_class(form, "tw-roots-attach-1")) == 1
    one(form, "tw-roots-attach-1").value = "very"
    one(form, "tw-roots-attach-2").value = "bit"
    one(form, "tw-roots-attach-save").click()
    [row] = rows(engine)
    assert row.visibility == Visibility.PRIVATE
    assert row.answers["choices"] == {"silence": "very", "settle": "bit"}
    result = one(form, "tw-roots-attach-result").value
    assert "worry about closeness" in result and "not a diagnosis or a label" in result
    again = RootsReflection(engine, couple.a)
    assert one(again, "tw-roots-attach-1").value == "very"
    assert "not a diagnosis" in one(again, "tw-roots-attach-result").value
    one(again, "tw-roots-attach-clear").click()
    assert rows(engine) == [] and again.attachment == {}


def test_page_users_cannot_push_odd_values(engine, couple):
    """Are forged choices dropped, huge text clipped and unknown visibilities refused?"""
    form = RootsReflection(engine, couple.a)
    form.attachment = {"silence": "always", "made-up": "very", "lean": "bit"}
    assert form.attachment == {"lean": "bit"}
    form.card_input.value = "y" * 100_000
    assert len(form.card_text) == 2000
    with pytest.raises(TraitError):
        form.card_visibility = "everyone"
    form.card_visibility = "SHARED"
    assert form.card_visibility == "shared"


def test_shared_card_reaches_the_partner_escaped(engine, couple, other_couple):
    """Does B see A's card only once shared, with <script> escaped, and never A's notes?"""
    a = RootsReflection(engine, couple.a)
    one(a, "tw-roots-past-betrayal").value = True
    one(a, "tw-roots-past-betrayal-what").value = "the secret details"
    one(a, "tw-roots-past-betrayal-save").click()
    one(a, "tw-roots-card-use-draft").click()
    assert a.card_text.startswith("What I am working with:")
    a.card_text += "\n<script>alert(1)</script>"
    a.save_card()
    b_form = RootsReflection(engine, couple.b)
    assert "Nothing has been shared" in html(b_form)
    one(a, "tw-roots-card-visibility").value = "shared"
    one(a, "tw-roots-card-save").click()
    b_form.refresh()
    assert "What I am working with:" in one(b_form, "tw-roots-theirs").value
    assert "Shared with Ben" in one(a, "tw-roots-card-state").value
    b_page = html(RootsReflection(engine, couple.b))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in b_page and "<script>" not in b_page
    assert (
        "Past betrayals, such as cheating or lying"
        in one(RootsReflection(engine, couple.b), "tw-roots-theirs").value
    )
    assert "the secret details" not in b_page
    for outsider in (other_couple.a, other_couple.b):
        assert "What I am working with" not in html(RootsReflection(engine, outsider))
    delete = one(a, "tw-roots-card-delete")
    delete.click()
    delete.click()
    assert "Nothing has been shared" in html(RootsReflection(engine, couple.b))


def test_flagged_partner_is_not_asked_to_share(engine, couple):
    """With flagged=True, is there no share option, and does the card stay private?"""
    form = RootsReflection(engine, couple.a, flagged=True)
    assert by_class(form, "tw-roots-card-visibility") == []
    # Nothing invites sharing ("Shared with you" for the partner's card stays, as for everyone).
    assert not re.search(r"\bshare\b", html(form), re.IGNORECASE)
    assert re.search(r"\bshare\b", html(RootsReflection(engine, couple.b)), re.IGNORECASE)
    form.card_visibility = "shared"  # even a forged message cannot share it
    assert form.card_visibility == "private"
    form.card_text = "What I am working with: a lot"
    one(form, "tw-roots-card-save").click()
    assert rows(engine)[0].visibility == Visibility.PRIVATE
    assert "Nothing has been shared" in html(RootsReflection(engine, couple.b))
    with pytest.raises(TraitError):
        form.flagged = False


def test_flag_does_not_change_the_partners_page(engine, couple, other_couple):
    """Is B's page the same whether A kept the card private by choice or was flagged?"""
    flagged = RootsReflection(engine, couple.a, flagged=True)
    flagged.card_text = "my card"
    flagged.save_card()
    chosen = RootsReflection(engine, other_couple.a)
    chosen.card_text = "my card"
    chosen.save_card()
    seen_by_b = html(RootsReflection(engine, couple.b)).replace("Ana", "X")
    seen_by_dev = html(RootsReflection(engine, other_couple.b)).replace("Cleo", "X")
    assert seen_by_b == seen_by_dev


def test_flagged_partner_with_an_older_shared_card_can_take_it_back(engine, couple):
    """If A shared a card before the flag, does saving it again from the form make it private?"""
    R.save_card(engine, couple.a.partner_id, "older card", "shared")
    form = RootsReflection(engine, couple.a, flagged=True)
    assert "Saving it again makes it private" in one(form, "tw-roots-card-state").value
    form.save_card()
    assert rows(engine)[0].visibility == Visibility.PRIVATE


def test_signed_out_form_offers_the_welcome_page(engine):
    """Without a viewer, does the form explain how to sign in instead of failing?"""
    form = RootsReflection(engine, None)
    assert "welcome page" in form.children[0].value


def test_store_failure_shows_a_calm_message(engine, couple, monkeypatch):
    """When the store fails mid-save, does the partner get a message, not a traceback?"""
    from sqlalchemy.exc import OperationalError

    def broken(*_args, **_kwargs):
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(R, "save_root", broken)
    monkeypatch.setattr(R, "save_card", broken)
    form = RootsReflection(engine, couple.a)
    one(form, "tw-roots-communication").value = True
    one(form, "tw-roots-communication-what").value = "we stopped talking"
    one(form, "tw-roots-communication-save").click()
    box = one(form, "tw-roots-communication-box")
    assert "Nothing was changed" in box.errors["form"].value
    assert "locked" not in html(form)
    assert one(form, "tw-roots-communication-what").value == "we stopped talking"
    form.card_text = "card"
    form.save_card()
    assert "Nothing was changed" in form.errors["card"].value


def test_page_build_does_not_load_pydantic():
    """Does importing the form leave pydantic, pandas and plotly unloaded?"""
    import subprocess
    import sys

    code = (
        "import sys, trust_widgets.widget_roots; "
        "print([m for m in ('pydantic', 'pandas', 'plotly') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
