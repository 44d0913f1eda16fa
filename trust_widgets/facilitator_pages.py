"""The facilitator's pages, one function per notebook in ``notebooks/facilitator/``.

Every page but the new-workshop form opens only with a facilitator session (a cookie the
server sets for the private link), and only for that session's workshop. Nothing here can
sign anyone in as a partner: the session is looked up against workshops, never partners.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import ipywidgets as W
from sqlalchemy import Engine

from ._request import device_session
from .steps import STEPS
from .store.engine import get_engine
from .widget_facilitator import ROOT, FacilitatorPage, refused
from .workshops import WorkshopInfo

log = logging.getLogger(__name__)

PAGE_FAILED = '<p class="tw-error">This page could not be loaded. Please reload it in a moment.</p>'


def current_workshop(engine: Engine) -> WorkshopInfo | None:
    """Return the workshop whose facilitator session this browser holds, or ``None``."""
    from .facilitator_sessions import workshop_for_session

    return workshop_for_session(engine, device_session().facilitator_session)


def _gated(page: str, build: Callable[[Engine, WorkshopInfo], list[W.Widget]]) -> W.Widget:
    try:
        engine = get_engine(migrate=False)
        workshop = current_workshop(engine)
        if workshop is None:
            result = FacilitatorPage(page, None, [refused()])
        else:
            result = FacilitatorPage(page, workshop.name, build(engine, workshop))
    except Exception:
        log.exception("facilitator page %s failed to build", page)
        result = FacilitatorPage(page, None, [W.HTML(PAGE_FAILED)])
    result.ready = True
    return result


def dashboard_page() -> W.Widget:
    """The workshop's group progress: aggregates only, small groups hidden."""

    def build(engine: Engine, ws: WorkshopInfo) -> list[W.Widget]:
        from .widget_dashboard import Dashboard  # inside: a failed import shows the calm page

        def still_allowed() -> bool:
            current = current_workshop(engine)
            return current is not None and current.id == ws.id

        return [Dashboard(engine, ws, still_allowed=still_allowed)]

    return _gated("dashboard", build)


def presenter_page() -> W.Widget:
    """Each step's content for the room, following the workshop's session plan."""

    def build(_engine: Engine, ws: WorkshopInfo) -> list[W.Widget]:
        from .session_plan import default_plan, parse_plan
        from .widget_presenter import Presenter

        plan = parse_plan(ws.session_plan) if ws.session_plan else default_plan()
        return [Presenter(plan)]

    return _gated("presenter", build)


def handout_links() -> str:
    """Return the list of printable handouts, as HTML and PDF, for each step and the plan."""
    items = []
    for s in STEPS[1:]:
        label = f"{s.number}. {s.title}" if s.number <= 6 else s.title
        url = f"{ROOT}tw/handouts/step-{s.number}"
        items.append(
            f'<li>{label}: <a class="tw-handout-html" href="{url}.html" target="_blank" '
            f'rel="noopener">print (HTML)</a> · <a class="tw-handout-pdf" href="{url}.pdf" '
            'target="_blank" rel="noopener">PDF</a></li>'
        )
    return (
        '<section class="tw-handouts"><h2>Printable handouts</h2>'
        "<p>For couples without a device: one sheet per step, with the exercise on paper. "
        "They hold no personal data, so they can be printed in advance. Open the HTML "
        "version and use your browser's Print, or download the PDF.</p>"
        f"<ul>{''.join(items)}</ul></section>"
    )


def handouts_page() -> W.Widget:
    """Links to the printable handouts of each step."""
    return _gated("handouts", lambda _engine, _ws: [W.HTML(handout_links())])


def new_workshop_page() -> W.Widget:
    """A form that creates a workshop (served to this computer only; see the server)."""
    try:
        from .widget_new_workshop import NewWorkshopForm

        page = FacilitatorPage("new", None, [NewWorkshopForm(get_engine(migrate=False))])
    except Exception:
        log.exception("new workshop page failed to build")
        page = FacilitatorPage("new", None, [W.HTML(PAGE_FAILED)])
    page.ready = True
    return page
