"""Step 1, understand the root: the guide's roots, the prompts, and the store for them.

Everything a partner writes here is a :class:`~trust_widgets.store.models.Reflection` with
``step=1``. Root reflections and the attachment self-reflection are always private; only
the "what I am working with" card can be shared, by its author's choice. Reading goes
through :func:`~trust_widgets.store.entries.visible_entries`, so the access rule stays in
one place. Validation uses pydantic, loaded on the first save rather than with the page.
"""

from __future__ import annotations

import enum
import hashlib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select

from .store.engine import transaction
from .store.entries import _viewer, visible_entries
from .store.models import Reflection, Visibility

STEP = 1
CUSTOM = "custom:"
ATTACHMENT_TOPIC = "attachment"
CARD_TOPIC = "card"
ATTACHMENT_VERSION = 1  # bump when the items' meaning changes, so old answers stay readable
NOT_A_DIAGNOSIS = "This is a prompt for reflection, not a diagnosis or a label."


@dataclass(frozen=True)
class Root:
    """One possible root of trust issues; ``hints`` are placeholders for the three prompts."""

    key: str
    title: str
    hints: tuple[str, str, str] = ("", "", "")


@dataclass(frozen=True)
class Prompt:
    key: str
    label: str


ROOTS: tuple[Root, ...] = (
    Root(
        "past-betrayal",
        "Past betrayals, such as cheating or lying",
        (
            "e.g. what you found out, and how",
            "e.g. checking, doubting, replaying it",
            "e.g. honesty about small things, and time",
        ),
    ),
    Root(
        "attachment",
        "Childhood experiences or attachment patterns",
        (
            "e.g. what closeness was like growing up",
            "e.g. fear of being left, or of needing someone",
            "e.g. reassurance, or room to come back in my own time",
        ),
    ),
    Root(
        "communication",
        "Poor communication or unmet emotional needs",
        (
            "e.g. what went unsaid, or unheard",
            "e.g. guessing instead of asking",
            "e.g. a regular, calm time to talk",
        ),
    ),
)
PROMPTS: tuple[Prompt, ...] = (
    Prompt("what", "What happened? Write only as much as feels okay today."),
    Prompt("now", "How does it show up in you now, in this relationship?"),
    Prompt("helps", "What might help you heal, a little at a time?"),
)
PROMPT_KEYS = tuple(p.key for p in PROMPTS)
BUILTIN = {r.key: r for r in ROOTS}
MAX_ANSWER, MAX_TITLE, MAX_CARD = 2000, 80, 1500


class Choice(enum.StrEnum):
    """How much an attachment self-reflection statement is like the partner."""

    NOT = "not"
    BIT = "bit"
    VERY = "very"


CHOICE_LABELS = {
    Choice.NOT: "not like me",
    Choice.BIT: "a bit like me",
    Choice.VERY: "very like me",
}
_WEIGHT = {Choice.NOT: 0, Choice.BIT: 1, Choice.VERY: 2}


@dataclass(frozen=True)
class AttachmentItem:
    key: str
    text: str
    leaning: str  # "worry", "distance" or "ease"


# Our own words, written for this kit; not taken from any published questionnaire.
ATTACHMENT_ITEMS: tuple[AttachmentItem, ...] = tuple(
    AttachmentItem(key, text, leaning)
    for key, leaning, text in (
        ("silence", "worry", "When a message goes unanswered for a while, my mind fills the gap."),
        ("settle", "worry", "After a disagreement, I need to hear we're okay before I can settle."),
        ("retreat", "distance", "When feelings run high, my first move is to step back, alone."),
        ("lean", "distance", "Leaning on someone feels riskier to me than sorting it out myself."),
        ("comfort", "ease", "I can ask for comfort when I need it, and take it in."),
        ("apart", "ease", "When we're apart, I can trust that what we have is still there."),
    )
)
_LEANINGS = {
    "worry": "some worry about closeness: wanting reassurance, and feeling unsettled by "
    "distance or silence",
    "distance": "keeping some distance: finding it safer to rely on yourself when things "
    "get close or heavy",
    "ease": "ease with closeness: being able to ask for comfort and to trust the bond between you",
}


def attachment_leaning(choices: Mapping[str, str]) -> str:
    """Return "worry", "distance", "ease", "mixed", "none" (nothing fits) or "unanswered"."""
    scores = {lean: 0 for lean in _LEANINGS}
    answered = False
    for item in ATTACHMENT_ITEMS:
        if choices.get(item.key) in _WEIGHT:
            answered = True
            scores[item.leaning] += _WEIGHT[Choice(choices[item.key])]
    if not answered:
        return "unanswered"
    top = max(scores.values())
    if top == 0:
        return "none"
    leaders = [lean for lean, score in scores.items() if score == top]
    return leaders[0] if len(leaders) == 1 else "mixed"


def attachment_reflection(choices: Mapping[str, str]) -> str:
    """Return a gentle, non-diagnostic reflection on the answers, as plain text."""
    lean = attachment_leaning(choices)
    if lean == "unanswered":
        text = "Choose how much each statement is like you, then save to see a reflection."
    elif lean == "none":
        text = (
            "None of these statements felt much like you. That is useful to know too: "
            "your own words in the notes above may say it better."
        )
    elif lean == "mixed":
        text = (
            "Your answers pull in more than one direction. Many people feel both a wish "
            "for closeness and a wish for room, depending on the day and on how safe "
            "things feel."
        )
    else:
        text = f"Your answers lean towards {_LEANINGS[lean]}."
        if lean != "ease":
            text += " This is a common way of protecting yourself, often learned for good reasons."
    return (
        f"{text} Patterns like these can shift over time and with how safe a relationship "
        f"feels. {NOT_A_DIAGNOSIS}"
    )


def compose_card(roots: Sequence[tuple[str, str]]) -> str:
    """Draft the "what I am working with" card from (root title, what would help) pairs.

    Only the titles and the partner's own "what might help" words go in: the card may be
    shared, and what happened stays in the private notes.
    """
    if not roots:
        return ""
    lines = ["What I am working with:"]
    for title, helps in roots:
        helps = " ".join(helps.split())
        lines.append(f"- {title.strip()}" + (f". What might help: {helps}" if helps else ""))
    return "\n".join(lines)


def slugify(title: str) -> str:
    """Return a stable, CSS-safe slug for a custom root's title."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:60].strip("-")
    # Titles in other scripts lose every letter above; a hash keeps them apart.
    return slug or "r" + hashlib.sha256(title.strip().casefold().encode()).hexdigest()[:10]


def custom_key(title: str) -> str:
    """Return the root key for a partner-added root, ``custom:<slug>``."""
    return CUSTOM + slugify(title)


def topic_of(root_key: str) -> str:
    """Return the Reflection topic for a root key: ``root:<key>``."""
    return f"root:{root_key}"


@dataclass(frozen=True)
class SavedRoot:
    """One of the partner's own root reflections, as the form needs it."""

    key: str
    title: str
    answers: Mapping[str, str]
    entry_id: int


@dataclass(frozen=True)
class Step1State:
    """What one partner may see on step 1."""

    roots: tuple[SavedRoot, ...] = ()
    attachment: Mapping[str, str] = field(default_factory=dict)
    card: Reflection | None = None
    partner_card: Reflection | None = None  # only ever a card the other partner shared


def _own_row(session, partner_id: int, topic: str) -> Reflection | None:
    rows = list(
        session.scalars(
            select(Reflection)
            .where(Reflection.author_id == partner_id, Reflection.step == STEP)
            .where(Reflection.topic == topic)
            .order_by(Reflection.updated_at.desc(), Reflection.id.desc())
        )
    )
    # The table has no unique key for (author, topic): two kernels saving at once could
    # each insert a row, so keep the newest and fold the rest away.
    for extra in rows[1:]:
        session.delete(extra)
    return rows[0] if rows else None


def _upsert(engine, partner_id, topic, body, answers, visibility) -> Reflection:
    with transaction(engine) as s:
        me = _viewer(s, partner_id)
        row = _own_row(s, me.id, topic) or Reflection(
            couple_id=me.couple_id, author_id=me.id, step=STEP, topic=topic
        )
        row.body, row.answers, row.visibility = body, answers, visibility
        s.add(row)
        s.flush()
        return row


def _delete(engine: Engine, partner_id: int, topic: str) -> bool:
    with transaction(engine) as s:
        me = _viewer(s, partner_id)
        row = _own_row(s, me.id, topic)
        if row is not None:
            s.delete(row)
        return row is not None


def save_root(engine: Engine, partner_id: int, root_key: str, answers: dict) -> Reflection:
    """Save the partner's notes on one root, always private; one row per root, in place.

    ``answers`` holds ``what``, ``now`` and ``helps``, and ``title`` for a custom root.
    Raises :class:`pydantic.ValidationError` (nothing written) on invalid input.
    """
    from ._roots_schema import RootIn

    data = RootIn.model_validate({**answers, "key": root_key})
    stored = {k: getattr(data, k) for k in PROMPT_KEYS}
    if data.key.startswith(CUSTOM):
        stored["title"] = data.title
    return _upsert(engine, partner_id, topic_of(data.key), "", stored, Visibility.PRIVATE)


def delete_root(engine: Engine, partner_id: int, root_key: str) -> bool:
    """Delete the partner's own notes on one root; return whether there were any."""
    return _delete(engine, partner_id, topic_of(root_key))


def save_attachment(engine: Engine, partner_id: int, answers: Mapping[str, Any]) -> Reflection:
    """Save the attachment self-reflection, always private; unanswered items may be left out."""
    from ._roots_schema import attachment_model

    data = attachment_model().model_validate(dict(answers))
    choices = {k: v.value for k, v in data if v is not None}
    stored = {"version": ATTACHMENT_VERSION, "choices": choices}
    return _upsert(engine, partner_id, ATTACHMENT_TOPIC, "", stored, Visibility.PRIVATE)


def delete_attachment(engine: Engine, partner_id: int) -> bool:
    """Delete the partner's own attachment answers; return whether there were any."""
    return _delete(engine, partner_id, ATTACHMENT_TOPIC)


def save_card(engine: Engine, partner_id: int, text: str, visibility: str) -> Reflection:
    """Save the partner's "what I am working with" card, private or shared as they choose."""
    from ._roots_schema import CardIn

    data = CardIn(text=text, visibility=visibility)
    # No root keys in ``answers``: a shared row must carry only what its author saw.
    return _upsert(engine, partner_id, CARD_TOPIC, data.text, {}, data.visibility)


def delete_card(engine: Engine, partner_id: int) -> bool:
    """Delete the partner's own card; return whether there was one."""
    return _delete(engine, partner_id, CARD_TOPIC)


def _saved_root(row: Reflection) -> SavedRoot | None:
    key = row.topic.removeprefix("root:")
    answers = row.answers or {}
    title = BUILTIN[key].title if key in BUILTIN else answers.get("title", "")
    if not title:
        return None
    texts = {k: str(answers.get(k, "")) for k in PROMPT_KEYS}
    return SavedRoot(key, title, texts, row.id)


def load_step1(engine: Engine, partner_id: int) -> Step1State:
    """Return the partner's own step-1 entries and the other partner's card if shared."""
    mine: dict[str, Reflection] = {}
    theirs: Reflection | None = None
    for row in visible_entries(engine, partner_id, Reflection):
        if row.step != STEP:
            continue
        if row.author_id == partner_id:
            newest = mine.get(row.topic)
            if newest is None or (row.updated_at, row.id) >= (newest.updated_at, newest.id):
                mine[row.topic] = row
        elif row.topic == CARD_TOPIC and row.visibility == Visibility.SHARED:
            # Only the card: anything else the other partner wrote here is theirs alone.
            theirs = row
    order = {topic_of(r.key): i for i, r in enumerate(ROOTS)}
    root_rows = sorted(
        (r for t, r in mine.items() if t.startswith("root:")),
        key=lambda r: (order.get(r.topic, len(order)), r.created_at, r.id),
    )
    attachment = mine.get(ATTACHMENT_TOPIC)
    choices = dict((attachment.answers or {}).get("choices", {})) if attachment else {}
    return Step1State(
        roots=tuple(s for s in map(_saved_root, root_rows) if s is not None),
        attachment=choices,
        card=mine.get(CARD_TOPIC),
        partner_card=theirs,
    )
