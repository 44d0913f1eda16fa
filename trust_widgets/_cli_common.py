"""Options and helpers shared by the ``trust-workshop`` commands."""

from __future__ import annotations

from typing import Annotated

import typer

from .config import ConfigError, resolve_db_url

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="SQLAlchemy URL or SQLite file path of the store. "
        "Default: $TRUST_WIDGETS_DB, else a SQLite file in your user data folder.",
        show_default=False,
    ),
]


def db_url_from(value: str | None) -> str:
    try:
        return resolve_db_url(value)
    except ConfigError as exc:
        raise typer.BadParameter(str(exc), param_hint="--db") from None


def open_store(url: str):
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

    from .store.engine import get_engine

    try:
        return get_engine(url)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise typer.BadParameter(f"unusable database URL ({exc})", param_hint="--db") from None
    except ImportError as exc:
        raise typer.BadParameter(
            f"the database driver is not installed ({exc.name}); for PostgreSQL: "
            "pip install -e '.[postgres]'",
            param_hint="--db",
        ) from None
    except (SQLAlchemyError, OSError) as exc:
        typer.echo(f"Error: cannot open the store at {url}: {exc.__class__.__name__}", err=True)
        raise typer.Exit(1) from None
