"""Step 5, consider professional help: a private readiness reflection and where to find help.

``flagged`` comes from the partner's private safety check. It only changes what this
partner sees; it is never stored here and never shown to anyone else.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from importlib.resources import files
from typing import TYPE_CHECKING

import ipywidgets as W
import mistune
from sqlalchemy import Engine, select
from sqlalchemy.exc import SQLAlchemyError
from traitlets import TraitError, Unicode, observe, validate

from ._forms import (
    STORE_FAILED,
    attempt,
    button,
    clip,
    error_slot,
    show_error,
    sign_in_hint,
    text_input,
)
from ._html import content, esc
from .context import Viewer
from .resources import CATEGORIES, Resource, available_regions, is_region_code, load_resources
from .store.engine import session_factory, transaction
from .store.entries import AccessError, visible_entries
from .store.models import Partner, Reflection, Visibility

if TYPE_CHECKING:
    from ._help_schema import ReadinessIn

log = logging.getLogger(__name__)
FORM, STEP, TOPIC = "help", 5, "readiness"
DEFAULT_REGION = "intl"
AREAS = {  # the guide's three things therapy helps with
    "hurt": "Process past hurt or trauma",
    "communication": "Improve communication patterns",
    "connection": "Build empathy and emotional connection",
}
CHOICES = (("Not now", "not-now"), ("Maybe", "maybe"), ("Yes, this matters to me", "yes"))
SAFETY_NOTE = (
    "If you feel unsafe with your partner, couples therapy is usually not the right first "
    "step; talking to someone on your own is."
)
COUPLES_HEADING = "## Couples therapy"  # the section of the guidance a flagged partner skips
NOT_SIGNED_IN = "You are not signed in. Start again from the welcome page."


def visible_categories(flagged: bool) -> list[str]:
    """Return the resource categories to show, in order; never couples therapy when flagged."""
    solo = ["individual-therapy", "support-group", "finding-help"]
    return ["abuse", "crisis", *solo] if flagged else ["couples-therapy", *solo, "crisis", "abuse"]


def resource_item_html(r: Resource) -> str:
    ways = [f"Call {esc(r.phone)}"] if r.phone else []
    ways += [f"Text {esc(r.text)}"] if r.text else []
    if r.url:
        shown = r.url.removeprefix("https://").rstrip("/")
        ways.append(
            f'<a href="{esc(r.url)}" rel="noopener noreferrer" target="_blank">{esc(shown)}</a>'
        )
    hours = f' <span class="tw-resource-hours">({esc(r.hours)})</span>' if r.hours else ""
    about = f"<br>{esc(r.description)}" if r.description else ""
    return (
        f'<li class="tw-resource tw-resource-{esc(r.category)}"><strong>{esc(r.name)}</strong>'
        f'{hours}{about}<br><span class="tw-resource-contact">{" · ".join(ways)}</span></li>'
    )


def resource_html(resources: list[Resource], flagged: bool) -> str:
    """Render the resources by category, safety first when ``flagged``; every field escaped."""
    groups = []
    for category in visible_categories(flagged):
        items = "".join(resource_item_html(r) for r in resources if r.category == category)
        if items:
            groups.append(
                f'<section class="tw-resource-group"><h4>{esc(CATEGORIES[category])}</h4>'
                f"<ul>{items}</ul></section>"
            )
    note = f'<p class="tw-help-safety-note" role="note">{esc(SAFETY_NOTE)}</p>' if flagged else ""
    body = "".join(groups) or '<p class="tw-empty">No resources are listed for this region.</p>'
    # The quick exit replaces this page only; a site opened in a new tab stays open.
    tail = (
        '<p class="tw-hint">Nothing is loaded from these sites unless you open a link. Links '
        "open in a new tab, which the quick exit does not close.</p>"
    )
    return f'<div class="tw-help-resources">{note}{body}{tail}</div>'


@lru_cache(maxsize=2)
def guidance_html(flagged: bool) -> str:
    """Render the step's guidance; with ``flagged``, without the couples-therapy section."""
    if not flagged:
        return content("05_professional_help")
    source = (files("trust_widgets") / "content" / "05_professional_help.md").read_text("utf-8")
    kept, skipping = [], False
    for line in source.splitlines(keepends=True):
        if line.startswith("## "):
            skipping = line.strip() == COUPLES_HEADING
        if not skipping:
            kept.append(line)
    return mistune.create_markdown(escape=True)("".join(kept))


def load_readiness(engine: Engine, partner_id: int) -> Reflection | None:
    """Return the partner's own readiness reflection, if they saved one."""
    mine = [
        e
        for e in visible_entries(engine, partner_id, Reflection)
        if e.author_id == partner_id and e.step == STEP and e.topic == TOPIC
    ]
    return mine[0] if mine else None


def save_readiness(engine: Engine, partner_id: int, data: ReadinessIn) -> Reflection:
    """Create or update the partner's one readiness reflection, always private."""
    with transaction(engine) as s:
        me = s.get(Partner, partner_id)
        if me is None:
            raise AccessError(NOT_SIGNED_IN)
        query = select(Reflection).where(
            Reflection.author_id == me.id, Reflection.step == STEP, Reflection.topic == TOPIC
        )
        entry = s.scalars(query.order_by(Reflection.id)).first() or Reflection(
            couple_id=me.couple_id, author_id=me.id, step=STEP, topic=TOPIC
        )
        entry.answers = {area: getattr(data, area) for area in AREAS}
        entry.body, entry.visibility = data.note, Visibility.PRIVATE
        s.add(entry)
        s.flush()
        return entry


def delete_readiness(engine: Engine, partner_id: int) -> None:
    """Delete the partner's own readiness reflection, if there is one."""
    with transaction(engine) as s:
        for entry in s.scalars(
            select(Reflection).where(
                Reflection.author_id == partner_id,
                Reflection.step == STEP,
                Reflection.topic == TOPIC,
            )
        ):
            s.delete(entry)


def partner_region(engine: Engine, partner_id: int) -> str:
    """Return the region whose resources this partner last chose."""
    with session_factory(engine)() as s:
        me = s.get(Partner, partner_id)
        return me.region if me is not None else DEFAULT_REGION


def set_partner_region(engine: Engine, partner_id: int, region: str) -> None:
    """Remember ``region`` for this partner, and only this partner."""
    if not is_region_code(region):
        raise ValueError("not a region code")
    with transaction(engine) as s:
        me = s.get(Partner, partner_id)
        if me is None:
            raise AccessError(NOT_SIGNED_IN)
        me.region = region


class HelpPlanner(W.VBox):
    """What professional help could do for me (private), and where to find it.

    Parameters
    ----------
    engine
        The store.
    viewer
        The signed-in partner; ``None`` shows a sign-in hint and the International list.
    flagged
        The partner's private safety check raised concerns: no couples therapy, safety first.
    """

    note = Unicode("", help="The private note.")
    region = Unicode(DEFAULT_REGION, help="The region whose resource list is shown.")

    def __init__(self, engine: Engine, viewer: Viewer | None, flagged: bool = False) -> None:
        self.engine, self.viewer, self.flagged = engine, viewer, bool(flagged)
        self._building = True
        super().__init__()
        self.add_class(f"tw-{FORM}")
        self.regions = dict(available_regions())
        self.region_input = W.Dropdown(
            options=[(name, code) for code, name in self.regions.items()],
            description="Show help for",
            style={"description_width": "initial"},
        )
        self.region_input.add_class(f"tw-{FORM}-region")
        self.resources_box = W.HTML("", layout=W.Layout(width="100%"))
        self.resources_box.add_class(f"tw-{FORM}-resources-box")
        self.errors = {f: error_slot(FORM, f) for f in (*AREAS, "note", "region", "form")}
        finding = [
            W.HTML("<h3>Where to find help</h3>"),
            self.region_input,
            self.errors["region"],
            self.resources_box,
        ]
        if viewer is None:
            self.children = [W.HTML(sign_in_hint("to save.")), *finding]
        else:
            reflection = self._build_reflection()
            self.children = [*finding, *reflection] if self.flagged else [*reflection, *finding]
            self._load()
        if self.regions:
            self.region_input.value = self._start_region()
            W.link((self.region_input, "value"), (self, "region"))
        else:
            self.region_input.layout.display = "none"
            show_error(self.errors["region"], "No resource lists are installed.")
        self._building = False
        self._render()

    def _build_reflection(self) -> list[W.Widget]:
        self.choices = {}
        rows = []
        for area, label in AREAS.items():
            choice = W.ToggleButtons(
                options=CHOICES,
                value=None,
                description=label,
                style={"button_width": "auto", "description_width": "initial"},
            )
            choice.add_class(f"tw-{FORM}-{area}")
            self.choices[area] = choice
            rows += [choice, self.errors[area]]
        note = text_input(FORM, "note", "A note for yourself (optional)", area=True)
        W.link((note, "value"), (self, "note"))
        self.save_button = button("Save my answers", "tw-save", f"tw-{FORM}-save", style="primary")
        self.save_button.on_click(lambda _: self.save())
        self.delete_button = button("Delete my answers", f"tw-{FORM}-delete")
        self.delete_button.on_click(lambda _: self.delete())
        self.status = W.HTML("")
        self.status.add_class(f"tw-{FORM}-status")
        intro = (
            '<h3>What could help do for you?</h3><p class="tw-hint">Only you see these '
            "answers. They are not shared with your partner.</p>"
        )
        actions = W.HBox([self.save_button, self.delete_button])
        tail = [note, self.errors["note"], actions, self.errors["form"], self.status]
        return [W.HTML(intro), *rows, *tail]

    @validate("note")
    def _clip(self, proposal):
        return clip(proposal["value"])

    @validate("region")
    def _known_region(self, proposal):
        # Page users can set synced traits to anything: only offered regions get through.
        if proposal["value"] not in self.regions:
            raise TraitError("Unknown region.")
        return proposal["value"]

    @observe("region")
    def _region_changed(self, change) -> None:
        if self._building:
            return
        show_error(self.errors["region"], None)
        if self.viewer is not None:
            try:
                set_partner_region(self.engine, self.viewer.partner_id, change["new"])
            except (AccessError, SQLAlchemyError):
                log.exception("saving a partner's region failed")
                show_error(self.errors["region"], STORE_FAILED)
        self._render()

    def _start_region(self) -> str:
        region = DEFAULT_REGION
        if self.viewer is not None:
            try:
                region = partner_region(self.engine, self.viewer.partner_id)
            except SQLAlchemyError:
                log.exception("loading a partner's region failed")
        if region in self.regions:
            return region
        return DEFAULT_REGION if DEFAULT_REGION in self.regions else next(iter(self.regions))

    def _render(self) -> None:
        try:
            items = load_resources(self.region) if self.regions else []
        except ValueError as exc:  # a file broken since the page opened: the log names it
            log.error("resource list can't be shown: %s", exc)
            self.resources_box.value = (
                '<p class="tw-error" role="alert">This list can\'t be shown just now. '
                "If you are in danger, call your local emergency number.</p>"
            )
            return
        self.resources_box.value = resource_html(items, self.flagged)

    def _load(self) -> None:
        try:
            entry = load_readiness(self.engine, self.viewer.partner_id)
        except (AccessError, SQLAlchemyError):
            log.exception("loading a readiness reflection failed")
            show_error(self.errors["form"], "Your saved answers can't be shown just now.")
            return
        if entry is None:
            return
        valid = {value for _, value in CHOICES}
        for area, choice in self.choices.items():
            value = (entry.answers or {}).get(area)
            choice.value = value if value in valid else None
        self.note = entry.body or ""

    def save(self) -> Reflection | None:
        """Validate and save the reflection privately; show messages next to fields on error."""
        # pydantic loads on the first save, not with the page: page kernels stay light.
        from pydantic import ValidationError

        from ._help_schema import ReadinessIn
        from .schemas import field_errors

        for slot in self.errors.values():
            if slot is not self.errors["region"]:
                show_error(slot, None)
        self.status.value = ""
        try:
            picked = {a: c.value for a, c in self.choices.items() if c.value is not None}
            data = ReadinessIn(**picked, note=self.note)
            entry = save_readiness(self.engine, self.viewer.partner_id, data)
        except ValidationError as exc:
            for field, message in field_errors(exc).items():
                if field in AREAS:
                    message = "Please choose one of the three answers, even if it is “not now”."
                show_error(self.errors.get(field, self.errors["form"]), message)
            return None
        except AccessError as exc:
            show_error(self.errors["form"], str(exc))
            return None
        except SQLAlchemyError:
            log.exception("saving a readiness reflection failed")
            show_error(self.errors["form"], STORE_FAILED)
            return None
        self.status.value = '<p class="tw-saved" role="status">Saved. Only you can see it.</p>'
        return entry

    def delete(self) -> None:
        """Delete this partner's readiness answers, after a second click to confirm."""
        if self.delete_button.description != "Really delete?":
            self.delete_button.description, self.delete_button.button_style = (
                "Really delete?",
                "danger",
            )
            return
        self.delete_button.description, self.delete_button.button_style = "Delete my answers", ""
        if attempt(self.errors["form"], (AccessError,), delete_readiness, self.engine,
                   self.viewer.partner_id):  # fmt: skip
            for choice in self.choices.values():
                choice.value = None
            self.note = ""
            self.status.value = '<p class="tw-saved" role="status">Deleted.</p>'
