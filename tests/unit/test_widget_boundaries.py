"""Step 3's form, headless: answer, reveal, compare, agree; and a flagged partner's view."""

from __future__ import annotations

from trust_widgets.widget_boundaries import BoundaryBuilder


def topic_box(form, key):
    [box] = [b for b in form.topics_box.children if f"tw-boundaries-topic-{key}" in b._dom_classes]
    answer, note, reveal, save, _err = box.children
    return answer, note, reveal, save


def answer(form, key, value, reveal=True, note=""):
    a, n, r, save = topic_box(form, key)
    a.value, n.value, r.value = value, note, reveal
    save.click()


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
    _, _, _, save = topic_box(form, "passwords")
    save.click()
    [box] = [
        x for x in form.topics_box.children if "tw-boundaries-topic-passwords" in x._dom_classes
    ]
    assert "Please choose" in box.children[-1].value


def test_agreement_flow_and_printable(engine, couple):
    """Can A propose, B confirm, and both see it agreed in the printable page?"""
    import base64

    a = BoundaryBuilder(engine, couple.a)
    a.agreement_text.value = "We take a 20-minute time-out when voices rise"
    [add] = [w for w in a.agreement_box.children if "tw-agreement-add" in w._dom_classes]
    add.click()
    b = BoundaryBuilder(engine, couple.b)
    [row] = [w for w in b.agreement_box.children if "tw-agreement-item" in w._dom_classes]
    assert "Waiting for your confirmation" in row.children[0].value
    row.children[1].click()  # confirm
    [row] = [w for w in b.agreement_box.children if "tw-agreement-item" in w._dom_classes]
    assert "Agreed by both of you" in row.children[0].value
    link = b.agreement_box.children[-1].value
    page = base64.b64decode(link.split("base64,")[1].split('"')[0]).decode()
    assert "20-minute time-out" in page


def test_flagged_partner_gets_no_reveal_or_joint_prompts(engine, couple):
    """Does a flagged partner see private answers only: no reveal option, no agreement?"""
    form = BoundaryBuilder(engine, couple.a, flagged=True)
    _, _, reveal, _ = topic_box(form, "social-media")
    assert reveal.layout.display == "none"
    answer(form, "social-media", "okay", reveal=True)  # even if a page user forces it
    b = BoundaryBuilder(engine, couple.b)
    assert "waiting for your answer" not in b.compare.value
    html = "".join(getattr(w, "value", "") for w in form.children)
    assert "Side by side" not in html and "agreement" not in html.lower()
