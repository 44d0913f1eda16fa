"""Check-in instruments as data: a REDCap-style data dictionary plus a small JSON sidecar.

An instrument ``<name>-<version>`` is two files in ``data/instruments/``: ``<key>.csv``, one
row per item in REDCap's data-dictionary columns, and ``<key>.json`` with the title, the
licence note and which items are trust items or reverse-scored. A facilitator or researcher
swaps in another instrument by adding a pair and setting ``TRUST_WIDGETS_INSTRUMENT``; no
code changes. Every check-in stores the key it was answered with. Problems in a file are
reported with the file and the line. Check every pair with ``python -m trust_widgets.instrument``.

Only ``csv`` and ``json`` are imported: page kernels load this module.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from numbers import Integral
from pathlib import Path

from ._instrument_file import KEY_PATTERN, InstrumentError, Item, display_path, parse_pair

__all__ = [
    "DEFAULT_KEY",
    "Instrument",
    "InstrumentError",
    "Item",
    "RatingsError",
    "available_instruments",
    "load_instrument",
    "validate_ratings",
]

ENV_VAR = "TRUST_WIDGETS_INSTRUMENT"
DIR_ENV_VAR = "TRUST_WIDGETS_INSTRUMENTS"
DEFAULT_KEY = "tw-checkin-1"
DEFAULT_DIR = Path(__file__).resolve().parents[1] / "data" / "instruments"


@dataclass(frozen=True)
class Instrument:
    """A versioned set of check-in items, as loaded from its file pair."""

    name: str
    version: str
    title: str
    licence: str
    items: tuple[Item, ...]
    trust_items: tuple[str, ...]
    reverse_scored: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """The ``<name>-<version>`` string stored with every check-in."""
        return f"{self.name}-{self.version}"

    @property
    def item_names(self) -> tuple[str, ...]:
        """The items' field names, in file order."""
        return tuple(item.name for item in self.items)


class RatingsError(ValueError):
    """Ratings that cannot be saved; ``errors`` maps each item to a message safe to show."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))


def instruments_dir() -> Path:
    """Return the instrument folder: ``$TRUST_WIDGETS_INSTRUMENTS`` or ``data/instruments``."""
    override = os.environ.get(DIR_ENV_VAR)
    return Path(override).expanduser() if override else DEFAULT_DIR


def load_instrument(key: str | None = None) -> Instrument:
    """Return the instrument ``key``, by default ``$TRUST_WIDGETS_INSTRUMENT`` or tw-checkin-1.

    Raises
    ------
    InstrumentError
        The key is not of the form ``[a-z0-9-]{1,40}``, a file is missing, or a file is
        broken; the message names the file and, where it can, the line.
    """
    key = key if key is not None else os.environ.get(ENV_VAR) or DEFAULT_KEY
    # The key becomes a file name: its shape keeps it inside the folder.
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        shown = repr(key)[:48]
        raise InstrumentError(None, None, f"{shown} is not an instrument key: use [a-z0-9-]")
    folder = instruments_dir()
    paths = (folder / f"{key}.csv", folder / f"{key}.json")
    stamps = []
    for path in paths:
        try:
            stat = path.stat()
        except FileNotFoundError:
            known = ", ".join(available_instruments()) or "none"
            raise InstrumentError(
                path, None, f"no such file (see data/instruments/README.md); available: {known}"
            ) from None
        stamps += [stat.st_mtime_ns, stat.st_size]
    # Keyed on modification times and sizes: an edited file is read again without a restart.
    return _load(key, str(paths[0]), str(paths[1]), tuple(stamps))


def available_instruments() -> list[str]:
    """Return the keys that have both a ``.csv`` and a ``.json`` file, sorted."""
    folder = instruments_dir()
    if not folder.is_dir():
        return []
    return sorted(
        p.stem
        for p in folder.glob("*.csv")
        if KEY_PATTERN.fullmatch(p.stem) and p.with_suffix(".json").is_file()
    )


def clear_cache() -> None:
    """Forget parsed files (edited files are also picked up on their own)."""
    _load.cache_clear()


@lru_cache(maxsize=16)
def _load(key: str, csv_path: str, json_path: str, _stamps: tuple[int, ...]) -> Instrument:
    items, meta = parse_pair(key, Path(csv_path), Path(json_path))
    return Instrument(items=items, **meta)


def validate_ratings(instrument: Instrument, ratings: object) -> dict[str, int]:
    """Return ``ratings`` checked against ``instrument``: every item, a whole number in range.

    Raises
    ------
    RatingsError
        Something is missing, out of range, not a whole number, or not an item; its
        ``errors`` hold one message per item (unknown names under their own name).
    """
    if not isinstance(ratings, Mapping):
        raise RatingsError({"form": "The ratings could not be read. Please try again."})
    errors: dict[str, str] = {}
    clean: dict[str, int] = {}
    for item in instrument.items:
        value = ratings.get(item.name)
        span = f"from {item.min} to {item.max}"
        if value is None:
            errors[item.name] = f"Please give this one a number {span}."
        elif isinstance(value, bool) or not isinstance(value, Integral):
            errors[item.name] = f"Please choose a whole number {span}."
        elif not item.min <= int(value) <= item.max:
            errors[item.name] = f"Please choose a number {span}."
        else:
            clean[item.name] = int(value)
    for name in ratings:
        if name not in clean and name not in errors:
            errors[str(name)[:40]] = "This is not a question of the current check-in."
    if errors:
        raise RatingsError(errors)
    return clean


def main(argv: list[str] | None = None) -> int:
    """Check every instrument pair in the folder; exit status 1 if any is broken."""
    del argv
    folder, status = instruments_dir(), 0
    stems = sorted({p.stem for p in folder.glob("*.csv")} | {p.stem for p in folder.glob("*.json")})
    for stem in stems if folder.is_dir() else []:
        try:
            instrument = load_instrument(stem)
        except InstrumentError as exc:
            print(exc)
            status = 1
            continue
        print(f"ok: {instrument.key} ({instrument.title}, {len(instrument.items)} items)")
    if not folder.is_dir():
        print(f"{display_path(folder)}: no such folder")
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
