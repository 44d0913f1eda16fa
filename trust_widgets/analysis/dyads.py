"""Shape an export into dyadic frames: daily scores, next-day (lagged) rows, partner pairs.

Every function takes the frame :func:`~trust_widgets.analysis.load.load_export` returns and
never changes it. ``partner_index`` (1 or 2) is only the order in which partners joined, so
the frames keep it as a label, not as a role.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._format import TRUST_ITEMS

__all__ = ["daily_scores", "lagged_dyads", "person_means", "same_day_pairs", "settle"]

TAU_DAYS = 45.0  # the demo's trajectory time scale (docs/demo-data.md)
KEYS = ["workshop", "couple", "partner", "partner_index", "day_index"]


def settle(day_index: pd.Series | np.ndarray, tau: float = TAU_DAYS) -> np.ndarray:
    """Return s(t) = 1 - exp(-t / tau): how far each day is along a settling trajectory."""
    return 1.0 - np.exp(-np.asarray(day_index, dtype=float) / tau)


def daily_scores(export: pd.DataFrame) -> pd.DataFrame:
    """Return one row per partner-day with ``trust`` and ``rate`` added (floats).

    ``trust`` is the mean of predictability, dependability and faith, and missing unless all
    three are present. ``rate`` is the follow-through rate, commitments_kept /
    commitments_due, and missing on days with nothing due (or no counts).
    """
    out = export.copy()
    items = out[list(TRUST_ITEMS)].astype("float64")
    out["trust"] = items.mean(axis=1).where(items.notna().all(axis=1))
    due = out["commitments_due"].astype("float64")
    kept = out["commitments_kept"].astype("float64")
    out["rate"] = (kept / due).where(due > 0)
    return out


def lagged_dyads(export: pd.DataFrame) -> pd.DataFrame:
    """Return the APIM frame: one row per partner and day t+1 with yesterday's predictors.

    Columns: ``workshop, couple, partner, partner_index, day_index`` (the outcome day t+1),
    ``trust`` (that partner's trust on t+1), ``actor_rate`` (the same partner's follow-through
    rate on day t), ``partner_rate`` (the other partner's rate on day t, same couple), and
    each rate split into a person mean over these rows (``*_mean``) and the day's deviation
    from it (``*_within``). A row exists only when all three values exist: the partner
    checked in on t and t+1 and the other partner checked in on t, each with something due.
    """
    d = daily_scores(export)
    outcome = d.loc[d["trust"].notna(), [*KEYS, "trust"]]
    rates = d.loc[d["rate"].notna(), ["couple", "partner_index", "day_index", "rate"]]
    tomorrow = rates.assign(day_index=rates["day_index"] + 1)
    own = tomorrow.rename(columns={"rate": "actor_rate"})
    other = tomorrow.assign(partner_index=3 - tomorrow["partner_index"])
    other = other.rename(columns={"rate": "partner_rate"})
    on = ["couple", "partner_index", "day_index"]
    frame = outcome.merge(own, on=on, how="inner").merge(other, on=on, how="inner")
    for col in ("actor", "partner"):
        mean = frame.groupby("partner")[f"{col}_rate"].transform("mean")
        frame[f"{col}_mean"] = mean
        frame[f"{col}_within"] = frame[f"{col}_rate"] - mean
    return frame.sort_values(["workshop", "couple", "partner_index", "day_index"],
                             ignore_index=True)  # fmt: skip


def person_means(export: pd.DataFrame, min_days: int = 1) -> pd.DataFrame:
    """Return one row per couple: each partner's mean trust over their check-ins.

    Columns ``couple, trust_1, trust_2, days_1, days_2`` (by partner_index). Couples where a
    partner has fewer than ``min_days`` days with a trust score are left out.
    """
    d = daily_scores(export).dropna(subset=["trust"])
    g = d.groupby(["couple", "partner_index"])["trust"].agg(["mean", "size"])
    wide = g.unstack("partner_index")
    wide.columns = [f"{'trust' if s == 'mean' else 'days'}_{i}" for s, i in wide.columns]
    cols = ["trust_1", "trust_2", "days_1", "days_2"]
    wide = wide.reindex(columns=cols).dropna()
    wide = wide[(wide["days_1"] >= min_days) & (wide["days_2"] >= min_days)]
    return wide.astype({"days_1": "int64", "days_2": "int64"}).reset_index()


def same_day_pairs(export: pd.DataFrame, within: bool = False) -> pd.DataFrame:
    """Return one row per couple-day on which both partners have a trust score.

    Columns ``couple, day_index, trust_1, trust_2``. With ``within=True`` each partner's
    scores are first centred on that partner's own mean over the paired days, so the pairs
    show how partners' daily ups and downs move together, apart from stable differences.
    """
    d = daily_scores(export).dropna(subset=["trust"])
    wide = d.pivot_table(index=["couple", "day_index"], columns="partner_index",
                         values="trust", aggfunc="first").dropna()  # fmt: skip
    wide = wide.reindex(columns=[1, 2]).dropna()
    wide.columns = ["trust_1", "trust_2"]
    if within:
        wide = wide - wide.groupby(level="couple").transform("mean")
    return wide.reset_index()
