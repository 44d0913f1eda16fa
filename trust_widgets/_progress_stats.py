"""Pure statistics behind the progress views: smoothing, trend, highlights, downsampling.

Nothing here reads the store. Each function takes a frame shaped like
:func:`trust_widgets.progress_data.checkins_frame` (``day``, ``who``, ``name``, the items,
``trust``) and returns plain values, so every rule can be tested without a kernel.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

ITEMS = ("predictability", "dependability", "faith", "safety", "anxiety", "communication")
TRUST_ITEMS = ITEMS[:3]
ME, PARTNER = "me", "partner"

UP, FLAT, DOWN, NOT_ENOUGH = "up", "flat", "down", "not enough data"
TREND_DAYS = 28  # the trend looks at the latest four weeks only: recent change is what helps
TREND_MIN_CHECKINS = 7
TREND_MIN_SLOPE = 0.25  # points per week, i.e. one point over the four weeks
TREND_MIN_Z = 1.96  # Mann-Kendall test, two-sided 5 %: a slope must also be clear of the noise

HIGHLIGHT_DAYS = 14
HIGHLIGHT_MIN_CHECKINS = 5  # in each of the two windows
HIGHLIGHT_MIN_CHANGE = 1.0  # points on the 0-10 scale
# What a highlight may talk about, and how; anxiety improves when it goes down.
HIGHLIGHT_ITEMS = {"trust": "trust", "safety": "felt safety", "communication": "communication",
                   "anxiety": "anxiety"}  # fmt: skip
LOWER_IS_BETTER = frozenset({"anxiety"})
_ANCHOR = pd.Timestamp("1970-01-05")  # a Monday, so 7-day bins are ISO weeks


def smooth(series: pd.Series, window: int) -> pd.Series:
    """Return the centred rolling mean of ``series`` over ``window`` days present.

    The window counts check-ins, not calendar days, so a missed day neither breaks the
    line nor pulls it towards zero.
    """
    values = series.dropna().sort_index()
    return values.rolling(max(1, int(window)), center=True, min_periods=1).mean()


def _theil_sen(x: np.ndarray, y: np.ndarray) -> float:
    """Median of pairwise slopes: one odd day cannot tilt it (unlike least squares)."""
    i, j = np.triu_indices(len(x), 1)
    dx = x[j] - x[i]
    keep = dx != 0
    return float(np.median((y[j] - y[i])[keep] / dx[keep])) if keep.any() else 0.0


def _mann_kendall_z(x: np.ndarray, y: np.ndarray) -> float:
    """Mann-Kendall z for a monotonic trend of ``y`` in ``x``, with the tie correction."""
    n = len(y)
    i, j = np.triu_indices(n, 1)
    s = float(np.sum(np.sign(x[j] - x[i]) * np.sign(y[j] - y[i])))
    _, ties = np.unique(y, return_counts=True)
    var = (n * (n - 1) * (2 * n + 5) - np.sum(ties * (ties - 1) * (2 * ties + 5))) / 18
    return 0.0 if var <= 0 else (s - np.sign(s)) / np.sqrt(var)


def _end(frame: pd.DataFrame, end: date | None) -> pd.Timestamp:
    return pd.Timestamp(end) if end is not None else pd.to_datetime(frame["day"]).max()


def trend_direction(frame: pd.DataFrame, value: str = "trust", end: date | None = None) -> str:
    """Say whether one person's ``value`` went ``"up"``, ``"down"``, stayed ``"flat"``, or
    ``"not enough data"``.

    The rule: take the check-ins of the 28 days up to ``end`` (default: the latest day in
    ``frame``); with fewer than 7, there is not enough data. Otherwise fit a robust line
    (Theil-Sen). It is "up" or "down" only if it changes by at least 0.25 points a week
    *and* the Mann-Kendall test finds the trend clear of day-to-day noise (|z| >= 1.96);
    anything else is "flat", meaning no clear change.
    """
    if "who" in frame and frame["who"].nunique() > 1:
        raise ValueError("trend_direction takes one person's check-ins at a time")
    rows = frame.dropna(subset=[value])
    if rows.empty:
        return NOT_ENOUGH
    days = pd.to_datetime(rows["day"])
    last = _end(rows, end)
    recent = (days > last - pd.Timedelta(days=TREND_DAYS)) & (days <= last)
    if recent.sum() < TREND_MIN_CHECKINS:
        return NOT_ENOUGH
    x = (days[recent] - last).dt.days.to_numpy(float)
    y = rows.loc[recent, value].to_numpy(float)
    slope, z = _theil_sen(x, y) * 7, _mann_kendall_z(x, y)
    if slope >= TREND_MIN_SLOPE and z >= TREND_MIN_Z:
        return UP
    if slope <= -TREND_MIN_SLOPE and z <= -TREND_MIN_Z:
        return DOWN
    return FLAT


def progress_highlights(frame: pd.DataFrame, end: date | None = None) -> list[str]:
    """Return sentences on real improvements only; an empty list when there are none.

    For each person and each of trust, felt safety, communication and anxiety, the mean of
    the latest 14 days up to ``end`` (default: the latest day in ``frame``) is compared with
    the mean of the 14 days before. A highlight needs at least 5 check-ins in each window
    and an improvement of at least 1 point (for anxiety: a fall). The wording states what
    changed, never why.
    """
    rows = frame.assign(day=pd.to_datetime(frame["day"]))
    if rows.empty:
        return []
    last, span = _end(rows, end), pd.Timedelta(days=HIGHLIGHT_DAYS)
    latest = (rows["day"] > last - span) & (rows["day"] <= last)
    before = (rows["day"] > last - 2 * span) & (rows["day"] <= last - span)
    out = []
    for who in (ME, PARTNER):
        person = rows["who"] == who
        for item, label in HIGHLIGHT_ITEMS.items():
            new = rows.loc[person & latest, item].dropna()
            old = rows.loc[person & before, item].dropna()
            if min(len(new), len(old)) < HIGHLIGHT_MIN_CHECKINS:
                continue
            change = new.mean() - old.mean()
            if item in LOWER_IS_BETTER:
                change = -change
            if change < HIGHLIGHT_MIN_CHANGE:
                continue
            name = rows.loc[person, "name"].iloc[0] or "Your partner"
            whose = "Your" if who == ME else f"{name}'s shared"
            way = "down" if item in LOWER_IS_BETTER else "up"
            out.append(
                f"{whose} {label} ratings averaged {new.mean():.1f} in the latest two weeks, "
                f"{way} from {old.mean():.1f} in the two weeks before."
            )
    return out


def downsample(frame: pd.DataFrame, max_points: int, how: str = "mean") -> pd.DataFrame:
    """Aggregate ``frame`` into 7-day (ISO week) bins, or wider, when it is long.

    Returns ``frame`` unchanged when no person (``who``) has more than ``max_points`` rows.
    Otherwise each bin's ``day`` is its first day (a Monday), numeric columns are averaged
    (``how="sum"``: summed), and ``n`` counts the rows in the bin. The bin width, in days,
    is in ``result.attrs["period_days"]``: 7, then 14, 28, ... until every person fits.
    """
    keys = ["who"] if "who" in frame else []
    days = pd.to_datetime(frame["day"])
    period = 1
    while True:
        bins = days - pd.to_timedelta((days - _ANCHOR).dt.days % period, unit="D")
        counts = bins.groupby([frame[k] for k in keys] or np.zeros(len(frame))).nunique()
        if frame.empty or counts.max() <= max_points:
            break
        period = 7 if period == 1 else period * 2
    if period == 1:
        out = frame.assign(day=days)
        out.attrs["period_days"] = 1
        return out
    numeric = [c for c in frame.select_dtypes("number").columns if c not in keys]
    other = {c: "first" for c in frame.columns if c not in {*numeric, *keys, "day"}}
    grouped = frame.assign(day=bins, n=1).groupby([*keys, "day"], sort=True)
    out = grouped.agg({**dict.fromkeys(numeric, how), **other, "n": "sum"}).reset_index()
    out.attrs["period_days"] = period
    return out
