"""What the store holds after a room, counted against what its partners sent.

Every partner plants texts that name them (``card_text``, ``note_text``), so a lost entry,
or one stored under the wrong partner, shows up by name.
"""

from __future__ import annotations

from dataclasses import dataclass


def card_text(tag: str, couple: int, slot: int) -> str:
    """The step-1 card that partner ``slot`` (0: A, 1: B) of couple ``couple`` saves."""
    return f"Card {tag}-{couple:02d}-{'AB'[slot]}: I am working with old hurt."


def note_text(tag: str, couple: int, slot: int) -> str:
    """The private check-in note that this partner saves."""
    return f"Note {tag}-{couple:02d}-{'AB'[slot]}"


def partner_name(couple: int, slot: int) -> str:
    """The name this partner joins with."""
    return f"{'AB'[slot]}{couple:02d}"


@dataclass
class StoreCounts:
    """What the store holds after the room, against what the partners sent."""

    couples: int
    partners: int
    cards: int  # step-1 cards with a planted text, saved by the partner it names
    checkins: int  # check-in rows
    checked_in: int  # partners of this room with a check-in
    notes: int  # check-in notes with a planted text, saved by the partner it names
    lost: list[str]  # planted texts missing, or stored under another partner
    extra: int  # planted texts in the store that were not sent


def count_store(db_url: str, tag: str, couples: int, saved: set[str] | None = None) -> StoreCounts:
    """Open the store and count couples, partners and entries against the planted texts.

    With ``saved`` (the texts whose page said "Saved"), only those count as sent: a partner
    who never got that far sent nothing to lose.
    """
    from sqlalchemy import func, select

    from trust_widgets.store.engine import create_store_engine, session_factory
    from trust_widgets.store.models import CheckIn, Couple, DailyNote, Partner, Reflection

    engine = create_store_engine(db_url)
    try:
        with session_factory(engine)() as s:
            count = lambda model: s.scalar(select(func.count()).select_from(model))  # noqa: E731
            names = dict(s.execute(select(Partner.id, Partner.display_name)).all())
            cards = s.execute(select(Reflection.body, Reflection.author_id)).all()
            notes = s.execute(select(DailyNote.text, DailyNote.author_id)).all()
            checkin_authors = s.scalars(select(CheckIn.author_id)).all()
            result = [count(Couple), count(Partner)]
    finally:
        engine.dispose()
    everyone = [(i, k) for i in range(couples) for k in (0, 1)]
    sent_cards = {card_text(tag, i, k): partner_name(i, k) for i, k in everyone}
    sent_notes = {note_text(tag, i, k): partner_name(i, k) for i, k in everyone}
    if saved is not None:
        sent_cards = {t: who for t, who in sent_cards.items() if t in saved}
        sent_notes = {t: who for t, who in sent_notes.items() if t in saved}
    got_cards = {text: names.get(author) for text, author in cards}
    got_notes = {text: names.get(author) for text, author in notes}
    lost = [t for t, who in (sent_cards | sent_notes).items()
            if (got_cards | got_notes).get(t) != who]  # fmt: skip
    extra = len(set(got_cards) - set(sent_cards)) + len(set(got_notes) - set(sent_notes))
    return StoreCounts(
        couples=result[0],
        partners=result[1],
        cards=sum(got_cards.get(t) == who for t, who in sent_cards.items()),
        checkins=len(checkin_authors),
        checked_in=len({names.get(a) for a in checkin_authors} & set(sent_cards.values())),
        notes=sum(got_notes.get(t) == who for t, who in sent_notes.items()),
        lost=lost,
        extra=extra,
    )
