"""One function per page. Notebooks call these and display what they return.

Each partner page function returns a :class:`~.navigation.WorkshopApp` that opens on its
page and moves to the others in place; the builders below make one page each.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import ipywidgets as W
from sqlalchemy import Engine, exists, select

from ._forms import sign_in_hint
from ._html import content, content_for
from ._request import device_session
from .context import Viewer, current_viewer
from .identity import guard_writes
from .steps import CONSENT_NOTEBOOK, SAFETY_NOTEBOOK, STEPS, step
from .store.engine import get_engine, session_factory
from .store.models import Boundary, CheckIn, Couple, IStatement, Reflection, Workshop
from .widget_shell import StepPage

log = logging.getLogger(__name__)
PAGE_FAILED = (
    '<p class="tw-error" role="alert">Something went wrong while loading this page. '
    "Nothing you saved is lost. Please reload the page in a moment.</p>"
)


def completed_steps(engine: Engine, viewer: Viewer | None) -> set[int]:
    """Return the steps this partner has done something in, for the ticks in the header."""
    if viewer is None:
        return set()
    me = viewer.partner_id
    checks = {
        1: exists().where(Reflection.author_id == me, Reflection.step == 1),
        2: exists().where(IStatement.author_id == me),
        3: exists().where(Boundary.author_id == me),
        4: exists().where(CheckIn.author_id == me),
        5: exists().where(Reflection.author_id == me, Reflection.step == 5),
    }
    with session_factory(engine)() as s:
        return {n for n, query in checks.items() if s.scalar(select(query))}


def demo_available(engine: Engine) -> bool:
    """Tell whether the store holds a demo workshop with a couple in it."""
    with session_factory(engine)() as s:
        query = select(
            exists().where(Couple.workshop_id == Workshop.id, Workshop.is_demo.is_(True))
        )
        return bool(s.scalar(query))


def _page(
    number: int | None,
    build: Callable[[Engine, Viewer | None], list[W.Widget]],
    aside: str = "safety",
) -> W.Widget:
    try:
        engine = get_engine(migrate=False)
        viewer = current_viewer(engine)
        # Every write of this page first checks that its partner is still signed in.
        guard_writes(engine, device_session().active_token if viewer else None)
        page = StepPage(
            number, viewer, build(engine, viewer), completed_steps(engine, viewer), aside
        )
    except Exception:
        # The couple sees a calm message; the details go to the server log only.
        log.exception("page %s failed to build", number)
        page = StepPage(number, None, [W.HTML(PAGE_FAILED)], aside=aside)
    page.ready = True
    return page


def _welcome() -> W.Widget:
    """The landing page: what the kit is, and how to start."""
    from .widget_welcome import WelcomeForms

    return _page(
        0,
        lambda engine, viewer: [
            W.HTML(content("00_welcome")),
            WelcomeForms(engine, viewer, demo_available=viewer is None and demo_available(engine)),
        ],
    )


def _gated(engine: Engine, viewer: Viewer | None, make) -> W.Widget:
    """The step's widget, behind this partner's private safety check when they are signed in."""
    if viewer is None:
        return make(False)
    from .widget_safety import SafetyGate

    return SafetyGate(engine, viewer, make)


def _gated_step(number: int, form) -> W.Widget:
    """A step page: its text, its form behind the safety check, and its closing words.

    ``form(engine, viewer, flagged)`` builds the step's widget.
    """
    intro = step(number).notebook.removesuffix(".ipynb")

    def page(engine: Engine, viewer: Viewer | None, flagged: bool) -> W.Widget:
        # The words move with the form: a flagged partner gets texts without joint prompts.
        return W.VBox([
            W.HTML(content_for(intro, flagged)),
            form(engine, viewer, flagged),
            W.HTML(content_for(f"{number:02d}_after", flagged)),
        ])  # fmt: skip

    return _page(
        number, lambda engine, viewer: [_gated(engine, viewer, lambda f: page(engine, viewer, f))]
    )


def _roots() -> W.Widget:
    """Step 1: understand the root of the trust issues, in private reflection."""
    from .widget_roots import RootsReflection

    return _gated_step(1, RootsReflection)


def _communication() -> W.Widget:
    """Step 2: open and honest communication, with the I-statement coach."""
    from .widget_istatement import IStatementCoach

    return _gated_step(2, IStatementCoach)


def _boundaries() -> W.Widget:
    """Step 3: set healthy boundaries, with the private answers and the mutual reveal."""
    from .widget_boundaries import BoundaryBuilder

    return _gated_step(3, BoundaryBuilder)


def _help() -> W.Widget:
    """Step 5: consider professional help, with resources for the partner's region."""
    from .widget_help import HelpPlanner, guidance_html

    def build(engine: Engine, viewer: Viewer | None) -> list[W.Widget]:
        flagged = _flagged(engine, viewer)
        return [
            W.HTML(guidance_html(flagged)),  # without the couples-therapy part when flagged
            HelpPlanner(engine, viewer, flagged),
            W.HTML(content("05_after")),
        ]

    return _page(5, build)


def _consistency() -> W.Widget:
    """Step 4: be consistent and transparent: commitments and the daily check-in."""
    from .widget_checkin import DailyCheckIn
    from .widget_commitments import CommitmentTracker

    def form(engine: Engine, viewer: Viewer | None, flagged: bool) -> W.Widget:
        tracker, checkin = (
            CommitmentTracker(engine, viewer, flagged),
            DailyCheckIn(engine, viewer, flagged),
        )
        if viewer is not None:  # a new or paused commitment changes what today's check-in asks
            tracker.observe(lambda _: checkin.refresh_commitments(), "revision")
        return W.VBox([tracker, checkin])

    return _gated_step(4, form)


def _flagged(engine: Engine, viewer: Viewer | None) -> bool:
    """Whether this partner's own safety check raised a red flag (never anyone else's)."""
    if viewer is None:
        return False
    from .safety import SafetyStatus, safety_status

    return safety_status(engine, viewer.partner_id) == SafetyStatus.FLAGGED


def _patience() -> W.Widget:
    """Step 6: practise patience, with views of the couple's progress."""
    from .widget_progress import ProgressViews

    return _page(
        6,
        lambda engine, viewer: [
            W.HTML(content("06_patience")),
            ProgressViews(engine, viewer, _flagged(engine, viewer)),
            W.HTML(content("06_after")),
        ],
    )


def _summary() -> W.Widget:
    """The couple's plan on one page, printable."""
    from .widget_summary import SummaryPlan

    return _page(
        7,
        lambda engine, viewer: [
            W.HTML(content_for("07_summary", _flagged(engine, viewer))),
            SummaryPlan(engine, viewer, _flagged(engine, viewer)),
        ],
    )


def _safety() -> W.Widget:
    """The private safety check, open at any time from the header."""

    def build(engine: Engine, viewer: Viewer | None) -> list[W.Widget]:
        if viewer is None:
            return [W.HTML(sign_in_hint("first; the check is private to you."))]
        from .widget_safety import SafetyCheck

        return [SafetyCheck(engine, viewer)]

    return _page(None, build)


def _consent() -> W.Widget:
    """Research consent: each partner's own yes, no or withdrawal, private to them."""

    def build(engine: Engine, viewer: Viewer | None) -> list[W.Widget]:
        from .widget_consent import ConsentForm

        return [ConsentForm(engine, viewer)]

    return _page(None, build, aside="consent")


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


# The builder of each partner page, by notebook: what WorkshopApp shows for a route.
PAGE_BUILDERS: dict[str, Callable[[], W.Widget]] = {
    STEPS[0].notebook: _welcome,
    STEPS[1].notebook: _roots,
    STEPS[2].notebook: _communication,
    STEPS[3].notebook: _boundaries,
    STEPS[4].notebook: _consistency,
    STEPS[5].notebook: _help,
    STEPS[6].notebook: _patience,
    STEPS[7].notebook: _summary,
    SAFETY_NOTEBOOK: _safety,
    CONSENT_NOTEBOOK: _consent,
}


def _app(route: str):
    from .navigation import WorkshopApp

    return WorkshopApp(route)


def welcome_page() -> W.Widget:
    """The landing page: what the kit is, and how to start."""
    return _app(STEPS[0].notebook)


def roots_page() -> W.Widget:
    """Step 1: understand the root of the trust issues, in private reflection."""
    return _app(STEPS[1].notebook)


def communication_page() -> W.Widget:
    """Step 2: open and honest communication, with the I-statement coach."""
    return _app(STEPS[2].notebook)


def boundaries_page() -> W.Widget:
    """Step 3: set healthy boundaries, with the private answers and the mutual reveal."""
    return _app(STEPS[3].notebook)


def consistency_page() -> W.Widget:
    """Step 4: be consistent and transparent: commitments and the daily check-in."""
    return _app(STEPS[4].notebook)


def help_page() -> W.Widget:
    """Step 5: consider professional help, with resources for the partner's region."""
    return _app(STEPS[5].notebook)


def patience_page() -> W.Widget:
    """Step 6: practise patience, with views of the couple's progress."""
    return _app(STEPS[6].notebook)


def summary_page() -> W.Widget:
    """The couple's plan on one page, printable."""
    return _app(STEPS[7].notebook)


def safety_page() -> W.Widget:
    """The private safety check, open at any time from the header."""
    return _app(SAFETY_NOTEBOOK)


def consent_page() -> W.Widget:
    """Research consent: each partner's own yes, no or withdrawal, private to them."""
    return _app(CONSENT_NOTEBOOK)
