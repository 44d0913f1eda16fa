"""Step 3's form, headless: answer, reveal, compare, agree; and a flagged partner's view."""

from __future__ import annotations

import base64

from trust_widgets.widget_boundaries import BoundaryBuilder


def answer(form, key, value, reveal=True, note=""):
    box = form.boxes[key]
    box.answer.value, box.note.value, box.reveal.value = value, note, reveal
    box.save()


def agreement_rows(form):
    return list(form.agreement.rows.children)


def test_comparison_appears_only_after_both_answered(engine, couple):
    """Does the side-by-side view stay empty until both answered and allowed it?"""
    a, b = BoundaryBuilder(engine, couple.a), BoundaryBuilder(engine, couple.b)
    answer(a, "disagreements", "okay")
    assert "waiting for Ben" in a.compare.value and "<table" not in a.compare.value
    b.refresh()
    assert "waiting for your answer" in b.compare.value and "Okay with me" not in b.compare.value
    answer(b, "disagreements", "discuss", note="PRIVATE-NOTE")
    assert "Talk about it first" in b.compare.value
    a.refresh()
    assert "tw-outcome-discuss" in a.compare.value and "PRIVATE-NOTE" not in a.compare.value


def test_unanswered_save_shows_an_error(engine, couple):
    """Does saving without choosing an answer show a message by the topic?"""
    form = BoundaryBuilder(engine, couple.a)
    form.boxes["passwords"].save()
    assert "Please choose" in form.boxes["passwords"].error.value


def test_refresh_keeps_what_is_typed_elsewhere(engine, couple):
    """Does saving one topic keep an unsaved note typed in another?"""
    form = BoundaryBuilder(engine, couple.a)
    form.boxes["passwords"].note.value = "half-typed"
    answer(form, "social-media", "okay")
    assert form.boxes["passwords"].note.value == "half-typed"


def test_answers_can_be_cleared_and_custom_topics_removed(engine, couple):
    """Can a partner clear an answer, and remove a topic they added (but not the other's)?"""
    a, b = BoundaryBuilder(engine, couple.a), BoundaryBuilder(engine, couple.b)
    answer(a, "social-media", "okay")
    a.boxes["social-media"].clear()
    assert a.boxes["social-media"].answer.value is None
    a.new_topic.value = "Money"
    a._add_topic()
    [key] = [k for k in a.boxes if k.startswith("custom-")]
    assert "tw-boundaries-topic-custom-1" in a.boxes[key]._dom_classes
    b.refresh()
    b.remove_topic(key, b.boxes[key].error)
    assert "Only the partner who added" in b.boxes[key].error.value
    a.remove_topic(key, a.boxes[key].error)
    assert key not in a.boxes


def test_agreement_flow_and_printable(engine, couple):
    """Can A propose, B confirm, and only agreed boundaries go into the printable page?"""
    a = BoundaryBuilder(engine, couple.a)
    for text in ("We take a 20-minute time-out when voices rise", "UNCONFIRMED-ITEM"):
        a.agreement.text.value = text
        a.agreement.submit()
    b = BoundaryBuilder(engine, couple.b)
    first = agreement_rows(b)[0]
    assert "Waiting for your confirmation" in first.children[0].value
    first.children[1].click()  # confirm
    assert "Agreed by both of you" in agreement_rows(b)[0].children[0].value
    link = b.agreement.printable.value
    page = base64.b64decode(link.split("base64,")[1].split('"')[0]).decode()
    assert "20-minute time-out" in page and "UNCONFIRMED-ITEM" not in page


def test_editing_asks_for_confirmation_again(engine, couple):
    """Does changing an agreed boundary's wording undo the other's confirmation?"""
    a = BoundaryBuilder(engine, couple.a)
    a.agreement.text.value = "No phones at dinner"
    a.agreement.submit()
    b = BoundaryBuilder(engine, couple.b)
    agreement_rows(b)[0].children[1].click()
    a.agreement.refresh()
    agreement_rows(a)[0].children[2].click()  # edit
    a.agreement.text.value = "No phones at dinner or in bed"
    a.agreement.submit()
    b.agreement.refresh()
    assert "Waiting for your confirmation" in agreement_rows(b)[0].children[0].value


def test_hostile_partner_name_is_escaped(engine):
    """Is a partner's name escaped wherever step 3 shows it?"""
    from tests.conftest import make_couple

    couple = make_couple(engine, "Ana", "<img src=x onerror=alert(1)>")
    a = BoundaryBuilder(engine, couple.a)
    a.agreement.text.value = "Kind words"
    a.agreement.submit()
    html = a.compare.value + "".join(r.children[0].value for r in agreement_rows(a))
    assert "<img" not in html and "&lt;img" in html


def test_flagged_partner_gets_no_reveal_or_joint_prompts(engine, couple):
    """Does a flagged partner see private answers only: no reveal, no topics, no agreement?"""
    form = BoundaryBuilder(engine, couple.a, flagged=True)
    assert form.boxes["social-media"].reveal.layout.display == "none"
    answer(form, "social-media", "okay", reveal=True)  # even if a page user forces it
    b = BoundaryBuilder(engine, couple.b)
    assert "waiting for your answer" not in b.compare.value
    html = "".join(getattr(w, "value", "") for w in form.children)
    assert "Side by side" not in html and "agreement" not in html.lower()
    assert not hasattr(form, "new_topic")
