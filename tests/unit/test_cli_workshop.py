"""``trust-workshop workshop``: create prints the secrets once; bad input exits with 2."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from trust_widgets.cli import app
from trust_widgets.store.engine import get_engine
from trust_widgets.workshops import list_workshops, workshop_for_key

runner = CliRunner()


@pytest.fixture
def db(tmp_path):
    return f"sqlite:///{tmp_path / 'cli.sqlite3'}"


def _key(output: str) -> str:
    return re.search(r"/tw/facilitate#(\S+)", output).group(1)


def test_create_prints_code_and_private_link(db):
    """Does create print a join code and a facilitator link that opens this workshop?"""
    result = runner.invoke(app, ["workshop", "create", "--name", "Tuesday", "--db", db])
    assert result.exit_code == 0, result.output
    assert re.search(r"Join code for couples:\s+[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", result.output)
    assert workshop_for_key(get_engine(db), _key(result.output)).name == "Tuesday"


def test_lifecycle_from_the_command_line(db):
    """Can a workshop be listed, closed, reopened, archived and given a new link?"""
    runner.invoke(app, ["workshop", "create", "--name", "A", "--db", db, "--min-cell", "8"])
    listed = runner.invoke(app, ["workshop", "list", "--db", db])
    assert "open" in listed.output and "A" in listed.output
    for cmd, status in (("close", "closed"), ("reopen", "open")):
        result = runner.invoke(app, ["workshop", cmd, "--id", "1", "--db", db])
        assert result.exit_code == 0, result.output
        assert list_workshops(get_engine(db))[0][0].status == status
    linked = runner.invoke(app, ["workshop", "link", "--id", "1", "--db", db])
    assert workshop_for_key(get_engine(db), _key(linked.output)).id == 1
    archived = runner.invoke(app, ["workshop", "archive", "--id", "1", "--db", db, "--yes"])
    assert archived.exit_code == 0
    again = runner.invoke(app, ["workshop", "reopen", "--id", "1", "--db", db])
    assert again.exit_code == 2 and "cannot be open" in again.output
    assert list_workshops(get_engine(db))[0][0].min_cell_size == 8


def test_archive_asks_first(db):
    """Does archive ask for confirmation, and change nothing on no?"""
    runner.invoke(app, ["workshop", "create", "--name", "A", "--db", db])
    result = runner.invoke(app, ["workshop", "archive", "--id", "1", "--db", db], input="n\n")
    assert result.exit_code == 1
    assert list_workshops(get_engine(db))[0][0].status == "open"


@pytest.mark.parametrize(
    "args",
    [
        ["workshop", "create", "--name", ""],
        ["workshop", "create", "--name", "A", "--min-cell", "2"],
        ["workshop", "create"],
        ["workshop", "close", "--id", "42"],
        ["workshop", "link", "--id", "42"],
        ["workshop", "create", "--name", "A", "--plan", "/no/such.json"],
    ],
)
def test_bad_input_exits_2_and_writes_nothing(db, args):
    """Do bad names, thresholds, ids and plan files exit with 2 and create nothing?"""
    result = runner.invoke(app, [*args, "--db", db])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert list_workshops(get_engine(db)) == []


def test_bad_plan_file_is_explained(db, tmp_path):
    """Is a plan that is not JSON, or not a plan, refused with the reason?"""
    broken = tmp_path / "plan.json"
    broken.write_text("{not json")
    result = runner.invoke(app, ["workshop", "create", "--name", "A", "--db", db, "--plan", broken])
    assert result.exit_code == 2 and "not valid JSON" in result.output
    broken.write_text(json.dumps({"sessions": "nope"}))
    result = runner.invoke(app, ["workshop", "create", "--name", "A", "--db", db, "--plan", broken])
    assert result.exit_code == 2 and "plan.json" in result.output
    assert list_workshops(get_engine(db)) == []
