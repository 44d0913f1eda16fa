"""The ``trust-workshop`` command line: serve the app, make demo data, import check-ins."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .config import ConfigError, is_default_store, resolve_db_url

app = typer.Typer(
    help="Trust Workshop Kit: a guided workshop for couples rebuilding trust.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="SQLAlchemy URL or SQLite file path of the store. "
        "Default: $TRUST_WIDGETS_DB, else a SQLite file in your user data folder.",
        show_default=False,
    ),
]


def _db_url(value: str | None) -> str:
    try:
        return resolve_db_url(value)
    except ConfigError as exc:
        raise typer.BadParameter(str(exc), param_hint="--db") from None


def _engine(url: str):
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


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8866,
    db: DbOption = None,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Do not open a browser.")
    ] = False,
    with_demo: Annotated[
        bool, typer.Option("--with-demo", help="Create the demo workshop if the store has none.")
    ] = False,
    notebooks: Annotated[
        Path | None,
        typer.Option(help="Folder of workshop notebooks.", file_okay=False, exists=True),
    ] = None,
    cull_idle: Annotated[
        int, typer.Option(min=10, help="Seconds before a kernel with no open page is shut down.")
    ] = 300,
    preheat: Annotated[
        int, typer.Option(min=0, max=8, help="Preheated kernels per notebook (0: off).")
    ] = 0,
) -> None:
    """Serve the workshop app with Voilà (landing page at /)."""
    from .server.app import default_notebooks_dir, run_server
    from .store.engine import is_empty

    url = _db_url(db)
    engine = _engine(url)
    notebooks = notebooks or default_notebooks_dir()
    if not (notebooks / "00_welcome.ipynb").is_file():
        raise typer.BadParameter(f"no workshop notebooks in {notebooks}", param_hint="--notebooks")
    if (with_demo or is_default_store(url)) and is_empty(engine):
        from .demo import create_demo

        summary = create_demo(engine)
        typer.echo(f"Created a demo workshop with {summary.couples} couples.")
    typer.echo(f"Trust Workshop at http://{host}:{port}/  (press Ctrl+C to stop)")
    run_server(
        url,
        notebooks,
        host=host,
        port=port,
        open_browser=not no_browser,
        cull_idle_seconds=cull_idle,
        preheat=preheat,
    )


@app.command()
def demo(
    db: DbOption = None,
    couples: Annotated[int, typer.Option(min=1, max=500, help="Number of couples.")] = 6,
    days: Annotated[int, typer.Option(min=0, max=3650, help="Days of check-ins.")] = 28,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same data.")] = 1,
    sample_out: Annotated[
        Path | None,
        typer.Option(
            "--sample-out",
            help="Write checkins.csv and datapackage.json to this folder instead of a store.",
            file_okay=False,
        ),
    ] = None,
) -> None:
    """Create a demo workshop with synthetic couples and entries (see docs/demo-data.md)."""
    if sample_out is not None:
        from .demo import write_sample

        paths = write_sample(sample_out, couples=couples, days=days, seed=seed)
        typer.echo("Wrote " + " and ".join(str(p) for p in paths) + ".")
        return
    from .demo import create_demo

    summary = create_demo(_engine(_db_url(db)), couples=couples, days=days, seed=seed)
    typer.echo(
        f"Created '{summary.workshop.name}' with {summary.couples} couples, "
        f"{summary.statements} I-statements and {summary.checkins} check-ins.\n"
        f"Join code: {summary.workshop.join_code}"
    )


@app.command("import-checkins")
def import_checkins(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV file of check-ins, UTF-8 (format: docs/demo-data.md).",
            exists=True,
            dir_okay=False,
            readable=True,
        ),
    ],
    db: DbOption = None,
    check: Annotated[
        bool, typer.Option("--check", help="Only validate the file; write nothing.")
    ] = False,
) -> None:
    """Import daily check-ins from a CSV file: all rows, or none if any row is bad."""
    from .importer import import_file

    result = import_file(_engine(_db_url(db)), file, dry_run=check)
    if result.errors.total:
        errors = result.errors
        typer.echo(
            f"Error: {file.name}: {errors.total} problem(s); nothing was imported.", err=True
        )
        for e in errors:
            typer.echo(f"  {e}", err=True)
        if errors.total > len(errors):
            typer.echo(f"  ... and {errors.total - len(errors)} more.", err=True)
        raise typer.Exit(2)
    first, last = result.days or ("-", "-")
    verb = "All rows are valid: would import" if check else "Imported"
    typer.echo(
        f"{verb} {result.written} check-ins for {result.partners} partner(s), "
        f"{first} to {last}, from {file.name}."
    )


def main() -> None:
    """Console-script entry point."""
    app()
