"""Words, HTML and rating inputs for the daily check-in: warm and neutral, never counting gaps.

No streaks and no guilt: a missed day is fine, so nothing here counts days without a
check-in or compares a partner with how often they "should" check in.
"""

from __future__ import annotations

from datetime import date, timedelta

import ipywidgets as W

from ._html import esc
from .instrument import Item

WELCOME_BACK_AFTER = 2  # days since the last check-in from which we greet someone back
INTRO = (
    "<p>About a minute: tick what you kept, move the sliders, save. The note and the small "
    "win are optional. Forgot a day? Pick it below; you can fill in the past week.</p>"
)
UNAVAILABLE = (
    '<p class="tw-error">The check-in questions can\'t be loaded just now. Please try again '
    "later, or let your facilitator know.</p>"
)
LOAD_FAILED = "This day's check-in can't be shown just now. Please reload the page in a moment."
NO_COMMITMENTS = (
    '<p class="tw-empty">Nothing to tick for this day. Your commitments appear here on '
    "the days they apply.</p>"
)


def day_options(today: date, back: int) -> list[tuple[str, str]]:
    """Return (label, ISO date) for today and the ``back`` days before it, newest first."""
    days = [today - timedelta(days=n) for n in range(back + 1)]
    names = {0: "Today", 1: "Yesterday"}
    return [
        (f"{names[n]} ({_short(d)})" if n in names else _short(d), d.isoformat())
        for n, d in enumerate(days)
    ]


def _short(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def section_html(item: Item) -> str:
    """Return a heading for the item's section, if it starts one."""
    return f"<h4>{esc(item.section)}</h4>" if item.section else ""


def anchors_html(item: Item) -> str:
    """Return the scale's anchor labels, spread under the slider, and the item's note."""
    spans = "".join(f"<span>{value} = {esc(label)}</span>" for value, label in item.anchors)
    row = (
        f'<div class="tw-checkin-anchors" style="display:flex;justify-content:space-between;'
        f'gap:0.5rem;flex-wrap:wrap;font-size:0.9em">{spans}</div>'
        if spans
        else ""
    )
    note = f'<p class="tw-hint" style="margin:0.1rem 0">{esc(item.note)}</p>' if item.note else ""
    return row + note


def rating_input(form: str, item: Item, error: W.HTML) -> tuple[W.IntSlider, list[W.Widget]]:
    """Return an item's slider (class ``tw-<form>-<item>``) and the widgets that show it.

    The label is the slider's own description, so it is visible and names the control; the
    page's ``tw-field`` style puts it above the slider. The slider starts at the midpoint.
    """
    slider = W.IntSlider(
        value=(item.min + item.max) // 2,
        min=item.min,
        max=item.max,
        description=item.label,
        continuous_update=False,
        style={"description_width": "initial"},
        layout=W.Layout(width="100%"),
    )
    slider.add_class("tw-field")
    slider.add_class(f"tw-{form}-{item.name}")
    heading = [W.HTML(section_html(item))] if item.section else []
    return slider, [*heading, slider, W.HTML(anchors_html(item)), error]


def greeting(today: date, last: date | None, done_today: bool) -> str:
    """Return a kind opening line; ``last`` is the latest check-in day before today."""
    if done_today:
        text = "You've checked in today. You can change anything and save again."
    elif last is not None and (today - last).days >= WELCOME_BACK_AFTER:
        text = "Welcome back. It's good to see you here."
    else:
        return ""
    return f'<p class="tw-checkin-hello">{esc(text)}</p>'


def saved_message(*, edited: bool, first: bool, back: bool, win: bool) -> str:
    """Return the message after saving: warm and neutral, whatever the history."""
    if edited:
        text = "Your changes are saved."
    elif first:
        text = "Saved. Thank you for your first check-in."
    elif back:
        text = "Welcome back. Saved, and thank you for checking in."
    else:
        text = "Saved. Thank you for taking a moment for this."
    if win:
        text += " Your small win is noted too."
    return f'<p class="tw-saved" role="status">{esc(text)}</p>'


def wins_html(texts: list[str]) -> str:
    """Return this day's small wins (escaped), or nothing."""
    if not texts:
        return ""
    items = "".join(f"<li>{esc(t)}</li>" for t in texts)
    return f'<p class="tw-hint">Small wins you noted for this day:</p><ul>{items}</ul>'
