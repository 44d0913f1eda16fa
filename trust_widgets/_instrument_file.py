"""Reading one instrument's file pair: the REDCap-style CSV and its JSON sidecar.

Every problem raises :class:`InstrumentError` with the file and, where it can, the line, so
it can be fixed in a spreadsheet. Only ``csv`` and ``json``: page kernels load this module.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

KEY_PATTERN = re.compile(r"[a-z0-9-]{1,40}")
# REDCap's own rule for variable names, with a shorter limit: they become JSON keys.
_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
_VERSION = re.compile(r"[a-z0-9]{1,16}")
_REPO_ROOT = Path(__file__).resolve().parents[1]
COLUMNS = (
    "field_name",
    "form_name",
    "section_header",
    "field_type",
    "field_label",
    "select_choices_or_calculations",
    "field_note",
    "text_validation_min",
    "text_validation_max",
    "identifier",
    "required_field",
)
# The headers of a dictionary downloaded from REDCap's web page, so such a file loads as is.
_ALIASES = {
    "variable / field name": "field_name",
    "form name": "form_name",
    "section header": "section_header",
    "field type": "field_type",
    "field label": "field_label",
    "choices, calculations, or slider labels": "select_choices_or_calculations",
    "field note": "field_note",
    "text validation min": "text_validation_min",
    "text validation max": "text_validation_max",
    "identifier?": "identifier",
    "required field?": "required_field",
}
FIELD_TYPES = ("slider",)
SLIDER_DEFAULT = (0, 100)  # REDCap's range for a slider without a min and max
MAX_SPAN = 100
MAX_LABEL = 300


@dataclass(frozen=True)
class Item:
    """One rated item: ``anchors`` are (value, label) pairs shown along the scale."""

    name: str
    label: str
    min: int
    max: int
    note: str
    anchors: tuple[tuple[int, str], ...]
    section: str = ""  # a heading shown before the item, from REDCap's section_header


class InstrumentError(ValueError):
    """An instrument file is missing or broken; the message names the file and the line."""

    def __init__(self, path: Path | None, line: int | None, problem: str) -> None:
        self.path, self.line, self.problem = path, line, problem
        where = display_path(path) if path is not None else ""
        where += f", line {line}" if where and line is not None else ""
        super().__init__(f"{where}: {problem}" if where else problem)


def display_path(path: Path) -> str:
    """Return ``path`` relative to the repository when it is inside it, for messages."""
    try:
        return path.resolve().relative_to(_REPO_ROOT).as_posix()
    except ValueError:
        return str(path)


def parse_pair(key: str, csv_path: Path, json_path: Path) -> tuple[tuple[Item, ...], dict]:
    """Return the items and the sidecar's fields (as ``Instrument`` keywords) for ``key``."""
    items = parse_dictionary(csv_path)
    return items, parse_sidecar(key, json_path, [i.name for i in items])


def _text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        # utf-8-sig: spreadsheets often save "CSV UTF-8" with a byte-order mark.
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InstrumentError(path, line, "not UTF-8 text; save it as 'CSV UTF-8'") from None


def parse_dictionary(path: Path) -> tuple[Item, ...]:
    """Read a data dictionary: one row per item, REDCap's columns, extra columns ignored."""
    reader = csv.reader(io.StringIO(_text(path), newline=""))
    items: list[Item] = []
    seen: dict[str, int] = {}
    try:
        header = next(reader, None)
        if header is None:
            raise InstrumentError(path, 1, "the file is empty; the first line names the columns")
        columns = _columns(path, header)
        while True:
            line = reader.line_num + 1  # the row's first line: a quoted value may span several
            row = next(reader, None)
            if row is None:
                break
            if not any(cell.strip() for cell in row):
                continue  # blank lines, and the empty rows spreadsheets leave at the end
            if len(row) != len(header):
                raise InstrumentError(
                    path,
                    line,
                    f"{len(row)} values, but the first line names {len(header)} "
                    "columns (put a value that contains a comma in double quotes)",
                )
            values = {name: row[i].strip() for name, i in columns.items()}
            item = _item(path, line, values)
            if item.name in seen:
                raise InstrumentError(
                    path, line, f"field_name {item.name!r} is already on line {seen[item.name]}"
                )
            seen[item.name] = line
            items.append(item)
    except csv.Error as exc:
        raise InstrumentError(path, reader.line_num, f"not valid CSV ({exc})") from None
    if not items:
        raise InstrumentError(path, 2, "no items below the first line")
    return tuple(items)


def _columns(path: Path, header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, raw in enumerate(header):
        name = raw.strip().lower()
        name = _ALIASES.get(name, name)
        if name in found:
            raise InstrumentError(path, 1, f"column {name!r} appears twice")
        if name in COLUMNS:
            found[name] = i
    for name in COLUMNS:
        if name not in found:
            raise InstrumentError(path, 1, f"missing column {name!r}; see data/instruments")
    return found


def _item(path: Path, line: int, v: dict[str, str]) -> Item:
    def fail(problem: str):
        raise InstrumentError(path, line, problem)

    name = v["field_name"]
    if not _FIELD_NAME.fullmatch(name):
        fail(f"field_name {name[:40]!r}: use a-z, 0-9 and _, starting with a letter (max 40)")
    if not v["form_name"]:
        fail("form_name is empty")
    if v["field_type"].lower() not in FIELD_TYPES:
        fail(f"unknown field_type {v['field_type'][:20]!r}; use one of: {', '.join(FIELD_TYPES)}")
    if not 0 < len(v["field_label"]) <= MAX_LABEL:
        fail(f"field_label must have 1 to {MAX_LABEL} characters")
    if len(v["field_note"]) > MAX_LABEL or len(v["section_header"]) > MAX_LABEL:
        fail(f"field_note and section_header may have up to {MAX_LABEL} characters")
    if v["identifier"].lower() in ("y", "yes", "1"):
        # Ratings are kept for progress views and research; they must never identify anyone.
        fail("a check-in item cannot be an identifier; leave identifier empty")
    low = _int(path, line, "text_validation_min", v["text_validation_min"], SLIDER_DEFAULT[0])
    high = _int(path, line, "text_validation_max", v["text_validation_max"], SLIDER_DEFAULT[1])
    if low >= high:
        fail(f"text_validation_min ({low}) must be below text_validation_max ({high})")
    if high - low > MAX_SPAN:
        fail(f"the scale spans more than {MAX_SPAN} points")
    anchors = _anchors(path, line, v["select_choices_or_calculations"], low, high)
    return Item(name, v["field_label"], low, high, v["field_note"], anchors, v["section_header"])


def _int(path: Path, line: int, column: str, text: str, default: int) -> int:
    if not text:
        return default
    try:
        return int(text)
    except ValueError:
        raise InstrumentError(path, line, f"{column} must be a whole number") from None


def _anchors(path: Path, line: int, text: str, low: int, high: int) -> tuple[tuple[int, str], ...]:
    """Parse ``0, Not at all | 10, Completely``; REDCap's plain ``left | middle | right`` too."""
    parts = [p.strip() for p in text.split("|")] if text.strip() else []
    coded = [p.split(",", 1) for p in parts]
    if coded and all(len(c) == 2 and c[0].strip().lstrip("-").isdigit() for c in coded):
        anchors = tuple((int(c[0]), c[1].strip()) for c in coded)
    elif len(parts) in (2, 3) and not any("," in p for p in parts):
        spots = (low, high) if len(parts) == 2 else (low, (low + high) // 2, high)
        anchors = tuple(zip(spots, parts, strict=True))
    elif parts:
        raise InstrumentError(
            path,
            line,
            "select_choices_or_calculations: write anchors as '0, Not at all | 10, "
            "Completely', or REDCap's 'left | middle | right'",
        )
    else:
        anchors = ()
    for value, label in anchors:
        if not low <= value <= high or not label or len(label) > 60:
            raise InstrumentError(
                path,
                line,
                f"anchor {value}: values must lie from {low} to {high}, with a "
                "label of 1 to 60 characters",
            )
    return anchors


def parse_sidecar(key: str, path: Path, item_names: list[str]) -> dict:
    """Read ``<key>.json`` and check it against ``key`` and the dictionary's items."""
    text = _text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InstrumentError(path, exc.lineno, f"not valid JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise InstrumentError(path, 1, "the file must hold one JSON object")

    def fail(field: str, problem: str):
        # The line where the field is written, so the message points at it.
        at = text.find(f'"{field}"')
        raise InstrumentError(path, text.count("\n", 0, at) + 1 if at >= 0 else 1, problem)

    meta: dict = {}
    for field, limit in (("instrument", 40), ("version", 16), ("title", 120), ("licence", 2000)):
        value = data.get(field)
        if not isinstance(value, str) or not 0 < len(value.strip()) <= limit:
            fail(field, f"{field!r} must be text of 1 to {limit} characters")
        meta["name" if field == "instrument" else field] = value.strip()
    if not _VERSION.fullmatch(meta["version"]):
        fail("version", '\'version\' may use a-z and 0-9 only, e.g. "1" or "2b"')
    if f"{meta['name']}-{meta['version']}" != key:
        fail(
            "instrument",
            f"instrument and version make {meta['name']}-{meta['version']!s}, "
            f"but the files are named {key}",
        )
    for field in ("trust_items", "reverse_scored"):
        value = data.get(field, [] if field == "reverse_scored" else None)
        if not isinstance(value, list) or not all(isinstance(n, str) for n in value):
            fail(field, f"{field!r} must be a list of field names")
        unknown = [n for n in value if n not in item_names]
        if unknown:
            fail(field, f"{field!r} names {unknown[0][:40]!r}, which is not in the CSV file")
        meta[field] = tuple(value)
    if not meta["trust_items"]:
        fail("trust_items", "'trust_items' must name at least one item")
    return meta
