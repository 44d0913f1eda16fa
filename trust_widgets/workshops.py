"""Creating workshops. A facilitator shares the join code; the store keeps only its hash."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from .identity import code_hash, new_code
from .store.engine import transaction
from .store.models import Workshop


@dataclass(frozen=True)
class NewWorkshop:
    id: int
    name: str
    join_code: str


def add_workshop(session: Session, name: str, *, is_demo: bool = False) -> NewWorkshop:
    """Add a workshop within the caller's transaction; return its join code."""
    name = name.strip()
    if not 1 <= len(name) <= 120:
        raise ValueError("A workshop name needs 1 to 120 characters.")
    code = new_code()
    workshop = Workshop(name=name, join_code_hash=code_hash(code), is_demo=is_demo)
    session.add(workshop)
    session.flush()
    return NewWorkshop(id=workshop.id, name=workshop.name, join_code=code)


def create_workshop(engine: Engine, name: str, *, is_demo: bool = False) -> NewWorkshop:
    """Create a workshop and return its join code (shown once, stored hashed)."""
    with transaction(engine) as s:
        return add_workshop(s, name, is_demo=is_demo)
