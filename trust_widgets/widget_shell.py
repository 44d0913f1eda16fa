"""The page shell every step notebook uses: header, step navigation and the ready marker.

The quick-exit control is not here: it is part of the Voilà template, so it is on screen
before the kernel has even started (see ``server/templates/tw``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import ipywidgets as W
from traitlets import Bool, Int, observe, validate

from ._html import esc
from .context import Viewer
from .steps import CONSENT_NOTEBOOK, SAFETY_NOTEBOOK, SIDE_PAGES, STEPS, neighbours
from .steps import step as get_step

APP_NAME = "Trust Workshop"


def nav_html(current: int | None, completed: Iterable[int] = (), aside: str = "safety") -> str:
    """Return the list of steps with the current one marked and completed ones ticked.

    The list folds into a one-line summary so that it fits a phone screen.
    """
    done = set(completed)
    items = []
    for s in STEPS:
        label = f"{s.number}. {s.title}" if 1 <= s.number <= 6 else s.title
        tick = '<span class="tw-done" aria-label="done">✓</span> ' if s.number in done else ""
        soon = ' <span class="tw-soon">(coming soon)</span>' if not s.ready else ""
        attrs = ' aria-current="page" class="tw-current"' if s.number == current else ""
        items.append(f'<li{attrs}>{tick}<a href="{s.notebook}">{esc(label)}</a>{soon}</li>')
    if current is None:
        where = SIDE_PAGES[aside][1]
    elif 1 <= current <= 6:
        where = f"Step {current} of 6: {STEPS[current].title}"
    else:
        where = STEPS[current].title
    return (
        f'<nav class="tw-steps" aria-label="Steps"><details><summary>{esc(where)} '
        f'<span class="tw-all-steps">· all steps</span></summary>'
        f"<ol>{''.join(items)}</ol></details></nav>"
    )


def prev_next_html(current: int | None) -> str:
    """Return the previous/next links for a step page (the safety check leads home)."""
    prev, nxt = neighbours(current) if current is not None else (STEPS[0], None)
    parts = []
    if prev is not None:
        parts.append(f'<a class="tw-nav-prev" href="{prev.notebook}">← {esc(prev.title)}</a>')
    if nxt is not None:
        parts.append(f'<a class="tw-nav-next" href="{nxt.notebook}">{esc(nxt.title)} →</a>')
    return f'<div class="tw-prevnext">{"".join(parts)}</div>'


def who_html(viewer: Viewer | None, current: int | None = 0, aside: str = "safety") -> str:
    """Return the signed-in line, with a partner switch on a shared device."""
    if viewer is None:
        return (
            '<p class="tw-who">You are not signed in on this device. '
            '<a href="00_welcome.ipynb">Start on the welcome page</a>.</p>'
        )
    with_whom = (
        f" with {esc(viewer.partner_name)}"
        if viewer.partner_name
        else " (your partner has not joined yet)"
    )
    where = f" · {esc(viewer.workshop_name)}" if viewer.workshop_name else ""
    # The same link for everyone, whatever their answers: it must reveal nothing.
    safety = (
        f'<a class="tw-safety-link" href="{SAFETY_NOTEBOOK}">Safety check</a> · '
        f'<a class="tw-consent-link" href="{CONSENT_NOTEBOOK}">Research consent</a>'
    )

    switch = ""
    if len(viewer.device_names) == 2:
        other = 1 - viewer.active
        switch = (
            f'<form class="tw-switch" method="post" action="../../tw/switch">'
            f'<input type="hidden" name="to" value="{other}">'
            f'<input type="hidden" name="back" value="{aside if current is None else current}">'
            f'<button type="submit" class="tw-switch-partner">'
            f"Switch to {esc(viewer.device_names[other])}</button></form>"
        )
    demo = (
        '<p class="tw-demo-note">This is the demo couple: made-up data to explore. '
        "Please don't write anything real here.</p>"
        if viewer.is_demo
        else ""
    )
    return (
        f'<div class="tw-who"><p>Signed in as <strong>{esc(viewer.name)}</strong>'
        f"{with_whom}{where} · {safety}</p>{switch}</div>{demo}"
    )


class StepPage(W.VBox):
    """A page of the workshop: header, the step's own widgets, and previous/next links.

    Parameters
    ----------
    step
        0 for the landing page, 1-6 for the guide's steps, 7 for the summary, or ``None``
        for the safety check.
    viewer
        The signed-in partner, or ``None``.
    body
        The step's own widgets.
    completed
        Steps this partner has completed, ticked in the navigation.
    """

    step = Int(0, allow_none=True, help="0 landing, 1-6 steps, 7 summary; None: safety check.")
    ready = Bool(False, help="True once the page's widgets are built and bound to the store.")

    def __init__(
        self,
        step: int | None,
        viewer: Viewer | None,
        body: Sequence[W.Widget],
        completed: Iterable[int] = (),
        aside: str = "safety",
    ) -> None:
        if step is not None:
            get_step(step)  # a clear error for a page number that does not exist
        if aside not in SIDE_PAGES:
            raise ValueError(f"aside must be one of {sorted(SIDE_PAGES)}")
        header = W.HTML(
            f'<header class="tw-header"><p class="tw-brand">{APP_NAME}</p>'
            f"{who_html(viewer, step, aside)}{nav_html(step, completed, aside)}</header>"
        )
        footer = W.HTML(prev_next_html(step))
        super().__init__(children=[header, *body, footer], step=step)
        self.add_class("tw-page")
        self.add_class(f"tw-step-{aside if step is None else step}")

    @validate("step")
    def _valid_step(self, proposal):
        if proposal["value"] is not None and not 0 <= proposal["value"] < len(STEPS):
            raise ValueError(f"step must be between 0 and {len(STEPS) - 1}")
        return proposal["value"]

    @observe("ready")
    def _mark_ready(self, change) -> None:
        if change["new"]:
            self.add_class("tw-ready")
        else:
            self.remove_class("tw-ready")
