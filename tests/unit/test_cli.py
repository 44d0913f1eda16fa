"""The command line: help everywhere, clear errors with exit code 2, deterministic demos."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from trust_widgets.cli import app
from trust_widgets.config import ConfigError, default_db_path, resolve_db_url
from trust_widgets.store.engine import create_store_engine, session_factory
from trust_widgets.store.models import CheckIn, IStatement

runner = CliRunner()


@pytest.mark.parametrize("args", [["--help"], ["serve", "--help"], ["demo", "--help"]])
def test_every_command_has_help(args):
    """Does every command answer --help?"""
    result = runner.invoke(app, args)
    assert result.exit_code == 0 and "Usage" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["demo", "--couples", "0"],
        ["demo", "--days", "-1"],
        ["demo", "--couples", "many"],
        ["serve", "--port", "70000"],
        ["serve", "--notebooks", "/no/such/folder"],
        ["serve", "--db", "postgresql+nope://"],
        ["demo", "--db", "postgresql://nobody@127.0.0.1/none"],  # driver not installed
        ["frobnicate"],
    ],
)
def test_bad_arguments_exit_2(args, tmp_path):
    """Do bad arguments get a message and exit code 2, before anything starts?"""
    result = runner.invoke(app, args, env={"TRUST_WIDGETS_DB": f"sqlite:///{tmp_path}/x.db"})
    assert result.exit_code == 2, result.output
    assert "Error" in result.output or "Invalid" in result.output


def dump(url: str):
    with session_factory(create_store_engine(url))() as s:
        checkins = s.execute(select(CheckIn.day, CheckIn.ratings)).all()
        texts = s.scalars(select(IStatement.text)).all()
    return [tuple(c) for c in checkins], list(texts)


def test_demo_is_deterministic(tmp_path):
    """Does the same seed give the same data, and another seed other data?"""
    urls = [f"sqlite:///{tmp_path}/{n}.db" for n in "abc"]
    for url, seed in zip(urls, ["7", "7", "8"], strict=True):
        result = runner.invoke(
            app, ["demo", "--db", url, "--couples", "3", "--days", "10", "--seed", seed]
        )
        assert result.exit_code == 0, result.output
        assert "Join code:" in result.output
    assert dump(urls[0]) == dump(urls[1])
    assert dump(urls[0]) != dump(urls[2])


def test_store_resolution_order(monkeypatch, tmp_path):
    """Is the store --db, then TRUST_WIDGETS_DB, then a file in the user data folder?"""
    monkeypatch.setenv("TRUST_WIDGETS_DB", "sqlite:////tmp/from-env.db")
    assert resolve_db_url("sqlite:////tmp/from-flag.db") == "sqlite:////tmp/from-flag.db"
    assert resolve_db_url(None) == "sqlite:////tmp/from-env.db"
    monkeypatch.delenv("TRUST_WIDGETS_DB")
    assert resolve_db_url(None) == f"sqlite:///{default_db_path()}"
    assert "trust-workshop" in str(default_db_path())
    assert resolve_db_url(str(tmp_path / "plain.db")) == f"sqlite:///{tmp_path / 'plain.db'}"
    monkeypatch.chdir(tmp_path)  # kernels run elsewhere, so relative paths become absolute
    assert resolve_db_url("sqlite:///rel.db") == f"sqlite:///{tmp_path / 'rel.db'}"
    with pytest.raises(ConfigError):
        resolve_db_url("not a url://")


def test_serve_caps_kernels_by_default_and_zero_lifts_the_cap(tmp_path, monkeypatch):
    """Without --max-kernels, are kernels capped from memory; does 0 mean no cap?"""
    from trust_widgets.server import app as server_app
    from trust_widgets.server._room import default_max_kernels
    from trust_widgets.server.app import workshop_config

    seen = []
    monkeypatch.setattr(server_app, "run_server", lambda url, nb, **opts: seen.append(opts))
    db = ["--db", f"sqlite:///{tmp_path}/x.db", "--no-browser"]
    for extra in ([], ["--max-kernels", "0"], ["--max-kernels", "40"]):
        result = runner.invoke(app, ["serve", *db, *extra])
        assert result.exit_code == 0, result.output
    assert [opts["max_kernels"] for opts in seen] == [None, 0, 40]
    assert workshop_config("sqlite://").CappedKernelManager.max_kernels == default_max_kernels()
