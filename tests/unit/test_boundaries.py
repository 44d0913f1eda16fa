"""Step 3: private answers, the reveal rule, custom topics and the agreement."""

from __future__ import annotations

import pytest

from trust_widgets import agreement as agr
from trust_widgets.boundaries import BoundaryError, add_topic, board, outcome, save_answer
from trust_widgets.store.entries import AccessError


@pytest.mark.parametrize(
    "mine,theirs,expected",
    [
        ("okay", "okay", "agree"),
        ("not-okay", "not-okay", "agree"),
        ("okay", "not-okay", "differ"),
        ("discuss", "okay", "discuss"),
        ("okay", "discuss", "discuss"),
        (None, "okay", "waiting"),
        ("okay", None, "waiting"),
    ],
)
def test_outcome(mine, theirs, expected):
    """How are two revealed answers compared?"""
    assert outcome(mine, theirs) == expected


def test_reveal_needs_both_answers_and_both_permissions(engine, couple):
    """Is a topic compared only once both answered and both allowed the reveal?"""
    a, b = couple.a.partner_id, couple.b.partner_id
    save_answer(engine, a, "social-media", "okay", reveal=True)
    assert board(engine, a).revealed == [] and board(engine, a).waiting_for_partner == 1
    assert board(engine, b).revealed == [] and board(engine, b).waiting_for_me == 1
    save_answer(engine, b, "social-media", "not-okay", reveal=False)  # answered, not allowed
    assert board(engine, a).revealed == [] and board(engine, b).revealed == []
    save_answer(engine, b, "social-media", "not-okay", note="my private note", reveal=True)
    [(key, _title, mine, theirs, result)] = board(engine, a).revealed
    assert (key, mine, theirs, result) == ("social-media", "okay", "not-okay", "differ")
    assert board(engine, b).revealed[0][2:] == ("not-okay", "okay", "differ")


def test_a_hidden_answer_never_reaches_the_board(engine, couple):
    """Does B's board hold A's answer only where it is revealed to B?"""
    a, b = couple.a.partner_id, couple.b.partner_id
    save_answer(engine, a, "passwords", "not-okay", note="secret", reveal=False)
    save_answer(engine, b, "passwords", "okay", reveal=True)
    view = board(engine, b)
    assert view.revealed == [] and set(view.mine) == {"passwords"}
    assert all(e.author_id == b for e in view.mine.values())


def test_answers_are_validated_and_updated_in_place(engine, couple):
    """Are bad answers refused, and is each topic one row per partner?"""
    a = couple.a.partner_id
    with pytest.raises(BoundaryError):
        save_answer(engine, a, "social-media", "maybe")
    with pytest.raises(BoundaryError):
        save_answer(engine, a, "no-such-topic", "okay")
    with pytest.raises(BoundaryError):
        save_answer(engine, a, "social-media", "okay", note="x" * 1001)
    save_answer(engine, a, "social-media", "okay")
    save_answer(engine, a, "social-media", "discuss")
    assert board(engine, a).mine["social-media"].answer == "discuss"


def test_custom_topics_belong_to_one_couple(engine, couple, other_couple):
    """Can a couple add its own topic, answer it, and is it invisible to other couples?"""
    key = add_topic(engine, couple.a.partner_id, "  Time with  friends ")
    assert (key, "Time with friends") in board(engine, couple.b.partner_id).topics
    assert key not in dict(board(engine, other_couple.a.partner_id).topics)
    with pytest.raises(BoundaryError):
        save_answer(engine, other_couple.a.partner_id, key, "okay")
    with pytest.raises(BoundaryError):
        add_topic(engine, couple.a.partner_id, "   ")


def test_agreement_needs_both_confirmations(engine, couple, other_couple):
    """Is an item agreed only when both confirmed, and only by this couple?"""
    a, b = couple.a.partner_id, couple.b.partner_id
    item = agr.add_item(engine, a, "No phones at dinner")
    assert not agr.agreed(agr.items(engine, b)[0])
    with pytest.raises(AccessError):
        agr.set_confirmed(engine, other_couple.a.partner_id, item.id, True)
    agr.set_confirmed(engine, b, item.id, True)
    assert agr.agreed(agr.items(engine, a)[0])
    agr.set_confirmed(engine, b, item.id, False)
    assert not agr.agreed(agr.items(engine, a)[0])
    with pytest.raises(AccessError):
        agr.delete_item(engine, b, item.id)
    agr.delete_item(engine, a, item.id)
    assert agr.items(engine, a) == []


def test_printable_agreement_is_escaped_and_lists_only_agreed(engine):
    """Does the printable page escape text and say when nothing is agreed yet?"""
    html = agr.printable_html(["<b>Ana</b>", "Ben"], ["<script>no</script>"])
    assert "&lt;script&gt;" in html and "<script>" not in html and "&lt;b&gt;Ana" in html
    assert "No boundary is agreed" in agr.printable_html(["Ana"], [])
