"""Step 3's logic: boundary topics, private answers, the mutual reveal and the agreement.

The reveal rule lives in :func:`outcome`: a topic is compared only when both partners have
answered it and both have allowed their answer to be revealed. Until then nobody sees the
other's answer, only how many topics are waiting.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine, func, select

from .store.engine import session_factory, transaction
from .store.entries import AccessError, visible_entries
from .store.models import Boundary, BoundaryTopic, Partner, Reflection, Visibility

GUIDE_TOPICS: tuple[tuple[str, str], ...] = (
    ("social-media", "Social media interactions"),
    ("passwords", "Sharing passwords and devices"),
    ("disagreements", "How we handle disagreements (for example time-outs, no name-calling)"),
    ("emotional-space", "Protecting each other's emotional space"),
)
ANSWERS: tuple[tuple[str, str], ...] = (
    ("Okay with me", "okay"),
    ("Not okay with me", "not-okay"),
    ("Needs discussion", "discuss"),
)
ANSWER_LABELS = {value: label for label, value in ANSWERS}
MAX_CUSTOM_TOPICS = 20
NOTE_TOPIC = "boundary-note:"  # notes live in private reflections, never on a revealable row


class BoundaryError(ValueError):
    """Input that cannot be saved; the message is safe to show."""


def outcome(mine: str | None, theirs: str | None) -> str:
    """Compare two revealed answers: ``agree``, ``differ``, ``discuss``; else ``waiting``."""
    if mine is None or theirs is None:
        return "waiting"
    if "discuss" in (mine, theirs):
        return "discuss"
    return "agree" if mine == theirs else "differ"


@dataclass
class Board:
    """What one partner's step 3 page shows. Holds the other's answers only where revealed."""

    topics: list[tuple[str, str]]
    mine: dict[str, Boundary] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    own_topics: set[str] = field(default_factory=set)  # custom topics this partner added
    revealed: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    waiting_for_partner: int = 0
    waiting_for_me: int = 0


def _custom(engine: Engine, couple_id: int) -> list[tuple[str, str, int]]:
    with session_factory(engine)() as s:
        rows = s.execute(
            select(BoundaryTopic.id, BoundaryTopic.title, BoundaryTopic.added_by_id)
            .where(BoundaryTopic.couple_id == couple_id)
            .order_by(BoundaryTopic.id)
        ).all()
    return [(f"custom-{i}", title, by) for i, title, by in rows]


def topics_for(engine: Engine, couple_id: int) -> list[tuple[str, str]]:
    """Return the guide's topics and the couple's own, as (key, title)."""
    return [*GUIDE_TOPICS, *((key, title) for key, title, _ in _custom(engine, couple_id))]


def board(engine: Engine, partner_id: int) -> Board:
    """Build the partner's view, applying the reveal rule."""
    entries = visible_entries(engine, partner_id, Boundary)
    mine = {e.topic: e for e in entries if e.author_id == partner_id}
    theirs = {e.topic: e for e in entries if e.author_id != partner_id}  # shared ones only
    couple_id = _couple_of(engine, partner_id)
    custom = _custom(engine, couple_id)
    notes = {
        e.topic.removeprefix(NOTE_TOPIC): e.body
        for e in visible_entries(engine, partner_id, Reflection)
        if e.author_id == partner_id and e.step == 3 and e.topic.startswith(NOTE_TOPIC)
    }
    result = Board(
        topics=[*GUIDE_TOPICS, *((k, t) for k, t, _ in custom)],
        mine=mine,
        notes=notes,
        own_topics={k for k, _, by in custom if by == partner_id},
    )
    for key, title in result.topics:
        me, other = mine.get(key), theirs.get(key)
        mine_open = me is not None and me.visibility == Visibility.SHARED
        if mine_open and other is not None:
            result.revealed.append(
                (key, title, me.answer, other.answer, outcome(me.answer, other.answer))
            )
        elif mine_open:
            result.waiting_for_partner += 1
        elif other is not None:
            result.waiting_for_me += 1
    return result


def _couple_of(engine: Engine, partner_id: int) -> int:
    with session_factory(engine)() as s:
        couple_id = s.scalar(select(Partner.couple_id).where(Partner.id == partner_id))
    if couple_id is None:
        raise AccessError("You are not signed in. Start again from the welcome page.")
    return couple_id


def save_answer(
    engine: Engine, partner_id: int, topic: str, answer: str, note: str = "", reveal: bool = False
) -> Boundary:
    """Record (or change) this partner's private answer on one topic, in one transaction."""
    if answer not in ANSWER_LABELS:
        raise BoundaryError("Please choose one of the answers.")
    if len(note) > 1000:
        raise BoundaryError("Please keep the note under 1000 characters.")
    couple_id = _couple_of(engine, partner_id)
    if topic not in dict(topics_for(engine, couple_id)):
        raise BoundaryError("That topic doesn't exist for your couple.")
    with transaction(engine) as s:
        row = s.scalar(
            select(Boundary).where(Boundary.author_id == partner_id, Boundary.topic == topic)
        )
        if row is None:
            row = Boundary(couple_id=couple_id, author_id=partner_id, topic=topic)
            s.add(row)
        row.answer, row.note = answer, ""
        row.visibility = Visibility.SHARED if reveal else Visibility.PRIVATE
        _set_note(s, couple_id, partner_id, topic, note.strip())
        s.flush()
        return row


def _set_note(s, couple_id: int, partner_id: int, topic: str, note: str) -> None:
    """Keep the note in a private reflection: a revealed answer must not carry it along."""
    row = s.scalar(
        select(Reflection).where(
            Reflection.author_id == partner_id, Reflection.topic == NOTE_TOPIC + topic
        )
    )
    if not note:
        if row is not None:
            s.delete(row)
        return
    if row is None:
        row = Reflection(
            couple_id=couple_id, author_id=partner_id, step=3, topic=NOTE_TOPIC + topic
        )
        s.add(row)
    row.body, row.visibility = note, Visibility.PRIVATE


def delete_answer(engine: Engine, partner_id: int, topic: str) -> None:
    """Remove this partner's answer (and note) on a topic."""
    couple_id = _couple_of(engine, partner_id)
    with transaction(engine) as s:
        row = s.scalar(
            select(Boundary).where(Boundary.author_id == partner_id, Boundary.topic == topic)
        )
        if row is not None:
            s.delete(row)
        _set_note(s, couple_id, partner_id, topic, "")


def delete_topic(engine: Engine, partner_id: int, key: str) -> None:
    """Remove a topic its author added, with both partners' answers and notes on it."""
    digits = key.removeprefix("custom-")
    topic_id = int(digits) if key.startswith("custom-") and digits.isdecimal() else -1
    with transaction(engine) as s:
        topic = s.get(BoundaryTopic, topic_id)
        if topic is None or topic.added_by_id != partner_id:
            raise AccessError("Only the partner who added this topic can remove it.")
        for row in s.scalars(
            select(Boundary).where(Boundary.couple_id == topic.couple_id, Boundary.topic == key)
        ):
            s.delete(row)
        for row in s.scalars(
            select(Reflection).where(
                Reflection.couple_id == topic.couple_id, Reflection.topic == NOTE_TOPIC + key
            )
        ):
            s.delete(row)
        s.delete(topic)


def add_topic(engine: Engine, partner_id: int, title: str) -> str:
    """Add a topic for the couple (both partners will see its title); return its key."""
    title = " ".join(title.split())
    if not 1 <= len(title) <= 120:
        raise BoundaryError("A topic needs 1 to 120 characters.")
    couple_id = _couple_of(engine, partner_id)
    with transaction(engine) as s:
        count = s.scalar(
            select(func.count())
            .select_from(BoundaryTopic)
            .where(BoundaryTopic.couple_id == couple_id)
        )
        if count >= MAX_CUSTOM_TOPICS:
            raise BoundaryError(f"You can add up to {MAX_CUSTOM_TOPICS} topics.")
        topic = BoundaryTopic(couple_id=couple_id, added_by_id=partner_id, title=title)
        s.add(topic)
        s.flush()
        return f"custom-{topic.id}"
