"""The export report tells researchers nothing small about people who did not take part."""

from __future__ import annotations

import dataclasses
import json
import random

from typer.testing import CliRunner

from trust_widgets.export.report import ExportReport
from trust_widgets.suppression import is_small, suppressed_label

from ._export_helpers import add_couple, add_workshop, decide, new_store, run_export
from .test_export_cli import app

SENSITIVE = (
    "partners_consent_outdated", "partners_consent_declined", "partners_consent_withdrawn",
    "partners_no_consent_record", "partners_without_consent", "checkins_private",
    "checkins_no_consent",
)  # fmt: skip


def small_store(tmp_path):
    """Three consenting couples, and one partner who agreed and then withdrew."""
    engine = new_store(tmp_path)
    w = add_workshop(engine)
    for _ in range(3):
        add_couple(engine, w, days=4)
    _, withdrawn = add_couple(engine, w, days=4)
    decide(engine, withdrawn, "withdraw")
    return engine


def test_one_withdrawal_is_hidden_from_the_researcher(tmp_path):
    """Is "withdrawn 1" absent from report.json, report.md and the codebook, yet exact in memory?"""
    engine = small_store(tmp_path)
    folder, report = run_export(engine, tmp_path, k=3)
    assert report.partners_consent_withdrawn == 1  # the operator's object keeps it
    saved = json.loads((folder / "report.json").read_text())
    assert saved["partners_consent_withdrawn"] is None
    assert saved["partners_without_consent"] is None
    # partners_in_store - granted would give the hidden 1 back, so it is hidden too
    assert saved["partners_in_store"] is None and saved["couples_in_store"] is None
    assert "partners_consent_withdrawn" in saved["hidden_counts"]
    assert "1 to 2 people" in saved["hidden_note"]
    # 7 consenting partners in 3 consenting couples: the 7th has a partner who said no
    assert saved["partners_consent_granted"] is None
    assert saved["consent_text_versions"] == dict.fromkeys(report.consent_text_versions)
    # what the researcher receives about exported and consenting couples stays
    assert saved["couples_both_consented"] == 3 and saved["couples_exported"] == 3
    assert saved["rows_out"] == 24 and saved["partners_exported"] == 6
    assert saved["checkins_no_consent"] == 8 and saved["rows_in"] == 32  # rows: 8 >= k
    md = (folder / "report.md").read_text()
    assert "withdrawn 1" not in md and f"Without current consent: {suppressed_label(3)}" in md
    codebook = (folder / "codebook.md").read_text()
    assert "withdrawn 1" not in codebook and "null in report.json" in codebook


def test_the_operator_sees_the_hidden_counts_in_the_terminal(tmp_path):
    """Does the command print the exact hidden counts for the person running it only?"""
    small_store(tmp_path).dispose()
    args = ["export", "--out", str(tmp_path / "o"), "--db", str(tmp_path / "store.sqlite3"),
            "--key-file", str(tmp_path / "k.key"), "--k", "3"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "For you only" in result.output and "withdrawn 1" in result.output
    assert "withdrawn 1" not in (tmp_path / "o" / "report.md").read_text()


def test_few_private_checkins_hide_the_store_total_of_rows(tmp_path):
    """With 2 private check-ins and k = 3, are they and rows in (their sum's witness) hidden?"""
    engine = new_store(tmp_path)
    w = add_workshop(engine)
    for _ in range(3):
        add_couple(engine, w, days=4)
    add_couple(engine, w, days=2, shared=(False, False))
    folder, report = run_export(engine, tmp_path, k=3)
    saved = json.loads((folder / "report.json").read_text())
    assert report.checkins_private == 4 and saved["checkins_private"] == 4  # 4 >= k: shown
    folder, report = run_export(engine, tmp_path, "o5", k=5)
    saved = json.loads((folder / "report.json").read_text())
    assert saved["checkins_private"] is None and saved["rows_in"] is None
    assert saved["checkins_in_store"] is None and saved["rows_out"] == 24


def test_released_counts_never_show_or_give_away_a_small_count():
    """On random reports, is no count about people not exported 1 to k-1, nor derivable?"""
    rng = random.Random(7)
    for _ in range(2000):
        k = rng.randint(3, 8)
        cells = {n: rng.choice([0, 0, 1, 2, rng.randint(0, 30)]) for n in SENSITIVE}
        granted = rng.randint(0, 40)
        both = rng.randint(0, granted // 2)
        versions = {"research-consent-1": granted}
        report = ExportReport(
            "0", "t", "f", False, k, 364, False, partners_consent_granted=granted,
            couples_both_consented=both, consent_text_versions=versions,
        )  # fmt: skip
        fields = {f.name for f in dataclasses.fields(report)}
        for name, value in cells.items():
            if name in fields:
                setattr(report, name, value)
        without = report.partners_without_consent
        report.partners_in_store = granted + without
        report.couples_in_store = both + rng.randint(0, without + 3)
        report.checkins_in_store = report.checkins_private + report.checkins_no_consent + 50
        out = report.to_dict()
        for name in SENSITIVE:
            assert out[name] is None or not is_small(out[name], k), (name, out[name], k)
        if out["partners_in_store"] is not None:  # then the hidden cells' sum is no secret
            assert not is_small(without, k) and out["partners_without_consent"] == without
        if out["couples_in_store"] is not None:
            assert out["partners_in_store"] is not None
            assert not is_small(report.couples_in_store - both, k)
        if out["partners_consent_granted"] is not None:
            assert not is_small(granted - 2 * both, k)
            assert sum(out["consent_text_versions"].values()) == granted
        if out["rows_in"] is not None:
            assert not is_small(report.checkins_private + report.checkins_no_consent, k)
        for cells_, total in (
            (SENSITIVE[:4], "partners_without_consent"),
            (SENSITIVE[5:], "rows_in"),
        ):
            hidden = [n for n in cells_ if out[n] is None]
            assert len(hidden) != 1 or out[total] is None  # a lone hidden cell hides its total
