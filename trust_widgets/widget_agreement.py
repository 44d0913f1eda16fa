"""Step 3's agreement: propose, edit, confirm, and download a printable copy."""

from __future__ import annotations

import base64
import logging

import ipywidgets as W
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from . import agreement as agr
from ._forms import attempt, button, clip, error_slot, show_error, text_input
from ._html import esc
from .boundaries import BoundaryError
from .context import Viewer
from .store.entries import AccessError
from .store.models import AgreementItem

log = logging.getLogger(__name__)
FAILURES = (BoundaryError, AccessError)


class AgreementBox(W.VBox):
    """The couple's list of boundaries; each counts once both partners have confirmed it."""

    def __init__(self, engine: Engine, viewer: Viewer, other: str) -> None:
        super().__init__()
        self.engine, self.viewer, self.other = engine, viewer, other
        self.editing: int | None = None
        self.rows, self.printable = W.VBox(), W.HTML()
        self.text = text_input("agreement", "text", "Propose a boundary in your own words")
        self.error = error_slot("agreement", "text")
        self.add_button = button("Propose", "tw-save", "tw-agreement-add")
        self.add_button.on_click(lambda _: self.submit())
        self.children = [self.rows, self.text, self.add_button, self.error, self.printable]

    def _status(self, item: AgreementItem) -> str:
        if agr.agreed(item):
            return "Agreed by both of you"
        if self.viewer.partner_id not in item.confirmed_by:
            return "Waiting for your confirmation"
        return f"Waiting for {esc(self.other)}"

    def _row(self, item: AgreementItem) -> W.Widget:
        me = self.viewer.partner_id
        mine = me in (item.confirmed_by or [])
        confirm = button("Take back my confirmation" if mine else "Confirm", "tw-agreement-confirm")
        confirm.on_click(lambda _: self._act(agr.set_confirmed, item.id, not mine))
        parts = [
            W.HTML(f'<p class="tw-agreement-text">{esc(item.text)} '
                   f'<span class="tw-badge">{self._status(item)}</span></p>'),
            confirm,
        ]  # fmt: skip
        if item.author_id == me:
            edit = button("Edit", "tw-agreement-edit")
            edit.on_click(lambda _: self._edit(item))
            remove = button("Delete", "tw-agreement-delete")
            remove.on_click(lambda _: self._act(agr.delete_item, item.id))
            parts += [edit, remove]
        row = W.HBox(parts)
        row.add_class("tw-agreement-item")
        return row

    def _edit(self, item: AgreementItem) -> None:
        self.editing, self.text.value = item.id, item.text
        self.add_button.description = "Save the new wording (asks for confirmation again)"

    def _act(self, fn, *args) -> None:
        show_error(self.error, None)
        if attempt(self.error, FAILURES, fn, self.engine, self.viewer.partner_id, *args):
            self.refresh()

    def submit(self) -> None:
        """Propose a new boundary, or save the wording of the one being edited."""
        show_error(self.error, None)
        text = clip(self.text.value)
        args = (self.editing, text) if self.editing is not None else (text,)
        fn = agr.edit_item if self.editing is not None else agr.add_item
        if attempt(self.error, FAILURES, fn, self.engine, self.viewer.partner_id, *args):
            self.editing, self.text.value = None, ""
            self.add_button.description = "Propose"
            self.refresh()

    def refresh(self) -> None:
        """Reload the items and the printable copy (only boundaries both confirmed)."""
        try:
            couple_items = agr.items(self.engine, self.viewer.partner_id)
        except SQLAlchemyError:
            log.exception("loading the agreement failed")
            return
        self.rows.children = [self._row(item) for item in couple_items]
        names = [
            self.viewer.name,
            *([self.viewer.partner_name] if self.viewer.partner_name else []),
        ]
        page = agr.printable_html(names, [i.text for i in couple_items if agr.agreed(i)])
        href = "data:text/html;base64," + base64.b64encode(page.encode()).decode()
        self.printable.value = (
            f'<p><a class="tw-agreement-print" download="boundary-agreement.html" '
            f'href="{href}">Download the printable agreement</a></p>'
        )
