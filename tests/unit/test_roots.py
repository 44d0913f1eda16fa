"""Step 1's logic and store: roots, the self-reflection, the card, and who sees what."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select

from trust_widgets import roots as R
from trust_widgets.schemas import field_errors
from trust_widgets.store.engine import session_factory, transaction
from trust_widgets.store.entries import AccessError
from trust_widgets.store.models import Reflection, Visibility


def rows(engine) -> list[Reflection]:
    with session_factory(engine)() as s:
        return list(s.scalars(select(Reflection).order_by(Reflection.id)))


def count(engine) -> int:
    with session_factory(engine)() as s:
        return s.scalar(select(func.count()).select_from(Reflection))


def errors_of(call, *args) -> dict[str, str]:
    with pytest.raises(ValidationError) as info:
        call(*args)
    return field_errors(info.value)


# Pure functions.


def test_roots_follow_the_guide():
    """Are the guide's three roots there, each with three prompts' hints?"""
    assert [r.key for r in R.ROOTS] == ["past-betrayal", "attachment", "communication"]
    assert R.ROOTS[0].title == "Past betrayals, such as cheating or lying"
    assert R.PROMPT_KEYS == ("what", "now", "helps")
    assert all(len(r.hints) == 3 and all(r.hints) for r in R.ROOTS)


@pytest.mark.parametrize(
    ("choices", "leaning"),
    [
        ({}, "unanswered"),
        ({item.key: "not" for item in R.ATTACHMENT_ITEMS}, "none"),
        ({"silence": "very", "settle": "bit", "comfort": "bit"}, "worry"),
        ({"retreat": "very", "lean": "very", "apart": "bit"}, "distance"),
        ({"comfort": "very", "apart": "bit", "silence": "not"}, "ease"),
        ({"silence": "very", "retreat": "very"}, "mixed"),
        ({item.key: "very" for item in R.ATTACHMENT_ITEMS}, "mixed"),
    ],
)
def test_attachment_reflection_is_never_a_diagnosis(choices, leaning):
    """For each answer pattern, is the leaning right and the text plainly not a diagnosis?"""
    assert R.attachment_leaning(choices) == leaning
    text = R.attachment_reflection(choices)
    assert text.endswith(R.NOT_A_DIAGNOSIS)
    assert R.NOT_A_DIAGNOSIS == "This is a prompt for reflection, not a diagnosis or a label."
    # No clinical labels, whatever the answers.
    assert not re.search(r"anxious|avoidant|secure|disorder|insecure|style", text, re.I)


def test_attachment_reflection_ignores_unknown_answers():
    """Do unknown items or choices count for nothing rather than fail?"""
    assert R.attachment_leaning({"made-up": "very", "silence": "always"}) == "unanswered"


def test_attachment_items_are_our_own():
    """Are there 4-6 short items of our own, covering each leaning, with three choices?"""
    items = R.ATTACHMENT_ITEMS
    assert 4 <= len(items) <= 6
    assert {i.leaning for i in items} == {"worry", "distance", "ease"}
    assert all(len(i.text) <= 90 for i in items)
    assert list(R.CHOICE_LABELS.values()) == ["not like me", "a bit like me", "very like me"]
    # A few well-known published item wordings that must never appear.
    published = ["worry about being abandoned", "relatively easy to get close", "deep down"]
    assert not any(p in i.text.lower() for p in published for i in items)


def test_card_draft_uses_titles_and_what_would_help():
    """Does the draft list the ticked roots and the partner's own 'what might help' words?"""
    assert R.compose_card([]) == ""
    draft = R.compose_card(
        [("Past betrayals, such as cheating or lying", "  honesty,\n  and time "), ("Money", "")]
    )
    assert draft == (
        "What I am working with:\n"
        "- Past betrayals, such as cheating or lying. What might help: honesty, and time\n"
        "- Money"
    )


def test_custom_keys_are_stable_and_css_safe():
    """Does a partner-added title get a stable slug, also for titles in other scripts?"""
    assert R.custom_key("Money & Work!") == "custom:money-work"
    assert R.custom_key("  Money & work ") == "custom:money-work"
    assert R.custom_key("Café") == "custom:cafe"
    other = R.custom_key("信任")
    assert re.fullmatch(r"custom:r[0-9a-f]{10}", other) and other == R.custom_key("信任")
    assert R.custom_key("信任") != R.custom_key("家庭")
    assert len(R.custom_key("x " * 80)) <= len("custom:") + 60


# Validation: nothing is written on error.


def test_invalid_root_input_writes_nothing(engine, couple):
    """Do too-long answers, unknown roots and untitled custom roots fail, with no write?"""
    pid = couple.a.partner_id
    too_long = {"what": "x" * 2001, "now": "ok", "helps": "y" * 2001}
    assert errors_of(R.save_root, engine, pid, "attachment", too_long) == {
        "what": "Please keep this under 2000 characters.",
        "helps": "Please keep this under 2000 characters.",
    }
    assert errors_of(R.save_root, engine, pid, "custom:money", {"title": "   "}) == {
        "title": "Please fill this in."
    }
    assert set(errors_of(R.save_root, engine, pid, "custom:money", {"title": "x" * 81})) == {
        "title"
    }
    assert set(errors_of(R.save_root, engine, pid, "root:../../etc", {})) == {"key"}
    assert set(errors_of(R.save_root, engine, pid, "attachment", {"author_id": 9})) == {"author_id"}
    assert count(engine) == 0


def test_invalid_attachment_and_card_write_nothing(engine, couple):
    """Do unknown choices, empty or too-long cards and odd visibilities fail, with no write?"""
    pid = couple.a.partner_id
    assert errors_of(R.save_attachment, engine, pid, {"silence": "always"}) == {
        "silence": "Please choose one of the options."
    }
    assert set(errors_of(R.save_attachment, engine, pid, {"made-up": "bit"})) == {"made-up"}
    assert errors_of(R.save_card, engine, pid, "", "private") == {"text": "Please fill this in."}
    assert set(errors_of(R.save_card, engine, pid, "x" * 1501, "everyone")) == {
        "text",
        "visibility",
    }
    assert count(engine) == 0


# The store.


def test_one_row_per_root_updated_in_place(engine, couple):
    """Does saving a root twice update the same private row instead of adding one?"""
    pid = couple.a.partner_id
    first = R.save_root(engine, pid, "past-betrayal", {"what": "He lied", "now": "I check"})
    second = R.save_root(engine, pid, "past-betrayal", {"what": "He lied for a year"})
    assert first.id == second.id
    [row] = rows(engine)
    assert (row.step, row.topic, row.visibility) == (1, "root:past-betrayal", Visibility.PRIVATE)
    assert row.answers == {"what": "He lied for a year", "now": "", "helps": ""}
    assert row.author_id == pid and row.couple_id == couple.a.couple_id


def test_duplicate_rows_from_a_race_are_folded(engine, couple):
    """If two kernels once inserted the same root twice, does the next save keep one row?"""
    pid = couple.a.partner_id
    with transaction(engine) as s:
        for text in ("old", "newer"):
            s.add(
                Reflection(
                    couple_id=couple.a.couple_id,
                    author_id=pid,
                    step=1,
                    topic="root:attachment",
                    answers={"what": text},
                )
            )
    assert R.load_step1(engine, pid).roots[0].answers["what"] == "newer"
    R.save_root(engine, pid, "attachment", {"what": "now"})
    assert [r.answers["what"] for r in rows(engine)] == ["now"]


def test_custom_roots_are_stored_with_their_title(engine, couple):
    """Is a partner-added root stored as root:custom:<slug> and listed after the guide's?"""
    pid = couple.a.partner_id
    key = R.custom_key("Money worries")
    R.save_root(engine, pid, key, {"title": "Money worries", "helps": "a budget together"})
    R.save_root(engine, pid, "communication", {"now": "I guess"})
    assert {r.topic for r in rows(engine)} == {"root:custom:money-worries", "root:communication"}
    state = R.load_step1(engine, pid)
    assert [(s.key, s.title) for s in state.roots] == [
        ("communication", "Poor communication or unmet emotional needs"),
        ("custom:money-worries", "Money worries"),
    ]
    assert state.roots[1].answers == {"what": "", "now": "", "helps": "a budget together"}
    assert R.delete_root(engine, pid, key) is True
    assert R.delete_root(engine, pid, key) is False
    assert [s.key for s in R.load_step1(engine, pid).roots] == ["communication"]


def test_attachment_answers_are_private_and_versioned(engine, couple):
    """Are the self-reflection answers stored privately, with the item set's version?"""
    pid = couple.a.partner_id
    R.save_attachment(engine, pid, {"silence": "very", "comfort": "not"})
    R.save_attachment(engine, pid, {"silence": "bit"})
    [row] = rows(engine)
    assert (row.topic, row.visibility) == ("attachment", Visibility.PRIVATE)
    assert row.answers == {"version": R.ATTACHMENT_VERSION, "choices": {"silence": "bit"}}
    assert R.load_step1(engine, pid).attachment == {"silence": "bit"}
    assert R.delete_attachment(engine, pid) is True and count(engine) == 0


def test_partner_sees_only_a_shared_card(engine, couple, other_couple):
    """Does B never see A's notes or answers, and A's card only once A shares it?"""
    a, b = couple.a.partner_id, couple.b.partner_id
    R.save_root(engine, a, "past-betrayal", {"what": "secret"})
    R.save_attachment(engine, a, {"silence": "very"})
    R.save_card(engine, a, "What I am working with: trust", "private")
    seen = R.load_step1(engine, b)
    assert seen == R.Step1State()
    R.save_card(engine, a, "What I am working with: trust", "shared")
    seen = R.load_step1(engine, b)
    assert seen.partner_card.body == "What I am working with: trust"
    assert (seen.roots, seen.attachment, seen.card) == ((), {}, None)
    for outsider in (other_couple.a.partner_id, other_couple.b.partner_id):
        assert R.load_step1(engine, outsider) == R.Step1State()
    R.save_card(engine, a, "Back to private", "private")
    assert R.load_step1(engine, b).partner_card is None


def test_only_a_card_is_ever_shown_to_the_partner(engine, couple):
    """If a root row were somehow marked shared, would B still not see it?"""
    with transaction(engine) as s:
        s.add(
            Reflection(
                couple_id=couple.a.couple_id,
                author_id=couple.a.partner_id,
                step=1,
                topic="root:past-betrayal",
                answers={"what": "secret"},
                visibility=Visibility.SHARED,
            )
        )
    assert R.load_step1(engine, couple.b.partner_id) == R.Step1State()
    # Saving through the kit puts it back to private.
    R.save_root(engine, couple.a.partner_id, "past-betrayal", {"what": "secret"})
    assert rows(engine)[0].visibility == Visibility.PRIVATE


def test_only_the_author_edits_or_deletes(engine, couple):
    """Can B neither change nor delete A's root notes or card?"""
    a, b = couple.a.partner_id, couple.b.partner_id
    R.save_root(engine, a, "attachment", {"what": "mine"})
    R.save_card(engine, a, "A's card", "shared")
    assert R.delete_root(engine, b, "attachment") is False
    assert R.delete_card(engine, b) is False
    R.save_root(engine, b, "attachment", {"what": "B's own"})  # B's own row, not A's
    mine = R.load_step1(engine, a)
    assert mine.roots[0].answers["what"] == "mine" and mine.card.body == "A's card"
    assert {(r.author_id, r.topic) for r in rows(engine)} == {
        (a, "root:attachment"),
        (a, "card"),
        (b, "root:attachment"),
    }


def test_unknown_partner_is_refused(engine):
    """Does a partner id that is not in the store get an AccessError, not a write?"""
    with pytest.raises(AccessError):
        R.save_card(engine, 999, "text", "private")
    with pytest.raises(AccessError):
        R.load_step1(engine, 999)
    assert count(engine) == 0
