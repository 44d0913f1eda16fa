"""The I-statement coach for step 2: write, get gentle feedback, save, edit, delete."""

from __future__ import annotations

import logging
import re

import ipywidgets as W
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from traitlets import CaselessStrEnum, Int, List, Unicode, observe, validate

from ._forms import STORE_FAILED, button, clip, error_slot, show_error, sign_in_hint, text_input
from ._html import esc
from .coach import Flag, compose_statement, detect_blame
from .context import Viewer
from .store.entries import AccessError, delete_entry, save_istatement, visible_entries
from .store.models import IStatement, Visibility

log = logging.getLogger(__name__)
FORM = "istatement"
FIELDS = ("feel", "when", "because", "need")
LABELS = {
    "feel": "I feel…",
    "when": "when…",
    "because": "because… (optional)",
    "need": "I need… (optional)",
}
_WHEN_IN_SUGGESTION = re.compile(r"\bwhen (?P<when>[^\[\],]+?), because", re.IGNORECASE)


def flags_html(flags: list[Flag]) -> str:
    """Render flags as a gentle list; every piece of user text is escaped."""
    if not flags:
        return ""
    items = "".join(
        f'<li class="tw-flag tw-flag-{esc(f.kind)}"><strong>{esc(f.label)}</strong> '
        f"<q>{esc(f.match)}</q><br>{esc(f.explanation)}"
        f'<br><span class="tw-suggestion">Try: {esc(f.suggestion)}</span></li>'
        for f in flags
    )
    return f'<ul class="tw-flags" aria-live="polite">{items}</ul>'


def entry_html(entry: IStatement, mine: bool) -> str:
    """Render one saved statement, escaped, with its visibility spelled out."""
    badge = "Shared" if entry.visibility == Visibility.SHARED else "Private: only you"
    badge_html = f'<span class="tw-badge">{badge}</span> ' if mine else ""
    return f'<p class="tw-statement">{badge_html}{esc(entry.text)}</p>'


class IStatementCoach(W.VBox):
    """Build "I feel … when … because … I need …" statements, with a blame coach.

    Parameters
    ----------
    engine
        The store.
    viewer
        The signed-in partner; ``None`` shows a sign-in hint instead of the form.
    flagged
        This partner's private safety check raised a red flag: offer no sharing.
    """

    draft = Unicode("", help="Free-form draft that the coach checks as the user types.")
    feel = Unicode("", help="The feeling: 'I feel …'.")
    when = Unicode("", help="The situation: 'when …'.")
    because = Unicode("", help="Why it matters: 'because …'.")
    need = Unicode("", help="The request: 'I need …'.")
    visibility = CaselessStrEnum(
        [v.value for v in Visibility], default_value="private", help="Who may read the statement."
    )
    editing_id = Int(None, allow_none=True, help="The statement being edited, or None.")
    flag_kinds = List(help="Kinds of blaming pattern found in the draft.")

    def __init__(self, engine: Engine, viewer: Viewer | None, flagged: bool = False) -> None:
        self.engine, self.viewer, self.flagged = engine, viewer, flagged
        super().__init__()
        self.add_class(f"tw-{FORM}")
        if viewer is None:
            self.children = [W.HTML(sign_in_hint("to write and save statements."))]
            return
        self.inputs = {
            "draft": text_input(
                FORM,
                "draft",
                "What's on your mind? Write it as it comes.",
                area=True,
                placeholder="e.g. You never text me back",
            ),
            **{f: text_input(FORM, f, LABELS[f]) for f in FIELDS},
        }
        self.errors = {f: error_slot(FORM, f) for f in (*FIELDS, "visibility", "form")}
        for name, widget in self.inputs.items():
            W.link((widget, "value"), (self, name))
        self.flags_box = W.HTML("", layout=W.Layout(width="100%"))
        self.flags_box.add_class(f"tw-{FORM}-flags")
        self.use_suggestion = button("Start from this suggestion", f"tw-{FORM}-use-suggestion")
        self.use_suggestion.layout.display = "none"
        self.use_suggestion.on_click(lambda _: self._use_suggestion())
        self.preview = W.HTML("")
        self.preview.add_class(f"tw-{FORM}-preview")
        other = viewer.partner_name or "my partner"
        self.visibility_input = W.RadioButtons(
            options=[("Only me (private)", "private"), (f"Share with {other}", "shared")],
            description="Who can read it",
            style={"description_width": "initial"},
        )
        self.visibility_input.add_class(f"tw-{FORM}-visibility")
        if flagged:  # the kit stops prompting this partner to share
            self.visibility_input.layout.display = "none"
            self.visibility_note = W.HTML(
                '<p class="tw-hint">Your statements are saved privately. Saving an older '
                "shared statement again makes it private.</p>"
            )
        W.link((self.visibility_input, "value"), (self, "visibility"))
        self.save_button = button("Save statement", "tw-save", f"tw-{FORM}-save", style="primary")
        self.save_button.on_click(lambda _: self.save())
        self.cancel_button = button("Cancel editing", f"tw-{FORM}-cancel")
        self.cancel_button.layout.display = "none"
        self.cancel_button.on_click(lambda _: self.reset())
        self.status = W.HTML("")
        self.status.add_class(f"tw-{FORM}-status")
        self.mine_box, self.theirs_box = W.VBox(), W.VBox()
        self.mine_box.add_class(f"tw-{FORM}-mine")
        self.theirs_box.add_class(f"tw-{FORM}-theirs")
        self.children = [
            W.HTML("<h3>1. Get it out</h3>"),
            self.inputs["draft"],
            self.flags_box,
            self.use_suggestion,
            W.HTML("<h3>2. Shape it into an I-statement</h3>"),
            *[w for f in FIELDS for w in (self.inputs[f], self.errors[f])],
            self.preview,
            self.visibility_input,
            *([self.visibility_note] if flagged else []),
            self.errors["visibility"],
            W.HBox([self.save_button, self.cancel_button]),
            self.errors["form"],
            self.status,
            W.HTML("<h3>Your statements</h3>"),
            self.mine_box,
            W.HTML(f"<h3>Shared by {esc(other)}</h3>"),
            self.theirs_box,
        ]
        self.refresh()

    @validate("visibility")
    def _private_when_flagged(self, proposal):
        # Hidden is not enough: a page user could still set the radio's value.
        return "private" if getattr(self, "flagged", False) else proposal["value"].lower()

    @validate("draft", "feel", "when", "because", "need")
    def _clip(self, proposal):
        return clip(proposal["value"])

    @observe("draft")
    def _check_draft(self, change) -> None:
        flags = detect_blame(change["new"])
        self.flag_kinds = [f.kind for f in flags]
        self._flags = flags
        if hasattr(self, "flags_box"):
            self.flags_box.value = flags_html(flags)
            self.use_suggestion.layout.display = "" if self._suggested_when() else "none"

    @observe(*FIELDS)
    def _update_preview(self, _change) -> None:
        if not hasattr(self, "preview"):
            return
        if not (self.feel.strip() and self.when.strip()):
            self.preview.value = (
                '<p class="tw-hint">Fill in "I feel" and "when" to see your statement.</p>'
            )
            return
        text = compose_statement(self.feel, self.when, self.because, self.need)
        still = flags_html(detect_blame(text))
        self.preview.value = f'<blockquote class="tw-preview">{esc(text)}</blockquote>{still}'

    def _suggested_when(self) -> str:
        for flag in getattr(self, "_flags", []):
            m = _WHEN_IN_SUGGESTION.search(flag.suggestion)
            if m:
                return m.group("when").strip()
        return ""

    def _use_suggestion(self) -> None:
        self.when = self._suggested_when() or self.when

    def save(self) -> IStatement | None:
        """Validate and save; show messages next to fields and write nothing on error."""
        # pydantic loads on the first save, not with the page: it is a large share of a
        # page kernel's memory, and many visits only read.
        from pydantic import ValidationError

        from .schemas import IStatementIn, field_errors

        for slot in self.errors.values():
            show_error(slot, None)
        try:
            data = IStatementIn(**{f: getattr(self, f) for f in FIELDS}, visibility=self.visibility)
            entry = save_istatement(self.engine, self.viewer.partner_id, data, self.editing_id)
        except ValidationError as exc:
            for field, message in field_errors(exc).items():
                show_error(self.errors.get(field, self.errors["form"]), message)
            self.status.value = ""
            return None
        except AccessError as exc:
            show_error(self.errors["form"], str(exc))
            return None
        except SQLAlchemyError:
            log.exception("saving an I-statement failed")
            show_error(self.errors["form"], STORE_FAILED)
            return None
        shared = entry.visibility == Visibility.SHARED
        how = "and shared" if shared else "privately"
        self.status.value = f'<p class="tw-saved" role="status">Saved {how}.</p>'
        self.reset(keep_status=True)
        return entry

    def edit(self, entry: IStatement) -> None:
        """Load one of the partner's own statements into the form."""
        self.editing_id = entry.id
        self.feel, self.when, self.because, self.need = (
            entry.feel,
            entry.when,
            entry.because,
            entry.need,
        )
        self.visibility = entry.visibility.value
        self.save_button.description = "Save changes"
        self.cancel_button.layout.display = ""

    def delete(self, entry_id: int) -> None:
        """Delete one of the partner's own statements."""
        try:
            delete_entry(self.engine, self.viewer.partner_id, IStatement, entry_id)
        except AccessError as exc:
            show_error(self.errors["form"], str(exc))
            return
        except SQLAlchemyError:
            log.exception("deleting an I-statement failed")
            show_error(self.errors["form"], STORE_FAILED)
            return
        self.status.value = '<p class="tw-saved" role="status">Deleted.</p>'
        if self.editing_id == entry_id:
            self.reset(keep_status=True)
        self.refresh()

    def reset(self, keep_status: bool = False) -> None:
        """Clear the form and leave editing mode."""
        self.editing_id = None
        self.draft = self.feel = self.when = self.because = self.need = ""
        self.visibility = "private"
        self.save_button.description = "Save statement"
        self.cancel_button.layout.display = "none"
        if not keep_status:
            self.status.value = ""
        self.refresh()

    def refresh(self) -> None:
        """Reload the statements this partner may see."""
        try:
            entries = visible_entries(self.engine, self.viewer.partner_id, IStatement)
        except SQLAlchemyError:
            log.exception("loading I-statements failed")
            show_error(
                self.errors["form"],
                "Your statements can't be shown just now. Please reload the page in a moment.",
            )
            return
        mine = [e for e in entries if e.author_id == self.viewer.partner_id]
        theirs = [e for e in entries if e.author_id != self.viewer.partner_id]
        self.mine_box.children = [self._row(e) for e in mine] or [
            W.HTML('<p class="tw-empty">No statements yet. Your first one can be short.</p>')
        ]
        self.theirs_box.children = [W.HTML(entry_html(e, mine=False)) for e in theirs] or [
            W.HTML('<p class="tw-empty">Nothing shared with you yet.</p>')
        ]

    def _row(self, entry: IStatement) -> W.Widget:
        edit = button("Edit", f"tw-{FORM}-edit")
        edit.on_click(lambda _: self.edit(entry))
        remove = button("Delete", f"tw-{FORM}-delete")

        def confirm(_):
            if remove.description == "Delete":
                remove.description, remove.button_style = "Really delete?", "danger"
            else:
                self.delete(entry.id)

        remove.on_click(confirm)
        row = W.HBox([W.HTML(entry_html(entry, mine=True)), edit, remove])
        row.add_class(f"tw-{FORM}-entry")
        return row
