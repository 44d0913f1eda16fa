"""Weekly trust trajectories by partner index, with confidence intervals clustered by couple.

Weeks count from each couple's first exported check-in (``day_index // 7``): an export
carries no calendar dates, and couples start on different days, so a week is the couple's
own week, not a calendar week. Each couple contributes one value per group and week (the
mean of its partners' weekly means), and the interval is a t interval over couples, so days
of the same couple are never counted as independent observations.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from .dyads import daily_scores

__all__ = ["GROUP_LABELS", "weekly_trajectories"]

GROUP_LABELS = {1: "Partner 1 (joined first)", 2: "Partner 2 (joined second)", 0: "All partners"}
COLUMNS = ["group", "label", "week", "mean", "ci_low", "ci_high", "n_couples", "n_days"]
VALUES = ("trust", "rate", "predictability", "dependability", "faith", "safety", "anxiety",
          "communication")  # fmt: skip


def weekly_trajectories(export: pd.DataFrame, by: str | None = "partner_index",
                        value: str = "trust", *, min_couples: int = 5,
                        level: float = 0.95) -> pd.DataFrame:  # fmt: skip
    """Return weekly means of ``value`` per group with a t-based interval over couples.

    Parameters
    ----------
    export
        Check-ins as :func:`~trust_widgets.analysis.load.load_export` returns them.
    by
        ``"partner_index"`` for one line per partner index, or None for all partners.
    value
        ``trust`` (the default), ``rate`` (follow-through) or one of the six items.
    min_couples
        Weeks with fewer couples are left out: their means rest on too few couples to
        show, and fewer than two couples give no interval at all.
    level
        Confidence level.

    Returns
    -------
    pandas.DataFrame
        Columns ``group`` (1, 2, or 0 for all), ``label``, ``week``, ``mean``, ``ci_low``,
        ``ci_high``, ``n_couples``, ``n_days`` (scored partner-days behind the mean).
        ``attrs["hidden_weeks"]`` counts the group-weeks left out.
    """
    if by not in ("partner_index", None):
        raise ValueError("by must be 'partner_index' or None.")
    if value not in VALUES:
        raise ValueError(f"value must be one of {', '.join(VALUES)}, not {value!r}.")
    d = daily_scores(export)
    d = d.assign(week=d["day_index"] // 7, value=d[value].astype("float64"),
                 group=d["partner_index"] if by else 0).dropna(subset=["value"])  # fmt: skip
    person = d.groupby(["group", "week", "couple", "partner"])["value"].agg(["mean", "size"])
    couple = person.groupby(level=["group", "week", "couple"]).agg(
        value=("mean", "mean"), days=("size", "sum")
    )
    g = couple.groupby(level=["group", "week"])
    out = pd.DataFrame({"mean": g["value"].mean(), "sd": g["value"].std(ddof=1),
                        "n_couples": g.size(), "n_days": g["days"].sum()})  # fmt: skip
    shown = out["n_couples"] >= max(min_couples, 2)
    hidden = int((~shown).sum())
    out = out[shown].reset_index()
    half = (
        stats.t.ppf(1 - (1 - level) / 2, out["n_couples"] - 1)
        * out["sd"]
        / np.sqrt(out["n_couples"])
    )
    out["ci_low"], out["ci_high"] = out["mean"] - half, out["mean"] + half
    out["label"] = out["group"].map(GROUP_LABELS)
    out = out[COLUMNS].astype({"n_couples": "int64", "n_days": "int64"})
    out.attrs["hidden_weeks"] = hidden
    out.attrs["value"] = value
    out.attrs["level"] = level
    return out
