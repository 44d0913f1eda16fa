"""The viewer of a page: which partner this browser is signed in as, if any."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from ._request import DeviceSession, device_session
from .identity import partner_for_token


@dataclass(frozen=True)
class Viewer:
    """A signed-in partner, as much as a page needs to know."""

    partner_id: int
    name: str
    couple_id: int
    partner_name: str | None  # None until the other partner has joined
    workshop_name: str | None
    is_demo: bool
    active: int  # which token on this device is in use
    device_names: tuple[str, ...]  # partners signed in on this device, in token order


def viewer_from_session(engine: Engine, session: DeviceSession) -> Viewer | None:
    """Resolve a device session to a viewer; tokens of different couples are ignored."""
    me = partner_for_token(engine, session.active_token)
    if me is None:
        return None
    names = []
    for token in session.tokens:
        other = partner_for_token(engine, token)
        names.append(other.display_name if other and other.couple_id == me.couple_id else "")
    others = [p for p in me.couple.partners if p.id != me.id]
    workshop = me.couple.workshop
    return Viewer(
        partner_id=me.id,
        name=me.display_name,
        couple_id=me.couple_id,
        partner_name=others[0].display_name if others else None,
        workshop_name=workshop.name if workshop else None,
        is_demo=bool(workshop and workshop.is_demo),
        active=session.active,
        device_names=tuple(names) if all(names) else (me.display_name,),
    )


def current_viewer(engine: Engine) -> Viewer | None:
    """Return the viewer of the page being rendered, from the request's cookies."""
    return viewer_from_session(engine, device_session())
