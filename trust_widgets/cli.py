"""The ``trust-workshop`` command line: serve the app, make demo data, import check-ins."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._cli_common import DbOption, db_url_from, open_store
from .cli_export import export
from .cli_workshop import workshop_app
from .config import is_default_store
from .server._quota import DEFAULT_PER_ADDRESS, DEFAULT_PER_DEVICE

app = typer.Typer(
    help="Trust Workshop Kit: a guided workshop for couples rebuilding trust.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(workshop_app, name="workshop")
app.command("export")(export)


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
    max_kernels: Annotated[
        int | None,
        typer.Option(
            min=0,
            help="Most page kernels at once; further pages wait for one (0: no cap). "
            "Default: half this computer's memory at 80 MiB a kernel, and at least 20.",
        ),
    ] = None,
    kernels_per_device: Annotated[
        int,
        typer.Option(
            min=0,
            help="Most page kernels one device holds at once; more get a calm page (0: no limit).",
        ),
    ] = DEFAULT_PER_DEVICE,
    kernels_per_address: Annotated[
        int,
        typer.Option(
            min=0,
            help="Most page kernels one network address holds at once (0: no limit). Raise "
            "it when a whole room reaches the server through one address.",
        ),
    ] = DEFAULT_PER_ADDRESS,
    trusted_proxy: Annotated[
        list[str] | None,
        typer.Option(
            help="Address or network of a reverse proxy whose X-Forwarded-For names the "
            "client (repeatable). Without it, forwarding headers are ignored.",
        ),
    ] = None,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            help="Another host name couples use to reach this server (repeatable; '.example.org' "
            "allows its subdomains). Loopback, this computer's names and --url are allowed.",
        ),
    ] = None,
    url: Annotated[
        str | None,
        typer.Option(help="The address couples open, e.g. http://workshop.lan:8866/."),
    ] = None,
) -> None:
    """Serve the workshop app with Voilà (landing page at /)."""
    from .server._client import parse_networks
    from .server.app import default_notebooks_dir, run_server
    from .store.engine import is_empty

    try:
        parse_networks(trusted_proxy or ())
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--trusted-proxy") from None
    db_url = db_url_from(db)
    engine = open_store(db_url)
    notebooks = notebooks or default_notebooks_dir()
    if not (notebooks / "00_welcome.ipynb").is_file():
        raise typer.BadParameter(f"no workshop notebooks in {notebooks}", param_hint="--notebooks")
    if (with_demo or is_default_store(db_url)) and is_empty(engine):
        from .demo import create_demo
        from .workshops import facilitator_link

        summary = create_demo(engine)
        shown_host = "127.0.0.1" if host in {"0.0.0.0", "::", ""} else host  # noqa: S104
        link = facilitator_link(f"http://{shown_host}:{port}", summary.workshop.facilitator_key)
        typer.echo(
            f"Created a demo workshop with {summary.couples} couples.\n"
            f"Facilitator view of the demo (made-up data): {link}"
        )
    typer.echo(f"Trust Workshop at http://{host}:{port}/  (press Ctrl+C to stop)")
    run_server(
        db_url,
        notebooks,
        host=host,
        port=port,
        open_browser=not no_browser,
        cull_idle_seconds=cull_idle,
        preheat=preheat,
        max_kernels=max_kernels,
        kernels_per_device=kernels_per_device,
        kernels_per_address=kernels_per_address,
        trusted_proxies=tuple(trusted_proxy or ()),
        allowed_hosts=tuple(allowed_host or ()),
        public_url=url,
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
    from .workshops import facilitator_link

    summary = create_demo(open_store(db_url_from(db)), couples=couples, days=days, seed=seed)
    typer.echo(
        f"Created '{summary.workshop.name}' with {summary.couples} couples, "
        f"{summary.statements} I-statements and {summary.checkins} check-ins.\n"
        f"Join code: {summary.workshop.join_code}\n"
        "Facilitator link (private): "
        + facilitator_link("http://127.0.0.1:8866", summary.workshop.facilitator_key)
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

    result = import_file(open_store(db_url_from(db)), file, dry_run=check)
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
