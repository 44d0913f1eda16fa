"""Step 3's form: private answers per topic, the mutual reveal, and the agreement."""

from __future__ import annotations

import logging

import ipywidgets as W
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from . import agreement as agr
from ._forms import attempt as _attempt
from ._forms import button, clip, error_slot, show_error, sign_in_hint, text_input
from ._html import esc
from .boundaries import (
    ANSWER_LABELS,
    ANSWERS,
    BoundaryError,
    add_topic,
    board,
    delete_answer,
    delete_topic,
    save_answer,
)
from .context import Viewer
from .store.entries import AccessError
from .store.models import Visibility
from .widget_agreement import AgreementBox

log = logging.getLogger(__name__)
FORM = "boundaries"
OUTCOME_TEXT = {"agree": "You agree", "differ": "You differ", "discuss": "Talk about it first"}
FAILURES = (BoundaryError, AccessError)


def compare_html(revealed, waiting_for_partner: int, waiting_for_me: int, other: str) -> str:
    """Return the side-by-side table of revealed topics and the waiting counts (escaped)."""
    notes = []
    if waiting_for_partner:
        notes.append(f"{waiting_for_partner} topic(s) waiting for {esc(other)}.")
    if waiting_for_me:
        notes.append(f"{waiting_for_me} topic(s) waiting for your answer.")
    waiting = f'<p class="tw-boundaries-waiting">{" ".join(notes)}</p>' if notes else ""
    if not revealed:
        return waiting + (
            '<p class="tw-empty">Nothing to compare yet. A topic appears here once you have both '
            "answered it and both chosen to reveal your answers.</p>"
        )
    rows = "".join(
        f'<tr class="tw-outcome-{o}"><th scope="row">{esc(title)}</th>'
        f"<td>{esc(ANSWER_LABELS[mine])}</td><td>{esc(ANSWER_LABELS[theirs])}</td>"
        f"<td>{OUTCOME_TEXT[o]}</td></tr>"
        for _key, title, mine, theirs, o in revealed
    )
    return (
        f'{waiting}<table class="tw-boundaries-compare"><thead><tr><th>Topic</th><th>You</th>'
        f"<th>{esc(other)}</th><th></th></tr></thead><tbody>{rows}</tbody></table>"
    )


def attempt(slot: W.HTML, fn, *args) -> bool:
    """Run one step-3 action, showing its failure next to ``slot``."""
    return _attempt(slot, FAILURES, fn, *args)


class _TopicBox(W.VBox):
    """One topic: a private answer, a private note, and the choice to reveal the answer."""

    def __init__(self, owner: BoundaryBuilder, key: str, title: str, css: str) -> None:
        self.owner, self.key = owner, key
        self.answer = W.ToggleButtons(
            options=ANSWERS, value=None, description=title, style={"description_width": "initial"}
        )
        self.answer.add_class("tw-field")
        self.answer.add_class(f"tw-{FORM}-answer")
        self.note = text_input(FORM, "note", "A note for yourself (optional, never shown)")
        self.reveal = W.Checkbox(
            description="Reveal my answer once we have both answered", indent=False
        )
        self.reveal.add_class(f"tw-{FORM}-reveal")
        if owner.flagged:  # stay a private reflection: no reveal is offered
            self.reveal.layout.display = "none"
        self.error = error_slot(FORM, "answer")
        save = button("Save", "tw-save", f"tw-{FORM}-save")
        save.on_click(lambda _: self.save())
        clear = button("Clear my answer", f"tw-{FORM}-clear")
        clear.on_click(lambda _: self.clear())
        actions = [save, clear]
        if key in owner.own_topics:
            remove = button("Remove this topic", f"tw-{FORM}-remove-topic")
            remove.on_click(lambda _: owner.remove_topic(key, self.error))
            actions.append(remove)
        super().__init__([self.answer, self.note, self.reveal, W.HBox(actions), self.error])
        self.add_class("tw-card")
        self.add_class(f"tw-{FORM}-topic-{css}")

    def load(self, saved, note: str) -> None:
        self.answer.value = saved.answer if saved else None
        self.note.value = note
        shared = bool(saved and saved.visibility == Visibility.SHARED)
        self.reveal.value = shared and not self.owner.flagged

    def save(self) -> None:
        show_error(self.error, None)
        if self.answer.value is None:
            show_error(self.error, "Please choose one of the answers.")
            return
        reveal = bool(self.reveal.value) and not self.owner.flagged  # not from a forged trait
        o = self.owner
        args = (o.engine, o.viewer.partner_id, self.key, self.answer.value, clip(self.note.value))
        if attempt(self.error, save_answer, *args, reveal):
            o.refresh(changed=self.key)

    def clear(self) -> None:
        show_error(self.error, None)
        if attempt(self.error, delete_answer, self.owner.engine, self.owner.viewer.partner_id,
                   self.key):  # fmt: skip
            self.owner.refresh(changed=self.key)


class BoundaryBuilder(W.VBox):
    """Private answers by topic, the mutual reveal, and the couple's agreement.

    ``flagged``: this partner's private safety check raised a red flag, so the page offers
    no reveal, no shared topics and no joint agreement; the answers stay a private reflection.
    """

    def __init__(self, engine: Engine, viewer: Viewer | None, flagged: bool = False) -> None:
        super().__init__()
        self.engine, self.viewer, self.flagged = engine, viewer, flagged
        self.add_class(f"tw-{FORM}")
        if viewer is None:
            self.children = [W.HTML(sign_in_hint("to record your boundaries."))]
            return
        self.other = viewer.partner_name or "your partner"
        self.own_topics: set[str] = set()
        self.boxes: dict[str, _TopicBox] = {}
        self.topics_box, self.compare = W.VBox(), W.HTML()
        self.compare.add_class(f"tw-{FORM}-comparison")
        intro = "Your answers are private; notes are never shown."
        parts = [W.HTML(f"<h3>1. Your answers, in private</h3><p>{intro}</p>"), self.topics_box]
        if not flagged:
            self.new_topic = text_input(FORM, "new-topic", "Add a topic of your own")
            self.topic_error = error_slot(FORM, "new-topic")
            add = button("Add topic", f"tw-{FORM}-add-topic")
            add.on_click(lambda _: self._add_topic())
            self.agreement = AgreementBox(engine, viewer, self.other)
            parts += [
                W.HTML("<p>Topics you add are visible to both of you.</p>"),
                self.new_topic, self.topic_error, add,
                W.HTML("<h3>2. Side by side</h3>"), self.compare,
                W.HTML(f"<h3>3. Your agreement</h3><p><em>{esc(agr.FRAMING)}</em></p>"),
                self.agreement,
            ]  # fmt: skip
        self.children = parts
        self.refresh()

    def _add_topic(self) -> None:
        show_error(self.topic_error, None)
        title = clip(self.new_topic.value)
        if attempt(self.topic_error, add_topic, self.engine, self.viewer.partner_id, title):
            self.new_topic.value = ""
            self.refresh()

    def remove_topic(self, key: str, slot: W.HTML) -> None:
        if attempt(slot, delete_topic, self.engine, self.viewer.partner_id, key):
            self.refresh()

    def refresh(self, changed: str | None = None) -> None:
        """Reload from the store; only new boxes and the ``changed`` topic are reset.

        Other topics keep whatever the partner has typed but not saved yet.
        """
        try:
            view = board(self.engine, self.viewer.partner_id)
        except SQLAlchemyError:
            log.exception("loading step 3 failed")
            self.compare.value = ('<p class="tw-error">Your boundaries can\'t be shown just '
                                  "now. Please reload the page in a moment.</p>")  # fmt: skip
            return
        keys, fresh = [k for k, _ in view.topics], set()
        if keys != list(self.boxes) or view.own_topics != self.own_topics:
            self.own_topics = view.own_topics
            n_custom = 0
            boxes = {}
            for key, title in view.topics:
                # Number custom topics within the couple: global ids would hint at others.
                n_custom += key.startswith("custom-")
                css = f"custom-{n_custom}" if key.startswith("custom-") else key
                if key not in self.boxes:
                    fresh.add(key)
                boxes[key] = self.boxes.get(key) or _TopicBox(self, key, title, css)
            self.boxes = boxes
            self.topics_box.children = list(boxes.values())
        for key in fresh | ({changed} & set(self.boxes)):
            self.boxes[key].load(view.mine.get(key), view.notes.get(key, ""))
        if not self.flagged:
            self.compare.value = compare_html(
                view.revealed, view.waiting_for_partner, view.waiting_for_me, self.other
            )
            self.agreement.refresh()
