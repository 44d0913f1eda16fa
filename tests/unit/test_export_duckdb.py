"""Research export read with DuckDB: Hive-partitioned Parquet, pooled over several exports."""

from __future__ import annotations

import pytest

from ._export_helpers import add_couple, add_workshop, new_store, read_rows, run_export

duckdb = pytest.importorskip(
    "duckdb", reason="duckdb is the optional 'research' extra; install it to run this test"
)


def make_export(tmp_path, name: str, couples: int):
    engine = new_store(tmp_path, name)
    w = add_workshop(engine)
    for _ in range(couples):
        add_couple(engine, w, ("intl", "us"), days=7)
    add_couple(engine, None, days=3, consent=("agree", "decline"))  # never exported
    # One key for both stores: their couple 1, partner 1 ... must still not merge.
    return run_export(engine, tmp_path, f"export-{name}", key="shared.key", k=3)


def test_duckdb_reads_one_export_like_the_csv(tmp_path):
    """Does read_parquet with hive_partitioning give the CSV's rows, workshop included?"""
    folder, report = make_export(tmp_path, "a", couples=3)
    con = duckdb.connect()
    glob = str(folder / "checkins" / "*" / "*.parquet")
    rows = con.execute(
        "select workshop, couple, partner, partner_index, day_index, faith "
        "from read_parquet(?, hive_partitioning = true) "
        "order by workshop, couple, partner_index, day_index",
        [glob],
    ).fetchall()
    csv_rows = [
        (r["workshop"], r["couple"], r["partner"], int(r["partner_index"]), int(r["day_index"]),
         int(r["faith"]))
        for r in read_rows(folder)
    ]  # fmt: skip
    assert rows == csv_rows and len(rows) == report.rows_out == 42
    described = con.execute(
        f"describe select * from read_parquet('{glob}', hive_partitioning = true)"
    ).fetchall()
    types = {row[0]: row[1] for row in described}
    assert types["workshop"] == "VARCHAR" and types["day_index"] == "BIGINT"
    assert "DATE" not in types.values()  # no calendar date, shifted or not


def test_duckdb_pools_exports_from_several_stores(tmp_path):
    """Pooled over two stores' exports, do workshops and couples stay apart under one key?"""
    a, _ = make_export(tmp_path, "a", couples=3)
    b, _ = make_export(tmp_path, "b", couples=4)
    con = duckdb.connect()
    globs = [str(f / "checkins" / "*" / "*.parquet") for f in (a, b)]
    workshops, couples, partners, rows = con.execute(
        "select count(distinct workshop), count(distinct couple), count(distinct partner), "
        "count(*) from read_parquet(?, hive_partitioning = true, union_by_name = true)",
        [globs],
    ).fetchone()
    assert (workshops, couples, partners, rows) == (2, 7, 14, 7 * 2 * 7)
    # Per-partner means in the pooled data, as an analysis would start.
    means = con.execute(
        "select partner, avg(faith) from read_parquet(?, hive_partitioning = true) group by 1",
        [globs],
    ).fetchall()
    assert len(means) == 14
