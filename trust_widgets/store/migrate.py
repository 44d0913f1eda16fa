"""Schema versioning with Alembic, run from code so users never call ``alembic`` themselves."""

from __future__ import annotations

import threading
from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

_lock = threading.Lock()
_current: set[str] = set()


def alembic_config(engine: Engine | None = None) -> Config:
    """Return an Alembic config pointing at the migrations shipped in the package."""
    cfg = Config()
    cfg.set_main_option("script_location", str(files("trust_widgets") / "migrations"))
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def head_revision() -> str:
    """Return the newest schema revision this version of the kit knows."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """Return the schema revision the store is at, or ``None`` for an empty store."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Migrate the store to the newest revision; a no-op when it is already there."""
    key = engine.url.render_as_string(hide_password=False)
    if key in _current:
        return
    with _lock:
        if key in _current:
            return
        if current_revision(engine) != head_revision():
            cfg = alembic_config(engine)
            with engine.begin() as conn:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        _current.add(key)
