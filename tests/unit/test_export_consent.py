"""Research export: only consenting couples, only shared check-ins, never demo couples."""

from __future__ import annotations

from collections import Counter

from trust_widgets.store.engine import transaction
from trust_widgets.store.models import Partner

from ._export_helpers import add_couple, add_workshop, decide, new_store, read_rows, run_export


def exported_partners(folder) -> Counter:
    """Rows per (couple, partner_index) in the export."""
    return Counter((r["couple"], r["partner_index"]) for r in read_rows(folder))


def test_only_couples_where_both_partners_consent_are_exported(tmp_path):
    """Are couples with a missing, declined or withdrawn consent left out entirely?"""
    engine = new_store(tmp_path)
    w = add_workshop(engine)
    for _ in range(3):
        add_couple(engine, w, days=4)  # both agree: exported
    add_couple(engine, w, days=4, consent=("agree", None))  # one never asked
    add_couple(engine, w, days=4, consent=("agree", "decline"))
    withdrawn = add_couple(engine, w, days=4)
    decide(engine, withdrawn[1], "withdraw")
    back = add_couple(engine, w, days=4)  # withdrew, then agreed again: the latest decides
    decide(engine, back[0], "withdraw")
    decide(engine, back[0], "agree")
    folder, report = run_export(engine, tmp_path, k=3)
    rows = exported_partners(folder)
    assert len({couple for couple, _ in rows}) == 4
    assert set(rows.values()) == {4}  # each exported partner with all 4 days
    assert report.couples_both_consented == report.couples_exported == 4
    assert report.checkins_no_consent == 3 * 2 * 4
    assert report.partners_consent_withdrawn == 1
    assert report.partners_consent_declined == 1
    assert report.partners_no_consent_record == 1
    assert report.partners_consent_granted == 8 + 3  # 4 couples, plus the 3 other halves


def test_a_single_partner_without_their_partner_is_never_exported(tmp_path):
    """Is a couple whose second partner has not joined left out, even with consent?"""
    engine = new_store(tmp_path)
    w = add_workshop(engine)
    for _ in range(3):
        add_couple(engine, w, days=2)
    a, b = add_couple(engine, w, days=2)
    with transaction(engine) as s:
        s.delete(s.get(Partner, b))  # as if B never joined (their check-ins go too)
    folder, report = run_export(engine, tmp_path, k=3)
    assert report.couples_exported == 3
    assert len(read_rows(folder)) == 3 * 2 * 2
    assert report.checkins_no_consent == 2
    del a


def test_private_checkins_never_enter_an_export(tmp_path):
    """Are a partner's private check-ins left out while their partner's shared ones stay?"""
    engine = new_store(tmp_path)
    w = add_workshop(engine)
    for _ in range(3):
        add_couple(engine, w, days=5)
    for _ in range(2):  # two alike, so that their shape (one partner only) is not unique
        add_couple(engine, w, days=5, shared=(True, False))
    folder, report = run_export(engine, tmp_path, k=3)
    rows = exported_partners(folder)
    assert len(rows) == 3 * 2 + 2  # the private partners have no rows
    assert report.checkins_private == 10
    assert report.rows_out == 40
    assert report.partners_exported == 8


def test_demo_workshops_stay_out_unless_asked(tmp_path):
    """Are made-up demo couples left out of a research export unless include_demo is set?"""
    engine = new_store(tmp_path)
    real, demo = add_workshop(engine), add_workshop(engine, "Demo", is_demo=True)
    for _ in range(3):
        add_couple(engine, real, days=3)
        add_couple(engine, demo, days=3)
    folder, report = run_export(engine, tmp_path, k=3)
    assert report.checkins_demo == 18 and report.rows_out == 18
    assert len({r["workshop"] for r in read_rows(folder)}) == 1
    folder, report = run_export(engine, tmp_path, "with-demo", k=3, include_demo=True)
    assert report.checkins_demo == 0 and report.rows_out == 36 and report.rows_out_demo == 18
    assert len({r["workshop"] for r in read_rows(folder)}) == 2


def test_report_rows_add_up(tmp_path):
    """Does rows in = private + demo + no consent + suppressed + out?"""
    engine = new_store(tmp_path)
    w, small = add_workshop(engine), add_workshop(engine, "Tiny")
    for _ in range(3):
        add_couple(engine, w, days=6, shared=(True, False))
    add_couple(engine, w, days=6, consent=("agree", "decline"))
    add_couple(engine, small, days=6)  # 2 partners < k: suppressed
    _, r = run_export(engine, tmp_path, k=3)
    assert r.checkins_in_store == 5 * 2 * 6
    total = (
        r.checkins_private + r.checkins_demo + r.checkins_no_consent + r.checkins_suppressed
        + r.rows_out
    )  # fmt: skip
    assert total == r.checkins_in_store
    assert r.checkins_suppressed == 12 and r.workshops_suppressed == 1
