"""Help resources as data: one CSV file per region in ``data/resources/``, checked on load.

A facilitator adds a region by adding a file (``data/resources/README.md`` describes the
format); no code changes. Every problem in a file is reported with the file and the line,
so it can be fixed in a spreadsheet. Check every file with ``python -m trust_widgets.resources``.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

log = logging.getLogger(__name__)

ENV_VAR = "TRUST_WIDGETS_RESOURCES"
_REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = _REPO_ROOT / "data" / "resources"

# Code -> heading shown to couples. The order here is only the documentation order.
CATEGORIES: dict[str, str] = {
    "crisis": "In danger or in crisis right now",
    "abuse": "Help with abuse in a relationship",
    "couples-therapy": "Couples therapy",
    "individual-therapy": "Therapy for yourself",
    "support-group": "Support groups",
    "finding-help": "Finding a therapist",
}
COLUMNS = ("category", "name", "phone", "text", "url", "hours", "description")
OPTIONAL_COLUMNS = ("region_name",)
REGION_NAMES = {"intl": "International", "us": "United States"}
# Region codes become file names, so they are kept to a shape that cannot leave the folder.
_REGION = re.compile(r"[a-z]{2,8}")
_LIMITS = {
    "name": 120,
    "phone": 60,
    "text": 60,
    "url": 300,
    "hours": 60,
    "description": 300,
    "region_name": 60,
}


@dataclass(frozen=True)
class Resource:
    """One place to get help: at least one of ``phone``, ``text`` (SMS) or ``url`` is set."""

    category: str
    name: str
    phone: str
    text: str
    url: str
    hours: str
    description: str


class ResourceFileError(ValueError):
    """A resource file is broken; the message names the file and the line."""

    def __init__(self, path: Path, line: int, problem: str) -> None:
        self.path, self.line, self.problem = path, line, problem
        super().__init__(f"{display_path(path)}, line {line}: {problem}")


def resources_dir() -> Path:
    """Return the folder of region files: ``$TRUST_WIDGETS_RESOURCES`` or ``data/resources``."""
    override = os.environ.get(ENV_VAR)
    return Path(override).expanduser() if override else DEFAULT_DIR


def display_path(path: Path) -> str:
    """Return ``path`` relative to the repository when it is inside it, for messages."""
    try:
        return path.resolve().relative_to(_REPO_ROOT).as_posix()
    except ValueError:
        return str(path)


def is_region_code(region: object) -> bool:
    """Tell whether ``region`` has the shape of a region code (2-8 lowercase letters)."""
    return isinstance(region, str) and _REGION.fullmatch(region) is not None


def _region_file(region: str) -> Path:
    if not is_region_code(region):
        shown = repr(region)[:24]
        raise ValueError(f"{shown} is not a region code: use 2-8 lowercase letters, like 'us'.")
    return resources_dir() / f"{region}.csv"


def load_resources(region: str) -> list[Resource]:
    """Return the resources of ``region``, in file order.

    Raises
    ------
    ValueError
        ``region`` is not a region code, or there is no file for it.
    ResourceFileError
        The file is broken; the message names the file and the line.
    """
    return list(_region_data(region)[1])


def region_name(region: str) -> str:
    """Return the human name of ``region``: from its file, the built-in map, or the code."""
    return _region_data(region)[0] or REGION_NAMES.get(region, region.upper())


def available_regions() -> list[tuple[str, str]]:
    """Return ``(code, name)`` for every readable region file, International first.

    A broken or badly named file is left out with a warning in the log, so one bad file
    does not take the page down for every couple.
    """
    found = []
    folder = resources_dir()
    for path in sorted(folder.glob("*.csv")) if folder.is_dir() else []:
        if not is_region_code(path.stem):
            log.warning("ignoring %s: name region files with 2-8 lowercase letters", path.name)
            continue
        try:
            found.append((path.stem, region_name(path.stem)))
        except ValueError as exc:
            log.warning("resource list left out: %s", exc)
    return sorted(found, key=lambda r: (r[0] != "intl", r[1].casefold()))


def clear_cache() -> None:
    """Forget parsed files (files are also re-read whenever they change on disk)."""
    _parse.cache_clear()


def _region_data(region: str) -> tuple[str, tuple[Resource, ...]]:
    path = _region_file(region)
    try:
        stat = path.stat()
    except FileNotFoundError:
        known = ", ".join(code for code, _ in available_regions()) or "none"
        raise ValueError(
            f"There is no resource list for region {region!r}: expected {display_path(path)} "
            f"(see data/resources/README.md). Available: {known}."
        ) from None
    # Keyed on size and modification time: an edited file is picked up without a restart.
    return _parse(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=32)
def _parse(path_str: str, _mtime_ns: int, _size: int) -> tuple[str, tuple[Resource, ...]]:
    path = Path(path_str)
    raw = path.read_bytes()
    try:
        # utf-8-sig: spreadsheets often save "CSV UTF-8" with a byte-order mark.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ResourceFileError(
            path, line, "this is not UTF-8 text; save the file as 'CSV UTF-8'"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise ResourceFileError(path, 1, "the file is empty; the first line names the columns")
        columns = _check_header(path, header)
        name, rows = "", []
        while True:
            start = reader.line_num + 1
            row = next(reader, None)
            if row is None:
                break
            if not any(cell.strip() for cell in row):
                continue  # blank lines, and the empty rows spreadsheets leave at the end
            if len(row) != len(columns):
                raise ResourceFileError(
                    path,
                    start,
                    f"{len(row)} values, but the first line names {len(columns)} columns "
                    "(put a value that contains a comma in double quotes)",
                )
            values = {c: v.strip() for c, v in zip(columns, row, strict=True)}
            rows.append(_check_row(path, start, values))
            row_name = values.get("region_name", "")
            if row_name and name and row_name != name:
                raise ResourceFileError(
                    path, start, f"region_name {row_name!r} differs from {name!r} above"
                )
            name = name or row_name
    except csv.Error as exc:
        raise ResourceFileError(path, reader.line_num, f"not valid CSV ({exc})") from None
    if not rows:
        raise ResourceFileError(path, 2, "no resources below the first line")
    return name, tuple(rows)


def _check_header(path: Path, header: list[str]) -> list[str]:
    columns = [c.strip().lower() for c in header]
    allowed = (*COLUMNS, *OPTIONAL_COLUMNS)
    for column in columns:
        if column not in allowed:
            raise ResourceFileError(
                path, 1, f"unknown column {column!r}; the columns are {', '.join(allowed)}"
            )
        if columns.count(column) > 1:
            raise ResourceFileError(path, 1, f"column {column!r} appears twice")
    for column in COLUMNS:
        if column not in columns:
            raise ResourceFileError(
                path, 1, f"missing column {column!r}; the first line must name {', '.join(COLUMNS)}"
            )
    return columns


def _check_row(path: Path, line: int, values: dict[str, str]) -> Resource:
    def fail(problem: str):
        raise ResourceFileError(path, line, problem)

    category = values["category"].lower()
    if category not in CATEGORIES:
        fail(f"unknown category {values['category']!r}; use one of {', '.join(CATEGORIES)}")
    if not values["name"]:
        fail("the name is empty")
    for column, limit in _LIMITS.items():
        if len(values.get(column, "")) > limit:
            fail(f"{column} is longer than {limit} characters")
    if not (values["phone"] or values["text"] or values["url"]):
        fail(f"{values['name']!r} has no phone, text or url; give at least one way to reach it")
    url = values["url"]
    if url:
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.netloc or not url.startswith("https://"):
            fail(f"the url must start with https:// (got {url[:40]!r})")
        if any(ch.isspace() for ch in url):
            fail("the url contains a space")
    return Resource(**{c: values[c] for c in COLUMNS if c != "category"}, category=category)


def main(argv: list[str] | None = None) -> int:
    """Check every region file and print what is wrong; exit status 1 if anything is."""
    del argv
    folder, status = resources_dir(), 0
    for path in sorted(folder.glob("*.csv")) if folder.is_dir() else []:
        if not is_region_code(path.stem):
            print(f"{display_path(path)}: file name must be 2-8 lowercase letters plus .csv")
            status = 1
            continue
        try:
            count = len(load_resources(path.stem))
            print(f"ok: {display_path(path)} ({region_name(path.stem)}, {count} resources)")
        except ValueError as exc:
            print(exc)
            status = 1
    if status == 0 and not folder.is_dir():
        print(f"{folder}: no such folder")
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
