"""The couple's plan on one page (the summary): what each partner may see, gathered.

Everything here goes through the same access rule as the steps (``visible_entries``):
the partner's entries appear only where they shared them. The viewer's own private help
plan is on the viewer's copy only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from ._html import esc
from .agreement import agreed, items
from .commitments import FREQUENCIES
from .context import Viewer
from .store.entries import visible_entries
from .store.models import IStatement, Promise, Visibility

_FREQ = {value: label.lower() for label, value in FREQUENCIES}


@dataclass
class Plan:
    names: tuple[str, ...]
    cards: list[tuple[str, str]] = field(default_factory=list)
    statements: list[tuple[str, str]] = field(default_factory=list)
    boundaries: list[str] = field(default_factory=list)
    commitments: list[tuple[str, str, str]] = field(default_factory=list)
    progress: str = ""
    help_plan: list[tuple[str, str]] = field(default_factory=list)


def gather(engine: Engine, viewer: Viewer, flagged: bool = False) -> Plan:
    """Collect the plan as this partner may see it.

    Only shared items go in, so the plan (and its download) never carries anything the
    partner has not seen; the viewer's own help plan is the one private part, marked so.
    With ``flagged`` (the viewer's own safety check raised a red flag) the plan holds only
    the viewer's own items: no joint plan is pushed on them.
    """
    from .roots import load_step1
    from .widget_help import AREAS, CHOICES, load_readiness

    me, other = viewer.name, viewer.partner_name or "Your partner"
    who = {viewer.partner_id: me}
    plan = Plan(names=(me, *([viewer.partner_name] if viewer.partner_name else [])))
    step1 = load_step1(engine, viewer.partner_id)
    cards = [(step1.card, me)] + ([] if flagged else [(step1.partner_card, other)])
    for card, name in cards:
        if card is not None and card.body and card.visibility == Visibility.SHARED:
            plan.cards.append((name, card.body))

    def included(entry) -> bool:
        shared = entry.visibility == Visibility.SHARED
        return shared and (not flagged or entry.author_id == viewer.partner_id)

    for entry in visible_entries(engine, viewer.partner_id, IStatement):
        if included(entry):
            plan.statements.append((who.get(entry.author_id, other), entry.text))
    if not flagged:
        plan.boundaries = [item.text for item in items(engine, viewer.partner_id) if agreed(item)]
    for promise in visible_entries(engine, viewer.partner_id, Promise):
        if promise.active and included(promise):
            name = who.get(promise.author_id, other)
            plan.commitments.append((name, promise.title, _FREQ.get(promise.frequency, "")))
    plan.progress = progress_words(engine, viewer.partner_id)
    readiness = load_readiness(engine, viewer.partner_id)
    labels = {value: label for label, value in CHOICES}
    if readiness is not None:
        plan.help_plan = [
            (AREAS[key], labels.get(value, value))
            for key, value in readiness.answers.items()
            if key in AREAS
        ]
    return plan


def progress_words(engine: Engine, partner_id: int) -> str:
    """Say in plain words how trust has moved lately, claiming no cause."""
    from .progress_data import checkins_frame, trend_direction

    frame = checkins_frame(engine, partner_id)
    if frame.empty:
        return "No check-ins yet. Step 4 has a daily check-in that takes under a minute."
    mine = frame[frame["who"] == "me"]
    direction = trend_direction(mine)
    words = {
        "up": "Your trust ratings have been going up lately.",
        "flat": "Your trust ratings have been about level lately.",
        "down": "Your trust ratings have been going down lately. That happens; be patient.",
    }.get(direction, "There are not enough check-ins yet to see a direction.")
    return f"{len(mine)} check-in(s) so far. {words} This shows change, not its cause."


def _section(title: str, rows: list[str], empty: str) -> str:
    body = "".join(f"<li>{r}</li>" for r in rows) or f'<li class="tw-empty">{esc(empty)}</li>'
    return f"<section><h3>{esc(title)}</h3><ul>{body}</ul></section>"


def plan_html(plan: Plan) -> str:
    """Render the plan as HTML; every piece of user text is escaped."""
    return "".join(
        [
            _section(
                "What we are working with",
                [f"<strong>{esc(n)}:</strong> {esc(t)}" for n, t in plan.cards],
                "No shared cards yet (step 1).",
            ),
            _section(
                "What we have said",
                [f"<strong>{esc(n)}:</strong> {esc(t)}" for n, t in plan.statements],
                "No shared I-statements yet (step 2).",
            ),
            _section(
                "Boundaries we agreed",
                [esc(b) for b in plan.boundaries],
                "No boundary agreed by both yet (step 3).",
            ),
            _section(
                "Our commitments",
                [f"<strong>{esc(n)}:</strong> {esc(t)} ({esc(f)})" for n, t, f in plan.commitments],
                "No commitments yet (step 4).",
            ),
            f"<section><h3>Progress so far</h3><p>{esc(plan.progress)}</p></section>",
            _section(
                "My help plan (only on my copy)",
                [f"{esc(a)}: {esc(c)}" for a, c in plan.help_plan],
                "No help plan yet (step 5).",
            ),
        ]
    )


def printable_page(plan: Plan, flagged: bool = False) -> str:
    """Return a self-contained printable HTML page of the plan (a neutral title if flagged)."""
    title = "My notes" if flagged else "Our plan for rebuilding trust"
    who = esc(plan.names[0]) if flagged else " and ".join(esc(n) for n in plan.names)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        "<style>body{font:16px/1.6 Georgia,serif;max-width:40rem;margin:2rem auto;padding:0 1rem}"
        "h3{margin-top:1.5rem}</style></head>"
        f"<body><h1>{title}</h1><p>{who}</p>{plan_html(plan)}</body></html>"
    )
