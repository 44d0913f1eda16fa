"""The shell of the facilitator's pages: header, links between them, and the ready marker.

Facilitator pages live in ``notebooks/facilitator/``, so the app's own routes are three
levels up from them. They never show a couple's name, text or answers: see
:mod:`trust_widgets.group_progress` for what the dashboard may count.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as W
from traitlets import Bool, CaselessStrEnum, observe

from ._html import esc
from .widget_shell import APP_NAME

ROOT = "../../../"  # from voila/render/facilitator/<page> back to the server's root
PAGES = (
    ("dashboard", "Dashboard", "dashboard.ipynb"),
    ("presenter", "Presenter view", "presenter.ipynb"),
    ("handouts", "Handouts", "handouts.ipynb"),
)
REFUSED = (
    "This page is for a workshop's facilitator. Open the private facilitator link you were "
    "given when the workshop was created. Lost it? On the server, run "
    "<code>trust-workshop workshop link --id N</code> for a new one."
)


def facilitator_header(current: str, workshop_name: str | None) -> str:
    """Return the header: the workshop's name, links to the other pages, and sign-out."""
    links = "".join(
        f'<li><a href="{href}"{" aria-current=page" if key == current else ""}>{label}</a></li>'
        for key, label, href in PAGES
    )
    who = (
        f'<p class="tw-who">Facilitating <strong>{esc(workshop_name)}</strong></p>'
        if workshop_name
        else ""
    )
    signout = (
        f'<form class="tw-facilitator-signout" method="post" '
        f'action="{ROOT}tw/facilitate/signout"><button type="submit">Sign out</button></form>'
        if workshop_name
        else ""
    )
    return (
        f'<header class="tw-header"><p class="tw-brand">{APP_NAME} · Facilitator</p>{who}'
        f'<nav class="tw-facilitator-nav" aria-label="Facilitator pages"><ul>{links}</ul></nav>'
        f"{signout}</header>"
    )


class FacilitatorPage(W.VBox):
    """A facilitator page: header, the page's own widgets, nothing about any one couple.

    Parameters
    ----------
    page
        Which facilitator page this is: ``dashboard``, ``presenter``, ``handouts`` or ``new``.
    workshop_name
        The workshop the facilitator key opened, or ``None`` when there is none.
    body
        The page's own widgets.
    """

    page = CaselessStrEnum(
        ["dashboard", "presenter", "handouts", "new"], help="Which facilitator page this is."
    )
    ready = Bool(False, help="True once the page's widgets are built.")

    def __init__(self, page: str, workshop_name: str | None, body: Sequence[W.Widget]) -> None:
        header = W.HTML(facilitator_header(page, workshop_name))
        super().__init__(children=[header, *body], page=page)
        self.add_class("tw-page")
        self.add_class("tw-facilitator")
        self.add_class(f"tw-facilitator-{self.page}")

    @observe("ready")
    def _mark_ready(self, change) -> None:
        if change["new"]:
            self.add_class("tw-ready")
        else:
            self.remove_class("tw-ready")


def refused() -> W.HTML:
    """The message for anyone who opens a facilitator page without the facilitator's key."""
    return W.HTML(f'<p class="tw-facilitator-refused tw-error">{REFUSED}</p>')
