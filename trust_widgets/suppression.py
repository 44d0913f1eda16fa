"""Small-cell suppression for facilitator views: which counts may be shown, and which not.

Pure functions, no store. ``k`` is the threshold (a setting, :data:`DEFAULT_K` unless
``TRUST_WIDGETS_MIN_CELL`` or the caller says otherwise). A count ``c`` is *small* when
``1 <= c < k``; a small count is never shown, and neither is any count from which a small one
could be worked out (its complement in a share, the other cells of a row with a shown total,
the steps of a funnel). Zero is shown: nobody is not a small group. A suppressed value is
``None``, shown as :data:`HIDDEN` or :func:`suppressed_label`, never as 0.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from numbers import Integral

__all__ = [
    "DEFAULT_K", "ENV_K", "HIDDEN", "MAX_K", "MIN_K", "Partition", "check_k", "is_small",
    "shown_text", "suppress_answer_partition", "suppress_answer_share", "suppress_nested",
    "suppress_partition", "suppress_share", "suppressed_label",
    "suppression_note", "threshold",
]  # fmt: skip

DEFAULT_K = 5
# With k = 2 every small cell is a 1, so suppressed cells could be counted back exactly.
MIN_K, MAX_K = 3, 100
ENV_K = "TRUST_WIDGETS_MIN_CELL"
HIDDEN = "hidden"  # a suppressed count's short text, e.g. on a bar


def check_k(k: object) -> int:
    """Return ``k`` as an int, or raise ``ValueError`` if it is not a whole number 3-100."""
    if isinstance(k, bool) or not isinstance(k, Integral) or not MIN_K <= int(k) <= MAX_K:
        raise ValueError(
            f"The small-cell threshold must be a whole number from {MIN_K} to {MAX_K}."
        )
    return int(k)


def threshold(value: object = None) -> int:
    """Return the threshold: ``value``, else ``$TRUST_WIDGETS_MIN_CELL``, else :data:`DEFAULT_K`."""
    if value is None:
        raw = os.environ.get(ENV_K, "").strip()
        if not raw:
            return DEFAULT_K
        if not raw.isdecimal():
            raise ValueError(f"{ENV_K} must be a whole number from {MIN_K} to {MAX_K}.")
        value = int(raw)
    return check_k(value)


def is_small(count: int, k: int) -> bool:
    """Tell whether ``count`` is a small group: at least 1 and below ``k``."""
    return 1 <= count < k


def _ok(count: int, k: int) -> bool:
    return count == 0 or count >= k


def _count(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 0:
        raise ValueError(f"{what} must be a whole number of at least 0, not {value!r}.")
    return int(value)


def _pinned(m: int, s: int, k: int) -> bool:
    """Whether ``m`` hidden cells summing to ``s`` could be worked out: one alone, or all 1
    (``s == m``), or all ``k - 1`` (``s == m * (k - 1)``), the two ends of "hidden, so small".
    """
    return m == 1 or s in (m, m * (k - 1))


def suppressed_label(k: int) -> str:
    """Words for a suppressed count. Not "fewer than k": 11 of 12 is hidden too, for the 1."""
    return f"hidden: would reveal fewer than {k}"


def suppression_note(k: int, unit: str = "couples") -> str:
    """A sentence for a view's subtitle saying what is hidden and why."""
    return f"To protect privacy, counts that would reveal 1 to {k - 1} {unit} are hidden."


def shown_text(value: int | None, k: int) -> str:
    """A count as display text: the number, or :func:`suppressed_label` when suppressed."""
    return suppressed_label(k) if value is None else str(value)


@dataclass(frozen=True)
class Partition:
    """Cells that add up to ``total``, after suppression (``None`` = suppressed)."""

    cells: dict[str, int | None]
    total: int | None

    @property
    def suppressed(self) -> bool:
        """Whether anything in the row, the total included, is held back."""
        return self.total is None or any(v is None for v in self.cells.values())


def suppress_partition(counts: Mapping[str, int], k: int) -> Partition:
    """Suppress the cells of a row that partitions a total shown next to it.

    Primary suppression hides every small cell. Complementary suppression then hides one
    more non-zero cell while the hidden ones could still be worked out from the total minus
    the shown cells: while one cell is hidden alone, or the hidden cells could only all be 1
    or all ``k - 1`` (their sum is their number, or their number times ``k - 1``). When no
    non-zero cell is left to hide alongside, the whole row and its total are hidden. A small
    total hides the whole row, zeros included.

    The extra cell is the first non-zero shown cell in display order, not the smallest:
    picking by size would tell that the hidden partner cell is no larger than every shown
    one, which can pin it down (``[5, 5, 4]`` with ``k = 5``: hiding 4 and the first 5
    leaves 5 shown, so the hidden partner of the small cell is at most 5, at least 5 since
    it is not small itself, hence 5, and the small cell 4).
    ``tests/unit/test_suppression.py`` checks by exhaustion that, for small rows, every
    hidden cell has at least two values consistent with what is shown and with this rule.

    Parameters
    ----------
    counts
        Cell name to count, in display order.
    k
        The threshold, see :func:`check_k`.
    """
    k = check_k(k)
    cells = {str(name): _count(c, f"The count of {name!r}") for name, c in counts.items()}
    total = sum(cells.values())
    if is_small(total, k):
        return Partition(dict.fromkeys(cells), None)
    hidden = {name for name, c in cells.items() if is_small(c, k)}
    while hidden and _pinned(len(hidden), sum(cells[n] for n in hidden), k):
        others = [n for n, c in cells.items() if n not in hidden and c]
        if not others:
            return Partition(dict.fromkeys(cells), None)
        hidden.add(others[0])
    return Partition({n: None if n in hidden else c for n, c in cells.items()}, total)


def suppress_share(count: int, total: int, k: int) -> int | None:
    """Return ``count`` (out of a ``total`` shown elsewhere), or ``None`` to suppress it.

    Shown only when both the count and the rest (``total - count``) are 0 or at least ``k``:
    "11 of 12 checked in" would tell that one couple did not.
    """
    k = check_k(k)
    count, total = _count(count, "A count"), _count(total, "A total")
    if count > total:
        raise ValueError("A count cannot be larger than its total.")
    return count if _ok(count, k) and _ok(total - count, k) else None


def suppress_answer_share(count: int, total: int, k: int) -> int | None:
    """Like :func:`suppress_share`, for how many gave an *answer*; also hidden when all did.

    "12 of 12 couples marked money for discussion" breaks no small cell, yet tells the
    facilitator every couple's answer (the reason l-diversity exists).
    """
    shown = suppress_share(count, total, k)
    return None if shown is not None and shown and shown == total else shown


def suppress_answer_partition(counts: Mapping[str, int], k: int) -> Partition:
    """Like :func:`suppress_partition`, for answers; also hides the cells if one holds all."""
    part = suppress_partition(counts, k)
    if part.total and part.total in part.cells.values():
        return Partition(dict.fromkeys(part.cells), part.total)
    return part


def suppress_nested(counts: Sequence[int], total: int, k: int) -> list[int | None]:
    """Suppress a funnel: non-increasing counts (reached at least step n) under a shown total.

    Walking from the total down, a bar is shown only when it is 0 or at least ``k`` and its
    difference from the previous *shown* value (the total to begin with) is 0 or at least
    ``k``; otherwise it is suppressed and the walk compares the next bar with the same value.

    Why no small group can then be read off: the shown values ``total = s0 >= s1 >= ...``
    differ pairwise by a sum of consecutive differences, each 0 or at least ``k``, so any
    difference of two shown values (the couples between two shown steps) is 0 or at least
    ``k``. A suppressed bar lies between its shown neighbours, which differ by at least ``k``
    (were they equal it would equal them and be shown), so it is never pinned down either.
    """
    k = check_k(k)
    total = _count(total, "The total")
    values = [_count(c, "A count") for c in counts]
    if any(b > a for a, b in zip([total, *values], values, strict=False)):
        raise ValueError("A funnel's counts must not increase, nor exceed the total.")
    shown: list[int | None] = []
    previous = total
    for count in values:
        if _ok(count, k) and _ok(previous - count, k):
            shown.append(count)
            previous = count
        else:
            shown.append(None)
    return shown
