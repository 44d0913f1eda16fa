"""Check-in import: every error named by row and field, and all or nothing under bad files."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError
from typer.testing import CliRunner

from trust_widgets import importer
from trust_widgets.cli import app
from trust_widgets.demo import create_demo
from trust_widgets.importer import import_file, validate_file, write_rows
from trust_widgets.store.engine import session_factory
from trust_widgets.store.models import CheckIn, Partner, Promise, Visibility

runner = CliRunner()
HEADER = "partner_id,day,predictability,dependability,faith,safety,anxiety,communication"
YESTERDAY = date.today() - timedelta(days=1)
LINE = re.compile(r"^  (row \d+|file), field \S+: .+$")


@pytest.fixture
def store(engine):
    """A store with two demo couples and three days of their check-ins."""
    create_demo(engine, couples=2, days=3, seed=1)
    with session_factory(engine)() as s:
        a, b, c = s.scalars(select(Partner.id).order_by(Partner.id).limit(3))
        own = s.scalars(select(Promise.id).where(Promise.author_id == a)).all()
        theirs = s.scalars(select(Promise.id).where(Promise.author_id == b)).first()
        stored = s.scalars(select(CheckIn.day).where(CheckIn.author_id == a)).first()
    return dict(engine=engine, a=a, b=b, c=c, own=own, theirs=theirs, stored=stored)


def count(engine) -> int:
    with session_factory(engine)() as s:
        return s.scalar(select(func.count(CheckIn.id)))


def run(engine, path, *args):
    return runner.invoke(app, ["import-checkins", str(path), "--db", str(engine.url), *args])


def row(pid, day=YESTERDAY, items="5,6,7,8,2,5", rest=""):
    return f"{pid},{day},{items}{rest}"


def bad_files(st):
    """(name, file bytes, [(row, field), ...] that the report must name)."""
    a, b, own = st["a"], st["b"], st["own"]
    good = row(a)
    return [
        ("wrong types", f"{HEADER}\n{row('x1')}\n{row(a, items='5,high,7,8,2,5')}\n"
         f"{row(a, '03/05/2026')}\n{row(b, items='5,6,7.5,8,2,5')}\n",
         [(2, "partner_id"), (3, "dependability"), (4, "day"), (5, "faith")]),
        ("out of range", f"{HEADER}\n{row(a, items='11,6,7,8,2,5')}\n"
         f"{row(b, items='5,6,7,8,-1,5')}\n{row(a, date.today() + timedelta(1))}\n"
         f"{row(b, '1999-12-31')}\n{row(st['c'], '2026-02-30')}\n",
         [(2, "predictability"), (3, "anxiety"), (4, "day"), (5, "day"), (6, "day")]),
        ("unknown partners and commitments", "\n".join([
            f"{HEADER},kept_commitment_ids",
            row(99999, rest=","),
            row(a, rest=f",{st['theirs']}"),
            row(b, YESTERDAY - timedelta(1), rest=",424242"),
            row(st["c"], rest=",x"),
            row(a, YESTERDAY - timedelta(2), rest=f",{own[0]};{own[0]}"),
         ]) + "\n",
         [(2, "partner_id"), (3, "kept_commitment_ids"), (4, "kept_commitment_ids"),
          (5, "kept_commitment_ids"), (6, "kept_commitment_ids")]),
        ("duplicate day in the file", f"{HEADER}\n{good}\n{row(b)}\n{good}\n", [(4, "day")]),
        ("duplicate day in the store", f"{HEADER}\n{row(a, st['stored'])}\n", [(2, "day")]),
        ("latin-1 bytes", f"{HEADER}\n{good}\n".encode() + b"2,2026-01-01,5,5,5,5,5,\xe9\n",
         [(3, "(encoding)")]),
        ("UTF-16 with a byte-order mark", f"{HEADER}\n{good}\n".encode("utf-16"),
         [(1, "(encoding)")]),
        ("UTF-16 without a byte-order mark", f"{HEADER}\n{good}\n".encode("utf-16-le"),
         [(1, "(encoding)"), (2, "(encoding)")]),
        ("empty file", b"", [(1, "(file)")]),
        ("blank lines only", b"\n\n", [(1, "(file)")]),
        ("header only", f"{HEADER}\n", [(2, "(file)")]),
        ("missing columns", HEADER.replace(",faith", "") + "\n1,2026-01-01,5,5,5,5,5\n",
         [(1, "faith")]),
        ("extra columns", f"{HEADER},mood\n{good},fine\n", [(1, "'mood'")]),
        ("repeated column", f"{HEADER},faith\n{good},5\n", [(1, "faith")]),
        ("semicolons", HEADER.replace(",", ";") + "\n", [(1, "(file)")]),
        ("ragged rows", f"{HEADER}\n{good}\n{row(b)},9\n{row(b)[:-2]}\n",
         [(3, "(row)"), (4, "(row)")]),
        ("broken quoting", f'{HEADER}\n{good}\n"{b},{YESTERDAY},5,5,5,5,5,5\n', [(3, "(row)")]),
        ("bad visibility", f"{HEADER},visibility\n{good},everyone\n", [(2, "visibility")]),
    ]  # fmt: skip


CASES = [
    "wrong types", "out of range", "unknown partners and commitments",
    "duplicate day in the file", "duplicate day in the store", "latin-1 bytes",
    "UTF-16 with a byte-order mark", "UTF-16 without a byte-order mark", "empty file",
    "blank lines only", "header only", "missing columns", "extra columns", "repeated column",
    "semicolons", "ragged rows", "broken quoting", "bad visibility",
]  # fmt: skip


@pytest.mark.parametrize("case", range(len(CASES)), ids=CASES)
def test_bad_file_writes_nothing(store, tmp_path, case):
    """Does each bad file exit 2, name each error's row and field, and write nothing?"""
    cases = bad_files(store)
    assert [c[0] for c in cases] == CASES
    name, content, expected = cases[case]
    path = tmp_path / "bad.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    before = count(store["engine"])
    result = run(store["engine"], path)
    assert result.exit_code == 2, (name, result.output)
    lines = result.output.splitlines()
    assert lines[0].startswith("Error: bad.csv:") and "nothing was imported" in lines[0]
    assert all(LINE.match(line) for line in lines[1:]), (name, result.output)
    for row_no, field in expected:
        assert f"row {row_no}, field {field}:" in result.output, (name, result.output)
    assert count(store["engine"]) == before


def test_huge_file_with_one_bad_row_near_the_end(engine, tmp_path):
    """Is a 200,000-row file with one bad row near its end refused whole, quickly?"""
    create_demo(engine, couples=200, days=0, seed=1)
    with session_factory(engine)() as s:
        partners = s.scalars(select(Partner.id)).all()
    days = [str(YESTERDAY - timedelta(days=d)) for d in range(500)]
    lines = [HEADER, *(f"{p},{d},5,6,7,8,2,5" for p in partners for d in days)]
    lines[-5] = lines[-5].replace(",8,2,", ",8,twelve,")
    path = tmp_path / "huge.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert len(lines) == 200_001
    result = run(engine, path)
    assert result.exit_code == 2
    assert f"row {len(lines) - 4}, field anxiety: must be a whole number" in result.output
    assert "1 problem" in result.output and count(engine) == 0


def test_errors_are_capped_and_cells_truncated(store, tmp_path):
    """Are only the first 200 errors listed, with a count of the rest and short quotes?"""
    long_cell = "A" * 5000
    rows = [
        row(store["a"], YESTERDAY - timedelta(d), items=f"{long_cell},6,7,8,2,5")
        for d in range(300)
    ]
    path = tmp_path / "many.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    result = run(store["engine"], path)
    assert result.exit_code == 2
    assert "300 problem(s)" in result.output and "... and 100 more." in result.output
    assert long_cell not in result.output and f"'{'A' * 40}'…" in result.output
    assert max(len(line) for line in result.output.splitlines()) < 200


@pytest.mark.parametrize("limit", ["MAX_BYTES", "MAX_ROWS"])
def test_size_limits(store, tmp_path, monkeypatch, limit):
    """Is a file over the size or row limit refused with a clear message?"""
    monkeypatch.setattr(importer, limit, 100 if limit == "MAX_BYTES" else 2)
    days = [YESTERDAY - timedelta(d) for d in range(5)]
    path = tmp_path / "big.csv"
    path.write_text("\n".join([HEADER, *(row(store["b"], d) for d in days)]) + "\n")
    before = count(store["engine"])
    result = run(store["engine"], path)
    assert result.exit_code == 2 and "split" in result.output
    assert re.search(r"(file|row \d+), field \(file\): ", result.output)
    assert count(store["engine"]) == before


def test_good_file_is_written_in_one_transaction(store, tmp_path):
    """Are all rows of a good file written, in one transaction, exactly as given?"""
    a, b, own, eng = store["a"], store["b"], store["own"], store["engine"]
    body = [
        " Partner_ID ,DAY,predictability,dependability,faith,safety,anxiety,communication,"
        "kept_commitment_ids,visibility",
        f"{a},{YESTERDAY},1,2,3,4,5,6,{own[0]},shared",
        "",
        f"{b},{YESTERDAY}, 10 ,0,10,0,10,0,,",
        f"{a},{YESTERDAY - timedelta(1)},5,5,5,5,5,5,, SHARED ",
    ]
    path = tmp_path / "good.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(body).encode() + b"\r\n")
    before, commits = count(eng), []
    assert run(eng, path, "--check").exit_code == 0 and count(eng) == before
    event.listen(eng, "commit", lambda conn: commits.append(1))
    result = import_file(eng, path)
    assert result.written == 3 and not result.errors and len(commits) == 1
    assert count(eng) == before + 3
    with session_factory(eng)() as s:
        got = s.scalars(select(CheckIn).where(CheckIn.day >= YESTERDAY - timedelta(1))).all()
    got = {(c.author_id, c.day): c for c in got}
    first = got[a, YESTERDAY]
    assert first.ratings == dict(zip(importer._items(), range(1, 7), strict=True))
    assert first.kept_promise_ids == [own[0]] and first.visibility == Visibility.SHARED
    assert first.instrument_version == "tw-checkin-1"
    assert got[b, YESTERDAY].visibility == Visibility.PRIVATE  # private unless the file says so
    assert got[a, YESTERDAY - timedelta(1)].visibility == Visibility.SHARED


def test_cli_reports_a_summary(store, tmp_path):
    """Does a good import exit 0 with a summary, and --check write nothing?"""
    path = tmp_path / "ok.csv"
    path.write_text(f"{HEADER}\n{row(store['a'])}\n{row(store['b'])}\n", encoding="utf-8")
    before = count(store["engine"])
    checked = run(store["engine"], path, "--check")
    assert checked.exit_code == 0 and "would import 2" in checked.output
    assert count(store["engine"]) == before
    result = run(store["engine"], path)
    assert result.exit_code == 0, result.output
    assert f"Imported 2 check-ins for 2 partner(s), {YESTERDAY} to {YESTERDAY}" in result.output
    assert count(store["engine"]) == before + 2
    again = run(store["engine"], path)  # now every row is a duplicate of the store
    assert again.exit_code == 2 and again.output.count("already has a check-in") == 2


def test_conflict_at_write_time_writes_nothing(store, tmp_path, monkeypatch):
    """If the store changes between validation and writing, is nothing written?"""
    eng = store["engine"]
    path = tmp_path / "race.csv"
    path.write_text(f"{HEADER}\n{row(store['b'])}\n{row(store['a'])}\n", encoding="utf-8")
    stale = validate_file(eng, path)
    other = tmp_path / "other.csv"
    other.write_text(f"{HEADER}\n{row(store['a'])}\n", encoding="utf-8")
    assert import_file(eng, other).written == 1
    before = count(eng)
    with pytest.raises(IntegrityError):
        write_rows(eng, stale[0])
    monkeypatch.setattr(importer, "validate_file", lambda *_: stale)
    result = import_file(eng, path)
    assert result.written == 0 and "changed during the import" in str(result.errors[0])
    assert count(eng) == before


@pytest.mark.parametrize(
    "args",
    [["import-checkins", "--help"], ["import-checkins", "/no/such.csv"], ["import-checkins"]],
)
def test_help_and_bad_arguments(args, tmp_path):
    """Does import-checkins answer --help, and exit 2 on a missing file or argument?"""
    result = runner.invoke(app, args, env={"TRUST_WIDGETS_DB": f"sqlite:///{tmp_path}/x.db"})
    assert result.exit_code == (0 if "--help" in args else 2), result.output


def test_flagged_partners_rows_stay_private_and_kept_ids_follow_the_form_rules(tmp_path):
    """Does the import keep a flagged partner's rows private, and refuse unkeepable ids?"""
    from datetime import date, timedelta

    from sqlalchemy import select

    from trust_widgets.checkins import add_commitment
    from trust_widgets.importer import import_file
    from trust_widgets.safety import QUESTIONS, save_screen
    from trust_widgets.store.engine import create_store_engine, session_factory
    from trust_widgets.store.migrate import upgrade
    from trust_widgets.store.models import CheckIn

    from ..conftest import make_couple

    engine = create_store_engine(f"sqlite:///{tmp_path / 'flag.sqlite3'}")
    upgrade(engine)
    couple = make_couple(engine)
    a = couple.a.partner_id
    save_screen(engine, a, {q.key: "no" for q in QUESTIONS} | {"afraid": "yes"})
    promise = add_commitment(engine, a, "Text at lunch", "daily")
    items = "predictability,dependability,faith,safety,anxiety,communication"
    day = date.today() - timedelta(days=1)
    early = promise.start_day - timedelta(days=400)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        f"partner_id,day,{items},kept_commitment_ids\n{a},{early},5,5,5,5,5,5,{promise.id}\n"
    )
    result = import_file(engine, bad)
    assert result.errors and "could not be kept" in str(result.errors)
    good = tmp_path / "good.csv"
    good.write_text(f"partner_id,day,{items},visibility\n{a},{day},5,5,5,5,5,5,shared\n")
    import_file(engine, good)
    with session_factory(engine)() as s:
        assert [c.visibility.value for c in s.scalars(select(CheckIn))] == ["private"]
