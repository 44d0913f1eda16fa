"""The research consent form: read the text, then agree, decline or withdraw, privately.

The form shows the signed-in partner's own decision and nothing of the other partner's:
the rule that both must agree is explained in the text only. The decisions and their
history are kept by :mod:`trust_widgets.consent`.
"""

from __future__ import annotations

import logging
from datetime import datetime

import ipywidgets as W
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from traitlets import CaselessStrEnum, TraitError, Unicode, validate

from ._forms import attempt, button, error_slot, show_error, sign_in_hint
from ._html import esc
from .consent import (
    TEXT_VERSIONS,
    ConsentError,
    ConsentState,
    ConsentStatus,
    Decision,
    consent_text,
    current_consent,
    record_decision,
)
from .context import Viewer

log = logging.getLogger(__name__)
FORM = "consent"
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
PRIVATE_NOTE = (
    '<p class="tw-hint">Your choice is private: your partner does not see it, and you do not '
    "see theirs.</p>"
)
SHARED_DEVICE = (
    '<p class="tw-consent-shared-device">This browser is set up for both of you. If you would '
    "rather decide where nobody else can see, use your own device or a private window.</p>"
)
LOAD_FAILED = "Your choice can't be shown just now. Please reload the page in a moment."


def day_text(moment: datetime) -> str:
    """Write a date the way people read it: ``3 March 2026``, whatever the kernel's locale."""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def status_text(status: ConsentStatus) -> str:
    """Say, in one or two sentences, which decision of the partner's own is in force."""
    if status.state is ConsentState.UNDECIDED or status.decided_at is None:
        return "You have not decided yet."
    day = day_text(status.decided_at)
    if status.state is ConsentState.DECLINED:
        return f"You declined on {day}."
    if status.state is ConsentState.WITHDRAWN:
        return f"You withdrew on {day}. Your check-ins are left out of every new export."
    said = f"You agreed on {day} (version {status.text_version})."
    if status.needs_reconsent:
        said += (
            " The text has changed since then, so your check-ins are not used for now. If you "
            "still agree, please read it again and say yes."
        )
    return said


class ConsentForm(W.VBox):
    """The consent text and this partner's own decision, with the choices that fit it.

    Parameters
    ----------
    engine
        The store.
    viewer
        The signed-in partner; ``None`` shows the text and a sign-in hint.
    """

    status = CaselessStrEnum(
        [s.value for s in ConsentState],
        default_value="undecided",
        help="This partner's own decision in force, as the page shows it.",
    )
    text_version = Unicode("", help="The version of the consent text this page shows.")

    def __init__(self, engine: Engine, viewer: Viewer | None) -> None:
        self.engine, self.viewer = engine, viewer
        super().__init__()
        self.add_class(f"tw-{FORM}")
        text = consent_text()
        self.text_version = text.version
        body = W.HTML(text.html, layout=W.Layout(width="100%"))
        body.add_class(f"tw-{FORM}-text")
        if viewer is None:
            self.children = [body, W.HTML(sign_in_hint("to say yes or no, or to withdraw."))]
            return
        self.status_line = W.HTML("")
        self.status_line.add_class(f"tw-{FORM}-status")
        self.buttons = {
            Decision.AGREE: button("Yes, I agree", f"tw-{FORM}-agree", style="primary"),
            Decision.DECLINE: button("No, thank you", f"tw-{FORM}-decline"),
            Decision.WITHDRAW: button("Withdraw my consent", f"tw-{FORM}-withdraw"),
        }
        for decision, b in self.buttons.items():
            b.on_click(lambda _, d=decision: self.decide(d))
        self.error = error_slot(FORM, "form")
        shared = [W.HTML(SHARED_DEVICE)] if len(viewer.device_names) == 2 else []
        self.children = [
            body,
            W.HTML(PRIVATE_NOTE),
            *shared,
            self.status_line,
            W.HBox(list(self.buttons.values())),
            self.error,
        ]
        self.refresh()

    @validate("text_version")
    def _known_version(self, proposal):
        # Only a version the kit has published may be recorded as what a partner read.
        if proposal["value"] not in (*TEXT_VERSIONS, consent_text().version):
            raise TraitError("Unknown consent text version.")
        return proposal["value"]

    def decide(self, decision: str) -> bool:
        """Record ``decision`` for the viewer; show a calm message and write nothing on error."""
        show_error(self.error, None)
        ok = attempt(
            self.error,
            (ConsentError,),
            record_decision,
            self.engine,
            self.viewer.partner_id,
            decision,
            self.text_version,
        )
        # Also after an error: a page left open elsewhere may have changed the decision.
        self.refresh(saved=ok)
        return ok

    def refresh(self, saved: bool = False) -> None:
        """Show the viewer's own decision in force and only the choices that fit it."""
        try:
            now = current_consent(self.engine, self.viewer.partner_id)
        except SQLAlchemyError:
            log.exception("loading a consent decision failed")
            show_error(self.error, LOAD_FAILED)
            for b in self.buttons.values():
                b.layout.display = "none"
            return
        self.status = now.state.value
        granted = now.state is ConsentState.GRANTED
        shown = {
            Decision.AGREE: not granted or now.needs_reconsent,
            Decision.DECLINE: now.state is ConsentState.UNDECIDED,
            Decision.WITHDRAW: granted,
        }
        for decision, b in self.buttons.items():
            b.layout.display = "" if shown[decision] else "none"
        thanks = "Saved. " if saved else ""
        self.status_line.value = f'<p role="status">{thanks}{esc(status_text(now))}</p>'
