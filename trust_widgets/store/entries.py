"""Reading and writing partners' entries. The one place that decides who sees what.

A partner sees their own entries, private or shared, and the other partner's shared
entries. Nobody sees another couple's entries. Only the author may edit or delete.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import Engine, or_, select

from ..coach import compose_statement
from .engine import session_factory, transaction
from .models import ALWAYS_PRIVATE, EntryMixin, IStatement, Partner, Visibility

if TYPE_CHECKING:
    from ..schemas import IStatementIn

E = TypeVar("E", bound=EntryMixin)


class AccessError(PermissionError):
    """The partner may not touch this entry. The message is safe to show."""


def _viewer(session, partner_id: int) -> Partner:
    partner = session.get(Partner, partner_id)
    if partner is None:
        raise AccessError("You are not signed in. Start again from the welcome page.")
    return partner


def visible_entries(engine: Engine, partner_id: int, model: type[E]) -> list[E]:
    """Return the entries of ``model`` that this partner may see, oldest first."""
    with session_factory(engine)() as s:
        me = _viewer(s, partner_id)
        query = (
            select(model)
            .where(model.couple_id == me.couple_id)
            .where(or_(model.author_id == me.id, model.visibility == Visibility.SHARED))
            .order_by(model.created_at, model.id)
        )
        if model in ALWAYS_PRIVATE:
            query = query.where(model.author_id == me.id)
        return list(s.scalars(query))


def _owned(session, partner_id: int, model: type[E], entry_id: int) -> E:
    entry = session.get(model, entry_id)
    if entry is None or entry.author_id != partner_id:
        # Same answer whether the entry is missing or someone else's: no probing.
        raise AccessError("This entry can't be changed from here.")
    return entry


def save_istatement(
    engine: Engine, partner_id: int, data: IStatementIn, entry_id: int | None = None
) -> IStatement:
    """Create or update an I-statement by its author, in one transaction."""
    with transaction(engine) as s:
        me = _viewer(s, partner_id)
        entry = (
            _owned(s, me.id, IStatement, entry_id)
            if entry_id is not None
            else IStatement(couple_id=me.couple_id, author_id=me.id)
        )
        entry.feel, entry.when = data.feel, data.when
        entry.because, entry.need = data.because, data.need
        entry.visibility = data.visibility
        entry.text = compose_statement(data.feel, data.when, data.because, data.need)
        s.add(entry)
        s.flush()
        return entry


def delete_entry(engine: Engine, partner_id: int, model: type[EntryMixin], entry_id: int) -> None:
    """Delete one of the partner's own entries."""
    with transaction(engine) as s:
        s.delete(_owned(s, partner_id, model, entry_id))
