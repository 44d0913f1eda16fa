"""The names an export writes, and telling an earlier export from files someone else put there.

``--force`` replaces an earlier export, never anything else: a user's own ``report.md`` or a
file they dropped into ``checkins/`` is not ours to delete. A folder counts as an earlier
export when its ``report.json`` carries the report's keys, and every other export name present
looks like the export wrote it (``checkins/`` holding only
``workshop=W-<16 hex>/part-<n>.parquet`` files). Files under other names are never looked at.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .codebook import CODEBOOK_TITLE
from .datapackage import PACKAGE_NAME
from .errors import ExportInputError
from .report import REPORT_TITLE
from .writers import CSV_NAME, PARQUET_DIR

REPORT_JSON, REPORT_MD = "report.json", "report.md"
OWNED = (CSV_NAME, PARQUET_DIR, "datapackage.json", "codebook.md", REPORT_JSON, REPORT_MD)
# Keys every report.json the kit has written carries, before and after dates were dropped
# (earlier ones also have date_shift_days), so --force recognises exports of either version.
REPORT_KEYS = frozenset(
    {"rows_in", "rows_out", "k_achieved", "k_requested", "kit_version", "exported_at",
     "key_fingerprint"}
)  # fmt: skip
_WORKSHOP_DIR = re.compile(r"workshop=W-[0-9a-f]{16}")
_PART = re.compile(r"part-[0-9]{1,9}\.parquet")
_MAX_JSON_BYTES = 64 * 1024 * 1024  # datapackage.json lists every Parquet file
_SHOWN = 5  # foreign paths named in the message


def present(out_dir: Path) -> list[str]:
    """Return the export's names that exist in ``out_dir`` (a dangling link counts)."""
    return [n for n in OWNED if (out_dir / n).exists() or (out_dir / n).is_symlink()]


def foreign(out_dir: Path) -> list[str]:
    """Return the export names in ``out_dir`` that an export did not write (POSIX, relative).

    Empty when the folder holds no export names, or a recognisable earlier export.
    """
    names = present(out_dir)
    if not names:
        return []
    out: list[str] = []
    if REPORT_JSON not in names:
        out.append(f"{REPORT_JSON} (missing: no earlier export to replace)")
    for name in names:
        path = out_dir / name
        if path.is_symlink():
            out.append(f"{name} (a link)")
        elif name == PARQUET_DIR:
            out.extend(_foreign_parquet(path))
        elif not _CHECKS[name](path):
            out.append(name)
    return out


def check_replaceable(out_dir: Path) -> None:
    """Raise :class:`ExportInputError` unless ``--force`` may replace the export names here."""
    found = foreign(out_dir)
    if not found:
        return
    more = len(found) - _SHOWN
    listed = ", ".join(found[:_SHOWN]) + (f" and {more} more" if more > 0 else "")
    raise ExportInputError(
        f"--force replaces only an earlier export, and {out_dir} holds files the export did "
        f"not write: {listed}. Nothing was changed; move them away or choose another folder",
        "--out",
    )


def _foreign_parquet(folder: Path) -> list[str]:
    if not folder.is_dir():
        return [f"{PARQUET_DIR} (not a folder)"]
    out = []
    for sub in sorted(folder.iterdir()):
        rel = f"{PARQUET_DIR}/{sub.name}"
        if sub.is_symlink() or not sub.is_dir() or not _WORKSHOP_DIR.fullmatch(sub.name):
            out.append(rel)
            continue
        for part in sorted(sub.iterdir()):
            ok = not part.is_symlink() and part.is_file() and _PART.fullmatch(part.name)
            if not (ok and _head(part, 4) == b"PAR1"):
                out.append(f"{rel}/{part.name}")
    return out


def _head(path: Path, size: int) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(size)
    except OSError:
        return b""


def _first_line(path: Path) -> str:
    return _head(path, 4096).split(b"\n", 1)[0].decode("utf-8", errors="replace").rstrip("\r")


def _json(path: Path) -> object:
    try:
        if path.stat().st_size > _MAX_JSON_BYTES:
            return None
        return json.loads(path.read_bytes())
    except (OSError, ValueError):  # ValueError covers bad JSON and bad UTF-8
        return None


def _is_report(path: Path) -> bool:
    data = _json(path)
    return isinstance(data, dict) and data.keys() >= REPORT_KEYS


def _is_package(path: Path) -> bool:
    data = _json(path)
    return isinstance(data, dict) and data.get("name") == PACKAGE_NAME


_CHECKS = {
    CSV_NAME: lambda p: p.is_file() and _first_line(p).startswith("workshop,couple,partner,"),
    "datapackage.json": lambda p: p.is_file() and _is_package(p),
    "codebook.md": lambda p: p.is_file() and _first_line(p) == CODEBOOK_TITLE,
    REPORT_JSON: lambda p: p.is_file() and _is_report(p),
    REPORT_MD: lambda p: p.is_file() and _first_line(p) == REPORT_TITLE,
}
