"""Step 4's daily check-in: about a minute on a phone, and no streaks that punish a gap."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import ipywidgets as W
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from traitlets import Bool, CaselessStrEnum, Dict, Int, List, TraitError, Unicode, validate

from . import _checkin_html as H
from . import _clock
from . import checkins as C
from ._forms import STORE_FAILED, button, error_slot, show_error, sign_in_hint, text_input
from .context import Viewer
from .instrument import InstrumentError, RatingsError, load_instrument
from .store.entries import AccessError
from .store.models import CheckIn, Visibility

log = logging.getLogger(__name__)
FORM = "checkin"
_VISIBILITY = [v.value for v in Visibility]
SIGN_IN = sign_in_hint("to check in.")


class DailyCheckIn(W.VBox):
    """Tick the commitments kept, rate the day on the instrument's items, and save.

    Parameters
    ----------
    engine
        The store.
    viewer
        The signed-in partner; ``None`` shows a sign-in hint instead.
    flagged
        This partner's private safety check raised a red flag: everything stays private and
        no share option is offered. This form never shows or stores why.
    today
        The day the page treats as today (tests pass one); by default the server's date.
    """

    day = Unicode("", help="The day being checked in, YYYY-MM-DD: today or up to a week back.")
    ratings = Dict(value_trait=Int(), help="The ratings as shown: item name -> whole number.")
    kept = List(Int(), help="Ids of the partner's own commitments ticked as kept that day.")
    visibility = CaselessStrEnum(
        _VISIBILITY, default_value="shared", help="Who may see the ratings and kept commitments."
    )
    note = Unicode("", help="The day's note; always private to its author.")
    win = Unicode("", help="A small win to add for the day (optional).")
    win_visibility = CaselessStrEnum(
        _VISIBILITY, default_value="private", help="Who may see the small win."
    )
    editing = Bool(False, help="This day already has a check-in, and the form shows it.")
    flagged = Bool(False, read_only=True, help="Keep everything private; offer no sharing.")

    def __init__(
        self,
        engine: Engine,
        viewer: Viewer | None,
        flagged: bool = False,
        today: date | None = None,
    ) -> None:
        self.engine, self.viewer = engine, viewer
        self.today = today or _clock.today()
        self._due: dict[int, W.Checkbox] = {}
        super().__init__()
        self.set_trait("flagged", bool(flagged))
        self.add_class(f"tw-{FORM}")
        if viewer is None:
            self.children = [W.HTML(SIGN_IN)]
            return
        try:
            self.instrument = load_instrument()
        except InstrumentError:
            log.exception("the check-in instrument could not be loaded")
            self.children = [W.HTML(H.UNAVAILABLE)]
            return
        self._build(viewer.partner_name or "your partner")
        self.observe(lambda _: self.load(), "day")
        W.link((self.day_input, "value"), (self, "day"))  # sets today, which loads it

    # Building the form.

    def _build(self, other: str) -> None:
        names = [i.name for i in self.instrument.items]
        fields = (*names, "day", "kept", "visibility", "note", "win", "form")
        self.errors = {f: error_slot(FORM, f) for f in fields}
        self.greeting = W.HTML("")
        self.day_options = H.day_options(self.today, C.BACKFILL_DAYS)
        self.day_input = W.Dropdown(
            options=self.day_options, description="Day", style={"description_width": "initial"}
        )
        self.day_input.add_class("tw-field")
        self.day_input.add_class(f"tw-{FORM}-day")
        self.kept_box = W.VBox()
        self.kept_box.add_class(f"tw-{FORM}-kept-box")
        self.sliders: dict[str, W.IntSlider] = {}
        rating_widgets: list[W.Widget] = []
        for item in self.instrument.items:
            slider, widgets = H.rating_input(FORM, item, self.errors[item.name])
            slider.observe(lambda _: self._sync_ratings(), "value")
            self.sliders[item.name] = slider
            rating_widgets += widgets
        self.note_input = text_input(
            FORM, "note", "Private note: only you", area=True, placeholder="Optional"
        )
        W.link((self.note_input, "value"), (self, "note"))
        self.win_input = text_input(
            FORM, "win", "A small win (optional)", placeholder="e.g. We laughed at dinner"
        )
        W.link((self.win_input, "value"), (self, "win"))
        share, win_share = self._share_inputs(other)
        self.save_button = button("Save check-in", "tw-save", f"tw-{FORM}-save", style="primary")
        self.save_button.on_click(lambda _: self.save())
        self.status = W.HTML("")
        self.status.add_class(f"tw-{FORM}-status")
        self.wins = W.HTML("")
        self.wins.add_class(f"tw-{FORM}-wins")
        self.children = [
            self.greeting,
            W.HTML(H.INTRO),
            self.day_input,
            self.errors["day"],
            W.HTML("<h4>Commitments kept</h4>"),
            self.kept_box,
            self.errors["kept"],
            *rating_widgets,
            *share,
            self.errors["visibility"],
            self.note_input,
            self.errors["note"],
            self.win_input,
            *win_share,
            self.errors["win"],
            self.wins,
            self.save_button,
            self.errors["form"],
            self.status,
        ]

    def _share_inputs(self, other: str) -> tuple[list[W.Widget], list[W.Widget]]:
        if self.flagged:  # no share option at all, not merely a hidden one
            self.visibility = self.win_visibility = "private"
            return [], []
        share = W.Checkbox(description=f"Let {other} see my ratings and what I kept", indent=False)
        share.add_class(f"tw-{FORM}-visibility")
        W.link(
            (share, "value"),
            (self, "visibility"),
            transform=(lambda on: "shared" if on else "private", lambda v: v == "shared"),
        )
        win_share = W.RadioButtons(
            options=[("Only me", "private"), (f"Share with {other}", "shared")],
            description="Who can see the small win",
            style={"description_width": "initial"},
        )
        win_share.add_class(f"tw-{FORM}-win-visibility")
        W.link((win_share, "value"), (self, "win_visibility"))
        return [share], [win_share]

    # Python-side checks: page users can set any synced trait.

    @validate("day")
    def _known_day(self, proposal):
        if proposal["value"] not in {iso for _, iso in self.day_options}:
            raise TraitError("a check-in can be for today or up to a week back")
        return proposal["value"]

    @validate("ratings")
    def _known_items(self, proposal):
        return {k: v for k, v in proposal["value"].items() if k in self.sliders}

    @validate("kept")
    def _due_only(self, proposal):
        return list(dict.fromkeys(i for i in proposal["value"] if i in self._due))

    @validate("note", "win")
    def _clip(self, proposal):
        # A little above the store's limits, so that an over-long note gets its message
        # instead of being cut short in silence.
        return (proposal["value"] or "")[: C.MAX_NOTE + 1]

    def _sync_ratings(self) -> None:
        self.ratings = {name: s.value for name, s in self.sliders.items()}

    def _sync_kept(self) -> None:
        self.kept = [pid for pid, box in self._due.items() if box.value]

    # Loading and saving.

    def load(self) -> None:
        """Show the chosen day: its check-in for editing if there is one, else a fresh form."""
        day, me = date.fromisoformat(self.day), self.viewer.partner_id
        for slot in self.errors.values():
            show_error(slot, None)
        try:
            saved = C.checkin_for(self.engine, me, day)
            due = C.due_commitments(self.engine, me, day)
            note = C.note_for(self.engine, me, day)
            wins = [w.text for w in C.wins_for(self.engine, me, day)]
            latest = C.last_checkin_before(self.engine, me, self.today + timedelta(days=1))
            last_seen = saved or (latest and C.checkin_for(self.engine, me, latest))
            before = C.last_checkin_before(self.engine, me, self.today)
            done_today = day == self.today and saved is not None
        except (SQLAlchemyError, AccessError):
            log.exception("loading a check-in failed")
            show_error(self.errors["form"], H.LOAD_FAILED)
            return
        self.greeting.value = H.greeting(self.today, before, done_today)
        self._fill(saved, due, note, wins, last_seen)

    def refresh_commitments(self) -> None:
        """Update only the list of commitments due, keeping ticks and anything unsaved.

        Called when the partner adds, pauses or removes a commitment mid check-in.
        """
        try:
            due = C.due_commitments(
                self.engine, self.viewer.partner_id, date.fromisoformat(self.day)
            )
        except (SQLAlchemyError, AccessError):
            log.exception("loading commitments failed")
            return
        self._set_due(due, set(self.kept))

    def _set_due(self, due, kept: set[int]) -> None:
        self._due = {}
        for p in due:
            label = f"{p.title} (this week)" if p.frequency == "weekly" else p.title
            box = W.Checkbox(value=p.id in kept, description=label, indent=False)
            box.add_class(f"tw-{FORM}-kept")
            box.add_class(f"tw-{FORM}-kept-{p.id}")
            box.observe(lambda _: self._sync_kept(), "value")
            self._due[p.id] = box
        self.kept_box.children = list(self._due.values()) or [W.HTML(H.NO_COMMITMENTS)]
        self._sync_kept()

    def _fill(self, saved: CheckIn | None, due, note: str, wins: list[str], last_seen) -> None:
        self._set_due(due, set(saved.kept_promise_ids or []) if saved else set())
        same = saved is not None and saved.instrument_version == self.instrument.key
        for item in self.instrument.items:
            value = (saved.ratings or {}).get(item.name) if same else None
            ok = isinstance(value, int) and item.min <= value <= item.max
            self.sliders[item.name].value = value if ok else (item.min + item.max) // 2
        self._sync_ratings()
        if not self.flagged:  # remember the partner's last choice; start shared
            self.visibility = last_seen.visibility.value if last_seen else "shared"
        self.note, self.win = note, ""
        self.wins.value = H.wins_html(wins)
        self.editing = saved is not None
        self.save_button.description = "Save changes" if self.editing else "Save check-in"

    def save(self) -> CheckIn | None:
        """Validate and save; show messages next to fields and write nothing on error."""
        for slot in self.errors.values():
            show_error(slot, None)
        self.status.value = ""
        day, me, edited = date.fromisoformat(self.day), self.viewer.partner_id, self.editing
        private = "private" if self.flagged else None
        try:
            latest = C.last_checkin_before(self.engine, me, self.today + timedelta(days=1))
            checkin = C.save_checkin(
                self.engine,
                me,
                day,
                dict(self.ratings),
                list(self.kept),
                self.note,
                self.win,
                private or self.win_visibility,
                self.instrument,
                visibility=private or self.visibility,
                today=self.today,
            )
        except RatingsError as exc:
            for name, message in exc.errors.items():
                show_error(self.errors.get(name, self.errors["form"]), message)
            return None
        except C.CheckInError as exc:
            field = "win" if exc.field == "win_visibility" else exc.field
            show_error(self.errors.get(field, self.errors["form"]), str(exc))
            return None
        except AccessError as exc:
            show_error(self.errors["form"], str(exc))
            return None
        except SQLAlchemyError:
            log.exception("saving a check-in failed")
            show_error(self.errors["form"], STORE_FAILED)
            return None
        back = (
            latest is not None
            and day == self.today
            and (self.today - latest).days >= H.WELCOME_BACK_AFTER
        )
        message = H.saved_message(
            edited=edited, first=latest is None, back=back, win=bool(self.win.strip())
        )
        self.load()
        self.greeting.value = ""
        self.status.value = message
        return checkin
