"""Fixtures for the research analysis: synthetic exports written in the export format."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from trust_widgets.analysis._demo_export import demo_rows, write_demo_export
from trust_widgets.analysis._format import COLUMNS


@pytest.fixture(scope="session")
def small_export(tmp_path_factory) -> Path:
    """A small export folder (8 couples x 42 days, two workshops), CSV and Parquet."""
    out = tmp_path_factory.mktemp("export") / "small"
    write_demo_export(out, couples=8, days=42, seed=3, workshops=2)
    return out


def export_frame(rows: list[dict]) -> pd.DataFrame:
    """Hand-made rows in the export's column order, missing columns filled with defaults."""
    defaults = {"workshop": "W-" + "a" * 16, "region": "intl",
                "instrument_version": "tw-checkin-1", "commitments_due": 1,
                "commitments_kept": 1, "safety": 5, "anxiety": 5, "communication": 5}  # fmt: skip
    full = [{**defaults, **r} for r in rows]
    for r in full:
        for item in ("predictability", "dependability", "faith"):
            r.setdefault(item, r.get("trust", 5))
    extra = [c for c in ("weekday", "date") if any(c in r for r in full)]  # opt-in, legacy
    return pd.DataFrame(full).reindex(columns=[*COLUMNS, *extra])


def write_csv(frame: pd.DataFrame, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_csv(folder / "checkins.csv", index=False)
    return folder


@pytest.fixture
def demo_rows_frame():
    """The demo simulation as an export frame, without files: ``(couples, days, seed)``."""

    def make(couples: int, days: int, seed: int) -> pd.DataFrame:
        return pd.DataFrame(demo_rows(couples, days, seed))

    return make
