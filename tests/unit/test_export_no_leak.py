"""Research export: nothing anyone wrote, no token, no key, no internal id ever gets out."""

from __future__ import annotations

from datetime import timedelta

import pyarrow.parquet as pq
from sqlalchemy import JSON, String, Text, select, update

from tests.conftest import make_couple
from trust_widgets.export.fields import COLUMNS
from trust_widgets.identity import hash_secret
from trust_widgets.store.engine import transaction
from trust_widgets.store.models import (
    AgreementItem,
    Base,
    Boundary,
    BoundaryTopic,
    CheckIn,
    Partner,
    Promise,
    Reflection,
    SafetyScreen,
    Visibility,
)

from ._export_helpers import START, decide, demo_store, read_rows, run_export

MARK = "LEAKMARK"
# Columns whose values the export needs as they are; each gets its own marker test below.
KEEP = {
    ("consents", "text_version"),  # a marker would void every consent
    ("partners", "token_hash"),  # checked through the tokens themselves
    ("partners", "region"),
    ("checkins", "instrument_version"),
}


def plant_everywhere(engine) -> int:
    """Put a unique marker into every text column of every row of every table."""
    planted = 0
    with transaction(engine) as s:
        for table in Base.metadata.sorted_tables:
            text_columns = [
                c for c in table.columns
                if isinstance(c.type, String | Text) and not hasattr(c.type, "enums")
                and (table.name, c.name) not in KEEP
            ]  # fmt: skip
            for (row_id,) in s.execute(select(table.c.id)):
                values = {c.name: f"{MARK}-{table.name}-{c.name}-{row_id}" for c in text_columns}
                for c in table.columns:
                    if isinstance(c.type, JSON) and c.name in {"answers", "session_plan"}:
                        values[c.name] = {"free text": f"{MARK}-{table.name}-{c.name}-{row_id}"}
                if values:
                    s.execute(update(table).where(table.c.id == row_id).values(**values))
                    planted += len(values)
        # Extra keys in the ratings are free text too, whatever their name.
        for c in s.scalars(select(CheckIn)):
            c.ratings = {**c.ratings, "note": f"{MARK}-rating-note-{c.id}"}
        # An odd region and an odd instrument key must not pass through as they are.
        first = s.scalars(select(Partner).order_by(Partner.id)).first()
        first.region = f"{MARK}-region"
        s.scalars(select(CheckIn).order_by(CheckIn.id)).first().instrument_version = MARK
    return planted


def add_every_kind_of_entry(engine, couple) -> None:
    """Rows of the models the demo does not make, private and shared."""
    with transaction(engine) as s:
        for v in (couple.a, couple.b):
            for vis in Visibility:
                base = dict(couple_id=v.couple_id, author_id=v.partner_id, visibility=vis)
                s.add_all([
                    Reflection(step=1, topic="t", body="b", answers={"x": "y"}, **base),
                    Boundary(topic=f"topic {vis}", answer="okay", note="n", **base),
                    AgreementItem(text="a", confirmed_by=[v.partner_id], **base),
                    SafetyScreen(answers={"q1": "yes"}, flagged=True, **base),
                    Promise(title="p", frequency="daily", start_day=START, **base),
                ])  # fmt: skip
            s.add(BoundaryTopic(couple_id=v.couple_id, added_by_id=v.partner_id, title="bt"))
            for t in range(10):
                s.add(
                    CheckIn(couple_id=v.couple_id, author_id=v.partner_id, day=START + timedelta(t),
                            instrument_version="tw-checkin-1", visibility=Visibility.SHARED,
                            ratings={"predictability": 5, "faith": 6}, kept_promise_ids=[])
                )  # fmt: skip


def exported_text(folder) -> str:
    """Every file as text; Parquet (compressed) is decoded to its values first."""
    parts = []
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".parquet":
            parts.append(str(pq.read_table(path).to_pylist()))
            parts.append(str(pq.read_metadata(path).metadata))
        elif path.is_file():
            parts.append(path.read_bytes().decode("utf-8", errors="replace"))
    return "\n".join(parts)


def test_no_free_text_token_key_or_id_leaves_the_store(tmp_path):
    """With a marker in every text field, are none of them, no token and no key exported?"""
    engine = demo_store(tmp_path, couples=5, days=20)
    couples = [make_couple(engine, f"Name{i}A", f"Name{i}B") for i in range(3)]
    for c in couples:
        add_every_kind_of_entry(engine, c)
        decide(engine, c.a.partner_id)
        decide(engine, c.b.partner_id)
    assert plant_everywhere(engine) > 200
    folder, report = run_export(engine, tmp_path, k=3, include_demo=True)
    assert report.rows_out > 100 and report.couples_exported + report.couples_suppressed == 8
    text = exported_text(folder)
    assert MARK not in text
    for c in couples:
        for token in (c.a_token, c.b_token):
            assert token not in text and hash_secret(token) not in text
    key_hex = (tmp_path / "export.key").read_text().strip()
    assert key_hex not in text and key_hex[:16] not in text
    assert str(tmp_path) not in text  # no path of the exporting machine either
    rows = read_rows(folder)
    assert {r["region"] for r in rows} <= {"intl", "*"}
    assert "unknown" in {r["instrument_version"] for r in rows}


def test_columns_are_exactly_the_agreed_ones_and_hold_no_internal_ids(tmp_path):
    """Are the columns the agreed list (no id, couple_id, partner_id, created_at)?"""
    engine = demo_store(tmp_path, couples=3, days=10)
    folder, _ = run_export(engine, tmp_path, k=3, include_demo=True)
    header = (folder / "checkins.csv").read_text().splitlines()[0].split(",")
    assert tuple(header) == COLUMNS
    for path in folder.rglob("*.parquet"):
        assert pq.read_schema(path).names == [c for c in COLUMNS if c != "workshop"]
    forbidden = {"id", "created_at", "updated_at", "author_id", "name", "display_name"}
    assert not forbidden & set(header)
    assert not [c for c in header if c.endswith("_id")]
    with transaction(engine) as s:
        ids = {str(i) for i in s.scalars(select(Partner.id))}
    rows = read_rows(folder)
    for column in ("workshop", "couple", "partner"):
        assert not ids & {r[column] for r in rows}
        assert all(r[column][1] == "-" and len(r[column]) == 18 for r in rows)
