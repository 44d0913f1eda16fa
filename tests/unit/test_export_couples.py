"""k of at least 3, and couples: no couple stands out by the regions of its two partners."""

from __future__ import annotations

import random
from collections import Counter, defaultdict

import pytest

from trust_widgets.export import ExportInputError, export_store
from trust_widgets.export.kanon import couples_needed, generalise
from trust_widgets.suppression import MIN_K

from ._export_helpers import add_couple, add_workshop, new_store, read_rows, run_export


def couple_patterns(rows) -> Counter:
    """Couples per (workshop, sorted regions of the couple's exported partners), from rows."""
    regions: dict[str, dict[str, str]] = defaultdict(dict)
    workshop = {}
    for r in rows:
        regions[r["couple"]][r["partner"]] = r["region"]
        workshop[r["couple"]] = r["workshop"]
    return Counter((workshop[c], tuple(sorted(p.values()))) for c, p in regions.items())


def couples_per_class(rows) -> Counter:
    """Distinct couples per (workshop, region) class of partners."""
    return Counter({key: len(cs) for key, cs in _classes(rows).items()})


def _classes(rows) -> dict[tuple, set[str]]:
    out: dict[tuple, set[str]] = defaultdict(set)
    for r in rows:
        out[(r["workshop"], r["region"])].add(r["couple"])
    return out


def test_k_below_the_kits_minimum_is_refused(tmp_path):
    """Is k = 2 (a group could be one couple) refused before anything is written?"""
    engine = new_store(tmp_path)
    w = add_workshop(engine)
    add_couple(engine, w)  # one couple: two partners, a whole class at k = 2
    assert MIN_K == 3
    with pytest.raises(ExportInputError) as err:
        export_store(engine, tmp_path / "out", tmp_path / "k.key", k=2)
    assert err.value.option == "--k"
    assert not (tmp_path / "out").exists()


def test_couples_with_a_unique_pair_of_regions_are_generalised(tmp_path):
    """With both partners' regions known, does every couple still hide among enough couples?"""
    engine = new_store(tmp_path)
    w = add_workshop(engine)
    pairs = [("us", "us"), ("us", "us"), ("us", "intl"), ("intl", "intl"), ("intl", "intl")]
    for regions in pairs:
        add_couple(engine, w, regions, days=3)
    folder, report = run_export(engine, tmp_path, k=3)
    rows = read_rows(folder)
    # 5 partners per region: k = 3 holds per partner, yet the one mixed couple was unique.
    assert min(couple_patterns(rows).values()) >= couples_needed(3) == 2
    assert report.k_couples_achieved == min(couple_patterns(rows).values())
    assert min(couples_per_class(rows).values()) >= 2
    assert report.couples_exported == 5 and report.rows_out == 5 * 2 * 3


def test_a_couple_with_one_sharing_partner_does_not_stand_out(tmp_path):
    """Is the only couple whose second partner shares nothing left out, not shown alone?"""
    engine = new_store(tmp_path)
    w = add_workshop(engine)
    for _ in range(3):
        add_couple(engine, w, days=3)
    add_couple(engine, w, days=3, shared=(True, False))
    folder, report = run_export(engine, tmp_path, k=3)
    rows = read_rows(folder)
    assert min(couple_patterns(rows).values()) >= 2
    assert report.couples_exported == 3 and report.couples_suppressed == 1
    assert report.checkins_suppressed == 3 and report.partners_suppressed == 1
    total = (
        report.checkins_private + report.checkins_demo + report.checkins_no_consent
        + report.checkins_suppressed + report.rows_out
    )  # fmt: skip
    assert total == report.checkins_in_store


def test_a_workshop_left_too_small_by_dropped_couples_goes_whole():
    """When dropping rare couples leaves fewer than k partners, is the workshop suppressed?"""
    partners = {"a1": ("W", "intl"), "a2": ("W", "intl"), "b1": ("W", "intl")}
    couples = {"a1": "A", "a2": "A", "b1": "B"}
    plan = generalise(partners, 3, couples)
    assert plan.region == {} and plan.suppressed == set(partners)
    assert plan.suppressed_workshops == 1 and plan.suppressed_couples == 0


def test_generalisation_before_suppression_keeps_other_regions():
    """Do only the regions of a rare couple join '*', a region no rare couple shows kept?"""
    partners, couples = {}, {}
    pairs = [("intl", "intl")] * 3 + [("us", "us")] * 2 + [("uk", "uk")] * 2 + [("us", "uk")]
    for i, pair in enumerate(pairs):
        for j, region in enumerate(pair):
            partners[f"{i}{j}"] = ("W", region)
            couples[f"{i}{j}"] = i
    plan = generalise(partners, 3, couples)  # every region has >= 3 partners; (us, uk) is one
    assert sorted(Counter(plan.region.values()).items()) == [("*", 10), ("intl", 6)]
    assert plan.couple_k == 3 and not plan.suppressed and plan.k == 6


def test_both_rules_hold_on_random_workshops():
    """On many random stores, does every class hold k partners and every pattern its couples?"""
    rng = random.Random(11)
    for _ in range(300):
        k = rng.randint(3, 8)
        partners, couples = {}, {}
        for c in range(rng.randint(0, 25)):
            workshop = rng.randint(1, 3)
            for j in range(rng.choice([1, 2, 2, 2])):
                partners[(c, j)] = (workshop, rng.choice(["intl", "us", "uk", "*"]))
                couples[(c, j)] = c
        plan = generalise(partners, k, couples)
        rows = [
            {"workshop": partners[p][0], "region": r, "couple": couples[p], "partner": p}
            for p, r in plan.region.items()
        ]
        sizes = Counter((r["workshop"], r["region"]) for r in rows)
        assert not sizes or plan.k == min(sizes.values()) >= k
        patterns = couple_patterns(rows)
        assert not patterns or plan.couple_k == min(patterns.values()) >= couples_needed(k)
        assert set(plan.region) | plan.suppressed == set(partners)
        assert not set(plan.region) & plan.suppressed
        kept = {couples[p] for p in plan.region}
        assert all(p in plan.region for p in partners if couples[p] in kept)  # couples whole
