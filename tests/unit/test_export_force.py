"""``--force`` replaces an earlier export only: files the export did not write are never touched."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from trust_widgets.export import ExportInputError, _owned, export_store
from trust_widgets.export import writers as export_writers

from ._export_helpers import add_couple, add_workshop, new_store, read_rows

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def engine(tmp_path):
    engine = new_store(tmp_path)
    w = add_workshop(engine)
    for _ in range(3):
        add_couple(engine, w, days=4)
    yield engine
    engine.dispose()


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (links as their target text), by relative path."""
    out = {}
    for p in sorted(folder.rglob("*")):
        rel = p.relative_to(folder).as_posix()
        if p.is_symlink():
            out[rel] = os.readlink(p).encode()
        elif p.is_file():
            out[rel] = p.read_bytes()
    return out


def export(engine, tmp_path, out: Path, **options):
    return export_store(engine, out, tmp_path / "k.key", k=3, **options)


def no_hidden_folders(tmp_path: Path) -> bool:
    return [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_users_own_report_and_notes_survive_force(engine, tmp_path):
    """Are a user's report.md and checkins/my_raw_notes.txt kept, and the export refused?"""
    out = tmp_path / "project"
    (out / "checkins").mkdir(parents=True)
    (out / "report.md").write_text("# My own report\n")
    (out / "checkins" / "my_raw_notes.txt").write_text("raw notes")
    before = tree(out)
    with pytest.raises(ExportInputError, match="did not write") as err:
        export(engine, tmp_path, out, force=True)
    assert err.value.option == "--out"
    assert "report.md" in str(err.value) and "checkins/my_raw_notes.txt" in str(err.value)
    assert tree(out) == before
    assert no_hidden_folders(tmp_path)


def test_force_replaces_an_earlier_export_and_leaves_other_files(engine, tmp_path):
    """Does --force replace an earlier export while a file beside it stays as it was?"""
    out = tmp_path / "out"
    export(engine, tmp_path, out)
    (out / "notes.txt").write_text("mine")
    (out / "checkins.csv").write_text("workshop,couple,partner,stale\n")  # ours, edited
    report = export(engine, tmp_path, out, force=True)
    assert (out / "notes.txt").read_text() == "mine"
    assert len(read_rows(out)) == report.rows_out == 24
    assert no_hidden_folders(tmp_path)


@pytest.mark.parametrize(
    "spoil",
    [
        lambda out: (out / "checkins" / "mine.txt").write_text("x"),
        lambda out: (out / "checkins" / "workshop=mine").mkdir(),
        lambda out: next((out / "checkins").glob("*/*.parquet")).write_bytes(b"not parquet"),
        lambda out: next((out / "checkins").glob("*")).joinpath("part-x.parquet").write_text(""),
        lambda out: (out / "report.json").write_text('{"my": "data"}'),
        lambda out: (out / "report.md").write_text("# Minutes of our meeting\n"),
        lambda out: (out / "codebook.md").write_text("my codebook\n"),
        lambda out: (out / "datapackage.json").write_text('{"name": "my-package"}'),
        lambda out: (out / "checkins.csv").write_text("name,phone\n"),
        lambda out: (out / "report.json").unlink(),
    ],
    ids=[
        "file",
        "folder",
        "bad-parquet",
        "bad-part-name",
        "report.json",
        "report.md",
        "codebook",
        "datapackage",
        "csv",
        "no-report",
    ],
)
def test_an_earlier_export_with_foreign_files_is_refused_whole(engine, tmp_path, spoil):
    """If anything under the export's names was not written by it, is nothing changed?"""
    out = tmp_path / "out"
    export(engine, tmp_path, out)
    spoil(out)
    before = tree(out)
    with pytest.raises(ExportInputError, match="Nothing was changed"):
        export(engine, tmp_path, out, force=True)
    assert tree(out) == before
    assert no_hidden_folders(tmp_path)


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_a_link_under_an_export_name_is_refused(engine, tmp_path):
    """Is report.md as a link to the user's file refused, link and file kept?"""
    out = tmp_path / "out"
    export(engine, tmp_path, out)
    mine = tmp_path / "mine.md"
    mine.write_text("keep")
    (out / "report.md").unlink()
    (out / "report.md").symlink_to(mine)
    with pytest.raises(ExportInputError, match="a link"):
        export(engine, tmp_path, out, force=True)
    assert (out / "report.md").is_symlink() and mine.read_text() == "keep"


def test_force_into_a_folder_without_export_names_adds_the_export(engine, tmp_path):
    """With --force and only other files present, is the export added beside them?"""
    out = tmp_path / "out"
    out.mkdir()
    (out / "readme.txt").write_text("mine")
    export(engine, tmp_path, out, force=True)
    assert (out / "readme.txt").read_text() == "mine"
    assert (out / "report.json").is_file()


def test_without_force_an_earlier_export_is_named(engine, tmp_path):
    """Without --force, does the refusal say the folder holds an earlier export?"""
    out = tmp_path / "out"
    export(engine, tmp_path, out)
    with pytest.raises(ExportInputError, match="earlier export; add --force"):
        export(engine, tmp_path, out)


def test_a_file_dropped_in_during_the_export_stops_the_swap(engine, tmp_path, monkeypatch):
    """Is the folder checked again just before the swap, the old export then kept whole?"""
    out = tmp_path / "out"
    export(engine, tmp_path, out)
    write = export_writers.CheckinWriter.write

    def meanwhile(self, columns):  # the user saves a file while the export runs
        (out / "checkins" / "notes.txt").write_text("mine")
        write(self, columns)

    monkeypatch.setattr(export_writers.CheckinWriter, "write", meanwhile)  # a timing edge
    with pytest.raises(ExportInputError, match=r"notes\.txt"):
        export(engine, tmp_path, out, force=True)
    assert (out / "checkins" / "notes.txt").read_text() == "mine"
    assert json.loads((out / "report.json").read_text())["rows_out"] == 24
    assert no_hidden_folders(tmp_path)


def test_the_bundled_demo_export_counts_as_an_earlier_export():
    """Is an export written by the kit (data/demo-export) recognised?"""
    folder = REPO / "data" / "demo-export"
    assert _owned.present(folder) and _owned.foreign(folder) == []


def test_an_export_from_before_dates_were_dropped_is_replaced(engine, tmp_path):
    """Is an export of the earlier format (a shifted date column, date_shift_days in the
    report) still recognised, and replaced by --force with one that has no date?"""
    out = tmp_path / "old"
    export(engine, tmp_path, out)
    report = json.loads((out / "report.json").read_text())
    (out / "report.json").write_text(json.dumps({**report, "date_shift_days": 364}))
    csv = (out / "checkins.csv").read_text().splitlines()
    header = csv[0].replace("day_index,", "day_index,date,")
    (out / "checkins.csv").write_text("\n".join([header, *csv[1:]]) + "\n")
    assert _owned.foreign(out) == []
    export(engine, tmp_path, out, force=True)
    assert "date" not in read_rows(out)[0]
    assert "date_shift_days" not in json.loads((out / "report.json").read_text())
