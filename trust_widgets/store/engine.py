"""Engines and sessions for any SQLAlchemy URL, with SQLite tuned for a small multi-user app."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from ..config import resolve_db_url

BUSY_TIMEOUT_MS = 5000


def _on_sqlite_connect(dbapi_conn, _record) -> None:
    # WAL lets the app read while one kernel writes; the busy timeout makes a second writer
    # wait instead of failing; SQLite leaves foreign keys off unless asked, per connection.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def create_store_engine(url: str) -> Engine:
    """Create an engine for ``url``; on SQLite, create the folder and apply the pragmas.

    ``hide_parameters`` keeps what users wrote out of error messages and the server log.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000}, hide_parameters=True
        )
        event.listen(engine, "connect", _on_sqlite_connect)
        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


@lru_cache(maxsize=8)
def _cached_engine(url: str) -> Engine:
    return create_store_engine(url)


def get_engine(url: str | None = None, *, migrate: bool = True) -> Engine:
    """Return the process-wide engine for ``url`` (default: the resolved store URL).

    Parameters
    ----------
    url
        A SQLAlchemy URL; ``None`` resolves it from the environment.
    migrate
        Bring the schema up to date first. With ``False`` (page kernels, where the server
        has already migrated at start-up) only a store without a schema is migrated, which
        spares every page the import of Alembic.
    """
    engine = _cached_engine(url or resolve_db_url())
    if migrate or not inspect(engine).has_table("alembic_version"):
        from .migrate import upgrade

        upgrade(engine)
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return a session factory whose objects stay readable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """Run one save in one transaction: all of it is written, or none of it."""
    with session_factory(engine).begin() as session:
        yield session


def is_empty(engine: Engine) -> bool:
    """Tell whether the store holds no workshop yet (or no tables at all)."""
    if not inspect(engine).has_table("workshops"):
        return True
    from sqlalchemy import select

    from .models import Workshop

    with session_factory(engine)() as session:
        return session.scalar(select(Workshop.id).limit(1)) is None
