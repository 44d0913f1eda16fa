"""Step 3's form: private answers per topic, the mutual reveal, and the agreement."""

from __future__ import annotations

import base64
import logging

import ipywidgets as W
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from . import agreement as agr
from ._forms import STORE_FAILED, button, clip, error_slot, show_error, text_input
from ._html import esc
from .boundaries import ANSWER_LABELS, ANSWERS, BoundaryError, add_topic, board, save_answer
from .context import Viewer
from .store.entries import AccessError
from .store.models import Visibility

log = logging.getLogger(__name__)
FORM = "boundaries"
OUTCOME_TEXT = {"agree": "You agree", "differ": "You differ", "discuss": "Talk about it first"}
_FAILURES = (BoundaryError, AccessError)


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


class BoundaryBuilder(W.VBox):
    """Private answers by topic, the mutual reveal, and the couple's agreement.

    ``flagged``: this partner's private safety check raised a red flag, so the page offers
    no reveal and no joint agreement; the answers stay a private reflection.
    """

    def __init__(self, engine: Engine, viewer: Viewer | None, flagged: bool = False) -> None:
        super().__init__()
        self.engine, self.viewer, self.flagged = engine, viewer, flagged
        self.add_class(f"tw-{FORM}")
        if viewer is None:
            self.children = [
                W.HTML(
                    '<p>Sign in on the <a href="00_welcome.ipynb">welcome page'
                    "</a> to record your boundaries.</p>"
                )
            ]
            return
        self.other = viewer.partner_name or "your partner"
        self.topics_box, self.compare, self.agreement_box = W.VBox(), W.HTML(), W.VBox()
        self.compare.add_class(f"tw-{FORM}-comparison")
        self.new_topic = text_input(FORM, "new-topic", "Add a topic of your own")
        self.topic_error = error_slot(FORM, "new-topic")
        add = button("Add topic", f"tw-{FORM}-add-topic")
        add.on_click(lambda _: self._add_topic())
        parts = [
            W.HTML(
                "<h3>1. Your answers, in private</h3><p>For each topic, choose what is okay "
                "for you. Your answers and notes are private; notes are never shown.</p>"
            ),
            self.topics_box,
            W.HTML(
                "<p>Topics you add are visible to both of you, so add only what you are "
                "happy for your partner to see.</p>"
            ),
            self.new_topic,
            self.topic_error,
            add,
        ]
        if not flagged:
            parts += [
                W.HTML("<h3>2. Side by side</h3>"),
                self.compare,
                W.HTML(f"<h3>3. Your agreement</h3><p><em>{esc(agr.FRAMING)}</em></p>"),
                self.agreement_box,
            ]
        self.children = parts
        self.refresh()

    # -- answers -------------------------------------------------------------------------
    def _topic_box(self, key: str, title: str, saved) -> W.Widget:
        answer = W.ToggleButtons(
            options=ANSWERS,
            value=saved.answer if saved else None,
            description=title,
            style={"description_width": "initial"},
        )
        answer.add_class("tw-field")
        answer.add_class(f"tw-{FORM}-answer")
        note = text_input(FORM, "note", "A note for yourself (optional, never shown)")
        note.value = saved.note if saved else ""
        reveal = W.Checkbox(
            value=bool(saved and saved.visibility == Visibility.SHARED),
            description="Reveal my answer once we have both answered",
            indent=False,
        )
        reveal.add_class(f"tw-{FORM}-reveal")
        if self.flagged:
            reveal.value, reveal.layout.display = False, "none"
        err = error_slot(FORM, "answer")
        save = button("Save", "tw-save", f"tw-{FORM}-save")

        def on_save(_):
            self._save(key, answer.value, clip(note.value), reveal.value, err)

        save.on_click(on_save)
        box = W.VBox([answer, note, reveal, save, err])
        box.add_class("tw-card")
        box.add_class(f"tw-{FORM}-topic-{key}")
        return box

    def _save(self, key, answer, note, reveal, err) -> None:
        show_error(err, None)
        if answer is None:
            show_error(err, "Please choose one of the answers.")
            return
        if self._try(
            err,
            save_answer,
            self.engine,
            self.viewer.partner_id,
            key,
            answer,
            note,
            reveal and not self.flagged,
        ):
            self.refresh()

    def _add_topic(self) -> None:
        show_error(self.topic_error, None)
        if self._try(
            self.topic_error,
            add_topic,
            self.engine,
            self.viewer.partner_id,
            clip(self.new_topic.value),
        ):
            self.new_topic.value = ""
            self.refresh()

    def _try(self, slot, fn, *args) -> bool:
        """Run one store action; show a calm message and return False if it fails."""
        try:
            fn(*args)
        except _FAILURES as exc:
            show_error(slot, str(exc))
        except SQLAlchemyError:
            log.exception("step 3 save failed")
            show_error(slot, STORE_FAILED)
        else:
            return True
        return False

    # -- agreement -----------------------------------------------------------------------
    def _agreement_rows(self) -> list[W.Widget]:
        me = self.viewer.partner_id
        couple = agr.items(self.engine, me)
        rows, agreed_texts = [], []
        for item in couple:
            both = agr.agreed(item)
            if both:
                agreed_texts.append(item.text)
            status = (
                "Agreed by both of you"
                if both
                else (
                    "Waiting for your confirmation"
                    if me not in item.confirmed_by
                    else f"Waiting for {self.other}"
                )
            )
            confirm = button(
                "Take back my confirmation" if me in item.confirmed_by else "Confirm",
                "tw-agreement-confirm",
            )
            confirm.on_click(
                lambda _, i=item.id, c=me not in item.confirmed_by: self._confirm(i, c)
            )
            row = [
                W.HTML(
                    f'<p class="tw-agreement-text">{esc(item.text)} '
                    f'<span class="tw-badge">{status}</span></p>'
                ),
                confirm,
            ]
            if item.author_id == me:
                remove = button("Delete", "tw-agreement-delete")
                remove.on_click(lambda _, i=item.id: self._delete(i))
                row.append(remove)
            box = W.HBox(row)
            box.add_class("tw-agreement-item")
            rows.append(box)
        names = [
            self.viewer.name,
            *([self.viewer.partner_name] if self.viewer.partner_name else []),
        ]
        page = agr.printable_html(names, agreed_texts)
        href = "data:text/html;base64," + base64.b64encode(page.encode()).decode()
        printable = W.HTML(
            f'<p><a class="tw-agreement-print" download="boundary-agreement.html" '
            f'href="{href}">Download the printable agreement</a></p>'
        )
        self.agreement_text = text_input(
            "agreement", "text", "Propose a boundary in your own words"
        )
        self.agreement_error = error_slot("agreement", "text")
        add = button("Propose", "tw-save", "tw-agreement-add")
        add.on_click(lambda _: self._propose())
        return [*rows, self.agreement_text, self.agreement_error, add, printable]

    def _propose(self) -> None:
        show_error(self.agreement_error, None)
        if self._try(
            self.agreement_error,
            agr.add_item,
            self.engine,
            self.viewer.partner_id,
            clip(self.agreement_text.value),
        ):
            self.refresh()

    def _confirm(self, item_id: int, confirmed: bool) -> None:
        if self._try(
            self.agreement_error,
            agr.set_confirmed,
            self.engine,
            self.viewer.partner_id,
            item_id,
            confirmed,
        ):
            self.refresh()

    def _delete(self, item_id: int) -> None:
        self._try(
            self.agreement_error, agr.delete_item, self.engine, self.viewer.partner_id, item_id
        )
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the page's sections from the store."""
        try:
            view = board(self.engine, self.viewer.partner_id)
            self.topics_box.children = [
                self._topic_box(k, t, view.mine.get(k)) for k, t in view.topics
            ]
            if not self.flagged:
                self.compare.value = compare_html(
                    view.revealed, view.waiting_for_partner, view.waiting_for_me, self.other
                )
                self.agreement_box.children = self._agreement_rows()
        except SQLAlchemyError:
            log.exception("loading step 3 failed")
            self.compare.value = (
                '<p class="tw-error">Your boundaries can\'t be shown just now. '
                "Please reload the page in a moment.</p>"
            )
