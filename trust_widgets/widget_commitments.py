"""Step 4's commitment tracker: add, pause, resume and delete commitments; see the partner's."""

from __future__ import annotations

import logging

import ipywidgets as W
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from traitlets import Bool, CaselessStrEnum, Int, Unicode, validate

from . import checkins as C
from ._forms import STORE_FAILED, button, clip, error_slot, show_error, sign_in_hint, text_input
from ._html import esc
from .commitments import FREQUENCIES, FREQUENCY_VALUES
from .context import Viewer
from .store.entries import AccessError
from .store.models import Promise, Visibility

log = logging.getLogger(__name__)
FORM = "commit"
FREQUENCY_LABELS = {value: label for label, value in FREQUENCIES}
# The guide's own examples, as one-click starting points.
SUGGESTIONS: tuple[tuple[str, str], ...] = (
    ("Send a short message at lunchtime to check in", "weekdays"),
    ("Be on time, or say early if I'll be late", "daily"),
    ("Share my plans for the coming week", "weekly"),
)
SIGN_IN = sign_in_hint("to keep commitments.")


def commitment_html(promise: Promise, mine: bool) -> str:
    """Render one commitment; its title is escaped, its state spelled out."""
    how = esc(FREQUENCY_LABELS.get(promise.frequency, promise.frequency))
    badges = ""
    if mine:
        shared = promise.visibility == Visibility.SHARED
        badges += f'<span class="tw-badge">{"Shared" if shared else "Private: only you"}</span>'
    if not promise.active:  # for the partner's too: a paused one is not on their list today
        badges += ' <span class="tw-badge tw-commit-paused">Paused</span>'
    return f'<p class="tw-commitment">{esc(promise.title)} <em>({how})</em> {badges}</p>'


class CommitmentTracker(W.VBox):
    """List and manage this partner's commitments, and show the partner's shared ones.

    Parameters
    ----------
    engine
        The store.
    viewer
        The signed-in partner; ``None`` shows a sign-in hint instead.
    flagged
        This partner's private safety check raised a red flag: new commitments are private
        and no share option is offered. This form never shows or stores why.
    """

    title = Unicode("", help="The new commitment's wording, as typed.")
    frequency = CaselessStrEnum(
        sorted(FREQUENCY_VALUES), default_value="daily", help="How often it applies."
    )
    visibility = CaselessStrEnum(
        [v.value for v in Visibility], default_value="shared", help="Who may see it."
    )
    flagged = Bool(False, read_only=True, help="Offer no sharing; new commitments are private.")
    revision = Int(0, help="Goes up after every change, so a page can refresh its check-in.")

    def __init__(self, engine: Engine, viewer: Viewer | None, flagged: bool = False) -> None:
        self.engine, self.viewer = engine, viewer
        super().__init__()
        self.set_trait("flagged", bool(flagged))
        self.add_class(f"tw-{FORM}")
        if viewer is None:
            self.children = [W.HTML(SIGN_IN)]
            return
        if self.flagged:
            self.visibility = "private"
        other = viewer.partner_name or "your partner"
        self.errors = {f: error_slot(FORM, f) for f in ("title", "frequency", "list")}
        self.title_input = text_input(
            FORM, "title", "A commitment, in your words", placeholder="e.g. Text when I leave work"
        )
        W.link((self.title_input, "value"), (self, "title"))
        self.frequency_input = W.Dropdown(
            options=FREQUENCIES, description="How often", style={"description_width": "initial"}
        )
        for cls in ("tw-field", f"tw-{FORM}-frequency"):
            self.frequency_input.add_class(cls)
        W.link((self.frequency_input, "value"), (self, "frequency"))
        share: list[W.Widget] = []
        if not self.flagged:  # no share option at all, not merely a hidden one
            self.visibility_input = W.RadioButtons(
                options=[(f"Shared with {other}", "shared"), ("Only me (private)", "private")],
                description="Who can see it",
                style={"description_width": "initial"},
            )
            self.visibility_input.add_class(f"tw-{FORM}-visibility")
            W.link((self.visibility_input, "value"), (self, "visibility"))
            share = [self.visibility_input]
        suggestions = []
        for text, frequency in SUGGESTIONS:
            b = button(text, f"tw-{FORM}-suggestion")
            b.on_click(lambda _, t=text, f=frequency: self.suggest(t, f))
            suggestions.append(b)
        add = button("Add commitment", "tw-save", f"tw-{FORM}-add", style="primary")
        add.on_click(lambda _: self.add())
        self.status = W.HTML("")
        self.status.add_class(f"tw-{FORM}-status")
        self.mine_box, self.theirs_box = W.VBox(), W.VBox()
        self.mine_box.add_class(f"tw-{FORM}-mine")
        self.theirs_box.add_class(f"tw-{FORM}-theirs")
        self.children = [
            W.HTML("<h3>Your commitments</h3>"),
            self.mine_box,
            self.errors["list"],
            W.HTML("<h3>Add one</h3><p>Small and concrete works best. Ideas to start from:</p>"),
            W.Box(suggestions, layout=W.Layout(flex_flow="row wrap")),
            self.title_input,
            self.errors["title"],
            self.frequency_input,
            self.errors["frequency"],
            *share,
            add,
            self.status,
            W.HTML(f"<h3>Shared by {esc(other)}</h3>"),
            self.theirs_box,
        ]
        self.refresh()

    @validate("title")
    def _clip(self, proposal):
        return clip(proposal["value"])

    def suggest(self, text: str, frequency: str) -> None:
        """Fill the form with a suggestion; the partner can reword it before adding."""
        self.title, self.frequency = text, frequency

    def add(self) -> Promise | None:
        """Add the commitment in the form; show problems next to the fields."""
        visibility = "private" if self.flagged else self.visibility
        promise = self._try(
            C.add_commitment, self.title, self.frequency, visibility, slot=self.errors["title"]
        )
        if promise is not None:
            self.title = ""
            self.status.value = '<p class="tw-saved" role="status">Added.</p>'
        return promise

    def set_active(self, promise_id: int, active: bool) -> None:
        """Pause or resume one of the partner's own commitments."""
        self._try(C.set_commitment_active, promise_id, active)

    def delete(self, promise_id: int) -> None:
        """Delete one of the partner's own commitments."""
        if self._try(C.delete_commitment, promise_id, done=True) is not None:
            self.status.value = '<p class="tw-saved" role="status">Deleted.</p>'

    def _try(self, fn, *args, slot: W.HTML | None = None, done: bool = False):
        """Run one store call; on success refresh and return its result (``done`` if None)."""
        for s in self.errors.values():
            show_error(s, None)
        slot = slot or self.errors["list"]
        try:
            result = fn(self.engine, self.viewer.partner_id, *args)
        except C.CheckInError as exc:
            show_error(self.errors.get(exc.field, slot), str(exc))
        except AccessError as exc:
            show_error(slot, str(exc))
        except SQLAlchemyError:
            log.exception("step 4: %s failed", fn.__name__)
            show_error(slot, STORE_FAILED)
        else:
            self.revision += 1
            self.refresh()
            return done if result is None else result
        self.status.value = ""
        return None

    def refresh(self) -> None:
        """Reload the commitments this partner may see."""
        try:
            entries = C.commitments_for(self.engine, self.viewer.partner_id)
        except (SQLAlchemyError, AccessError):
            log.exception("loading commitments failed")
            show_error(self.errors["list"], "Your commitments can't be shown just now.")
            return
        me = self.viewer.partner_id
        self.mine_box.children = [self._row(p) for p in entries if p.author_id == me] or [
            W.HTML('<p class="tw-empty">None yet. One small commitment is a good start.</p>')
        ]
        theirs = [W.HTML(commitment_html(p, mine=False)) for p in entries if p.author_id != me]
        self.theirs_box.children = theirs or [
            W.HTML('<p class="tw-empty">Nothing shared with you yet.</p>')
        ]

    def _row(self, promise: Promise) -> W.Widget:
        toggle = button(
            "Pause" if promise.active else "Resume",
            f"tw-{FORM}-pause" if promise.active else f"tw-{FORM}-resume",
        )
        toggle.on_click(lambda _: self.set_active(promise.id, not promise.active))
        remove = button("Delete", f"tw-{FORM}-delete")

        def confirm(_):
            if remove.description == "Delete":
                remove.description, remove.button_style = "Really delete?", "danger"
            else:
                self.delete(promise.id)

        remove.on_click(confirm)
        row = W.HBox(
            [W.HTML(commitment_html(promise, mine=True)), toggle, remove],
            layout=W.Layout(flex_flow="row wrap", align_items="center"),
        )
        row.add_class(f"tw-{FORM}-entry")
        return row
