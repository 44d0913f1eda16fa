"""The summary page's widget: the plan, and a printable download of it."""

from __future__ import annotations

import base64
import logging

import ipywidgets as W
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from ._forms import sign_in_hint
from .context import Viewer
from .summary import gather, plan_html, printable_page

log = logging.getLogger(__name__)


class SummaryPlan(W.VBox):
    """Show the couple's plan as this partner may see it, with a printable download."""

    def __init__(self, engine: Engine, viewer: Viewer | None, flagged: bool = False) -> None:
        super().__init__()
        self.add_class("tw-summary")
        if viewer is None:
            self.children = [W.HTML(sign_in_hint("to see your plan."))]
            return
        try:
            plan = gather(engine, viewer, flagged)
        except SQLAlchemyError:
            log.exception("building the summary failed")
            self.children = [
                W.HTML(
                    '<p class="tw-error">Your plan can\'t be shown just now. '
                    "Please reload the page in a moment.</p>"
                )
            ]
            return
        page = printable_page(plan, flagged)
        href = "data:text/html;base64," + base64.b64encode(page.encode()).decode()
        body = W.HTML(plan_html(plan))
        body.add_class("tw-summary-plan")
        download = W.HTML(
            f'<p><a class="tw-summary-download" download="our-plan.html" href="{href}">'
            "Download a printable copy</a> (open it and print, or save it as a PDF from "
            "your browser's print dialog)</p>"
        )
        self.children = [body, download]
