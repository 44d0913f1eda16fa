"""``trust-workshop export``: the research export as a command (see trust_widgets.export)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._cli_common import DbOption, db_url_from
from .suppression import MAX_K, MIN_K


def export(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Folder to write the export to: new or empty (or an earlier export, with "
            "--force).",
            show_default=False,
        ),
    ],
    db: DbOption = None,
    key_file: Annotated[
        Path | None,
        typer.Option(
            "--key-file",
            help="Secret key for the pseudonyms; made (mode 0600) if missing. Keep it apart "
            "from the export. Default: research-export.key in your user data folder.",
            show_default=False,
        ),
    ] = None,
    k: Annotated[
        int,
        typer.Option(
            "--k",
            min=MIN_K,
            max=MAX_K,
            help="Each workshop and region shown covers at least k partners, each couple "
            "pattern k/2 couples (rounded up); the report hides counts below k.",
        ),
    ] = 5,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace an earlier export in --out (other files stay; files under the "
            "export's names that no export wrote are refused).",
        ),
    ] = False,
    include_demo: Annotated[
        bool,
        typer.Option("--include-demo", help="Also export demo workshops (made-up couples)."),
    ] = False,
    weekday: Annotated[
        bool,
        typer.Option(
            "--weekday",
            help="Add a weekday column: the real ISO weekday of each check-in (1 = Monday). "
            "It releases the weekday of each couple's first check-in; no export has dates.",
        ),
    ] = False,
) -> None:
    """Export consented, shared check-ins for research: pseudonymised, k-anonymous, no text."""
    try:
        from .export import ExportError, ExportInputError, default_key_path, export_store
    except ImportError as exc:  # pyarrow comes with the 'research' extra
        typer.echo(
            f"Error: the research export needs {exc.name or 'pyarrow'}: "
            "pip install -e '.[research]'",
            err=True,
        )
        raise typer.Exit(1) from None

    engine = _open_store(db_url_from(db))
    try:
        report = export_store(
            engine,
            out,
            key_file,
            k=k,
            force=force,
            include_demo=include_demo,
            weekday=weekday,
        )
    except ExportInputError as exc:
        raise typer.BadParameter(str(exc), param_hint=exc.option) from None
    except ExportError as exc:
        typer.echo(f"Error: {exc}. Nothing was written to {out}.", err=True)
        raise typer.Exit(1) from None
    except Exception as exc:  # no traceback for researchers; the class name helps a bug report
        typer.echo(
            f"Error: the export failed ({exc.__class__.__name__}). Nothing was written.", err=True
        )
        raise typer.Exit(1) from None
    finally:
        engine.dispose()
    if report.key_created:
        typer.echo(
            f"Made a new pseudonym key: {key_file or default_key_path()} (readable by you only). "
            "Keep it apart from the export, and keep it: the same key gives the same pseudonyms "
            "next time."
        )
    _say_withheld(report)
    if not report.rows_out:
        typer.echo(
            f"No check-ins could be exported ({report.couples_both_consented} couples with both "
            f"partners' consent, {report.checkins_suppressed} rows suppressed for k = {k}). "
            f"The empty export and its report are in {out}."
        )
        return
    demo = f" ({report.rows_out_demo} made-up demo rows)" if report.include_demo else ""
    typer.echo(
        f"Exported {report.rows_out} check-ins{demo} of {report.couples_exported} couples "
        f"({report.partners_exported} partners) to {out}; k = {report.k_achieved}, "
        f"{report.checkins_suppressed} rows suppressed. See {out / 'report.md'}."
    )


_WITHHELD = {
    "partners_without_consent": "partners without current consent",
    "partners_consent_outdated": "agreed to an outdated text",
    "partners_consent_declined": "declined",
    "partners_consent_withdrawn": "withdrawn",
    "partners_no_consent_record": "never asked",
    "checkins_private": "private check-ins",
    "checkins_no_consent": "check-ins without both partners' consent",
}


def _say_withheld(report) -> None:
    """Tell the operator the exact counts the report hides from researchers."""
    withheld = report.withheld()
    if withheld:
        counts = ", ".join(f"{_WITHHELD[name]} {n}" for name, n in withheld.items())
        typer.echo(
            f"For you only (hidden in the report, as fewer than k = {report.k_requested} "
            f"people or rows could be told apart): {counts}."
        )


def _open_store(url: str):
    """Open the store without creating or migrating it: an export only reads."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    from .export.source import missing_sqlite_file
    from .store.engine import create_store_engine

    try:
        missing = missing_sqlite_file(make_url(url))
    except ArgumentError as exc:
        raise typer.BadParameter(f"unusable database URL ({exc})", param_hint="--db") from None
    if missing is not None:
        raise typer.BadParameter(f"there is no store at {missing}", param_hint="--db")
    try:
        return create_store_engine(url)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise typer.BadParameter(f"unusable database URL ({exc})", param_hint="--db") from None
    except ImportError as exc:
        raise typer.BadParameter(
            f"the database driver is not installed ({exc.name})", param_hint="--db"
        ) from None
