"""The whole research path: demo store, consent, ``export``, the notebooks' loader, the APIM."""

from __future__ import annotations

import pytest

from trust_widgets._synth import ACTOR, PARTNER
from trust_widgets.analysis import load_export
from trust_widgets.analysis.apim import fit_apim
from trust_widgets.export.demo import export_demo


@pytest.mark.parametrize("seed", [1, 2])
def test_planted_effects_survive_the_real_export(tmp_path, seed):
    """Do the planted actor and partner effects lie in their 95% CIs after a real export?

    Private check-ins (about one partner in ten) are left out on the way, as for real
    couples, and no date is exported; day indexes keep the lags intact.
    """
    report = export_demo(tmp_path / "export", couples=40, days=120, seed=seed)
    assert report.couples_exported >= 35 and report.rows_out > 0  # some keep all private
    result = fit_apim(load_export(tmp_path / "export"))
    assert result.converged
    assert result.covers("actor", ACTOR), result.describe()
    assert result.covers("partner", PARTNER), result.describe()


def test_a_real_export_with_weekday_loads_and_agrees_with_day_index(tmp_path):
    """Does the loader read what ``trust-workshop export --weekday`` writes, weekday included,
    with one real weekday per couple's day 0?"""
    report = export_demo(tmp_path / "export", couples=12, days=21, seed=3, weekday=True)
    export = load_export(tmp_path / "export")
    assert report.opt_in_columns == ["weekday"] and len(export) == report.rows_out
    assert list(export.columns).index("weekday") == list(export.columns).index("day_index") + 1
    origin = (export["weekday"] - 1 - export["day_index"]) % 7
    assert (origin.groupby(export["couple"]).nunique() == 1).all()
