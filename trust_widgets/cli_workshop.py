"""``trust-workshop workshop ...``: set up and run group workshops from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ._cli_common import DbOption, db_url_from, open_store

workshop_app = typer.Typer(
    help="Create and manage group workshops (a join code for couples, a private facilitator "
    "link for you).",
    no_args_is_help=True,
)

IdOption = Annotated[int, typer.Option("--id", help="The workshop's number (see `list`).")]
UrlOption = Annotated[
    str,
    typer.Option(
        "--url",
        help="The address couples and you open: the server's, as `serve` prints it.",
    ),
]


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


def _read_plan(path: Path) -> dict:
    from .session_plan import PlanError, load_plan, plan_to_dict

    try:
        return plan_to_dict(load_plan(path))
    except PlanError as exc:
        raise typer.BadParameter(str(exc), param_hint="--plan") from None


def _print_secrets(join_code: str | None, key: str, url: str) -> None:
    from .workshops import facilitator_link

    if join_code:
        typer.echo(f"Join code for couples:  {join_code}")
    typer.echo(
        f"Facilitator link (keep it private; shown only now):\n  {facilitator_link(url, key)}"
    )


@workshop_app.command("create")
def create(
    name: Annotated[str, typer.Option("--name", help="The workshop's name, shown to couples.")],
    db: DbOption = None,
    min_cell: Annotated[
        int,
        typer.Option(
            "--min-cell",
            min=3,
            max=100,
            help="Smallest group the dashboard shows; smaller counts are hidden.",
        ),
    ] = 5,
    plan: Annotated[
        Path | None,
        typer.Option(
            "--plan",
            help="Session plan JSON (default: the 3-session plan in data/session-plans).",
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    url: UrlOption = "http://127.0.0.1:8866",
) -> None:
    """Create a workshop; print its join code and your private facilitator link."""
    from .workshops import WorkshopError, create_workshop

    session_plan = _read_plan(plan) if plan else None
    try:
        new = create_workshop(
            open_store(db_url_from(db)), name, min_cell_size=min_cell, session_plan=session_plan
        )
    except WorkshopError as exc:
        raise typer.BadParameter(str(exc), param_hint="--name") from None
    typer.echo(f'Created workshop {new.id}: "{new.name}".')
    _print_secrets(new.join_code, new.facilitator_key, url)


@workshop_app.command("list")
def list_(db: DbOption = None) -> None:
    """List the workshops in the store, with their status and number of couples."""
    from .workshops import list_workshops

    rows = list_workshops(open_store(db_url_from(db)))
    if not rows:
        typer.echo("No workshops yet. Create one with: trust-workshop workshop create --name ...")
        return
    for info, couples in rows:
        demo = " (demo)" if info.is_demo else ""
        typer.echo(
            f"{info.id:>4}  {info.status.value:<8}  {couples:>3} couple(s)  "
            f"{info.created_at:%Y-%m-%d}  {info.name}{demo}"
        )


def _move(workshop_id: int, db: str | None, status: str, said: str) -> None:
    from .workshops import WorkshopError, set_status

    try:
        info = set_status(open_store(db_url_from(db)), workshop_id, status)
    except WorkshopError as exc:
        _fail(str(exc), 2)
    typer.echo(f'Workshop {info.id} "{info.name}" {said}.')


@workshop_app.command("close")
def close(workshop_id: IdOption, db: DbOption = None) -> None:
    """Stop new couples from joining (couples already in carry on)."""
    _move(workshop_id, db, "closed", "is closed to new couples")


@workshop_app.command("reopen")
def reopen(workshop_id: IdOption, db: DbOption = None) -> None:
    """Let new couples join a closed workshop again."""
    _move(workshop_id, db, "open", "is open for new couples")


@workshop_app.command("archive")
def archive(
    workshop_id: IdOption,
    db: DbOption = None,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Archive a finished workshop for good: its join code stops working forever."""
    if not yes:
        typer.confirm(f"Archive workshop {workshop_id}? This cannot be undone", abort=True)
    _move(workshop_id, db, "archived", "is archived")


@workshop_app.command("link")
def link(
    workshop_id: IdOption, db: DbOption = None, url: UrlOption = "http://127.0.0.1:8866"
) -> None:
    """Make a new facilitator link (for a lost one); the old link stops working."""
    from .workshops import WorkshopError, replace_facilitator_key

    try:
        key = replace_facilitator_key(open_store(db_url_from(db)), workshop_id)
    except WorkshopError as exc:
        _fail(str(exc), 2)
    _print_secrets(None, key, url)
