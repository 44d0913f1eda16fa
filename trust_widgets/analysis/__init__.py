"""Research analysis of anonymised exports: load, shape, ICC, APIM and figures.

Everything here reads an export folder written by ``trust-workshop export`` (see
``notebooks/research/README.md``) and never the live store. Needs the ``research`` extra
(statsmodels, pyarrow); pyarrow is optional: without it the CSV file is read.
"""

from __future__ import annotations

from pathlib import Path

from .._synth import ACTOR, PARTNER
from .apim import ApimError, ApimResult, fit_apim
from .dyads import daily_scores, lagged_dyads, person_means, same_day_pairs, settle
from .figures import apim_figure, partner_scatter_figure, trajectory_figure
from .icc import IccResult, icc_oneway, pairwise_correlation, partner_icc
from .load import ExportError, load_export, summarise_export
from .trajectories import weekly_trajectories

# The bundled synthetic export (a repository checkout; absent from an installed wheel).
DEMO_EXPORT = Path(__file__).resolve().parents[2] / "data" / "demo-export"
# The effects planted in the demo simulation (docs/demo-data.md, "The model").
PLANTED = {"actor": ACTOR, "partner": PARTNER}
ENV_EXPORT = "TW_EXPORT"

__all__ = [
    "DEMO_EXPORT", "ENV_EXPORT", "PLANTED", "ApimError", "ApimResult", "ExportError",
    "IccResult", "apim_figure", "daily_scores", "fit_apim", "icc_oneway", "lagged_dyads",
    "load_export", "pairwise_correlation", "partner_icc", "partner_scatter_figure",
    "person_means", "same_day_pairs", "settle", "summarise_export", "trajectory_figure",
    "weekly_trajectories",
]  # fmt: skip
