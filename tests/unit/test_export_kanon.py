"""Research export: k-anonymity on (workshop, region), counted over partners, not rows."""

from __future__ import annotations

import random

import pytest

from trust_widgets.export.kanon import class_sizes, generalise, k_anonymity

from ._export_helpers import add_couple, add_workshop, new_store, read_rows, run_export


def test_measure_counts_people_not_rows():
    """Does one partner with many rows count once in their class?"""
    rows = [{"workshop": "W1", "region": "us", "partner": "P1"}] * 50
    rows += [{"workshop": "W1", "region": "us", "partner": f"P{i}"} for i in range(2, 5)]
    assert class_sizes(rows)[("W1", "us")] == 4
    assert k_anonymity(rows) == 4
    assert k_anonymity([]) is None


def test_measure_refuses_a_person_in_two_classes():
    """Is a partner shown with two regions caught (they would be counted twice)?"""
    rows = [
        {"workshop": "W1", "region": "us", "partner": "P1"},
        {"workshop": "W1", "region": "*", "partner": "P1"},
    ]
    with pytest.raises(ValueError, match="two combinations"):
        class_sizes(rows)


def test_rare_regions_become_star_and_small_workshops_go():
    """Are rare regions generalised first, and a workshop too small on its own suppressed?"""
    partners = {f"a{i}": ("A", "intl") for i in range(7)}
    partners |= {f"b{i}": ("A", "us") for i in range(2)}
    partners |= {f"c{i}": ("A", "uk") for i in range(3)}
    partners |= {f"d{i}": ("B", "us") for i in range(4)}  # 4 < 5: the whole workshop goes
    plan = generalise(partners, k=5)
    assert {plan.region[f"a{i}"] for i in range(7)} == {"intl"}
    assert {plan.region[f"b{i}"] for i in range(2)} | {plan.region[f"c{i}"] for i in range(3)} == {
        "*"
    }
    assert plan.suppressed == {f"d{i}" for i in range(4)}
    assert plan.suppressed_workshops == 1 and plan.generalised == 5 and plan.k == 5


def test_star_group_grows_with_the_next_smallest_region():
    """When the '*' group is still below k, does the next smallest region join it?"""
    partners = {f"a{i}": ("A", "intl") for i in range(9)}
    partners |= {f"b{i}": ("A", "us") for i in range(6)}
    partners |= {"c0": ("A", "uk")}
    plan = generalise(partners, k=5)
    assert plan.region["c0"] == "*"
    assert {plan.region[f"b{i}"] for i in range(6)} == {"*"}  # 6 < 9: us joins, not intl
    assert {plan.region[f"a{i}"] for i in range(9)} == {"intl"}
    assert plan.k == 7


def test_generalisation_reaches_k_on_random_data():
    """Does the plan reach k (or suppress) for many random workshops and region mixes?"""
    rng = random.Random(3)
    for _ in range(200):
        k = rng.randint(2, 8)
        partners = {
            i: (rng.randint(1, 4), rng.choice(["intl", "us", "uk", "de"]))
            for i in range(rng.randint(0, 40))
        }
        plan = generalise(partners, k)
        rows = [
            {"workshop": partners[p][0], "region": r, "partner": p} for p, r in plan.region.items()
        ]
        assert plan.k == k_anonymity(rows)
        assert plan.k is None or plan.k >= k
        assert len(plan.region) + len(plan.suppressed) == len(partners)


def test_export_is_k_anonymous_on_its_declared_quasi_identifiers(tmp_path):
    """Does the exported CSV, checked by the measure, meet k, with suppression counted?"""
    engine = new_store(tmp_path)
    big, mixed = add_workshop(engine, "Big"), add_workshop(engine, "Mixed")
    tiny = add_workshop(engine, "Tiny")
    for _ in range(4):
        add_couple(engine, big, ("intl", "intl"), days=3)
    add_couple(engine, big, ("us", "intl"), days=3)  # one 'us' partner among 10
    for _ in range(3):
        add_couple(engine, mixed, ("us", "us"), days=3)
    add_couple(engine, tiny, ("us", "intl"), days=3)  # 2 partners: below k
    add_couple(engine, None, ("intl", "intl"), days=3)  # at home: 2 partners, below k
    folder, report = run_export(engine, tmp_path, k=5)
    rows = read_rows(folder)
    assert k_anonymity(rows) == report.k_achieved >= 5
    sizes = class_sizes(rows)
    # Big: the lone 'us' partner cannot form a group of 5 alone, so 'intl' joins the '*' group
    # (generalise before suppressing); Mixed keeps 'us' (6 partners).
    assert sorted(sizes.values()) == [6, 10]
    assert {region for _, region in sizes} == {"*", "us"}
    assert report.workshops_suppressed == 2 and report.partners_suppressed == 4
    assert report.checkins_suppressed == 4 * 3
    assert report.rows_out == len(rows)
