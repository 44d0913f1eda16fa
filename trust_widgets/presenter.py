"""The presenter view's content: one slide per planned step, built from a session plan.

Plain functions, no widgets and no store: a slide holds the step's key points (the kit's own
words, in ``content/presenter/key-points.json``) and the plan's questions for the pairs.
Nothing here knows about any couple. Every piece of plan text is escaped before it meets
HTML, since a plan can come from a facilitator's file or the store.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from importlib.resources import files

from ._html import esc
from .session_plan import PlanItem, SessionPlan
from .steps import step as get_step

POINTS_FILE = "key-points.json"
QUESTIONS_HEADING = "Talk this over in your pair"
QUESTIONS_NOTE = "Just the two of you: nobody shares with the room."


@dataclass(frozen=True)
class Slide:
    """What the room sees at one point of a session.

    ``index`` 0 is the session's opening (its safety reminder and agenda); the planned
    steps follow from 1. ``step`` is ``None`` on an opening.
    """

    session: int
    index: int
    title: str
    subtitle: str
    points: tuple[str, ...]
    questions: tuple[str, ...] = ()
    agenda: tuple[str, ...] = ()
    minutes: int = 0
    step: int | None = None


@lru_cache(maxsize=1)
def _all_points() -> dict[int, tuple[str, ...]]:
    source = files("trust_widgets") / "content" / "presenter" / POINTS_FILE
    data = json.loads(source.read_text(encoding="utf-8"))["steps"]
    points = {int(key): tuple(value) for key, value in data.items()}
    for number, lines in points.items():
        # Our own file, but a broken edit should say where, not show a half-empty slide.
        if not (3 <= len(lines) <= 5 and all(isinstance(x, str) and x for x in lines)):
            raise ValueError(f"{POINTS_FILE}: step {number} needs 3 to 5 non-empty key points")
    return points


def key_points(step: int) -> tuple[str, ...]:
    """Return the 3-5 key points for ``step`` (0 welcome, 1-6 the guide's steps, 7 plan)."""
    get_step(step)  # a clear ValueError for a step that does not exist
    return _all_points()[step]


def step_label(step: int) -> str:
    """Return how a step is named on screen: "Step 2 of 6: ...", or the page's own title."""
    title = get_step(step).title
    return f"Step {step} of 6: {title}" if 1 <= step <= 6 else title


def item_slide(item: PlanItem, session: int = 0, index: int = 1) -> Slide:
    """Return the slide for one planned step."""
    label = step_label(item.step)
    subtitle = f"{label} · {item.minutes} min" if item.title else f"{item.minutes} min"
    return Slide(
        session=session,
        index=index,
        title=item.title or label,
        subtitle=subtitle,
        points=key_points(item.step),
        questions=tuple(item.prompts),
        minutes=item.minutes,
        step=item.step,
    )


def opening_slide(plan: SessionPlan, session: int) -> Slide:
    """Return the slide that opens ``session``: its safety reminder, then its agenda."""
    s = plan.sessions[session]
    return Slide(
        session=session,
        index=0,
        title=f"Session {session + 1}: {s.title}",
        subtitle=f"Session {session + 1} of {len(plan.sessions)} · about {s.minutes} min",
        points=(s.safety_reminder,),
        agenda=tuple(f"{item.display_title} ({item.minutes} min)" for item in s.items),
        minutes=s.minutes,
    )


def session_slides(plan: SessionPlan, session: int) -> list[Slide]:
    """Return ``session``'s slides: the opening, then one per planned step.

    Raises
    ------
    ValueError
        There is no such session in the plan.
    """
    if not 0 <= session < len(plan.sessions):
        raise ValueError(f"This plan has sessions 1 to {len(plan.sessions)} only.")
    items = plan.sessions[session].items
    return [
        opening_slide(plan, session),
        *(item_slide(item, session, i) for i, item in enumerate(items, start=1)),
    ]


def plan_slides(plan: SessionPlan) -> list[list[Slide]]:
    """Return every session's slides, session by session."""
    return [session_slides(plan, i) for i in range(len(plan.sessions))]


def title_html(slide: Slide) -> str:
    """The slide's heading and its small line of context, escaped."""
    return (
        f'<h1 class="tw-presenter-heading">{esc(slide.title)}</h1>'
        f'<p class="tw-presenter-subtitle">{esc(slide.subtitle)}</p>'
    )


def points_html(slide: Slide) -> str:
    """The key points (or, on an opening, the safety reminder and the agenda), escaped."""
    if slide.step is None:
        agenda = "".join(f"<li>{esc(line)}</li>" for line in slide.agenda)
        return (
            f'<p class="tw-presenter-safety">{esc(slide.points[0])}</p>'
            f'<h2>Today</h2><ol class="tw-presenter-agenda">{agenda}</ol>'
        )
    return "<ul>" + "".join(f"<li>{esc(p)}</li>" for p in slide.points) + "</ul>"


def questions_html(slide: Slide) -> str:
    """The plan's questions for the pairs, with the reminder that nobody shares; escaped."""
    if not slide.questions:
        return ""
    items = "".join(f"<li>{esc(q)}</li>" for q in slide.questions)
    return (
        f"<h2>{esc(QUESTIONS_HEADING)}</h2><ol>{items}</ol>"
        f'<p class="tw-presenter-note">{esc(QUESTIONS_NOTE)}</p>'
    )


def slide_html(slide: Slide) -> str:
    """The whole slide as one HTML fragment, for a page or a static export."""
    questions = questions_html(slide)
    if questions:
        questions = f'<div class="tw-presenter-questions">{questions}</div>'
    return (
        f'<section class="tw-presenter-slide"><div class="tw-presenter-title">'
        f'{title_html(slide)}</div><div class="tw-presenter-points">{points_html(slide)}</div>'
        f"{questions}</section>"
    )


def timer_text(minutes: int, started: datetime | None) -> str:
    """Say how long the slide is planned for and, once started, when that time is up.

    The end is shown as a clock time so the display needs no ticking (no script).
    """
    planned = f"Planned: {minutes} min."
    if started is None:
        return planned
    ends = started + timedelta(minutes=minutes)
    return f"{planned} Started {started:%H:%M}, ends about {ends:%H:%M}."
