"""When a commitment is due. Plain functions: the check-in form, the views and the demo agree."""

from __future__ import annotations

from datetime import date

FREQUENCIES: tuple[tuple[str, str], ...] = (
    ("Every day", "daily"),
    ("On weekdays", "weekdays"),
    ("Once a week", "weekly"),
)
FREQUENCY_VALUES = frozenset(value for _, value in FREQUENCIES)


def due_on(frequency: str, day: date, start: date | None = None) -> bool:
    """Tell whether a commitment with ``frequency`` is due on ``day``.

    A weekly commitment is due once per ISO week, on its Monday-to-Sunday span: it counts as
    due on the week's last day (Sunday) so that any day of the week can keep it.
    """
    if start is not None and day < start:
        return False
    if frequency == "daily":
        return True
    if frequency == "weekdays":
        return day.weekday() < 5
    if frequency == "weekly":
        return day.weekday() == 6
    raise ValueError(f"unknown frequency {frequency!r}")
