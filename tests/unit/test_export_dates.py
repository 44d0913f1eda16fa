"""Research export: no calendar date, no date shift to recover, and a truthful demo count.

The attack this replays: exports used to carry each check-in's date shifted back by a
per-couple shift derived from the key. Commitments for weekdays are not due on Saturday and
Sunday, so ``commitments_due`` dipped on the two shifted weekdays that were the real weekend,
which gave every couple's shift modulo 7 (364 possible shifts cut to 52), and the same key
gave the same shift in every later export. Exports now carry ``day_index`` and no date; an
opt-in ``weekday`` column gives the real weekday and nothing more.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from datetime import date, timedelta

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from frictionless import validate

from trust_widgets.export import export_store
from trust_widgets.export.fields import COLUMNS, OPT_IN, export_fields
from trust_widgets.store.engine import transaction
from trust_widgets.store.models import Partner, Promise, Visibility

from ._export_helpers import (
    START,
    add_couple,
    add_workshop,
    all_text,
    new_store,
    read_rows,
    run_export,
)

DAYS = 42  # six weeks of daily check-ins
# Each couple starts on another weekday (Monday to Saturday); the last starts on a Monday
# ten weeks after the first, so two couples differ in calendar date and in nothing else.
OFFSETS = (0, 8, 16, 24, 32, 40, 70)
STARTS = tuple(START + timedelta(days=d) for d in OFFSETS)
PSEUDONYMS = ("workshop", "couple", "partner")
ISO_DATE = re.compile(rb"(?<![0-9])[0-9]{4}-[0-9]{2}-[0-9]{2}(?![0-9])")


def weekday_store(tmp_path, name: str = "store"):
    """Consenting couples who check in daily, each partner with a shared weekday commitment.

    Returns the store and, per couple, the real day of its first check-in.
    """
    engine = new_store(tmp_path, name)
    workshop = add_workshop(engine)
    for start in STARTS:
        ids = add_couple(engine, workshop, days=DAYS, start=start)
        with transaction(engine) as s:
            for pid in ids:
                me = s.get(Partner, pid)
                for frequency in ("weekdays", "daily"):
                    s.add(
                        Promise(
                            couple_id=me.couple_id, author_id=pid, title=f"{frequency} walk",
                            frequency=frequency, start_day=start, visibility=Visibility.SHARED,
                        )
                    )  # fmt: skip
    return engine


def by_couple(rows: list[dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        out[row["couple"]].append(row)
    return out


def weekend_guess(rows: list[dict[str, str]]) -> int:
    """The attack on one couple: the two day_index residues (mod 7) where commitments_due dips.

    Returns the weekday (ISO, 1 = Monday) this makes of the couple's day_index 0: the
    residue of its Saturday is the one followed by the other dip (its Sunday).
    """
    due: dict[int, list[int]] = defaultdict(list)
    for r in rows:
        due[int(r["day_index"]) % 7].append(int(r["commitments_due"]))
    mean = {residue: sum(v) / len(v) for residue, v in due.items()}
    low = sorted(mean, key=mean.__getitem__)[:2]
    saturday = next(r for r in low if (r + 1) % 7 in low)
    return (5 - saturday) % 7 + 1


def without_pseudonyms(rows: list[dict[str, str]]) -> Counter:
    """Each couple's rows with the pseudonyms taken out, as a multiset of couples."""
    return Counter(
        tuple(tuple(v for k, v in r.items() if k not in PSEUDONYMS) for r in couple)
        for couple in by_couple(rows).values()
    )


def test_a_default_export_has_no_column_a_date_or_shift_can_be_read_from(tmp_path):
    """Does any column, or any value in the CSV, hold a calendar date? No: day_index only."""
    engine = weekday_store(tmp_path)
    folder, report = run_export(engine, tmp_path, today=START + timedelta(days=200))
    header = (folder / "checkins.csv").read_text().splitlines()[0].split(",")
    assert tuple(header) == COLUMNS and report.rows_out == len(STARTS) * 2 * DAYS
    assert not {"date", "weekday"} & set(header)
    assert not ISO_DATE.search((folder / "checkins.csv").read_bytes())
    for path in folder.rglob("*.parquet"):
        types = pq.read_schema(path).types
        assert not [t for t in types if pa.types.is_temporal(t)]
    # Nowhere in the export is there a date but the day it was made (report, data package).
    made = report.exported_at[:10].encode()
    assert set(ISO_DATE.findall(all_text(folder).encode())) <= {made}
    package = json.loads((folder / "datapackage.json").read_text())
    assert "dateShiftDays" not in package["trustWorkshop"]
    assert "date_shift_days" not in json.loads((folder / "report.json").read_text())


def test_the_weekday_dip_recovers_at_most_the_real_weekday_never_a_shift(tmp_path):
    """Does the weekday-dip attack on commitments_due recover a shift or a date? No: at most
    the real weekday of a couple's first check-in, which the export owns up to; two couples
    that started ten weeks apart on the same weekday are indistinguishable."""
    engine = weekday_store(tmp_path)
    folder, _ = run_export(engine, tmp_path, today=START + timedelta(days=200))
    couples = by_couple(read_rows(folder))
    assert len(couples) == len(STARTS)
    guesses = sorted(weekend_guess(rows) for rows in couples.values())
    # The dip still gives each couple's real starting weekday away (commitments_due has
    # always half-revealed it): exactly that, and the codebook says so.
    assert guesses == sorted(start.isoweekday() for start in STARTS)
    assert "half-reveals" in (folder / "codebook.md").read_text()
    # But nothing ties day_index to the calendar: the couples that started on 5 January and on
    # 16 March, both Mondays, gave the same rows but for their pseudonyms.
    blocks = without_pseudonyms(read_rows(folder))
    assert sorted(blocks.values()) == [1] * (len(STARTS) - 2) + [2]


def test_the_key_no_longer_moves_anything_but_pseudonyms(tmp_path):
    """Under another key, does any column but the pseudonyms change, as the key-derived shift
    did? No: every other column is identical, and no shift can be set at all."""
    engine = weekday_store(tmp_path)
    today = START + timedelta(days=200)
    a, _ = run_export(engine, tmp_path, "a", key="a.key", today=today)
    b, _ = run_export(engine, tmp_path, "b", key="b.key", today=today)
    rows_a, rows_b = read_rows(a), read_rows(b)
    assert not {r["couple"] for r in rows_a} & {r["couple"] for r in rows_b}
    assert without_pseudonyms(rows_a) == without_pseudonyms(rows_b)
    with pytest.raises(TypeError):
        export_store(engine, tmp_path / "c", tmp_path / "a.key", date_shift_days=364)


def test_weekday_opt_in_adds_only_the_real_weekday(tmp_path):
    """With weekday=True, is the one new column the real ISO weekday, consistent with
    day_index, declared in the schema and codebook, and still no date? Yes."""
    engine = weekday_store(tmp_path)
    folder, report = run_export(engine, tmp_path, weekday=True, today=START + timedelta(200))
    assert report.opt_in_columns == ["weekday"] and {"weekday"} == OPT_IN
    header = (folder / "checkins.csv").read_text().splitlines()[0].split(",")
    expected = [f.name for f in export_fields(["weekday"])]
    assert header == expected == [*COLUMNS[:6], "weekday", *COLUMNS[6:]]
    assert not ISO_DATE.search((folder / "checkins.csv").read_bytes())
    starts = {s.isoweekday() for s in STARTS}
    first_weekdays = []
    for rows in by_couple(read_rows(folder)).values():
        origin = {(int(r["weekday"]) - 1 - int(r["day_index"])) % 7 for r in rows}
        assert len(origin) == 1  # one real weekday of day_index 0 per couple
        first_weekdays.append(origin.pop() + 1)
        assert weekend_guess(rows) == first_weekdays[-1]  # what the dip gave away anyway
    assert set(first_weekdays) == starts
    assert validate(folder / "datapackage.json").valid
    package = json.loads((folder / "datapackage.json").read_text())
    fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    assert fields["weekday"]["constraints"] == {"required": True, "minimum": 1, "maximum": 7}
    assert package["trustWorkshop"]["optInColumns"] == ["weekday"]
    assert "real ISO weekday" in package["resources"][0]["description"]
    codebook = (folder / "codebook.md").read_text()
    assert "| `weekday` | integer |" in codebook and "never releases a calendar date" in codebook
    for path in folder.rglob("*.parquet"):
        assert pq.read_schema(path).names == [c for c in header if c != "workshop"]


def test_weekday_must_be_a_real_yes(tmp_path):
    """Does a truthy non-boolean (say the string "no") switch the weekday column on? No."""
    engine = weekday_store(tmp_path)
    with pytest.raises(ValueError, match="True or False"):
        run_export(engine, tmp_path, weekday="no")
    assert not (tmp_path / "out").exists()


def demo_and_real_store(tmp_path):
    engine = new_store(tmp_path)
    real, demo = add_workshop(engine), add_workshop(engine, "Demo", is_demo=True)
    for _ in range(3):
        add_couple(engine, real, days=3)
        add_couple(engine, demo, days=4)
    return engine


def test_report_says_how_many_exported_rows_are_demo_data(tmp_path):
    """With include_demo, does report.md say demo rows were exported, and how many, rather
    than "in demo workshops: 0"? Yes; without it, it counts the demo rows left out."""
    engine = demo_and_real_store(tmp_path)
    folder, report = run_export(engine, tmp_path, k=3, include_demo=True)
    demo_rows = 3 * 2 * 4
    assert report.rows_out == 3 * 2 * 3 + demo_rows and report.rows_out_demo == demo_rows
    per_workshop = Counter(r["workshop"] for r in read_rows(folder))
    assert sorted(per_workshop.values()) == [18, demo_rows]  # the count is the demo's rows
    text = (folder / "report.md").read_text()
    assert f"| of these, made-up rows of demo workshops | {demo_rows} |" in text
    assert f"Demo workshops included: {demo_rows} of the {report.rows_out} rows" in text
    assert not re.search(r"in demo workshops[^|]*\| 0 \|", text)
    assert json.loads((folder / "report.json").read_text())["rows_out_demo"] == demo_rows

    folder, report = run_export(engine, tmp_path, "no-demo", k=3)
    assert report.rows_out == 18 and report.rows_out_demo == 0
    text = (folder / "report.md").read_text()
    assert f"| in demo workshops (made-up data), left out | {demo_rows} |" in text
    assert "made-up rows of demo workshops" not in text and "left out." in text


def test_a_real_store_export_does_not_claim_demo_rows(tmp_path):
    """In a store without demo workshops, does include_demo report 0 made-up rows? Yes."""
    engine = new_store(tmp_path)
    w = add_workshop(engine)
    for _ in range(3):
        add_couple(engine, w, days=2, start=date(2026, 2, 2))
    folder, report = run_export(engine, tmp_path, k=3, include_demo=True)
    assert report.rows_out == 12 and report.rows_out_demo == 0
    assert "| of these, made-up rows of demo workshops | 0 |" in (folder / "report.md").read_text()
