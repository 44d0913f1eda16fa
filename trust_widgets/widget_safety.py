"""The private safety check form, and the calm guidance a red flag leads to."""

from __future__ import annotations

import logging
from collections.abc import Callable

import ipywidgets as W
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from traitlets import CaselessStrEnum

from ._forms import STORE_FAILED, button, error_slot, show_error
from .context import Viewer
from .safety import (
    CHOICES,
    QUESTIONS,
    SafetyInputError,
    SafetyStatus,
    safety_status,
    save_screen,
    saved_answers,
)

log = logging.getLogger(__name__)
FORM = "safety"
INTRO = (
    "<h2>A private check, just for you</h2><p>Before any exercise you do together, please "
    "answer a few questions on your own. <strong>Your answers are never shown to your partner, "
    "to a facilitator or to anyone else</strong>, and nothing on your partner's pages changes "
    "because of them. This is not a test or a diagnosis; any answer is fine, including "
    "“I'd rather not say”.</p>"
)
FLAGGED = (
    '<div class="tw-safety-guidance" role="status"><h3>Thank you for answering honestly</h3>'
    "<p>Some of what you said suggests that working on the relationship together may not be "
    "safe for you right now. That is not your fault, and you don't have to decide anything "
    "today.</p><p>You can keep using this kit on your own: your reflections stay private, and "
    "it will not ask you to share or to do exercises together. Talking with someone on your "
    "own, confidentially, can help you think through what is right for you.</p>"
    "<p><strong>If you are in danger right now, call your local emergency number.</strong></p>"
)
CLEAR = (
    '<div class="tw-safety-guidance" role="status"><p>Thank you. If anything changes, you can '
    "come back to this check at any time from the <em>Safety check</em> link at the top of "
    "every page.</p></div>"
)


def help_html(engine: Engine, partner_id: int) -> str:
    """Return the calm guidance with abuse and crisis resources for the partner's region."""
    # Only on the red-flag path, so a clear check never loads the resource lists.
    from .resources import load_resources
    from .widget_help import partner_region, resource_item_html

    try:
        resources = load_resources(partner_region(engine, partner_id))
    except ValueError:
        log.exception("resource list unavailable")
        resources = []
    items = "".join(resource_item_html(r) for r in resources if r.category in {"abuse", "crisis"})
    listed = f'<ul class="tw-safety-resources">{items}</ul>' if items else ""
    return f"{FLAGGED}{listed}</div>"


class SafetyCheck(W.VBox):
    """Ask the private safety questions; show calm guidance; report the outcome.

    Parameters
    ----------
    engine, viewer
        The store and the signed-in partner (required: the check is always someone's own).
    on_done
        Called with ``True`` when the answers raise a red flag, else ``False``.
    """

    status = CaselessStrEnum(
        [s.value for s in SafetyStatus], default_value="unanswered", help="This partner's outcome."
    )

    def __init__(
        self, engine: Engine, viewer: Viewer, on_done: Callable[[bool], None] | None = None
    ) -> None:
        super().__init__()
        self.engine, self.viewer, self.on_done = engine, viewer, on_done
        self.add_class(f"tw-{FORM}")
        before = saved_answers(engine, viewer.partner_id)
        self.inputs = {}
        for q in QUESTIONS:
            radio = W.RadioButtons(
                options=CHOICES,
                value=before.get(q.key),
                description=q.text,
                style={"description_width": "initial"},
                layout=W.Layout(width="100%"),
            )
            radio.add_class("tw-field")
            radio.add_class(f"tw-{FORM}-{q.key}")
            self.inputs[q.key] = radio
        self.error = error_slot(FORM, "form")
        self.save_button = button("Save my answers", "tw-save", f"tw-{FORM}-save", style="primary")
        self.save_button.on_click(lambda _: self.save())
        self.result = W.HTML("")
        self.result.add_class(f"tw-{FORM}-result")
        self.status = safety_status(engine, viewer.partner_id).value
        self.children = [
            W.HTML(INTRO),
            *self.inputs.values(),
            self.save_button,
            self.error,
            self.result,
        ]

    def save(self) -> None:
        """Validate and store the answers privately, then show what follows from them."""
        show_error(self.error, None)
        answers = {k: w.value for k, w in self.inputs.items() if w.value is not None}
        try:
            status = save_screen(self.engine, self.viewer.partner_id, answers)
        except SafetyInputError as exc:
            show_error(self.error, str(exc))
            return
        except SQLAlchemyError:
            log.exception("saving a safety check failed")
            show_error(self.error, STORE_FAILED)
            return
        self.status = status.value
        flagged = status == SafetyStatus.FLAGGED
        self.result.value = help_html(self.engine, self.viewer.partner_id) if flagged else CLEAR
        if self.on_done is not None:
            self.on_done(flagged)


class SafetyGate(W.VBox):
    """Show the safety check first if this partner has not answered it, then the exercise.

    ``build(flagged)`` makes the exercise's widget, told whether to hold back joint prompts.
    """

    def __init__(self, engine: Engine, viewer: Viewer, build: Callable[[bool], W.Widget]):
        super().__init__()
        self.add_class(f"tw-{FORM}-gate")
        status = safety_status(engine, viewer.partner_id)
        if status == SafetyStatus.UNANSWERED:
            check = SafetyCheck(engine, viewer, on_done=lambda flagged: self._open(check, flagged))
            self.children = [check]
        else:
            self.children = [build(status == SafetyStatus.FLAGGED)]
        self._build = build

    def _open(self, check: SafetyCheck, flagged: bool) -> None:
        self.children = [check.result, self._build(flagged)]
