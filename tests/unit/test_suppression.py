"""Small-cell suppression: a table of small groups, the settings, and exhaustive attacks."""

from __future__ import annotations

import itertools
import random
from collections import defaultdict

import pytest

from trust_widgets.suppression import (
    DEFAULT_K,
    ENV_K,
    Partition,
    check_k,
    is_small,
    shown_text,
    suppress_nested,
    suppress_partition,
    suppress_share,
    suppressed_label,
    suppression_note,
    threshold,
)

H = None  # a suppressed cell, to keep the tables readable

# -- the table of small groups -------------------------------------------------------------

PARTITIONS = [
    # counts, k, expected cells, expected total
    ([2, 8, 9], 5, [H, H, 9], 19),  # 2 is small; 8 hides with it, or 19 - 8 - 9 = 2
    ([0, 3, 12], 5, [0, H, H], 15),  # zero stays shown; 12 hides with the 3
    ([3], 5, [H], H),  # the total is small: everything goes
    ([2, 2], 5, [H, H], H),
    ([1, 2, 0], 5, [H, H, H], H),  # a small total hides its zeros too
    ([5, 5, 0], 5, [5, 5, 0], 10),  # nothing small: all shown
    ([0, 0, 0], 5, [0, 0, 0], 0),  # nobody is not a small group
    ([6, 0, 3], 5, [H, 0, H], 9),  # the extra cell is the first non-zero one, not a zero
    ([2, 9, 8], 5, [H, H, 8], 19),  # first in order, not the smallest (see the docstring)
    ([3, 3, 6], 5, [H, H, 6], 12),  # two hidden cells that could be 1+5, 2+4, 3+3 ...
    ([1, 1, 10], 5, [H, H, H], H),  # two hidden 1s would be known: hide one more, and
    # then 12 in three hidden cells could read as three 4s: the total goes too
    ([4, 4, 20], 5, [H, H, H], 28),  # two hidden k-1s likewise
    ([1, 1, 1, 1, 1], 5, [H, H, H, H, H], H),  # all 1s, nothing to add: hide the total too
    ([10, 1, 7, 7], 5, [H, H, 7, 7], 25),
    ([10, 12], 11, [H, H], 22),  # a CMS-style threshold of 11
]


@pytest.mark.parametrize(("counts", "k", "cells", "total"), PARTITIONS)
def test_partition_table(counts, k, cells, total):
    """Does a row that partitions a total hide small cells and their complements?"""
    names = [f"c{i}" for i in range(len(counts))]
    result = suppress_partition(dict(zip(names, counts, strict=True)), k)
    assert list(result.cells.values()) == cells and result.total == total
    assert list(result.cells) == names  # display order kept
    assert result.suppressed == (H in cells or total is H)


SHARES = [
    # count, total, k, expected
    (11, 12, 5, H),  # "11 of 12" tells that one couple did not
    (12, 12, 5, 12),
    (0, 12, 5, 0),
    (5, 12, 5, 5),  # 5 shown, and so are the 7 others
    (8, 12, 5, H),  # the 4 others would be a small group
    (3, 12, 5, H),
    (0, 3, 5, H),  # none of 3 tells about all 3
    (3, 3, 5, H),
    (0, 0, 5, 0),
    (10, 20, 11, H),
]


@pytest.mark.parametrize(("count", "total", "k", "expected"), SHARES)
def test_share_table(count, total, k, expected):
    """Is a count out of a known total hidden when it or its complement is small?"""
    assert suppress_share(count, total, k) == expected


FUNNELS = [
    # counts, total, k, expected
    ([12, 9, 7, 2, 0], 14, 5, [H, 9, H, H, 0]),  # 14-12 small; 9-7 small; 2 small; 9-0 ok
    ([14, 14, 10, 5, 0], 14, 5, [14, 14, H, 5, 0]),  # 14-10 small; 14-5 and 5-0 fine
    ([20, 15, 10, 5, 0], 20, 5, [20, 15, 10, 5, 0]),
    ([3, 2, 1, 0, 0], 3, 5, [H, H, H, H, H]),  # a small total hides every step
    ([0, 0, 0, 0, 0], 0, 5, [0, 0, 0, 0, 0]),
    ([11, 11, 11, 11, 11], 12, 5, [H, H, H, H, H]),  # one couple missing all along
    ([30, 28, 26, 20, 3], 30, 5, [30, H, H, 20, H]),
    ([9, 9, 5, 5, 4], 9, 5, [9, 9, H, H, H]),
]


@pytest.mark.parametrize(("counts", "total", "k", "expected"), FUNNELS)
def test_funnel_table(counts, total, k, expected):
    """Is a funnel shown only where no step, nor the gap to a shown one, is small?"""
    assert suppress_nested(counts, total, k) == expected


# -- input checks and settings -----------------------------------------------------------


@pytest.mark.parametrize("k", [2, 0, -5, 101, True, 5.0, "5", None])
def test_bad_thresholds_are_refused(k):
    """Is a threshold that is not a whole number 3-100 refused with a clear message?"""
    with pytest.raises(ValueError, match="threshold"):
        check_k(k)


def test_bad_counts_are_refused():
    """Are negative counts, counts above their total and rising funnels refused?"""
    with pytest.raises(ValueError, match="at least 0"):
        suppress_partition({"a": -1}, 5)
    with pytest.raises(ValueError, match="larger than its total"):
        suppress_share(6, 5, 5)
    with pytest.raises(ValueError, match="must not increase"):
        suppress_nested([3, 4], 10, 5)
    with pytest.raises(ValueError, match="must not increase"):
        suppress_nested([11], 10, 5)
    with pytest.raises(ValueError, match="whole number"):
        suppress_share(True, 5, 5)


def test_threshold_setting(monkeypatch):
    """Does the threshold come from the caller, then the environment, then the default?"""
    monkeypatch.delenv(ENV_K, raising=False)
    assert threshold() == DEFAULT_K == 5
    monkeypatch.setenv(ENV_K, "11")
    assert threshold() == 11 and threshold(7) == 7
    monkeypatch.setenv(ENV_K, "eleven")
    with pytest.raises(ValueError, match=ENV_K):
        threshold()
    monkeypatch.setenv(ENV_K, "2")
    with pytest.raises(ValueError, match="threshold"):
        threshold()


def test_labels_say_hidden_not_a_number():
    """Does a suppressed count read as hidden, with the threshold, and never as 0?"""
    assert shown_text(None, 5) == suppressed_label(5) == "hidden: would reveal fewer than 5"
    assert shown_text(0, 5) == "0" and shown_text(12, 5) == "12"
    assert "1 to 4 couples" in suppression_note(5)
    assert "1 to 10 partners" in suppression_note(11, "partners")
    assert is_small(1, 5) and is_small(4, 5) and not is_small(0, 5) and not is_small(5, 5)


# -- exhaustive attacks: an attacker who knows the rule, k and what is shown ---------------


def _partition_output(cells: tuple[int, ...], k: int) -> tuple:
    result = suppress_partition({str(i): c for i, c in enumerate(cells)}, k)
    return tuple(result.cells.values()), result.total


@pytest.mark.parametrize(("n", "top", "k"), [(2, 15, 5), (3, 10, 3), (3, 15, 5), (4, 8, 3)])
def test_no_hidden_cell_can_be_worked_out_exhaustively(n, top, k):
    """For every row of small counts, does each hidden cell keep at least two possible values
    among all rows that show exactly the same (the rule, k and the shown total known)?"""
    seen: dict[tuple, list[tuple[int, ...]]] = defaultdict(list)
    for cells in itertools.product(range(top + 1), repeat=n):
        seen[_partition_output(cells, k)].append(cells)
    for (shown, _), rows in seen.items():
        for i, value in enumerate(shown):
            if value is None:
                # Rows whose total exceeds ``top`` may lack alternatives above it: skip them.
                complete = [r for r in rows if sum(r) <= top]
                if complete:
                    assert len({r[i] for r in rows}) >= 2, (complete[0], shown)


@pytest.mark.parametrize(("length", "top", "k"), [(3, 15, 3), (5, 10, 3), (5, 13, 5)])
def test_no_hidden_step_can_be_worked_out_exhaustively(length, top, k):
    """For every funnel under totals up to ``top``, does each hidden step keep at least two
    possible values among all funnels that show exactly the same?"""
    seen: dict[tuple, list[tuple[int, ...]]] = defaultdict(list)
    for total in range(top + 1):
        for steps in itertools.combinations_with_replacement(range(total, -1, -1), length):
            seen[tuple(suppress_nested(steps, total, k)), total].append(steps)
    for (shown, _), funnels in seen.items():
        for i, value in enumerate(shown):
            if value is None:
                assert len({f[i] for f in funnels}) >= 2, (funnels[0], shown)


def test_random_rows_keep_every_hidden_cell_company():
    """In random rows, is each hidden cell accompanied by another hidden one (or the total
    hidden), no small count shown, and every shown count true?"""
    rng = random.Random(20261130)
    for _ in range(3000):
        k = rng.choice([3, 5, 11])
        counts = {f"c{i}": rng.choice([0, 0, 1, 2, 3, 4, 5, 8, 13, 40]) for i in range(6)}
        counts = dict(list(counts.items())[: rng.randint(1, 6)])
        result: Partition = suppress_partition(counts, k)
        hidden = [n for n, v in result.cells.items() if v is None]
        assert len(hidden) != 1 or result.total is None, (counts, k)
        assert all(v == counts[n] and not is_small(v, k) for n, v in result.cells.items() if v)
        if result.total is not None:
            assert result.total == sum(counts.values()) and not is_small(result.total, k)
            assert all(counts[n] > 0 for n in hidden)  # zeros stay shown in a shown row
            rest = sum(counts[n] for n in hidden)
            assert not hidden or rest not in (len(hidden), len(hidden) * (k - 1))


def test_random_funnels_show_no_small_gap():
    """In random funnels, are shown steps and the gaps between any two shown values
    (the total included) all 0 or at least k?"""
    rng = random.Random(7)
    for _ in range(3000):
        k = rng.choice([3, 5, 11])
        total = rng.randint(0, 60)
        steps = sorted((rng.randint(0, total) for _ in range(5)), reverse=True)
        shown = suppress_nested(steps, total, k)
        values = [total, *(v for v in shown if v is not None)]
        assert all(a - b == 0 or a - b >= k for a, b in itertools.combinations(values, 2))
        assert all(v == s for v, s in zip(shown, steps, strict=True) if v is not None)


def test_random_shares_hide_small_complements():
    """For random shares, is a shown count never small, nor what it leaves out?"""
    rng = random.Random(11)
    for _ in range(3000):
        k, total = rng.choice([3, 5, 11]), rng.randint(0, 40)
        count = rng.randint(0, total)
        shown = suppress_share(count, total, k)
        if shown is not None:
            assert shown == count and not is_small(count, k) and not is_small(total - count, k)
        else:
            assert is_small(count, k) or is_small(total - count, k)


@pytest.mark.parametrize(
    ("count", "total", "expected"),
    [(12, 12, None), (6, 12, 6), (0, 12, 0), (11, 12, None), (0, 0, 0), (5, 5, None)],
)
def test_an_answer_everyone_gave_is_hidden(count, total, expected):
    """Is '12 of 12 marked it' hidden, since it tells each couple's answer?"""
    from trust_widgets.suppression import suppress_answer_share

    assert suppress_answer_share(count, total, 5) == expected


def test_a_row_with_everyone_in_one_bin_is_hidden():
    """Are the bins hidden when every partner sits in one, with the row's size still shown?"""
    from trust_widgets.suppression import suppress_answer_partition

    part = suppress_answer_partition({"low": 10, "middle": 0, "high": 0}, 5)
    assert part.cells == {"low": None, "middle": None, "high": None} and part.total == 10
    mixed = suppress_answer_partition({"low": 5, "middle": 0, "high": 6}, 5)
    assert mixed.cells == {"low": 5, "middle": 0, "high": 6}
