"""One function per page. Notebooks call these and display what they return."""

from __future__ import annotations

import logging
from collections.abc import Callable

import ipywidgets as W
from sqlalchemy import Engine, exists, select

from ._html import content
from .context import Viewer, current_viewer
from .steps import step
from .store.engine import get_engine, session_factory
from .store.models import Couple, IStatement, Workshop
from .widget_istatement import IStatementCoach
from .widget_shell import StepPage

log = logging.getLogger(__name__)
PAGE_FAILED = (
    '<p class="tw-error" role="alert">Something went wrong while loading this page. '
    "Nothing you saved is lost. Please reload the page in a moment.</p>"
)


def completed_steps(engine: Engine, viewer: Viewer | None) -> set[int]:
    """Return the steps this partner has completed (step 2: saved an I-statement)."""
    if viewer is None:
        return set()
    with session_factory(engine)() as s:
        wrote = s.scalar(select(exists().where(IStatement.author_id == viewer.partner_id)))
    return {2} if wrote else set()


def demo_available(engine: Engine) -> bool:
    """Tell whether the store holds a demo workshop with a couple in it."""
    with session_factory(engine)() as s:
        query = select(
            exists().where(Couple.workshop_id == Workshop.id, Workshop.is_demo.is_(True))
        )
        return bool(s.scalar(query))


def _page(number: int, build: Callable[[Engine, Viewer | None], list[W.Widget]]) -> W.Widget:
    try:
        engine = get_engine(migrate=False)
        viewer = current_viewer(engine)
        page = StepPage(number, viewer, build(engine, viewer), completed_steps(engine, viewer))
    except Exception:
        # The couple sees a calm message; the details go to the server log only.
        log.exception("page %s failed to build", number)
        page = StepPage(number, None, [W.HTML(PAGE_FAILED)])
    page.ready = True
    return page


def welcome_page() -> W.Widget:
    """The landing page: what the kit is, and how to start."""
    from .widget_welcome import WelcomeForms

    return _page(
        0,
        lambda engine, viewer: [
            W.HTML(content("00_welcome")),
            WelcomeForms(engine, viewer, demo_available=viewer is None and demo_available(engine)),
        ],
    )


def communication_page() -> W.Widget:
    """Step 2: open and honest communication, with the I-statement coach."""
    return _page(
        2,
        lambda engine, viewer: [
            W.HTML(content("02_communicate_openly")),
            IStatementCoach(engine, viewer),
            W.HTML(content("02_after")),
        ],
    )


def placeholder_page(number: int) -> W.Widget:
    """A clearly marked placeholder for a step that a later version builds."""
    title = step(number).title
    return _page(
        number,
        lambda engine, viewer: [
            W.HTML(
                f'<div class="tw-placeholder"><h2>{title}</h2><p><strong>Coming soon.</strong> '
                "This step is not built yet. "
                "You can already use step 2, “Communicate openly”.</p></div>"
            )
        ],
    )
