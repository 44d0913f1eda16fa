"""The guide's steps: numbers, titles and the notebook that serves each one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    number: int
    title: str
    notebook: str
    ready: bool = True  # False while the step is a placeholder


STEPS: tuple[Step, ...] = (
    Step(0, "Welcome", "00_welcome.ipynb"),
    Step(1, "Understand the root", "01_understand_the_root.ipynb"),
    Step(2, "Communicate openly", "02_communicate_openly.ipynb"),
    Step(3, "Set healthy boundaries", "03_set_boundaries.ipynb"),
    Step(4, "Be consistent and transparent", "04_consistency.ipynb"),
    Step(5, "Consider professional help", "05_professional_help.ipynb"),
    Step(6, "Practise patience", "06_patience.ipynb"),
    Step(7, "Your plan", "07_summary.ipynb"),
)


# Pages beside the steps, reachable from every page's header: (notebook, title) by key.
SAFETY_NOTEBOOK = "safety_check.ipynb"  # the private safety check
CONSENT_NOTEBOOK = "research_consent.ipynb"  # each partner's own research consent
SIDE_PAGES = {
    "safety": (SAFETY_NOTEBOOK, "Safety check"),
    "consent": (CONSENT_NOTEBOOK, "Research consent"),
}


# Every page a partner moves between in place, in one kernel (see navigation.py).
PARTNER_PAGES: tuple[str, ...] = (
    *(s.notebook for s in STEPS),
    *(notebook for notebook, _title in SIDE_PAGES.values()),
)


def route_title(notebook: str) -> str:
    """Return the browser-tab title of a partner page, as its notebook's metadata gives it."""
    titles = {s.notebook: s.title for s in STEPS} | dict(SIDE_PAGES.values())
    return f"Trust Workshop: {titles[notebook]}"


def step(number: int) -> Step:
    """Return step ``number`` (0 landing, 1-6 guide steps, 7 summary)."""
    if not 0 <= number < len(STEPS):
        raise ValueError(f"There is no step {number}; steps run from 0 to {len(STEPS) - 1}.")
    return STEPS[number]


def neighbours(number: int) -> tuple[Step | None, Step | None]:
    """Return the previous and next steps, or ``None`` at either end."""
    prev = STEPS[number - 1] if number > 0 else None
    nxt = STEPS[number + 1] if number + 1 < len(STEPS) else None
    return prev, nxt


# The facilitator's pages, behind a facilitator session; the new-workshop page is served
# only to the server's own computer.
FACILITATOR_NOTEBOOKS = (
    "facilitator/dashboard.ipynb",
    "facilitator/presenter.ipynb",
    "facilitator/handouts.ipynb",
)
NEW_WORKSHOP_NOTEBOOK = "facilitator/new_workshop.ipynb"


def served_notebooks() -> frozenset[str]:
    """Every notebook the workshop server renders; anything else is not served."""
    return frozenset(
        {
            *PARTNER_PAGES,
            *FACILITATOR_NOTEBOOKS,
            NEW_WORKSHOP_NOTEBOOK,
        }
    )
