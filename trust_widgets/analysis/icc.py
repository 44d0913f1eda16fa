"""How alike partners' trust is: the intraclass correlation for indistinguishable dyads.

Partners are exchangeable (``partner_index`` is only the order of joining), so the measure
must not depend on who is "1" and who is "2". The one-way random-effects ICC(1) of Shrout &
Fleiss (1979) is such a measure; for dyads it is the ANOVA intraclass correlation of Kenny,
Kashy & Cook (2006, ch. 2), and close to their double-entry (pairwise) correlation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .dyads import person_means, same_day_pairs

__all__ = ["IccResult", "icc_oneway", "pairwise_correlation", "partner_icc"]

UNITS = ("person", "day")


@dataclass(frozen=True)
class IccResult:
    """An ICC(1) with its confidence interval and where it came from."""

    icc: float
    ci_low: float
    ci_high: float
    n_pairs: int
    n_couples: int
    f: float
    df1: int
    df2: int
    p_value: float | None  # None where the F test's independence does not hold
    pairwise: float  # the double-entry correlation, for comparison
    level: float
    method: str

    def describe(self) -> str:
        """The ICC in plain words, with its interval and how it was computed."""
        return (f"ICC(1) = {self.icc:.2f} ({self.level:.0%} CI {self.ci_low:.2f} to "
                f"{self.ci_high:.2f}) from {self.n_pairs} pairs in {self.n_couples} couples; "
                f"double-entry correlation {self.pairwise:.2f}. {self.method}")  # fmt: skip


def _icc1(msb: np.ndarray | float, msw: np.ndarray | float, k: int):
    return (msb - msw) / (msb + (k - 1) * msw)


def _mean_squares(x: np.ndarray) -> tuple[float, float]:
    n, k = x.shape
    means = x.mean(axis=1)
    msb = k * ((means - x.mean()) ** 2).sum() / (n - 1)
    msw = ((x - means[:, None]) ** 2).sum() / (n * (k - 1))
    return float(msb), float(msw)


def icc_oneway(values: np.ndarray | pd.DataFrame, level: float = 0.95) -> IccResult:
    """Return ICC(1) of an n-targets x k-ratings table, with the F-based interval.

    Shrout & Fleiss (1979), case 1: ICC = (MSB - MSW) / (MSB + (k - 1) MSW); the interval
    inverts F = MSB / MSW on (n - 1, n (k - 1)) degrees of freedom.
    """
    x = np.asarray(values, dtype=float)
    if x.ndim != 2 or x.shape[1] < 2 or x.shape[0] < 3 or np.isnan(x).any():
        raise ValueError("ICC(1) needs a complete table of at least 3 rows and 2 columns.")
    n, k = x.shape
    msb, msw = _mean_squares(x)
    if msw == 0:
        raise ValueError("ICC(1) is undefined: the scores within every pair are identical.")
    f, df1, df2 = msb / msw, n - 1, n * (k - 1)
    q = stats.f.ppf(1 - (1 - level) / 2, [df1, df2], [df2, df1])
    f_low, f_high = f / q[0], f * q[1]
    return IccResult(
        icc=float(_icc1(msb, msw, k)), ci_low=float((f_low - 1) / (f_low + k - 1)),
        ci_high=float((f_high - 1) / (f_high + k - 1)), n_pairs=n, n_couples=n, f=float(f),
        df1=df1, df2=df2, p_value=float(stats.f.sf(f, df1, df2)),
        pairwise=pairwise_correlation(x) if k == 2 else float("nan"), level=level,
        method="CI from the F distribution (Shrout & Fleiss 1979).",
    )  # fmt: skip


def pairwise_correlation(pairs: np.ndarray | pd.DataFrame) -> float:
    """Return the double-entry correlation: Pearson's r with each pair entered both ways."""
    x = np.asarray(pairs, dtype=float)
    both = np.vstack([x, x[:, ::-1]])
    return float(np.corrcoef(both[:, 0], both[:, 1])[0, 1])


def _bootstrap_icc(pairs: np.ndarray, couples: np.ndarray, reps: int, level: float,
                   seed: int) -> tuple[float, float]:  # fmt: skip
    """Percentile interval of ICC(1) for k = 2, resampling whole couples."""
    labels, idx = np.unique(couples, return_inverse=True)
    means = pairs.mean(axis=1)
    per = np.zeros((len(labels), 4))  # rows, sum of means, sum of squared means, within SS
    np.add.at(per, idx, np.column_stack([np.ones(len(pairs)), means, means**2,
                                         ((pairs - means[:, None]) ** 2).sum(axis=1)]))  # fmt: skip
    rng = np.random.default_rng(seed)
    counts = rng.multinomial(len(labels), np.full(len(labels), 1 / len(labels)), size=reps)
    n, s, ss, w = (counts @ per).T
    msb = 2 * (ss - s**2 / n) / (n - 1)
    icc = _icc1(msb, w / n, 2)
    tail = (1 - level) / 2 * 100
    return tuple(float(v) for v in np.nanpercentile(icc, [tail, 100 - tail]))  # type: ignore[return-value]


def partner_icc(export: pd.DataFrame, unit: str = "person", *, within: bool = False,
                min_days: int = 7, level: float = 0.95, reps: int = 2000,
                seed: int = 0) -> IccResult:  # fmt: skip
    """Return the ICC(1) of partners' trust.

    Parameters
    ----------
    export
        Check-ins as :func:`~trust_widgets.analysis.load.load_export` returns them.
    unit
        ``"person"``: each partner's mean trust (partners with at least ``min_days`` scored
        days), one pair per couple, F-based interval. ``"day"``: same-day pairs; couple-days
        of one couple are not independent, so the interval is a percentile bootstrap that
        resamples whole couples (``reps`` draws, fixed ``seed``) and no p-value is given.
    within
        For ``"day"``: centre each partner on their own mean first (daily co-movement only).
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}.")
    if unit == "person":
        pairs = person_means(export, min_days=min_days)
        if len(pairs) < 3:
            raise ValueError(f"Need at least 3 couples with {min_days}+ scored days each.")
        return icc_oneway(pairs[["trust_1", "trust_2"]], level=level)
    table = same_day_pairs(export, within=within)
    if table["couple"].nunique() < 3:
        raise ValueError("Need same-day check-ins from at least 3 couples.")
    x = table[["trust_1", "trust_2"]].to_numpy()
    base = icc_oneway(x, level=level)
    low, high = _bootstrap_icc(x, table["couple"].to_numpy(), reps, level, seed)
    what = "centred on each partner's mean, " if within else ""
    return IccResult(
        icc=base.icc, ci_low=low, ci_high=high, n_pairs=len(x),
        n_couples=int(table["couple"].nunique()), f=base.f, df1=base.df1, df2=base.df2,
        p_value=None, pairwise=base.pairwise, level=level,
        method=f"Same-day pairs, {what}CI by resampling couples ({reps} bootstrap draws).",
    )  # fmt: skip
