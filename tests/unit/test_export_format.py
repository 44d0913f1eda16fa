"""Research export: the agreed files, a valid Data Package, and Parquet equal to the CSV."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta

import pyarrow.dataset as ds
import pytest
from frictionless import validate

from tests.conftest import make_couple
from tests.unit._progress_helpers import add_promise
from trust_widgets.consent import consent_text, record_decision
from trust_widgets.export import _decode
from trust_widgets.export.fields import COLUMNS, SORT_ORDER, export_fields
from trust_widgets.export.followthrough import Commitment, Day, count_days
from trust_widgets.progress_data import followthrough_days, weekly_followthrough
from trust_widgets.store.engine import transaction
from trust_widgets.store.models import CheckIn, Partner, Promise, Visibility

from ._export_helpers import add_couple, add_workshop, demo_store, new_store, read_rows, run_export

MONDAY = date(2025, 1, 6)


@pytest.mark.parametrize("weekday", [False, True], ids=["default", "weekday"])
def test_export_writes_the_agreed_files_and_a_valid_data_package(tmp_path, weekday):
    """Does the Data Package validate with frictionless, data included, with QIs declared,
    with and without the opt-in weekday column?"""
    engine = demo_store(tmp_path, couples=6, days=30)
    folder, report = run_export(engine, tmp_path, k=3, include_demo=True, weekday=weekday)
    names = {p.name for p in folder.iterdir()}
    assert names == {
        "checkins.csv", "checkins", "datapackage.json", "codebook.md", "report.json", "report.md"
    }  # fmt: skip
    result = validate(folder / "datapackage.json")
    assert result.valid, result.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((folder / "datapackage.json").read_text())
    for resource in package["resources"]:
        assert resource["quasiIdentifiers"] == ["workshop", "region"]
    schema = package["resources"][0]["schema"]
    columns = [f.name for f in export_fields(["weekday"] if weekday else [])]
    assert [f["name"] for f in schema["fields"]] == columns
    assert ("weekday" in columns) == weekday and "date" not in columns
    assert schema["primaryKey"] == ["workshop", "couple", "partner", "day_index"]
    assert all(f["description"] for f in schema["fields"])
    by_name = {f["name"]: f for f in schema["fields"]}
    assert by_name["faith"]["constraints"] == {"minimum": 0, "maximum": 10}
    assert by_name["day_index"]["unit"] == "days"
    assert package["resources"][1]["path"] == [
        p.relative_to(folder).as_posix() for p in sorted(folder.glob("checkins/*/*.parquet"))
    ]
    saved = json.loads((folder / "report.json").read_text())
    assert saved["rows_out"] == report.rows_out == len(read_rows(folder))
    codebook = (folder / "codebook.md").read_text()
    assert "not rows" in codebook and "no age" in codebook


def test_parquet_and_csv_hold_the_same_rows_in_the_agreed_order(tmp_path):
    """Read with Hive partitioning, is the Parquet the CSV, row for row?"""
    engine = demo_store(tmp_path, couples=8, days=25)
    folder, _ = run_export(engine, tmp_path, k=3, include_demo=True)
    csv_rows = read_rows(folder)
    keys = [tuple(r[c] for c in SORT_ORDER) for r in csv_rows]
    assert keys == sorted(keys, key=lambda k: (k[0], k[1], int(k[2]), int(k[3])))
    table = ds.dataset(folder / "checkins", format="parquet", partitioning="hive").to_table()
    parquet_rows = [
        {c: "" if row[c] is None else str(row[c]) for c in COLUMNS} for row in table.to_pylist()
    ]
    assert sorted(map(sorted_items, parquet_rows)) == sorted(map(sorted_items, csv_rows))
    assert len(csv_rows) > 200


def sorted_items(row: dict) -> tuple:
    return tuple(sorted(row.items()))


def test_count_days_follows_the_step6_rules():
    """Daily on each day, weekdays on weekdays, weekly once a week, paused ones stop."""
    days = [MONDAY + timedelta(d) for d in (0, 2, 5, 6, 7, 9)]  # Mon Wed Sat Sun Mon Wed
    kept = {MONDAY + timedelta(2): {3}, MONDAY + timedelta(5): {1}}
    checkins = [Day(d, frozenset(kept.get(d, ())), None) for d in days]
    commitments = [
        Commitment(1, "daily", MONDAY, None),
        Commitment(2, "weekdays", MONDAY, MONDAY + timedelta(7)),  # paused after 2nd Monday
        Commitment(3, "weekly", MONDAY, None),
    ]
    out = count_days(checkins, commitments, today=MONDAY + timedelta(9))
    # Week 1: weekly kept on Wednesday (counted there); week 2 not over yet and not kept.
    assert out == [[2, 0], [3, 1], [1, 1], [1, 0], [2, 0], [1, 0]]
    out = count_days(checkins, commitments, today=MONDAY + timedelta(13))
    assert out[-1] == [2, 0]  # week 2 is over: its weekly one was due, on the last check-in
    recorded = [Day(MONDAY, frozenset(), frozenset({2}))]  # the check-in could tick only 2
    assert count_days(recorded, commitments, today=MONDAY) == [[1, 0]]


def test_weekly_sums_match_what_the_couple_sees_in_step_6(tmp_path):
    """Summed per ISO week, do due and kept equal step 6's follow-through for both partners?"""
    engine = new_store(tmp_path)
    couple = make_couple(engine)
    rng = random.Random(5)
    for viewer in (couple.a, couple.b):
        ids = [
            add_promise(engine, viewer, f, start=MONDAY) for f in ("daily", "weekdays", "weekly")
        ]
        with transaction(engine) as s:
            for t in range(60):
                if t and rng.random() < 0.2:
                    continue  # missed days
                s.add(
                    CheckIn(
                        couple_id=viewer.couple_id, author_id=viewer.partner_id,
                        day=MONDAY + timedelta(t), instrument_version="tw-checkin-1",
                        visibility=Visibility.SHARED, ratings={"faith": 5},
                        kept_promise_ids=[i for i in ids if rng.random() < 0.5],
                    )
                )  # fmt: skip
        record_decision(engine, viewer.partner_id, "agree", consent_text().version)
    for _ in range(2):  # company at home, so the couple is not suppressed for k
        add_couple(engine, None, days=3)
    folder, _ = run_export(engine, tmp_path, k=3, today=MONDAY + timedelta(100))
    rows = read_rows(folder)
    [ours] = {r["couple"] for r in rows if r["commitments_due"] != "0"}
    exported: dict[tuple, list[int]] = {}
    for r in (r for r in rows if r["couple"] == ours):
        day = MONDAY + timedelta(int(r["day_index"]))  # both checked in on day 0
        week = day - timedelta(day.weekday())
        who = "me" if r["partner_index"] == "1" else "partner"
        sums = exported.setdefault((week, who), [0, 0])
        sums[0] += int(r["commitments_due"])
        sums[1] += int(r["commitments_kept"])
    app = weekly_followthrough(
        followthrough_days(engine, couple.a.partner_id, today=MONDAY + timedelta(100))
    )
    expected = {
        (row.week.date(), row.who): [row.due, row.kept] for row in app.itertuples(index=False)
    }
    assert exported == expected


def test_an_export_with_nobody_consenting_is_empty_but_valid(tmp_path):
    """With no consent at all, is the export a header-only CSV in a valid Data Package?"""
    engine = new_store(tmp_path)
    w = add_workshop(engine)
    for _ in range(3):
        add_couple(engine, w, days=3, consent=(None, None))
    folder, report = run_export(engine, tmp_path, k=3)
    assert report.rows_out == 0 and report.k_achieved is None
    assert (folder / "checkins.csv").read_text().splitlines() == [",".join(COLUMNS)]
    assert validate(folder / "datapackage.json").valid
    assert report.partners_no_consent_record == 6


def test_odd_stored_values_are_left_empty_never_passed_through(tmp_path):
    """Are booleans, fractions, strings and out-of-range numbers left out of ratings and ids?"""
    engine = new_store(tmp_path)
    w = add_workshop(engine)
    pairs = [add_couple(engine, w, days=1) for _ in range(2)]
    a = pairs[0][0]
    with transaction(engine) as s:
        me = s.get(Partner, a)
        promise = Promise(couple_id=me.couple_id, author_id=a, title="t", frequency="daily",
                          start_day=MONDAY, visibility=Visibility.SHARED)  # fmt: skip
        s.add(promise)
        s.flush()
        s.add(
            CheckIn(
                couple_id=me.couple_id, author_id=a, day=date(2026, 1, 20),
                instrument_version="tw-checkin-1", visibility=Visibility.SHARED,
                ratings={"faith": True, "predictability": 7.5, "dependability": "8",
                         "safety": 11, "anxiety": -1, "communication": 3},
                kept_promise_ids=[True, 1.5, "x", promise.id], due_promise_ids=None,
            )
        )  # fmt: skip
    folder, report = run_export(engine, tmp_path, k=3, today=date(2026, 2, 1))
    [odd] = [r for r in read_rows(folder) if r["communication"] == "3"]
    assert [odd[i] for i in ("faith", "predictability", "dependability", "safety", "anxiety")] == [
        ""
    ] * 5
    assert (odd["commitments_due"], odd["commitments_kept"]) == ("1", "1")
    assert report.ratings_missing == 5


@pytest.mark.parametrize(
    ("stored", "ids"),
    [
        ("[]", set()), ("null", set()), (None, set()), ("[1, 2]", {1, 2}), ("[-1]", {-1}),
        ('[true, 1.5, "x", 3]', {3}), (" [4] ", {4}), ("[1_000]", set()), ("broken", set()),
        ("[", set()), ("{}", set()), ([5, True], {5}),  # a driver that decodes JSON itself
    ],
)  # fmt: skip
def test_stored_id_lists_are_read_strictly(stored, ids):
    """Does the reader take only whole-number ids, whatever the stored JSON holds?"""
    assert _decode.ids(stored) == ids


def test_stored_json_that_is_broken_reads_as_missing():
    """Is a broken JSON value read as missing, and a decoded one passed as it is?"""
    assert _decode.json_value('{"faith": 5}') == {"faith": 5}
    assert _decode.json_value(' {"faith": 5} ') == {"faith": 5}
    assert _decode.json_value("{faith: 5") is None
    assert _decode.json_value({"faith": 5}) == {"faith": 5}


def test_report_json_has_the_agreed_names_and_no_secrets(tmp_path):
    """Does report.json carry rows in/out/suppressed, k and consent counts, and no key?"""
    engine = demo_store(tmp_path, couples=3, days=10)
    folder, report = run_export(engine, tmp_path, k=3, include_demo=True)
    saved = json.loads((folder / "report.json").read_text())
    for name in ("rows_in", "rows_out", "rows_suppressed", "k_achieved", "kit_version",
                 "exported_at", "instrument_versions", "partners_consent_granted"):  # fmt: skip
        assert name in saved
    assert saved["rows_in"] == report.checkins_in_store
    key = (tmp_path / "export.key").read_text().strip()
    assert key not in json.dumps(saved) and "key" not in {k.lower() for k in saved}
