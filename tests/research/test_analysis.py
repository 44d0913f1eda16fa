"""Research analysis: loading exports, the lag, ICC, trajectories, APIM and figures."""

from __future__ import annotations

import json
import shutil
import sqlite3
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from tests.research.conftest import export_frame, write_csv
from trust_widgets.analysis import (
    DEMO_EXPORT,
    PLANTED,
    ApimError,
    ExportError,
    apim_figure,
    fit_apim,
    icc_oneway,
    lagged_dyads,
    load_export,
    pairwise_correlation,
    partner_icc,
    partner_scatter_figure,
    person_means,
    trajectory_figure,
    weekly_trajectories,
)
from trust_widgets.analysis._demo_export import write_demo_export
from trust_widgets.analysis._format import COLUMNS

C1, C2 = "C-" + "1" * 16, "C-" + "2" * 16
A, B, X, Y = ("P-" + ch * 16 for ch in "abcd")

# --- loading -----------------------------------------------------------------------------


def test_csv_and_parquet_load_alike(small_export):
    """Do the CSV file and the Parquet folder of one export give the same typed frame?"""
    both = load_export(small_export)
    csv_only = load_export(small_export / "checkins.csv")
    pd.testing.assert_frame_equal(both, csv_only)
    assert list(both.columns) == list(COLUMNS)
    assert both["workshop"].nunique() == 2 and both["couple"].nunique() == 8
    assert both["partner_index"].dtype == "int64" and both["faith"].dtype == "Int64"
    assert both.equals(both.sort_values(["workshop", "couple", "partner_index", "day_index"]))


def test_parquet_is_preferred_and_csv_is_the_fallback(small_export, tmp_path):
    """Is Parquet read when present, and the CSV file when the Parquet folder is absent?"""
    no_csv = tmp_path / "parquet-only"
    shutil.copytree(small_export, no_csv)
    (no_csv / "checkins.csv").unlink()
    assert len(load_export(no_csv)) == len(load_export(small_export))
    assert len(load_export(no_csv / "checkins")) == len(load_export(small_export))
    no_parquet = tmp_path / "csv-only"
    shutil.copytree(small_export, no_parquet)
    shutil.rmtree(no_parquet / "checkins")
    assert len(load_export(no_parquet)) == len(load_export(small_export))


def test_refuses_a_store_file(engine, tmp_path):
    """Is a real SQLite store refused, by name and by content, with a pointer to exporting?"""
    store = engine.url.database
    with pytest.raises(ExportError, match=r"workshop store.*trust-workshop export"):
        load_export(store)
    disguised = tmp_path / "checkins.csv"
    shutil.copy(store, disguised)
    with pytest.raises(ExportError, match="SQLite"):
        load_export(disguised)
    with pytest.raises(ExportError, match="database URL"):
        load_export(f"sqlite:///{store}")


def test_refuses_the_configured_live_store(tmp_path, monkeypatch):
    """Is the store named by TRUST_WIDGETS_DB refused even when it is not a SQLite file yet?"""
    live = tmp_path / "live.csv"
    live.write_text("anything\n")
    monkeypatch.setenv("TRUST_WIDGETS_DB", str(live))
    with pytest.raises(ExportError, match="workshop store"):
        load_export(live)


def test_refuses_paths_that_are_no_export(tmp_path):
    """Do a missing path, an empty folder and a folder holding a store say what is expected?"""
    with pytest.raises(ExportError, match="does not exist"):
        load_export(tmp_path / "nowhere")
    with pytest.raises(ExportError, match=r"neither checkins\.csv"):
        load_export(tmp_path)
    sqlite3.connect(tmp_path / "workshop.sqlite3").execute("create table t (x)").connection.close()
    with pytest.raises(ExportError, match=r"workshop\.sqlite3, which looks like a store"):
        load_export(tmp_path)


def test_reports_every_broken_row(tmp_path):
    """Are bad cells reported together, each with its CSV line, and nothing returned?"""
    rows = export_frame([
        {"couple": C1, "partner": A, "partner_index": 1, "day_index": 0, "trust": 11},
        {"couple": C1, "partner": A, "partner_index": 1, "day_index": 0},
        {"couple": C1, "partner": "Ana", "partner_index": 3, "day_index": 1},
        {"couple": C1, "partner": B, "partner_index": 2, "day_index": 1,
         "commitments_due": 1, "commitments_kept": 2},
    ])  # fmt: skip
    with pytest.raises(ExportError) as caught:
        load_export(write_csv(rows, tmp_path / "bad"))
    text = str(caught.value)
    assert "predictability is outside 0-10: 1 line(s), e.g. 2" in text
    assert "partner is not a keyed pseudonym" in text and "e.g. 4" in text
    assert "partner_index is not 1 or 2" in text
    assert "commitments_kept exceeds commitments_due: 1 line(s), e.g. 5" in text


def test_refuses_extra_columns_and_inconsistent_days(tmp_path):
    """Are a free-text column, a repeated key, a couple whose days do not start at 0 and a
    weekday that disagrees with day_index refused?"""
    rows = export_frame([{"couple": C1, "partner": A, "partner_index": 1, "day_index": 0}])
    with pytest.raises(ExportError, match="unexpected columns: note"):
        load_export(write_csv(rows.assign(note="private words"), tmp_path / "a"))
    twice = pd.concat([rows, rows])
    with pytest.raises(ExportError, match="repeat a"):
        load_export(write_csv(twice, tmp_path / "b"))
    late = export_frame([
        {"couple": C1, "partner": A, "partner_index": 1, "day_index": 0},
        {"couple": C2, "partner": X, "partner_index": 1, "day_index": 3},
        {"couple": C2, "partner": Y, "partner_index": 2, "day_index": 4},
    ])  # fmt: skip
    with pytest.raises(ExportError, match=r"1 couple\(s\) have no day_index 0.*e\.g\. lines 3, 4"):
        load_export(write_csv(late, tmp_path / "c"))
    drift = export_frame([
        {"couple": C1, "partner": A, "partner_index": 1, "day_index": 0, "weekday": 1},
        {"couple": C1, "partner": A, "partner_index": 1, "day_index": 1, "weekday": 2},
        {"couple": C1, "partner": B, "partner_index": 2, "day_index": 0, "weekday": 3},
    ])  # fmt: skip
    with pytest.raises(ExportError, match="weekdays that disagree with day_index"):
        load_export(write_csv(drift, tmp_path / "d"))
    sunday = export_frame([
        {"couple": C1, "partner": A, "partner_index": 1, "day_index": 0, "weekday": 0},
        {"couple": C1, "partner": B, "partner_index": 2, "day_index": 0, "weekday": 8},
    ])  # fmt: skip
    with pytest.raises(ExportError, match=r"weekday is outside 1-7.*2 line\(s\)"):
        load_export(write_csv(sunday, tmp_path / "e"))


def test_loads_the_opt_in_weekday_column(tmp_path):
    """Does an export made with --weekday load from CSV and Parquet alike, weekday kept as an
    integer right after day_index, and equal to the real weekday of the simulated day?"""
    folder = tmp_path / "weekday"
    write_demo_export(folder, 3, 20, 5, weekday=True)
    both = load_export(folder)
    pd.testing.assert_frame_equal(both, load_export(folder / "checkins.csv"))
    assert list(both.columns) == [*COLUMNS[:6], "weekday", *COLUMNS[6:]]
    assert both["weekday"].dtype == "int64" and set(both["weekday"]) == set(range(1, 8))
    plain = load_export(write_demo_export(tmp_path / "plain", 3, 20, 5)[0])
    pd.testing.assert_frame_equal(both.drop(columns="weekday"), plain)


def test_an_earlier_export_with_shifted_dates_still_loads(small_export, tmp_path):
    """Does an export from before dates were dropped (a shifted date column) load, with the
    date left out, as the same frame as today's format?"""
    rows = pd.read_csv(small_export / "checkins.csv", dtype=str)
    shifted = pd.Timestamp("2025-03-03") + pd.to_timedelta(rows["day_index"].astype(int), "D")
    rows.insert(6, "date", shifted.dt.strftime("%Y-%m-%d"))
    old = load_export(write_csv(rows, tmp_path / "old"))
    assert "date" not in old.columns
    pd.testing.assert_frame_equal(old, load_export(small_export / "checkins.csv"))


def test_bundled_demo_export_loads():
    """Does the bundled demo export, which the notebooks open by default, load and validate?"""
    export = load_export(DEMO_EXPORT)
    assert export["couple"].nunique() >= 10 and set(export["partner_index"]) == {1, 2}
    package = json.loads((DEMO_EXPORT / "datapackage.json").read_text())
    assert package["resources"][0]["schema"]["primaryKey"] == [
        "workshop", "couple", "partner", "day_index"]  # fmt: skip


def test_fixture_writer_is_deterministic(tmp_path):
    """Does the stand-in writer give the same bytes for the same arguments?"""
    a, b = tmp_path / "a", tmp_path / "b"
    write_demo_export(a, 3, 10, 5)
    write_demo_export(b, 3, 10, 5)
    for name in ("checkins.csv", "datapackage.json", "report.json"):
        assert (a / name).read_bytes() == (b / name).read_bytes()


# --- the lag -----------------------------------------------------------------------------


def lag_example() -> pd.DataFrame:
    """Couple 1: A checks in on days 0, 1, 2, 4, 5 and B on 0, 1, 3, 4 (B has nothing due on
    day 1). Couple 2 checks in on the same day numbers and must never leak into couple 1."""
    day = {"couple": C1, "commitments_due": 2}
    rows = [
        {**day, "partner": A, "partner_index": 1, "day_index": 0, "commitments_kept": 2},
        {**day, "partner": A, "partner_index": 1, "day_index": 1, "commitments_kept": 1,
         "trust": 6},
        {**day, "partner": A, "partner_index": 1, "day_index": 2, "commitments_kept": 0,
         "trust": 7},
        {**day, "partner": A, "partner_index": 1, "day_index": 4, "commitments_kept": 2},
        {**day, "partner": A, "partner_index": 1, "day_index": 5, "commitments_kept": 2,
         "trust": 9},
        {**day, "partner": B, "partner_index": 2, "day_index": 0, "commitments_kept": 1,
         "trust": 2},
        {**day, "partner": B, "partner_index": 2, "day_index": 1, "commitments_due": 0,
         "commitments_kept": 0, "trust": 3},
        {**day, "partner": B, "partner_index": 2, "day_index": 3, "commitments_kept": 0},
        {**day, "partner": B, "partner_index": 2, "day_index": 4, "commitments_kept": 2,
         "trust": 4},
    ]  # fmt: skip
    other = {"couple": C2, "commitments_due": 1, "commitments_kept": 0, "trust": 1}
    rows += [{**other, "partner": p, "partner_index": i, "day_index": d}
             for p, i in ((X, 1), (Y, 2)) for d in (0, 1, 2, 3, 4)]  # fmt: skip
    return export_frame(rows)


def test_lag_pairs_next_day_trust_with_both_rates_of_the_day_before(tmp_path):
    """Does each row pair trust on t+1 with own and partner rates on t, skipping gaps, 0/0
    rates and other couples?"""
    export = load_export(write_csv(lag_example(), tmp_path / "lag"))
    rows = lagged_dyads(export)
    mine = rows[rows["couple"] == C1]
    got = mine[["partner", "day_index", "trust", "actor_rate", "partner_rate"]]
    expected = pd.DataFrame({
        "partner": [A, A, B],
        "day_index": [1, 5, 1],
        "trust": [6.0, 9.0, 3.0],
        "actor_rate": [1.0, 1.0, 0.5],  # A day 0: 2/2, A day 4: 2/2; B day 0: 1/2
        "partner_rate": [0.5, 1.0, 1.0],  # B day 0; B day 4; A day 0
    })  # fmt: skip
    # A on day 2: B had nothing due on day 1 (0/0 is no rate). B on day 4: A has no day 3.
    pd.testing.assert_frame_equal(got.reset_index(drop=True), expected, check_dtype=False)
    assert len(rows[rows["couple"] == C2]) == 8
    assert (rows[rows["couple"] == C2]["partner_rate"] == 0).all()
    within = rows.groupby("partner")["actor_within"].sum()
    assert np.allclose(within, 0)
    assert np.allclose(mine["actor_mean"] + mine["actor_within"], mine["actor_rate"])


# --- ICC ---------------------------------------------------------------------------------


def test_icc_matches_shrout_and_fleiss():
    """Does ICC(1) reproduce Shrout & Fleiss's (1979) Table 2 example: 0.17 for 6 targets
    rated by 4 judges, with the F-based interval [-0.13, 0.72]?"""
    table = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    r = icc_oneway(table)
    assert round(r.icc, 2) == 0.17 and (r.df1, r.df2) == (5, 18)
    assert (round(r.ci_low, 2), round(r.ci_high, 2)) == (-0.13, 0.72)


def test_icc_of_dyads_matches_the_hand_computation():
    """For pairs (1,2) (3,5) (4,4) (6,8) (7,6): MSB = 39.4 / 4 = 9.85 and MSW = 5 / 5 = 1, so
    ICC = 8.85 / 10.85; the double-entry r is 34.4 / 44.4. Are both exact?"""
    pairs = np.array([[1, 2], [3, 5], [4, 4], [6, 8], [7, 6]])
    r = icc_oneway(pairs)
    assert r.icc == pytest.approx(8.85 / 10.85) and r.f == pytest.approx(9.85)
    assert pairwise_correlation(pairs) == pytest.approx(34.4 / 44.4)
    q = stats.f.ppf(0.975, 4, 5)
    assert r.ci_low == pytest.approx((9.85 / q - 1) / (9.85 / q + 1))


def test_partner_icc_ignores_who_is_partner_1(small_export):
    """Is the ICC unchanged when partner 1 and 2 are swapped in some couples?"""
    export = load_export(small_export)
    flip = export["couple"].isin(export["couple"].unique()[::2])
    swapped = export.assign(partner_index=np.where(flip, 3 - export["partner_index"],
                                                   export["partner_index"]))  # fmt: skip
    for kwargs in ({"unit": "person"}, {"unit": "day"}, {"unit": "day", "within": True}):
        a, b = partner_icc(export, **kwargs), partner_icc(swapped, **kwargs)
        assert a.icc == pytest.approx(b.icc) and a.ci_low == pytest.approx(b.ci_low)
        assert a.ci_low < a.icc < a.ci_high
    daily = partner_icc(export, unit="day")
    assert daily.p_value is None and "resampling couples" in daily.method
    assert len(person_means(export, min_days=7)) == partner_icc(export).n_pairs


# --- trajectories ------------------------------------------------------------------------


def test_weekly_interval_counts_each_couple_once():
    """Is the band a t interval over couple means, however many days each couple has, and
    are weeks with too few couples left out?"""
    couples = ["C-" + ch * 16 for ch in "123"]
    rows = [{"couple": couples[0], "partner": A, "partner_index": 1, "day_index": d, "trust": 4}
            for d in range(5)]  # fmt: skip
    rows += [
        {"couple": couples[1], "partner": B, "partner_index": 1, "day_index": 0, "trust": 6},
        {"couple": couples[2], "partner": X, "partner_index": 1, "day_index": 1, "trust": 8},
        {"couple": couples[2], "partner": X, "partner_index": 1, "day_index": 8, "trust": 8},
    ]
    weekly = weekly_trajectories(export_frame(rows), min_couples=2)
    [week0] = weekly.to_dict("records")
    half = stats.t.ppf(0.975, 2) * 2 / np.sqrt(3)
    assert week0["mean"] == pytest.approx(6) and week0["n_couples"] == 3
    assert week0["ci_high"] - 6 == pytest.approx(half) and week0["n_days"] == 7
    assert weekly.attrs["hidden_weeks"] == 1  # week 1 has one couple


# --- APIM --------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2])
def test_apim_recovers_the_planted_effects(tmp_path, seed):
    """On the demo simulation (40 couples x 120 days, written as an export), do the 95% CIs
    of the actor and partner effects contain the planted 1.5 and 1.0?

    Over seeds 0-99 the intervals covered the actor effect in 94% and the partner effect in
    93% of seeds (both in 88%), and the estimates' spread matched their standard errors:
    rounding and clamping ratings to 0-10 pull estimates slightly below the
    planted values (docs/demo-data.md), so a 95% interval misses a little more often than
    one seed in twenty. Seeds 1 and 2 are fixed here.
    """
    write_demo_export(tmp_path, couples=40, days=120, seed=seed, parquet=False)
    result = fit_apim(load_export(tmp_path))
    assert result.converged and not result.notes, result.notes
    assert result.covers("actor", PLANTED["actor"]), result.table
    assert result.covers("partner", PLANTED["partner"]), result.table
    assert result.table.loc[["actor", "partner"], "se"].lt(0.06).all()
    assert result.n_couples == 40 and result.n_obs > 4000


def test_apim_without_a_trend_overstates_the_effects():
    """Does leaving out the trend term inflate both effects, as docs/demo-data.md warns?"""
    export = load_export(DEMO_EXPORT)
    dyads = lagged_dyads(export)
    with_trend, without = fit_apim(dyads), fit_apim(dyads, trend="none")
    for term in ("actor", "partner"):
        assert without.table.loc[term, "estimate"] > with_trend.table.loc[term, "estimate"]
    assert "Actor effect: +" in with_trend.describe()


def test_apim_refuses_too_little_data(tmp_path):
    """Is an export with next-day rows from fewer than three couples refused in words?"""
    export = load_export(write_csv(lag_example(), tmp_path / "tiny"))
    with pytest.raises(ApimError, match="at least 3 couples"):
        fit_apim(export)
    with pytest.raises(ApimError, match="trend must be one of"):
        fit_apim(export, trend="quadratic")


def test_apim_reports_fit_trouble_in_words(small_export):
    """When the optimiser struggles (four identical couples: no couple variance to find), are
    its warnings kept as notes in the result instead of printed?"""
    export = load_export(small_export)
    one = export[export["couple"] == export["couple"].iloc[0]]
    index = one["partner_index"].astype(str)
    copies = [
        one.assign(couple="C-" + str(i) * 16, partner="P-" + (str(i) + index).str.zfill(16))
        for i in range(4)
    ]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = fit_apim(pd.concat(copies))
    assert result.notes and not caught
    assert all(f"Note from the fit: {n}" in result.describe() for n in result.notes)


# --- figures -----------------------------------------------------------------------------


def test_figures_show_no_pseudonyms(small_export):
    """Do the three research figures build, and does none carry a pseudonym into its JSON?"""
    export = load_export(small_export)
    similarity = partner_icc(export)
    figures = [
        trajectory_figure(weekly_trajectories(export)),
        partner_scatter_figure(person_means(export, min_days=7), similarity),
        apim_figure(fit_apim(export), reference=PLANTED),
    ]
    for fig in figures:
        text = fig.to_json()
        assert not any(token in text for token in set(export["couple"]) | set(export["partner"]))
        assert len(fig.data) >= 2 and len(text) < 100_000
    assert "Planted value" in figures[2].to_json()
