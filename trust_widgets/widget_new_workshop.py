"""A form that creates a workshop and shows its join code and facilitator link once."""

from __future__ import annotations

import ipywidgets as W
from sqlalchemy import Engine
from traitlets import Int, Unicode, validate

from ._forms import attempt, button, clip, error_slot, show_error, text_input
from ._html import esc
from .widget_facilitator import ROOT
from .workshops import MIN_CELL_RANGE, WorkshopError, create_workshop


def secrets_html(join_code: str, key: str) -> str:
    """Show a new workshop's join code and private facilitator link."""
    link = f"{ROOT}tw/facilitate#{esc(key)}"
    return (
        '<div class="tw-new-workshop-done">'
        f'<p>Join code for couples: <strong class="tw-new-workshop-code">{esc(join_code)}'
        "</strong></p>"
        "<p>Your private facilitator link, shown only now. Bookmark it or copy it somewhere "
        "safe; anyone with it can see the workshop's group progress (never a couple's "
        f'answers): <a class="tw-new-workshop-link" href="{link}">open the dashboard</a></p>'
        "</div>"
    )


class NewWorkshopForm(W.VBox):
    """Name a workshop, choose the smallest group shown, and create it."""

    name = Unicode("", help="The workshop's name, shown to couples.")
    min_cell = Int(5, help="Counts below this are hidden on the dashboard.")
    workshop_id = Int(0, help="The id of the workshop this form created; 0 before.")

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._name = text_input("new-workshop", "name", "Workshop name")
        low, high = MIN_CELL_RANGE
        self._cell = W.BoundedIntText(
            value=5,
            min=low,
            max=high,
            description="Smallest group shown on the dashboard",
            style={"description_width": "initial"},
        )
        self._cell.add_class("tw-new-workshop-min-cell")
        self._error = error_slot("new-workshop", "name")
        self._create = button("Create the workshop", "tw-new-workshop-create", style="primary")
        self._result = W.HTML("")
        W.link((self._name, "value"), (self, "name"))
        W.link((self._cell, "value"), (self, "min_cell"))
        self._create.on_click(lambda _b: self.create())
        intro = W.HTML(
            "<h1>New workshop</h1><p>Couples join with the workshop's code. You follow the "
            "group's progress, in aggregate only, through a private link.</p>"
        )
        super().__init__(
            children=[intro, self._name, self._cell, self._error, self._create, self._result]
        )
        self.add_class("tw-new-workshop")

    @validate("name")
    def _clip_name(self, proposal):
        return clip(proposal["value"])

    @validate("min_cell")
    def _valid_cell(self, proposal):
        low, high = MIN_CELL_RANGE
        return min(high, max(low, int(proposal["value"])))

    def create(self) -> None:
        """Create the workshop and show its secrets once."""
        show_error(self._error, None)
        made = []
        ok = attempt(
            self._error,
            (WorkshopError,),
            lambda: made.append(
                create_workshop(self._engine, self.name, min_cell_size=self.min_cell)
            ),
        )
        if ok:
            new = made[0]
            self.workshop_id = new.id
            self._result.value = secrets_html(new.join_code, new.facilitator_key)
            self.name = ""
