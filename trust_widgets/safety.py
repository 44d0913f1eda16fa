"""The private safety check that comes before any joint exercise.

The questions are the kit's own words, written from the guidance in the domain notes (§1):
screen each partner alone; fear, harm or threats, monitoring, isolation and control of money
are red flags. This is not a diagnosis. A flag changes only what *this* partner's pages
suggest; it is never shown to the other partner, a facilitator, a chart or an export.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sqlalchemy import Engine, select

from .store.engine import session_factory, transaction
from .store.models import Partner, SafetyScreen, Visibility

CHOICES = (("Yes", "yes"), ("No", "no"), ("Not sure", "unsure"), ("I'd rather not say", "skip"))
ANSWERS = frozenset(value for _, value in CHOICES)


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    red_if: frozenset[str]


QUESTIONS: tuple[Question, ...] = (
    Question(
        "afraid",
        "Are you ever afraid of your partner, or of what they might do?",
        frozenset({"yes", "unsure"}),
    ),
    Question(
        "harm",
        "Has your partner hurt you physically, or threatened to hurt you, "
        "someone you love or a pet?",
        frozenset({"yes", "unsure"}),
    ),
    Question(
        "monitor",
        "Does your partner check your phone, messages or whereabouts in a way "
        "that feels controlling?",
        frozenset({"yes"}),
    ),
    Question(
        "isolate",
        "Does your partner keep you from seeing friends or family, or make it hard for you?",
        frozenset({"yes"}),
    ),
    Question(
        "money",
        "Does your partner control your money, or decide what you may spend?",
        frozenset({"yes"}),
    ),
    Question(
        "safe_together",
        "Do you feel safe saying what you really think to your partner in exercises like these?",
        frozenset({"no", "unsure"}),
    ),
)
_KEYS = frozenset(q.key for q in QUESTIONS)


class SafetyStatus(enum.StrEnum):
    UNANSWERED = "unanswered"
    CLEAR = "clear"
    FLAGGED = "flagged"


class SafetyInputError(ValueError):
    """Answers that are incomplete or not among the choices; safe to show."""


def assess(answers: dict[str, str]) -> bool:
    """Return True when any answer is a red flag. Pure: no store, no side effects."""
    return any(answers.get(q.key) in q.red_if for q in QUESTIONS)


def check_answers(answers: dict[str, str]) -> dict[str, str]:
    """Return the answers if every question has a known choice; raise otherwise."""
    unknown = set(answers) - _KEYS
    if unknown:
        raise SafetyInputError("Some answers don't belong to this check.")
    missing = [q.key for q in QUESTIONS if answers.get(q.key) not in ANSWERS]
    if missing:
        raise SafetyInputError("Please choose an answer for every question (any answer is fine).")
    return {q.key: answers[q.key] for q in QUESTIONS}


def save_screen(engine: Engine, partner_id: int, answers: dict[str, str]) -> SafetyStatus:
    """Store the partner's answers (one row, replaced on a retake) and return the status."""
    clean = check_answers(answers)
    flagged = assess(clean)
    with transaction(engine) as s:
        partner = s.get(Partner, partner_id)
        if partner is None:
            raise SafetyInputError("You are not signed in.")
        row = s.scalar(select(SafetyScreen).where(SafetyScreen.author_id == partner_id))
        if row is None:
            row = SafetyScreen(couple_id=partner.couple_id, author_id=partner_id)
            s.add(row)
        # Always private, whatever anyone asks for: see ALWAYS_PRIVATE in store.models.
        row.visibility, row.answers, row.flagged = Visibility.PRIVATE, clean, flagged
    return SafetyStatus.FLAGGED if flagged else SafetyStatus.CLEAR


def safety_status(engine: Engine, partner_id: int) -> SafetyStatus:
    """Return this partner's own status. Only ever call it for the viewer themselves."""
    with session_factory(engine)() as s:
        row = s.scalar(select(SafetyScreen).where(SafetyScreen.author_id == partner_id))
    if row is None:
        return SafetyStatus.UNANSWERED
    return SafetyStatus.FLAGGED if row.flagged else SafetyStatus.CLEAR


def saved_answers(engine: Engine, partner_id: int) -> dict[str, str]:
    """Return the partner's own saved answers, for a retake."""
    with session_factory(engine)() as s:
        row = s.scalar(select(SafetyScreen).where(SafetyScreen.author_id == partner_id))
    return dict(row.answers) if row else {}
