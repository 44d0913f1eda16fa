"""The private safety check: red-flag rules, privacy, and that nothing of it leaks."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from trust_widgets.safety import (
    QUESTIONS,
    SafetyInputError,
    SafetyStatus,
    assess,
    safety_status,
    save_screen,
)
from trust_widgets.store.engine import session_factory
from trust_widgets.store.entries import visible_entries
from trust_widgets.store.models import SafetyScreen, Visibility
from trust_widgets.widget_safety import SafetyCheck, SafetyGate

CLEAR = {q.key: "no" for q in QUESTIONS} | {"safe_together": "yes"}


@pytest.mark.parametrize(
    "changes,flagged",
    [
        ({}, False),
        ({"afraid": "yes"}, True),
        ({"afraid": "unsure"}, True),
        ({"harm": "yes"}, True),
        ({"monitor": "yes"}, True),
        ({"isolate": "yes"}, True),
        ({"money": "yes"}, True),
        ({"safe_together": "no"}, True),
        ({"safe_together": "unsure"}, True),
        ({"monitor": "unsure"}, False),
        ({"afraid": "skip", "harm": "skip"}, False),
    ],
)
def test_red_flag_rules(changes, flagged):
    """Which answers raise a red flag? Fear, harm, control, isolation, money, feeling unsafe."""
    assert assess(CLEAR | changes) is flagged


def test_incomplete_or_unknown_answers_are_refused(engine, couple):
    """Is a check with a missing or made-up answer refused, with nothing written?"""
    for bad in ({"afraid": "no"}, CLEAR | {"afraid": "maybe"}, CLEAR | {"extra": "no"}):
        with pytest.raises(SafetyInputError):
            save_screen(engine, couple.a.partner_id, bad)
    assert safety_status(engine, couple.a.partner_id) == SafetyStatus.UNANSWERED


def test_screen_is_private_and_replaced_on_retake(engine, couple):
    """Is there one private row per partner, updated on a retake, invisible to the partner?"""
    assert save_screen(engine, couple.a.partner_id, CLEAR | {"afraid": "yes"}) == "flagged"
    assert save_screen(engine, couple.a.partner_id, CLEAR) == "clear"
    with session_factory(engine)() as s:
        rows = s.scalars(select(SafetyScreen)).all()
    assert len(rows) == 1 and rows[0].visibility == Visibility.PRIVATE
    assert visible_entries(engine, couple.b.partner_id, SafetyScreen) == []
    assert safety_status(engine, couple.b.partner_id) == SafetyStatus.UNANSWERED


def test_form_shows_resources_only_on_a_red_flag(engine, couple):
    """Does a red flag show calm guidance with abuse resources, and a clear check not?"""
    form = SafetyCheck(engine, couple.a)
    for q in QUESTIONS:
        form.inputs[q.key].value = CLEAR[q.key]
    form.inputs["afraid"].value = "yes"
    form.save_button.click()
    assert form.status == "flagged"
    [help_box] = form.result.children
    assert "tw-safety-resources" in help_box.lines.value
    assert (
        "tw-resource-abuse" in help_box.lines.value or "tw-resource-crisis" in help_box.lines.value
    )
    help_box.region.value = "us"  # the partner can switch to their region's lines
    assert "1-800-799-7233" in help_box.lines.value
    form.inputs["afraid"].value = "no"
    form.save_button.click()
    assert form.status == "clear"
    assert "tw-safety-resources" not in form.result.children[0].value


def test_retake_starts_blank_and_flagged_guidance_stays(engine, couple):
    """Is a retake never pre-filled, and does a flagged partner see the guidance again?"""
    save_screen(engine, couple.a.partner_id, CLEAR | {"harm": "yes"})
    form = SafetyCheck(engine, couple.a)
    assert all(w.value is None for w in form.inputs.values())
    assert form.result.children and "tw-safety-guidance" in form.result.children[0]._dom_classes


def test_form_asks_for_every_answer(engine, couple):
    """Does saving with unanswered questions show a message and store nothing?"""
    form = SafetyCheck(engine, couple.a)
    form.save_button.click()
    assert "every question" in form.error.value
    assert safety_status(engine, couple.a.partner_id) == SafetyStatus.UNANSWERED


def test_gate_opens_after_the_check(engine, couple):
    """Does the gate show the check first, then the exercise, told about a red flag?"""
    import ipywidgets as W

    seen = []

    def build(flagged):
        seen.append(flagged)
        return W.HTML("exercise")

    gate = SafetyGate(engine, couple.a, build)
    [check] = gate.children
    for q in QUESTIONS:
        check.inputs[q.key].value = CLEAR[q.key]
    check.inputs["money"].value = "yes"
    check.save_button.click()
    assert seen == [True] and gate.children[-1].value == "exercise"
    assert SafetyGate(engine, couple.a, build).children[-1].value == "exercise"
    assert seen == [True, True]
