"""The facilitator dashboard: a workshop's group progress, and its join and status controls.

Everything drawn here comes from :func:`trust_widgets.released_progress.released`: the
day's released figures, with small cells already suppressed, and the live headcounts. The
widget adds no per-couple data.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta

import ipywidgets as W
from IPython.display import display
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from traitlets import Bool, CaselessStrEnum, Unicode

from ._forms import STORE_FAILED, attempt, button, error_slot, show_error
from ._html import esc
from .group_progress import GroupProgress
from .released_progress import Release, released
from .store.models import WorkshopStatus
from .suppression import suppressed_label
from .workshops import WorkshopError, WorkshopInfo, replace_join_code, set_status

log = logging.getLogger(__name__)

FORM = "dashboard"
VIEWS = ("funnel", "participation", "trust", "topics")
STATUS_TEXT = {
    "open": "Open: couples can join with the workshop's code.",
    "closed": "Closed to new couples. Couples already in carry on.",
    "archived": "Archived: the workshop is over and its code no longer works.",
}
RETIRED = (
    "This facilitator link has been replaced or the workshop is gone. Open the new link; "
    "nothing was changed."
)
PRIVACY = (
    '<p class="tw-dashboard-privacy">You see the group as a whole: counts of couples, '
    "never a couple's answers, notes or names. Groups smaller than {k} are hidden, and so "
    "is any number they could be worked out from. Ratings and topics count only what couples "
    "chose to share with each other.</p>"
)
RELEASE = (
    '<p class="tw-dashboard-release">Who is here is counted live. Everything else is '
    "updated once a day, just after midnight (UTC), and covers the days up to {last}: then "
    "no refresh can show what one partner did a moment ago. Today's activity appears "
    "tomorrow.</p>"
)
REVOKED = (
    "Every device signed in with this workshop's facilitator link, this one too, is now "
    "signed out. Open your private link again to carry on."
)


def _count(value: int | None, k: int) -> str:
    return str(value) if value is not None else suppressed_label(k)


def joined_html(progress: GroupProgress) -> str:
    """Return the headline counts: couples joined, with both partners, active lately."""
    c, k = progress.counts, progress.k
    return (
        "<h2>Who is here</h2><ul>"
        f"<li>Couples joined: <strong>{_count(c.joined, k)}</strong></li>"
        f"<li>Couples with both partners in: <strong>{_count(c.both_joined, k)}</strong></li>"
        f"<li>Couples active in the last {c.window_days} days: "
        f"<strong>{_count(c.active, k)}</strong></li></ul>"
    )


class Dashboard(W.VBox):
    """Group progress for one workshop, with its status controls and a new join code."""

    status = CaselessStrEnum(
        [s.value for s in WorkshopStatus], help="The workshop's status as this page knows it."
    )
    join_code = Unicode("", help="A join code made on this page; shown once.")
    confirm_archive = Bool(False, help="True after the first click on Archive.")

    def __init__(
        self,
        engine: Engine,
        workshop: WorkshopInfo,
        today: date | None = None,
        still_allowed: Callable[[], bool] = lambda: True,
    ) -> None:
        # Asked before every change: a key replaced since the page opened must stop working.
        self._allowed = still_allowed
        self._engine, self._id, self._k, self._today = (
            engine,
            workshop.id,
            workshop.min_cell_size,
            today,
        )
        self.figures: dict = {}
        self._status = W.HTML()
        self._status.add_class(f"tw-{FORM}-status")
        self._error = error_slot(FORM, "status")
        self._buttons = {
            "close": button("Close to new couples", f"tw-{FORM}-close"),
            "reopen": button("Reopen", f"tw-{FORM}-reopen"),
            "archive": button("Archive", f"tw-{FORM}-archive", style="warning"),
            "code": button("Show a new join code", f"tw-{FORM}-new-code"),
            "refresh": button("Refresh the numbers", f"tw-{FORM}-refresh", style="primary"),
            "revoke": button("Sign out every facilitator device", f"tw-{FORM}-revoke"),
        }
        self._buttons["close"].on_click(lambda _b: self.move("closed"))
        self._buttons["reopen"].on_click(lambda _b: self.move("open"))
        self._buttons["archive"].on_click(lambda _b: self.archive())
        self._buttons["code"].on_click(lambda _b: self.new_code())
        self._buttons["refresh"].on_click(lambda _b: self.refresh())
        self._buttons["revoke"].on_click(lambda _b: self.revoke_sessions())
        self._code = W.HTML()
        self._code.add_class(f"tw-{FORM}-code")
        self._body = W.VBox()
        controls = W.HBox(list(self._buttons.values()), layout=W.Layout(flex_flow="row wrap"))
        super().__init__(
            children=[self._status, controls, self._error, self._code, self._body],
            status=WorkshopStatus(workshop.status).value,
        )
        self.add_class(f"tw-{FORM}")
        self._show_status()
        self.refresh()

    def refresh(self) -> None:
        """Read the live headcounts and the day's release again, and redraw every view."""
        from . import group_figures as F

        try:
            release: Release = released(self._engine, self._id, self._k, self._today)
        except (SQLAlchemyError, ValueError):
            log.exception("loading the dashboard failed")
            show_error(self._error, STORE_FAILED)
            return
        progress = release.progress
        last = release.day - timedelta(days=1)
        self.figures = {
            "funnel": [F.funnel_figure(progress.funnel)],
            "participation": [F.participation_figure(progress.participation)],
            "trust": F.trust_figures(progress.trust),
            "topics": [F.topics_figure(progress.topics)],
        }
        joined = W.HTML(joined_html(progress))
        joined.add_class(f"tw-{FORM}-joined")
        note = W.HTML(RELEASE.format(last=f"{last:%A %d %B %Y}"))
        self._body.children = [
            W.HTML(PRIVACY.format(k=self._k)),
            note,
            joined,
            *(self._output(view, self.figures[view]) for view in VIEWS),
        ]

    @staticmethod
    def _output(view: str, figs: list) -> W.Output:
        out = W.Output(layout=W.Layout(width="100%"))
        out.add_class(f"tw-{FORM}-{view}")
        # Plain go.Figure: drawn by the page's plotly mime renderer, lighter than FigureWidget.
        with out:
            for fig in figs:
                display(fig)
        return out

    def _show_status(self) -> None:
        self._status.value = f"<p><strong>{esc(STATUS_TEXT[self.status])}</strong></p>"
        live = self.status != "archived"
        self._buttons["close"].layout.display = None if self.status == "open" else "none"
        self._buttons["reopen"].layout.display = None if self.status == "closed" else "none"
        self._buttons["archive"].layout.display = None if live else "none"
        self._buttons["code"].layout.display = None if self.status == "open" else "none"
        self._buttons["archive"].description = (
            "Yes, archive for good" if self.confirm_archive else "Archive"
        )

    def _refuse_if_retired(self) -> bool:
        show_error(self._error, None)
        try:
            allowed = self._allowed()
        except SQLAlchemyError:
            log.exception("checking the facilitator key failed")
            show_error(self._error, STORE_FAILED)
            return True
        if not allowed:
            show_error(self._error, RETIRED)
        return not allowed

    def move(self, status: str) -> None:
        """Close the workshop to new couples, or reopen it."""
        if self._refuse_if_retired():
            return
        done = []
        if attempt(
            self._error,
            (WorkshopError, ValueError),
            lambda: done.append(set_status(self._engine, self._id, status)),
        ):
            self.status = done[0].status.value
            self.confirm_archive = False
            if self.status != "open":
                self.join_code = ""
                self._code.value = ""
        self._show_status()

    def revoke_sessions(self) -> None:
        """Sign every facilitator device of this workshop out, this one included."""
        if self._refuse_if_retired():
            return
        from .facilitator_sessions import revoke_sessions

        if attempt(self._error, (), lambda: revoke_sessions(self._engine, self._id)):
            show_error(self._error, REVOKED)

    def archive(self) -> None:
        """Archive on the second click: the first asks to confirm."""
        if not self.confirm_archive:
            self.confirm_archive = True
            self._show_status()
            return
        self.move("archived")

    def new_code(self) -> None:
        """Make a new join code for the room (the old one stops working)."""
        if self._refuse_if_retired():
            return
        made = []
        if attempt(
            self._error,
            (WorkshopError,),
            lambda: made.append(replace_join_code(self._engine, self._id)),
        ):
            self.join_code = made[0]
            self._code.value = (
                "<p>New join code for couples (the old one no longer works): "
                f'<strong class="tw-dashboard-join-code">{esc(self.join_code)}</strong></p>'
            )
