"""Step 1's form: which roots apply, private notes on each, a self-reflection, and a card."""

from __future__ import annotations

import logging

import ipywidgets as W
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from traitlets import Bool, CaselessStrEnum, Dict, List, Unicode, observe, validate

from . import _roots_html as H
from . import roots as R
from ._forms import MAX_INPUT, STORE_FAILED, button, clip, error_slot, show_error, text_input
from .context import Viewer
from .store.entries import AccessError
from .store.models import Reflection, Visibility

log = logging.getLogger(__name__)
FORM = "roots"
_CHOICES = [(R.CHOICE_LABELS[c], c.value) for c in R.Choice]


def _clip_value(change) -> None:
    # Page users can set any synced trait; keep the kernel from holding huge text.
    if len(change["new"] or "") > MAX_INPUT:
        change["owner"].value = clip(change["new"])


def _confirmed(b: W.Button, label: str) -> bool:
    """First click asks, second click acts: return whether this click should act."""
    asking = b.description == "Really delete?"
    b.description, b.button_style = (label, "") if asking else ("Really delete?", "danger")
    return asking


class _RootBox(W.VBox):
    """The three private prompts for one root, with Save and Delete."""

    def __init__(self, key: str, title: str, hints: tuple[str, str, str]) -> None:
        super().__init__(layout=W.Layout(display="none"))
        self.key, self.title, c = key, title, key.replace(":", "-")
        self.add_class("tw-card")
        self.add_class(f"tw-{FORM}-{c}-box")
        self.inputs = {
            p.key: text_input(FORM, f"{c}-{p.key}", p.label, area=True, placeholder=hint)
            for p, hint in zip(R.PROMPTS, hints, strict=True)
        }
        for widget in self.inputs.values():
            widget.observe(_clip_value, "value")
        self.errors = {f: error_slot(FORM, f"{c}-{f}") for f in (*R.PROMPT_KEYS, "form")}
        self.save = button("Save my notes", "tw-save", f"tw-{FORM}-save", style="primary")
        self.save.add_class(f"tw-{FORM}-{c}-save")
        self.delete = button("Delete my notes", f"tw-{FORM}-{c}-delete")
        self.status = W.HTML("")
        self.children = [
            W.HTML(H.root_heading_html(title)),
            *[w for f in R.PROMPT_KEYS for w in (self.inputs[f], self.errors[f])],
            W.HBox([self.save, self.delete]),
            self.errors["form"],
            self.status,
        ]

    def fill(self, answers) -> None:
        for f in R.PROMPT_KEYS:
            self.inputs[f].value = clip(answers.get(f, ""))


class RootsReflection(W.VBox):
    """Reflect privately on the roots of trust issues, and write a card to keep or share.

    Parameters
    ----------
    engine
        The store.
    viewer
        The signed-in partner; ``None`` shows a sign-in hint instead of the form.
    flagged
        The partner's own private safety screen raised concerns: nothing here suggests
        sharing, and the card stays private. This form never shows or stores why.
    """

    selected = List(Unicode(), help="Keys of the ticked roots, in order (follows the boxes).")
    custom_title = Unicode("", help="A root the partner is adding in their own words.")
    attachment = Dict(help="Self-reflection answers as chosen: item key -> choice.")
    draft = Unicode("", help="Card draft from the ticked roots and their 'what might help'.")
    card_text = Unicode("", help="The 'what I am working with' card, as edited.")
    card_visibility = CaselessStrEnum(
        [v.value for v in Visibility], default_value="private", help="Who may read the card."
    )
    flagged = Bool(False, read_only=True, help="Keep the card private; do not suggest sharing.")

    def __init__(self, engine: Engine, viewer: Viewer | None, flagged: bool = False) -> None:
        self.engine, self.viewer = engine, viewer
        super().__init__()
        self.set_trait("flagged", bool(flagged))
        self.add_class(f"tw-{FORM}")
        if viewer is None:
            self.children = [W.HTML(H.SIGN_IN)]
            return
        self.partner = viewer.partner_name or "your partner"
        names = ("add", "attach", "card", "visibility", "form")
        self.errors = {f: error_slot(FORM, f) for f in names}
        self.checks: dict[str, W.Checkbox] = {}
        self.boxes: dict[str, _RootBox] = {}
        self.saved: set[str] = set()
        self.checks_box, self.roots_box, self.status = W.VBox(), W.VBox(), W.HTML("")
        self.custom_input = text_input(FORM, "custom", "Something else? Name it in your words.")
        W.link((self.custom_input, "value"), (self, "custom_title"))
        add = button("Add your own", f"tw-{FORM}-add")
        add.on_click(lambda _: self.add_custom())
        state = self._load()
        for root in R.ROOTS:
            self._add_root(root.key, root.title, root.hints)
        self._build_attachment(state.attachment)
        self._build_card(state)
        for saved in state.roots:
            if saved.key not in self.boxes:
                self._add_root(saved.key, saved.title, ("", "", ""))
            self.boxes[saved.key].fill(saved.answers)
            self.saved.add(saved.key)
            self.checks[saved.key].value = True
        self._update_draft()
        self.children = [
            W.HTML("<h3>Which roots apply to you?</h3>"),
            self.checks_box,
            W.HBox([self.custom_input, add]),
            self.errors["add"],
            W.HTML("<h3>Your notes on each root</h3>"),
            self.roots_box,
            self.status,
            *self.attachment_widgets,
            *self.card_widgets,
            self.errors["form"],
        ]

    def _load(self) -> R.Step1State:
        try:
            return R.load_step1(self.engine, self.viewer.partner_id)
        except (SQLAlchemyError, AccessError):
            log.exception("loading step 1 failed")
            show_error(self.errors["form"], H.LOAD_FAILED)
            return R.Step1State()

    def _attempt(self, errors: dict[str, W.HTML], fn, *args):
        """Run one store call; problems go next to fields, never as a traceback."""
        # pydantic loads on the first save, not with the page.
        from pydantic import ValidationError

        from .schemas import field_errors

        for slot in errors.values():
            show_error(slot, None)
        try:
            return fn(self.engine, self.viewer.partner_id, *args)
        except ValidationError as exc:
            for field, message in field_errors(exc).items():
                show_error(errors.get(field, errors["form"]), message)
        except AccessError as exc:
            show_error(errors["form"], str(exc))
        except SQLAlchemyError:
            log.exception("step 1: %s failed", fn.__name__)
            show_error(errors["form"], STORE_FAILED)
        return None

    # Roots and their private prompts.

    def _add_root(self, key: str, title: str, hints: tuple[str, str, str]) -> None:
        check = W.Checkbox(value=False, description=title, indent=False)
        check.add_class(f"tw-{FORM}-{key.replace(':', '-')}")
        check.observe(lambda change: self._toggled(key, change["new"]), "value")
        box = _RootBox(key, title, hints)
        box.save.on_click(lambda _: self.save_root(key))
        box.delete.on_click(
            lambda _: _confirmed(box.delete, "Delete my notes") and self.delete_root(key)
        )
        box.inputs["helps"].observe(lambda _: self._update_draft(), "value")
        self.checks[key], self.boxes[key] = check, box
        self._relist()

    def _relist(self) -> None:
        self.checks_box.children = list(self.checks.values())
        self.roots_box.children = list(self.boxes.values())

    def _toggled(self, key: str, ticked: bool) -> None:
        box = self.boxes[key]
        if not ticked and key in self.saved:
            # Unticking must not silently throw away notes: deleting is a separate choice.
            self.checks[key].value = True
            box.status.value = H.status_html(H.UNTICK_SAVED)
            return
        box.layout.display = "" if ticked else "none"
        self.selected = [k for k, c in self.checks.items() if c.value]

    @observe("selected")
    def _selected_changed(self, _change) -> None:
        self._update_draft()

    def save_root(self, key: str) -> Reflection | None:
        """Save the notes on one root, privately; return the stored row or ``None``."""
        box = self.boxes[key]
        answers = {f: box.inputs[f].value for f in R.PROMPT_KEYS}
        if key.startswith(R.CUSTOM):
            answers["title"] = box.title
        row = self._attempt(box.errors, R.save_root, key, answers)
        if row is not None:
            self.saved.add(key)
            self.checks[key].value = True
            box.status.value = H.status_html("Saved. Only you can see these notes.")
        return row

    def delete_root(self, key: str) -> None:
        """Delete the notes on one root; a root the partner added disappears with them."""
        box = self.boxes[key]
        if self._attempt(box.errors, R.delete_root, key) is None:
            return
        self.saved.discard(key)
        box.fill({})
        box.status.value = ""
        self.checks[key].value = False
        if key.startswith(R.CUSTOM):
            del self.checks[key], self.boxes[key]
            self._relist()
        self.status.value = H.status_html(f"Deleted your notes on “{box.title}”.")

    @validate("custom_title", "card_text")
    def _clip(self, proposal):
        return clip(proposal["value"])

    def add_custom(self) -> None:
        """Add a root in the partner's own words, saved privately at once."""
        title = self.custom_title.strip()
        key = R.custom_key(title) if title else R.CUSTOM + "new"
        # A title that is already listed just ticks it, once it is a valid title at all.
        if key not in self.checks or not 0 < len(title) <= R.MAX_TITLE:
            errors = {"title": self.errors["add"], "form": self.errors["add"]}
            row = self._attempt(errors, R.save_root, key, {"title": title})
            if row is None:
                return
            self._add_root(key, row.answers["title"], ("", "", ""))
            self.saved.add(key)
        show_error(self.errors["add"], None)
        self.checks[key].value = True
        self.custom_title = ""

    # The attachment self-reflection.

    def _build_attachment(self, saved) -> None:
        self.items = []
        for n, item in enumerate(R.ATTACHMENT_ITEMS, 1):
            value = saved.get(item.key) if saved.get(item.key) in set(R.Choice) else None
            radio = W.RadioButtons(options=_CHOICES, value=value, description=item.text)
            radio.style.description_width = "initial"
            radio.add_class("tw-field")
            radio.add_class(f"tw-{FORM}-attach-{n}")
            radio.observe(lambda change: self._choose(), "value")
            self.items.append(radio)
        self._choose()
        save = button("Save my answers", "tw-save", f"tw-{FORM}-attach-save")
        save.on_click(lambda _: self.save_attachment())
        clear = button("Clear my answers", f"tw-{FORM}-attach-clear")
        clear.on_click(lambda _: self.clear_attachment())
        self.attach_result = W.HTML(
            H.reflection_html(R.attachment_reflection(saved)) if saved else ""
        )
        self.attach_result.add_class(f"tw-{FORM}-attach-result")
        self.attachment_widgets = [
            W.HTML(H.ATTACHMENT_INTRO),
            *self.items,
            W.HBox([save, clear]),
            self.errors["attach"],
            self.attach_result,
        ]

    def _choose(self) -> None:
        keys = [item.key for item in R.ATTACHMENT_ITEMS]
        self.attachment = {k: r.value for k, r in zip(keys, self.items, strict=True) if r.value}

    @validate("attachment")
    def _known_choices(self, proposal):
        known = {item.key for item in R.ATTACHMENT_ITEMS}
        return {k: v for k, v in proposal["value"].items() if k in known and v in set(R.Choice)}

    def save_attachment(self) -> Reflection | None:
        """Save the self-reflection privately and show its non-diagnostic reading."""
        row = self._attempt({"form": self.errors["attach"]}, R.save_attachment, self.attachment)
        if row is not None:
            self.attach_result.value = H.reflection_html(R.attachment_reflection(self.attachment))
        return row

    def clear_attachment(self) -> None:
        """Delete the self-reflection answers."""
        if self._attempt({"form": self.errors["attach"]}, R.delete_attachment) is not None:
            for radio in self.items:
                radio.value = None
            self.attach_result.value = ""

    # The "what I am working with" card.

    def _build_card(self, state: R.Step1State) -> None:
        self.draft_box = W.HTML("")
        self.draft_box.add_class(f"tw-{FORM}-card-draft")
        use_draft = button("Start from this draft", f"tw-{FORM}-card-use-draft")
        use_draft.on_click(lambda _: setattr(self, "card_text", self.draft))
        self.card_input = text_input(FORM, "card", "My card", area=True)
        W.link((self.card_input, "value"), (self, "card_text"))
        save = button("Save my card", "tw-save", f"tw-{FORM}-card-save", style="primary")
        save.on_click(lambda _: self.save_card())
        delete = button("Delete my card", f"tw-{FORM}-card-delete")
        delete.on_click(lambda _: _confirmed(delete, "Delete my card") and self.delete_card())
        self.card_state = W.HTML("")
        self.card_state.add_class(f"tw-{FORM}-card-state")
        share: list[W.Widget] = []
        if not self.flagged:  # no share option at all, not merely a hidden one
            self.visibility_input = W.RadioButtons(
                options=[
                    ("Only me (private)", "private"),
                    (f"Share with {self.partner}", "shared"),
                ],
                description="Who can read it",
                style={"description_width": "initial"},
            )
            self.visibility_input.add_class(f"tw-{FORM}-card-visibility")
            W.link((self.visibility_input, "value"), (self, "card_visibility"))
            share = [self.visibility_input, self.errors["visibility"]]
        if state.card is not None:
            self.card_text, self.card_visibility = state.card.body, state.card.visibility.value
            self._show_card_state(state.card.visibility.value)
        self.theirs = W.HTML(H.partner_card_html(state.partner_card))
        self.theirs.add_class(f"tw-{FORM}-theirs")
        intro = H.card_intro_html(self.partner, self.flagged)
        self.card_widgets = [W.HTML(intro), self.draft_box, use_draft, self.card_input]
        self.card_widgets += [self.errors["card"], *share, W.HBox([save, delete]), self.card_state]
        self.card_widgets += [W.HTML(H.PARTNER_HEADING), self.theirs]

    @validate("card_visibility")
    def _private_when_flagged(self, proposal):
        # Defence in depth: even a forged comm message cannot share a flagged partner's card.
        return "private" if self.flagged else proposal["value"]

    def _update_draft(self) -> None:
        pairs = [(self.boxes[k].title, self.boxes[k].inputs["helps"].value) for k in self.selected]
        self.draft = R.compose_card(pairs)
        if hasattr(self, "draft_box"):
            self.draft_box.value = H.draft_html(self.draft)

    def _show_card_state(self, visibility: str | None) -> None:
        self.card_state.value = H.card_state_html(visibility, self.partner, self.flagged)

    def save_card(self) -> Reflection | None:
        """Save the card; private unless the partner chose to share it (and may)."""
        visibility = "private" if self.flagged else self.card_visibility
        slot = self.errors["card"]
        errors = {"text": slot, "visibility": self.errors["visibility"], "form": slot}
        row = self._attempt(errors, R.save_card, self.card_text, visibility)
        if row is not None:
            self._show_card_state(row.visibility.value)
        return row

    def delete_card(self) -> None:
        """Delete the partner's own card."""
        if self._attempt({"form": self.errors["card"]}, R.delete_card) is not None:
            self.card_text, self.card_visibility = "", "private"
            self._show_card_state(None)

    def refresh(self) -> None:
        """Reload what the other partner has shared."""
        self.theirs.value = H.partner_card_html(self._load().partner_card)
