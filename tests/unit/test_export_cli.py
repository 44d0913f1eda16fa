"""``trust-workshop export``: clear errors, exit codes 2 and 1, and no partial output."""

from __future__ import annotations

import os
import re
import stat

import pytest
import typer
from typer.testing import CliRunner

from trust_widgets.cli_export import export
from trust_widgets.export import ExportError, export_store
from trust_widgets.export import writers as export_writers

from ._export_helpers import add_couple, add_workshop, new_store, read_rows

runner = CliRunner()
app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
app.command("export")(export)
app.command("other")(lambda: None)  # a second command, so "export" is a subcommand as in cli.py


@pytest.fixture
def store(tmp_path):
    engine = new_store(tmp_path)
    w = add_workshop(engine)
    for _ in range(3):
        add_couple(engine, w, days=4)
    engine.dispose()
    return tmp_path / "store.sqlite3"


class Said:
    """A run's exit code, and its output with rich's box drawing and line wrapping undone."""

    def __init__(self, result) -> None:
        self.exit_code = result.exit_code
        self.raw = result.output
        self.output = " ".join(re.sub("[│╭╮╰╯─]", " ", result.output).split())


def invoke(*args: str, tmp_path) -> Said:
    env = {"TRUST_WIDGETS_DB": f"sqlite:///{tmp_path}/never.sqlite3"}
    return Said(runner.invoke(app, ["export", *args], env=env))


def test_help_lists_the_options(tmp_path):
    """Does ``export --help`` name every option of the agreed signature?"""
    result = invoke("--help", tmp_path=tmp_path)
    assert result.exit_code == 0
    for option in ("--out", "--db", "--key-file", "--k", "--force", "--include-demo", "--weekday"):
        assert option in result.output
    assert "--date-shift-days" not in result.output  # dates are no longer exported at all


def test_export_succeeds_and_says_where_the_key_is(store, tmp_path):
    """Does a good run write the export, name the new key file, and never print the key?"""
    key = tmp_path / "keys" / "k.key"
    out = tmp_path / "out"
    args = ["--out", str(out), "--db", str(store), "--key-file", str(key), "--k", "3"]
    result = invoke(*args, tmp_path=tmp_path)
    assert result.exit_code == 0, result.output
    assert "Exported 24 check-ins of 3 couples" in result.output
    assert str(key) in result.raw
    assert key.read_text().strip() not in result.raw
    assert len(read_rows(out)) == 24
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_missing_store_is_refused_and_not_created(tmp_path):
    """Is a --db file that does not exist refused with exit 2, and left uncreated?"""
    missing = tmp_path / "nope.sqlite3"
    result = invoke("--out", str(tmp_path / "out"), "--db", str(missing), tmp_path=tmp_path)
    assert result.exit_code == 2
    assert "no store at" in result.output and "Traceback" not in result.output
    assert not missing.exists() and not (tmp_path / "out").exists()


def test_a_database_that_is_not_a_store_is_refused(tmp_path):
    """Is an existing file without the kit's tables refused with exit 2?"""
    other = tmp_path / "other.sqlite3"
    import sqlite3

    sqlite3.connect(other).execute("create table t (x)").connection.close()
    result = invoke("--out", str(tmp_path / "out"), "--db", str(other), tmp_path=tmp_path)
    assert result.exit_code == 2 and "not a Trust Workshop store" in result.output


def test_non_empty_folder_needs_force_and_force_keeps_other_files(store, tmp_path):
    """Is a non-empty --out refused without --force, and with it the export put beside?"""
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    base = ["--out", str(out), "--db", str(store), "--key-file", str(tmp_path / "k.key")]
    result = invoke(*base, "--k", "3", tmp_path=tmp_path)
    assert result.exit_code == 2 and "not empty" in result.output and "--force" in result.output
    assert not (out / "checkins.csv").exists()
    result = invoke(*base, "--k", "3", "--force", tmp_path=tmp_path)
    assert result.exit_code == 0, result.output
    assert (out / "notes.txt").read_text() == "mine"
    assert len(read_rows(out)) == 24
    result = invoke(*base, "--k", "3", tmp_path=tmp_path)
    assert result.exit_code == 2 and "earlier export" in result.output
    result = invoke(*base, "--k", "3", "--force", tmp_path=tmp_path)  # replaces the export
    assert result.exit_code == 0, result.output
    assert (out / "notes.txt").read_text() == "mine"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_force_refuses_files_it_did_not_write_with_exit_2(store, tmp_path):
    """With --force, are a user's report.md and checkins/ notes refused (exit 2), untouched?"""
    out = tmp_path / "project"
    (out / "checkins").mkdir(parents=True)
    (out / "report.md").write_text("my own report")
    (out / "checkins" / "my_raw_notes.txt").write_text("raw")
    args = ["--out", str(out), "--db", str(store), "--key-file", str(tmp_path / "k.key")]
    result = invoke(*args, "--k", "3", "--force", tmp_path=tmp_path)
    assert result.exit_code == 2, result.output
    assert "did not write" in result.output and "Traceback" not in result.output
    assert (out / "report.md").read_text() == "my own report"
    assert (out / "checkins" / "my_raw_notes.txt").read_text() == "raw"
    assert sorted(p.name for p in out.iterdir()) == ["checkins", "report.md"]


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_key_file_others_can_read_exits_2(store, tmp_path):
    """Is a group-readable key file refused with exit 2 and the chmod that fixes it?"""
    key = tmp_path / "k.key"
    key.write_text("ab" * 32)
    key.chmod(0o644)
    result = invoke("--out", str(tmp_path / "o"), "--db", str(store), "--key-file", str(key),
                    tmp_path=tmp_path)  # fmt: skip
    assert result.exit_code == 2 and "chmod 600" in result.output
    assert "ab" * 32 not in result.output
    assert not (tmp_path / "o").exists()


def test_unreadable_key_file_exits_2(store, tmp_path):
    """Is a key file that cannot be read as a key (here a folder) a clear exit-2 error?"""
    key = tmp_path / "k.key"
    key.mkdir()
    result = invoke("--out", str(tmp_path / "o"), "--db", str(store), "--key-file", str(key),
                    tmp_path=tmp_path)  # fmt: skip
    assert result.exit_code == 2 and "key file" in result.output


def test_key_file_inside_the_export_folder_is_refused(store, tmp_path):
    """Is a key file inside --out refused (it must never travel with the data)?"""
    out = tmp_path / "o"
    result = invoke("--out", str(out), "--db", str(store), "--key-file", str(out / "k.key"),
                    tmp_path=tmp_path)  # fmt: skip
    assert result.exit_code == 2 and "inside the export folder" in result.output


@pytest.mark.parametrize(
    "args",
    [["--k", "1"], ["--k", "2"], ["--k", "101"], ["--k", "many"], ["--date-shift-days", "364"]],
)
def test_bad_numbers_exit_2(store, tmp_path, args):
    """Are k below 3 (a group of one couple) or above 100, and the removed date shift, usage
    errors?"""
    result = invoke("--out", str(tmp_path / "o"), "--db", str(store), *args, tmp_path=tmp_path)
    assert result.exit_code == 2 and not (tmp_path / "o").exists()


def test_failed_export_leaves_nothing_behind(store, tmp_path, monkeypatch):
    """When the disk fails mid-export, is there no output folder and no temporary one?"""

    def full_disk(self, columns):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_writers.CheckinWriter, "write", full_disk)  # an unrunnable edge
    out = tmp_path / "o"
    args = ["--out", str(out), "--db", str(store), "--key-file", str(tmp_path / "k.key")]
    result = invoke(*args, "--k", "3", tmp_path=tmp_path)
    assert result.exit_code == 1
    assert "No space left" in result.output and "Traceback" not in result.output
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_failed_forced_export_keeps_the_old_one(store, tmp_path, monkeypatch):
    """With --force, does a failure leave the earlier export exactly as it was?"""
    from trust_widgets.store.engine import create_store_engine

    engine = create_store_engine(f"sqlite:///{store}")
    out = tmp_path / "o"
    export_store(engine, out, tmp_path / "k.key", k=3)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    monkeypatch.setattr(
        export_writers.CheckinWriter, "write", lambda self, c: (_ for _ in ()).throw(OSError(5))
    )
    with pytest.raises(ExportError):
        export_store(engine, out, tmp_path / "k.key", k=3, force=True)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
