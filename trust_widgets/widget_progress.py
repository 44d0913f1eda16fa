"""Step 6, practise patience: the couple's progress in figures and in plain words.

``flagged`` comes from this partner's own private safety check. It only narrows what this
partner sees (their own data, no comparison with the partner); it is never stored here and
never changes the other partner's page.
"""

from __future__ import annotations

import logging

import ipywidgets as W
import pandas as pd
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from ._forms import sign_in_hint
from ._html import esc
from .context import Viewer
from .figures import (
    calendar_figure,
    followthrough_figure,
    gap_figure,
    trajectory_figure,
    wins_figure,
)
from .progress_data import (
    ME,
    PARTNER,
    checkins_frame,
    describe_trend,
    followthrough_days,
    progress_highlights,
    trend_direction,
    weekly_followthrough,
    wins_frame,
)
from .store.entries import AccessError

log = logging.getLogger(__name__)
FORM = "progress"
SIGN_IN = sign_in_hint("to see how your check-ins add up over time.")
FAILED = (
    '<p class="tw-error" role="alert">Your progress can\'t be shown just now. Nothing you '
    "saved is lost. Please reload the page in a moment.</p>"
)
PATIENCE = (
    "<p>Trust grows back slowly, and not in a straight line: a hard day or a flat week is "
    "part of it. Look at the direction over weeks rather than at any single day.</p>"
)
NO_HIGHLIGHTS = (
    "Nothing stands out over the latest two weeks yet. That is normal: change takes time, "
    "and a flat stretch is not a failure."
)
WINS_ADVICE = (
    "<p>Acknowledge small wins, your own and each other's. Noticing them is part of rebuilding.</p>"
)
OWN_ONLY = "<p>This page shows your own check-ins, commitments and wins.</p>"
VIEWS = ("trajectory", "gap", "followthrough", "calendar", "wins")


def summary_html(checkins: pd.DataFrame) -> str:
    """Plain-words trend for each person in ``checkins`` (escaped), or how to start."""
    rated = checkins.dropna(subset=["trust"])
    if rated.empty:
        return (
            "<p>No check-ins yet. Your first daily check-in in step 4 starts your line; it "
            "takes under a minute.</p>"
        )
    end = rated["day"].max()
    lines = [
        describe_trend(who, person["name"].iloc[0], trend_direction(person, end=end))
        for who in (ME, PARTNER)
        if not (person := rated[rated["who"] == who]).empty
    ]
    items = "".join(f"<li>{esc(line)}</li>" for line in lines)
    return f"<ul>{items}</ul><p>These lines show change, not what caused it.</p>"


def highlights_html(checkins: pd.DataFrame, wins: pd.DataFrame) -> str:
    """The "acknowledge progress" box: real improvements and small wins, escaped."""
    found = progress_highlights(checkins)
    own = int((wins["who"] == ME).sum())
    if own:
        found.append(f"You have noted {own} small win{'s' if own != 1 else ''} so far.")
    theirs = wins[wins["who"] == PARTNER]
    if not theirs.empty:
        name = theirs["name"].iloc[0] or "Your partner"
        found.append(f"{name} has shared {len(theirs)} small win{'s' if len(theirs) != 1 else ''}.")
    body = (
        "<ul>" + "".join(f"<li>{esc(h)}</li>" for h in found) + "</ul>"
        if found
        else f"<p>{esc(NO_HIGHLIGHTS)}</p>"
    )
    return f"<h3>Progress worth acknowledging</h3>{body}"


class ProgressViews(W.VBox):
    """The couple's progress: trust over time, the gap, commitments kept, small wins.

    ``figures`` holds the built ``go.Figure`` objects by view name and ``outputs`` their
    ``W.HTML`` areas (class ``tw-progress-<view>``), which ``tw.js`` draws; a flagged
    partner gets no ``gap``.
    """

    def __init__(self, engine: Engine, viewer: Viewer | None, flagged: bool = False) -> None:
        super().__init__()
        self.add_class(f"tw-{FORM}")
        self.figures: dict = {}
        self.outputs: dict[str, W.HTML] = {}
        if viewer is None:
            self.children = [W.HTML(SIGN_IN)]
            return
        try:
            self.children = self._build(engine, viewer.partner_id, flagged)
        except (SQLAlchemyError, AccessError):
            log.exception("loading step 6 failed")
            self.figures, self.outputs = {}, {}
            self.children = [W.HTML(FAILED)]

    def _build(self, engine: Engine, partner_id: int, flagged: bool) -> list[W.Widget]:
        checkins = checkins_frame(engine, partner_id)
        days = followthrough_days(engine, partner_id)
        wins = wins_frame(engine, partner_id)
        if flagged:  # only this partner's own data; no comparison with the partner
            checkins, days, wins = (f[f["who"] == ME] for f in (checkins, days, wins))
        builders = {
            "trajectory": lambda: trajectory_figure(checkins),
            "gap": lambda: gap_figure(checkins),
            "followthrough": lambda: followthrough_figure(weekly_followthrough(days)),
            "calendar": lambda: calendar_figure(days),
            "wins": lambda: wins_figure(wins),
        }
        for view in VIEWS:
            if not (flagged and view == "gap"):
                self.figures[view] = builders[view]()
                self.outputs[view] = self._output(view, self.figures[view])
        summary = self._html(summary_html(checkins), "summary")
        highlights = self._html(highlights_html(checkins, wins), "highlights")
        intro = [W.HTML(PATIENCE)] + ([W.HTML(OWN_ONLY)] if flagged else [])
        return [
            *intro,
            summary,
            highlights,
            *(self.outputs[v] for v in VIEWS if v in self.outputs and v != "wins"),
            W.HTML(WINS_ADVICE),
            self.outputs["wins"],
        ]

    @staticmethod
    def _html(value: str, part: str) -> W.HTML:
        box = W.HTML(value)
        box.add_class(f"tw-{FORM}-{part}")
        return box

    @staticmethod
    def _output(view: str, fig) -> W.HTML:
        from ._plot_html import figure_html

        out = W.HTML(figure_html(fig), layout=W.Layout(width="100%"))
        out.add_class(f"tw-{FORM}-{view}")
        return out
