"""The Actor-Partner Interdependence Model of follow-through against next-day trust.

One model for indistinguishable dyads (Kenny, Kashy & Cook 2006; Bolger & Laurenceau 2013,
ch. 8), fitted with statsmodels MixedLM: next-day trust on one's own (actor) and the other
partner's (partner) follow-through rate, a random intercept per couple and, within it, one per
person (a variance component). Each rate is split into the person's mean and the day's
deviation from it, so the actor and partner effects are within-person effects: stable
differences between people cannot masquerade as them. A per-person slope on a trend term
keeps slow drifts (trust and follow-through rising or falling together) out of the effects.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from statsmodels.tools.sm_exceptions import ConvergenceWarning

from .dyads import TAU_DAYS, lagged_dyads, settle

__all__ = ["TERMS", "TRENDS", "ApimError", "ApimResult", "fit_apim"]

TERMS = {
    "actor": "actor_within",
    "partner": "partner_within",
    "actor_between": "actor_mean",
    "partner_between": "partner_mean",
}
LABELS = {
    "actor": "Actor (own rate, within person)",
    "partner": "Partner (partner's rate, within person)",
    "actor_between": "Actor, between persons (person mean)",
    "partner_between": "Partner, between persons (person mean)",
}
TRENDS = ("settle", "linear", "none")
MIN_COUPLES = 3
FIT_WARNINGS = (ConvergenceWarning, RuntimeWarning)


class ApimError(ValueError):
    """Data the model cannot be fitted to; the message says why."""


@dataclass(frozen=True)
class ApimResult:
    """Estimates of one APIM fit, ready to print, plot or test.

    ``table`` is indexed by ``actor``, ``partner``, ``actor_between``, ``partner_between``
    with columns ``label, estimate, se, ci_low, ci_high, p_value`` (Wald, normal quantiles).
    ``variances`` holds the couple, person and residual variances. ``notes`` keeps any
    warning the optimiser gave, so that it is reported in words instead of printed raw.
    """

    table: pd.DataFrame
    n_obs: int
    n_couples: int
    n_persons: int
    variances: dict[str, float]
    trend: str
    formula: str
    converged: bool
    level: float = 0.95
    notes: tuple[str, ...] = ()
    model_result: object = field(default=None, repr=False, compare=False)

    def covers(self, term: str, value: float) -> bool:
        """Does the confidence interval of ``term`` contain ``value``?"""
        row = self.table.loc[term]
        return bool(row["ci_low"] <= value <= row["ci_high"])

    def describe(self) -> str:
        """The actor and partner effects in plain words, with their intervals."""
        pct = f"{self.level:.0%}"
        a, p = self.table.loc["actor"], self.table.loc["partner"]

        def est(row: pd.Series) -> str:
            return (f"{row['estimate']:+.2f} points ({pct} CI {row['ci_low']:+.2f} to "
                    f"{row['ci_high']:+.2f})")  # fmt: skip

        lines = [
            f"Actor effect: {est(a)} of a partner's own next-day trust after a day on which "
            "they kept all their due commitments rather than none, compared with their own "
            "usual days.",
            f"Partner effect: {est(p)} of the other partner's next-day trust after such a day.",
            f"From {self.n_obs} next-day observations of {self.n_persons} partners in "
            f"{self.n_couples} couples; trend term: {self.trend}.",
        ]
        if not self.converged:
            lines.append("The optimiser did not converge: treat these numbers as unreliable.")
        lines += [f"Note from the fit: {n}" for n in self.notes]
        return "\n".join(lines)


def _trend(frame: pd.DataFrame, trend: str, tau: float) -> pd.Series:
    if trend == "settle":
        return pd.Series(settle(frame["day_index"], tau), index=frame.index)
    return frame["day_index"].astype(float) / 100.0  # per 100 days keeps the scale tame


def fit_apim(frame: pd.DataFrame, *, trend: str = "settle", tau: float = TAU_DAYS,
             person_intercepts: bool = True, level: float = 0.95) -> ApimResult:  # fmt: skip
    """Fit the APIM with MixedLM (random intercept per couple) and return its estimates.

    Parameters
    ----------
    frame
        A frame from :func:`~trust_widgets.analysis.dyads.lagged_dyads`, or an export as
        :func:`~trust_widgets.analysis.load.load_export` returns it (then lagged here).
    trend
        Each person's own slope on a time term: ``"settle"``, s(t) = 1 - exp(-t/tau), the
        demo's shape; ``"linear"``, days / 100; ``"none"``, no trend.
    tau
        Time scale of ``"settle"``, in days.
    person_intercepts
        Add a random intercept per person within the couple (occasions within persons
        within couples). Without it, people's stable differences go into the residual.
    level
        Confidence level of the intervals.
    """
    if trend not in TRENDS:
        raise ApimError(f"trend must be one of {', '.join(TRENDS)}, not {trend!r}.")
    data = frame if "actor_within" in frame.columns else lagged_dyads(frame)
    data = data.assign(trend_s=_trend(data, trend, tau)) if len(data) else data
    n_couples = data["couple"].nunique() if len(data) else 0
    if n_couples < MIN_COUPLES:
        raise ApimError(f"The model needs next-day rows from at least {MIN_COUPLES} couples; "
                        f"this export has {n_couples}.")  # fmt: skip
    formula = "trust ~ " + " + ".join(TERMS.values())
    if trend != "none":
        formula += " + C(partner):trend_s"
    import statsmodels.formula.api as smf

    vc = {"person": "0 + C(partner)"} if person_intercepts else None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model = smf.mixedlm(formula, data, groups="couple", re_formula="1", vc_formula=vc)
            res = model.fit(reml=True)
        except (np.linalg.LinAlgError, ValueError) as exc:
            raise ApimError(f"The model could not be fitted to this export: {exc}") from None
    # The optimiser's own warnings become notes in the result; anything else (a library
    # deprecation, say) is passed on unchanged.
    fit_warnings = [w for w in caught if issubclass(w.category, FIT_WARNINGS)]
    for w in caught:
        if w not in fit_warnings:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    notes = tuple(dict.fromkeys(str(w.message).strip() for w in fit_warnings))
    ci = res.conf_int(alpha=1 - level)
    table = pd.DataFrame({
        "label": pd.Series(LABELS),
        "estimate": [res.params[c] for c in TERMS.values()],
        "se": [res.bse[c] for c in TERMS.values()],
        "ci_low": [ci.loc[c, 0] for c in TERMS.values()],
        "ci_high": [ci.loc[c, 1] for c in TERMS.values()],
        "p_value": [res.pvalues[c] for c in TERMS.values()],
    }, index=list(TERMS))  # fmt: skip
    variances = {"couple": float(np.asarray(res.cov_re)[0, 0]), "residual": float(res.scale),
                 "person": float(res.vcomp[0]) if person_intercepts else 0.0}  # fmt: skip
    return ApimResult(
        table=table, n_obs=int(res.nobs), n_couples=n_couples,
        n_persons=int(data["partner"].nunique()), variances=variances, trend=trend,
        formula=formula, converged=bool(res.converged), level=level, notes=notes,
        model_result=res,
    )  # fmt: skip
