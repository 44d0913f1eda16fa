"""Where the store lives: ``--db``, then ``TRUST_WIDGETS_DB``, then a per-user SQLite file."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

ENV_DB = "TRUST_WIDGETS_DB"
APP_NAME = "trust-workshop"


class ConfigError(ValueError):
    """A setting the user gave cannot be used."""


def default_db_path() -> Path:
    """Return the default SQLite file in the user's data directory (never inside the repo)."""
    return user_data_path(APP_NAME, appauthor=False) / "workshop.sqlite3"


def resolve_db_url(cli_value: str | None = None) -> str:
    """Pick the store URL from the command line, the environment, or the default.

    Parameters
    ----------
    cli_value
        The ``--db`` option, if given.

    Returns
    -------
    str
        A SQLAlchemy URL. A bare file path is accepted and turned into a SQLite URL.
    """
    raw = cli_value or os.environ.get(ENV_DB) or ""
    if not raw.strip():
        return f"sqlite:///{default_db_path()}"
    return normalise_db_url(raw.strip())


def normalise_db_url(raw: str) -> str:
    """Accept a SQLAlchemy URL or a path to a SQLite file; reject anything else clearly."""
    if "://" not in raw:
        return f"sqlite:///{Path(raw).expanduser().resolve()}"
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise ConfigError(f"Not a database URL: {raw!r} ({exc})") from None
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        # Page kernels run in notebooks/, so a relative path would name another file there.
        url = url.set(database=str(Path(url.database).expanduser().resolve()))
    return url.render_as_string(hide_password=False)


def is_default_store(url: str) -> bool:
    """Tell whether ``url`` is the built-in default store."""
    return url == f"sqlite:///{default_db_path()}"
