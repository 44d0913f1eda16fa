"""Small builders shared by the forms: labelled inputs and their error slots."""

from __future__ import annotations

import logging

import ipywidgets as W
from sqlalchemy.exc import SQLAlchemyError

from ._html import esc

MAX_INPUT = 2000  # a ceiling on any synced text, far above every field's own limit
STORE_FAILED = "That didn't go through. Nothing was changed; please try again in a moment."


def text_input(form: str, field: str, label: str, *, area: bool = False, placeholder: str = ""):
    """Return a full-width input with a visible label and the class ``tw-<form>-<field>``."""
    cls = W.Textarea if area else W.Text
    widget = cls(
        description=label,
        placeholder=placeholder,
        continuous_update=True,
        style={"description_width": "initial"},
        layout=W.Layout(width="100%"),
    )
    widget.add_class("tw-field")
    widget.add_class(f"tw-{form}-{field}")
    return widget


def sign_in_hint(purpose: str) -> str:
    """The one sentence every form shows when nobody is signed in on this device."""
    return f'<p>Sign in on the <a href="00_welcome.ipynb">welcome page</a> {purpose}</p>'


def error_slot(form: str, field: str) -> W.HTML:
    """Return an empty message area for one field, class ``tw-error``."""
    slot = W.HTML("")
    slot.add_class("tw-error-slot")
    slot.add_class(f"tw-{form}-{field}-error")
    return slot


def show_error(slot: W.HTML, message: str | None) -> None:
    """Show ``message`` in ``slot`` (escaped), or clear it."""
    slot.value = f'<p class="tw-error" role="alert">{esc(message)}</p>' if message else ""


def button(label: str, *classes: str, style: str = "") -> W.Button:
    """Return a button carrying the given ``tw-`` classes."""
    b = W.Button(description=label, button_style=style, layout=W.Layout(width="auto"))
    for c in classes:
        b.add_class(c)
    return b


def clip(text: str | None) -> str:
    """Clip synced text to :data:`MAX_INPUT`; page users can set any synced trait."""
    return (text or "")[:MAX_INPUT]


def attempt(slot: W.HTML, expected: tuple[type[Exception], ...], fn, *args) -> bool:
    """Run one store action; on an ``expected`` error or a store error, show a calm message.

    ``expected`` errors carry messages written for users; anything from the store gets
    :data:`STORE_FAILED`, with the details in the server log only.
    """
    try:
        fn(*args)
    except expected as exc:
        show_error(slot, str(exc))
    except SQLAlchemyError as exc:
        from .identity import SignedOut  # not at import: the presenter never loads the store

        if isinstance(exc, SignedOut):  # signed out in another tab: say so, calmly
            show_error(slot, str(exc))
        else:
            logging.getLogger(__name__).exception("a save failed")
            show_error(slot, STORE_FAILED)
    else:
        return True
    return False
