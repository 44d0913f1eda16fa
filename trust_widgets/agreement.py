"""The boundary agreement: items both partners draft and both confirm."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from ._html import esc
from .boundaries import BoundaryError
from .store.engine import transaction
from .store.entries import AccessError, visible_entries
from .store.models import AgreementItem, Partner, Visibility

MAX_ITEMS = 50
FRAMING = (
    "Boundaries are about respect and emotional safety, not control. Each one should protect "
    "you both, and either of you can ask to revisit it."
)


def agreed(item: AgreementItem) -> bool:
    """Tell whether both partners have confirmed the item (only the couple can confirm)."""
    return len(set(item.confirmed_by or [])) >= 2


def items(engine: Engine, partner_id: int) -> list[AgreementItem]:
    """Return the couple's agreement items (always shared), oldest first."""
    return visible_entries(engine, partner_id, AgreementItem)


def add_item(engine: Engine, partner_id: int, text: str) -> AgreementItem:
    """Propose a boundary; it starts confirmed by its author only."""
    text = _clean(text)
    with transaction(engine) as s:
        me = s.get(Partner, partner_id)
        if me is None:
            raise AccessError("You are not signed in. Start again from the welcome page.")
        count = s.scalar(
            select(func.count())
            .select_from(AgreementItem)
            .where(AgreementItem.couple_id == me.couple_id)
        )
        if count >= MAX_ITEMS:
            raise BoundaryError(f"An agreement can hold up to {MAX_ITEMS} boundaries.")
        item = AgreementItem(
            couple_id=me.couple_id,
            author_id=me.id,
            text=text,
            visibility=Visibility.SHARED,
            confirmed_by=[me.id],
        )
        s.add(item)
        s.flush()
        return item


def _clean(text: str) -> str:
    text = text.strip()
    if not 1 <= len(text) <= 500:
        raise BoundaryError("A boundary needs 1 to 500 characters.")
    return text


def edit_item(engine: Engine, partner_id: int, item_id: int, text: str) -> bool:
    """Change an item's wording (author only); both must confirm the new wording again."""
    text = _clean(text)
    with transaction(engine) as s:
        item = _item_of_my_couple(s, partner_id, item_id)
        if item.author_id != partner_id:
            raise AccessError("Only the partner who proposed it can change it.")
        item.text, item.confirmed_by = text, [partner_id]
    return True


def _item_of_my_couple(s, partner_id: int, item_id: int) -> AgreementItem:
    me, item = s.get(Partner, partner_id), s.get(AgreementItem, item_id)
    if me is None or item is None or item.couple_id != me.couple_id:
        raise AccessError("This boundary can't be changed from here.")
    return item


def set_confirmed(engine: Engine, partner_id: int, item_id: int, confirmed: bool) -> bool:
    """Confirm, or take back a confirmation of, one of the couple's items; return ``confirmed``."""
    with transaction(engine) as s:
        item = _item_of_my_couple(s, partner_id, item_id)
        others = [p for p in item.confirmed_by or [] if p != partner_id]
        item.confirmed_by = [*others, partner_id] if confirmed else others
    return confirmed


def delete_item(engine: Engine, partner_id: int, item_id: int) -> bool:
    """Delete an item; only its author may."""
    with transaction(engine) as s:
        item = _item_of_my_couple(s, partner_id, item_id)
        if item.author_id != partner_id:
            raise AccessError("Only the partner who proposed it can delete it.")
        s.delete(item)
    return True


def printable_html(names: list[str], agreed_texts: list[str]) -> str:
    """Return a clean, self-contained, printable HTML page of the agreed boundaries."""
    rows = "".join(f"<li>{esc(t)}</li>" for t in agreed_texts) or (
        "<li>No boundary is agreed by both of you yet.</li>"
    )
    who = " and ".join(esc(n) for n in names)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        "<title>Our boundary agreement</title><style>body{font:16px/1.6 Georgia,serif;"
        "max-width:38rem;margin:2rem auto;padding:0 1rem}li{margin:.5rem 0}</style></head>"
        f"<body><h1>Our boundary agreement</h1><p>{who}</p><ol>{rows}</ol>"
        f"<p><em>{esc(FRAMING)}</em></p></body></html>"
    )
