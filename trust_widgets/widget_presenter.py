"""The presenter view: a session plan on the room's screen, one step at a time, in large text.

It shows the plan and the kit's own key points, nothing else: no store, no couple, no
names. The layout lives in ``server/static/presenter.css`` (class ``tw-presenter``).
"""

from __future__ import annotations

from datetime import datetime

import ipywidgets as W
from traitlets import Float, Int, observe, validate

from ._forms import button
from .presenter import (
    Slide,
    plan_slides,
    points_html,
    questions_html,
    timer_text,
    title_html,
)
from .session_plan import SessionPlan, default_plan

FORM = "presenter"


def _clamp(value: object, count: int) -> int:
    # Page users can set any synced trait: out of range goes to the nearest end.
    number = value if isinstance(value, int) and not isinstance(value, bool) else 0
    return min(max(number, 0), count - 1)


class Presenter(W.VBox):
    """Step through a session plan: a session selector, a step selector, previous and next.

    Parameters
    ----------
    plan
        The workshop's plan; ``None`` shows the kit's default three-session plan.
    """

    session_index = Int(0, help="The session on screen, counting from 0.")
    slide_index = Int(
        0, help="The slide on screen within its session: 0 is the opening, then one per step."
    )
    timer_started = Float(
        None, allow_none=True, help="When the timer was started (seconds since the epoch)."
    )

    def __init__(self, plan: SessionPlan | None = None) -> None:
        self.plan = plan if plan is not None else default_plan()
        self.slides = plan_slides(self.plan)
        self._syncing, self._options_for = False, -1
        super().__init__()
        self.add_class(f"tw-{FORM}")
        self.session_select = W.Dropdown(
            options=[(f"Session {i + 1}: {s.title}", i) for i, s in enumerate(self.plan.sessions)],
            description="Session",
            style={"description_width": "initial"},
        )
        self.session_select.add_class(f"tw-{FORM}-session")
        self.slide_select = W.Dropdown(description="Step", style={"description_width": "initial"})
        self.slide_select.add_class(f"tw-{FORM}-step")
        self.session_select.observe(self._picked_session, names="value")
        self.slide_select.observe(self._picked_slide, names="value")
        self.prev_button = button("← Previous", f"tw-{FORM}-prev")
        self.next_button = button("Next →", f"tw-{FORM}-next", style="primary")
        self.prev_button.on_click(lambda _: self.previous())
        self.next_button.on_click(lambda _: self.next())
        self.title, self.points, self.questions = W.HTML(), W.HTML(), W.HTML()
        for part, name in ((self.title, "title"), (self.points, "points")):
            part.add_class(f"tw-{FORM}-{name}")
        self.questions.add_class(f"tw-{FORM}-questions")
        self.timer = W.HTML()
        self.timer.add_class(f"tw-{FORM}-timer")
        self.timer_button = button("Start timer", f"tw-{FORM}-timer-start")
        self.timer_button.on_click(lambda _: self.toggle_timer())
        self.position = W.HTML()
        self.position.add_class(f"tw-{FORM}-position")
        controls = W.HBox([self.session_select, self.slide_select])
        controls.add_class(f"tw-{FORM}-controls")
        nav = W.HBox([self.prev_button, self.position, self.next_button])
        nav.add_class(f"tw-{FORM}-nav")
        timer = W.HBox([self.timer, self.timer_button])
        timer.add_class(f"tw-{FORM}-timer-row")
        self.children = [controls, self.title, self.points, self.questions, timer, nav]
        self._show()

    @property
    def slide(self) -> Slide:
        """The slide on screen."""
        return self.slides[self.session_index][self.slide_index]

    @validate("session_index")
    def _session_in_range(self, proposal) -> int:
        return _clamp(proposal["value"], len(self.slides))

    @validate("slide_index")
    def _slide_in_range(self, proposal) -> int:
        return _clamp(proposal["value"], len(self.slides[self.session_index]))

    @observe("session_index")
    def _session_changed(self, _change) -> None:
        self.timer_started = None
        if self.slide_index == 0:
            self._show()
        self.slide_index = 0  # shows the session's opening

    @observe("slide_index")
    def _slide_changed(self, _change) -> None:
        self.timer_started = None
        self._show()

    @observe("timer_started")
    def _timer_changed(self, _change) -> None:
        if hasattr(self, "timer"):
            self._show_timer()

    def next(self) -> None:
        """Go to the next slide, on into the next session's opening at a session's end."""
        if self.slide_index + 1 < len(self.slides[self.session_index]):
            self.slide_index += 1
        elif self.session_index + 1 < len(self.slides):
            self.session_index += 1

    def previous(self) -> None:
        """Go to the previous slide, back to the previous session's last step at its start."""
        if self.slide_index > 0:
            self.slide_index -= 1
        elif self.session_index > 0:
            self.session_index -= 1
            self.slide_index = len(self.slides[self.session_index]) - 1

    def toggle_timer(self) -> None:
        """Start the timer for the slide on screen, or clear it if it is running."""
        self.timer_started = None if self.timer_started else datetime.now().timestamp()

    def _picked_session(self, change) -> None:
        if not self._syncing and change["new"] is not None:
            self.session_index = change["new"]

    def _picked_slide(self, change) -> None:
        if not self._syncing and change["new"] is not None:
            self.slide_index = change["new"]

    def _show(self) -> None:
        if not hasattr(self, "title"):
            return
        slides, slide = self.slides[self.session_index], self.slide
        self._syncing = True
        try:
            self.session_select.value = self.session_index
            if self._options_for != self.session_index:
                agenda = enumerate(slides[0].agenda, start=1)  # the opening lists the steps
                labels = [("Opening", 0), *((f"{i}. {a}", i) for i, a in agenda)]
                self.slide_select.options, self._options_for = labels, self.session_index
            self.slide_select.value = self.slide_index
        finally:
            self._syncing = False
        self.title.value = title_html(slide)
        self.points.value = points_html(slide)
        self.questions.value = questions_html(slide)
        self.questions.layout.display = "" if slide.questions else "none"
        last_session = self.session_index == len(self.slides) - 1
        self.prev_button.disabled = self.session_index == 0 and self.slide_index == 0
        self.next_button.disabled = last_session and self.slide_index == len(slides) - 1
        self.position.value = (
            f'<p class="tw-presenter-where">Session {self.session_index + 1} of '
            f"{len(self.slides)} · {self.slide_index + 1} / {len(slides)}</p>"
        )
        self._show_timer()

    def _show_timer(self) -> None:
        started = None
        if self.timer_started is not None:
            started = datetime.fromtimestamp(self.timer_started)
        self.timer.value = f"<p>{timer_text(self.slide.minutes, started)}</p>"
        self.timer_button.description = "Clear timer" if started else "Start timer"
