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
    '<div role="status"><h3>Thank you for answering honestly</h3>'
    "<p>Some of what you said suggests that working on the relationship together may not be "
    "safe for you right now. That is not your fault, and you don't have to decide anything "
    "today.</p><p>You can keep using this kit on your own: your reflections stay private, and "
    "it will not ask you to share or to do exercises together. Talking with someone on your "
    "own, confidentially, can help you think through what is right for you.</p>"
    "<p><strong>If you are in danger right now, call your local emergency number.</strong></p>"
    "</div>"
)
CLEAR = (
    '<div class="tw-safety-guidance" role="status"><p>Thank you. If anything changes, you can '
    "come back to this check at any time from the <em>Safety check</em> link at the top of "
    "every page.</p></div>"
)


SHARED_DEVICE = (
    '<p class="tw-safety-shared-device">This browser is set up for both of you. If you would '
    "rather answer where nobody else can see, use your own device or a private window.</p>"
)


class SafetyHelp(W.VBox):
    """Calm, private guidance and abuse/crisis lines for the partner's region, switchable."""

    def __init__(self, engine: Engine, viewer: Viewer) -> None:
        # Only on the red-flag path, so a clear check never loads the resource lists.
        from .resources import available_regions
        from .widget_help import partner_region

        self.engine, self.viewer = engine, viewer
        regions = dict(available_regions())
        current = partner_region(engine, viewer.partner_id)
        self.region = W.Dropdown(
            options=[(name, code) for code, name in regions.items()],
            value=current if current in regions else next(iter(regions), None),
            description="Help lines for",
            style={"description_width": "initial"},
        )
        self.region.add_class("tw-field")
        self.region.add_class(f"tw-{FORM}-region")
        self.region.observe(self._switch, "value")
        self.lines = W.HTML()
        super().__init__([W.HTML(FLAGGED), self.region, self.lines])
        self.add_class(f"tw-{FORM}-guidance")
        self._render()

    def _switch(self, change) -> None:
        from .widget_help import set_partner_region

        if change["new"] in dict(self.region.options).values():
            try:
                set_partner_region(self.engine, self.viewer.partner_id, change["new"])
            except (ValueError, SQLAlchemyError):
                log.exception("saving the region failed")
        self._render()

    def _render(self) -> None:
        from .resources import load_resources
        from .widget_help import resource_item_html

        try:
            resources = load_resources(self.region.value or "intl")
        except ValueError:
            log.exception("resource list unavailable")
            resources = []
        items = "".join(
            resource_item_html(r) for r in resources if r.category in {"abuse", "crisis"}
        )
        self.lines.value = f'<ul class="tw-safety-resources">{items}</ul>' if items else ""


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
        self.inputs = {}
        for q in QUESTIONS:
            radio = W.RadioButtons(
                options=CHOICES,
                value=None,  # never pre-filled: someone else may be using this browser
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
        self.result = W.VBox()
        self.result.add_class(f"tw-{FORM}-result")
        self.status = safety_status(engine, viewer.partner_id).value
        if self.status == SafetyStatus.FLAGGED:
            self.result.children = [SafetyHelp(engine, viewer)]
        shared = [W.HTML(SHARED_DEVICE)] if len(viewer.device_names) == 2 else []
        self.children = [
            W.HTML(INTRO),
            *shared,
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
        self.result.children = [SafetyHelp(self.engine, self.viewer) if flagged else W.HTML(CLEAR)]
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
        elif status == SafetyStatus.FLAGGED:  # the guidance stays within reach, every visit
            self.children = [SafetyHelp(engine, viewer), build(True)]
        else:
            self.children = [build(False)]
        self._build = build

    def _open(self, check: SafetyCheck, flagged: bool) -> None:
        self.children = [check.result, self._build(flagged)]
