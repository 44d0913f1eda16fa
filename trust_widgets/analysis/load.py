"""Read a research export (never the live store) into one validated check-ins frame.

An export is the folder ``trust-workshop export --out DIR`` writes (see
``notebooks/research/README.md``): ``checkins.csv`` and the same rows as Hive-partitioned
Parquet under ``checkins/``. Parquet is read when pyarrow is installed, the CSV file otherwise.
Anything that looks like the workshop store (a SQLite file, a database URL, the configured
store) is refused with a message that says what to do instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from ._format import CSV_NAME, PARQUET_DIR
from ._validate import ExportError, validate_export

__all__ = ["ExportError", "find_export_files", "load_export", "summarise_export", "validate_export"]

SQLITE_MAGIC = b"SQLite format 3\x00"
STORE_SUFFIXES = {".sqlite", ".sqlite3", ".db", ".db3"}
HOW = (
    "Researchers analyse exports only: run `trust-workshop export --out DIR` and load DIR "
    "(or set TW_EXPORT=DIR for the research notebooks)."
)


def load_export(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Return the export's check-ins, one row per partner-day, validated and sorted.

    Parameters
    ----------
    path
        The export folder, its ``checkins.csv``, or its ``checkins/`` Parquet folder.

    Returns
    -------
    pandas.DataFrame
        The columns of the export format, in order: pseudonyms and labels as strings,
        ``partner_index``, ``day_index`` and, in an export made with ``--weekday``,
        ``weekday`` as integers, ratings and commitment counts as nullable integers
        (``Int64``). No date: an earlier export's shifted ``date`` is left out. Sorted by
        workshop, couple, partner_index, day_index.

    Raises
    ------
    ExportError
        For a path that is no export (a database, the live store, a missing folder) or an
        export that breaks the format; the message names the file and the problem.
    """
    csv_path, parquet_dir = find_export_files(path)
    if parquet_dir is not None and _has_pyarrow():
        return validate_export(_read_parquet(parquet_dir), str(parquet_dir), row_offset=1)
    if csv_path is None:
        raise ExportError(
            f"{parquet_dir} holds the export as Parquet, but pyarrow is not installed: "
            'install it (pip install -e ".[research]") or load a folder with checkins.csv.'
        )
    return validate_export(_read_csv(csv_path), str(csv_path), row_offset=2)


def summarise_export(export: pd.DataFrame) -> pd.Series:
    """Return the export's size in a few numbers: who, how many days, which instruments."""
    days = export.groupby("couple")["day_index"].max() + 1
    return pd.Series({
        "workshops": export["workshop"].nunique(),
        "couples": export["couple"].nunique(),
        "partners": export["partner"].nunique(),
        "couples with both partners": int((export.groupby("couple")["partner"].nunique() == 2)
                                          .sum()),
        "check-ins (partner-days)": len(export),
        "days per couple, median": float(days.median()),
        "days per couple, range": f"{days.min()}-{days.max()}",
        "instrument versions": ", ".join(sorted(export["instrument_version"].unique())),
    }, name="export")  # fmt: skip


def find_export_files(path: str | os.PathLike[str]) -> tuple[Path | None, Path | None]:
    """Return ``(checkins.csv, checkins/ Parquet folder)`` of an export; either may be None."""
    text = os.fspath(path)
    if "://" in text or text.lower().startswith("sqlite:"):
        raise ExportError(f"{text!r} is a database URL, not an export. {HOW}")
    p = Path(text).expanduser()
    if not p.exists():
        raise ExportError(f"No export at {p}: the path does not exist. {HOW}")
    if _is_live_store(p) or (p.is_file() and _is_sqlite(p)):
        raise ExportError(f"{p} is a workshop store (a SQLite database), not an export. {HOW}")
    if p.is_file():
        if p.suffix.lower() == ".csv":
            return p, None
        if p.suffix.lower() == ".parquet":
            raise ExportError(
                f"{p} is a single Parquet part without its workshop folder: load the export "
                "folder (or its checkins/ folder) instead."
            )
        raise ExportError(f"{p} is not an export: expected a folder with {CSV_NAME}. {HOW}")
    if _is_partitioned(p):
        return (p.parent / CSV_NAME if (p.parent / CSV_NAME).is_file() else None), p
    csv_path = p / CSV_NAME if (p / CSV_NAME).is_file() else None
    parquet_dir = p / PARQUET_DIR if _is_partitioned(p / PARQUET_DIR) else None
    if csv_path is None and parquet_dir is None:
        stores = sorted(q.name for q in p.iterdir() if q.suffix.lower() in STORE_SUFFIXES)
        hint = f" It holds {', '.join(stores)}, which looks like a store." if stores else ""
        raise ExportError(
            f"{p} is not an export: it has neither {CSV_NAME} nor a {PARQUET_DIR}/ folder of "
            f"workshop=... partitions.{hint} {HOW}"
        )
    return csv_path, parquet_dir


def _is_partitioned(p: Path) -> bool:
    return p.is_dir() and any(q.is_dir() and q.name.startswith("workshop=") for q in p.iterdir())


def _is_sqlite(p: Path) -> bool:
    if p.suffix.lower() in STORE_SUFFIXES:
        return True
    try:
        with p.open("rb") as f:
            return f.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def _is_live_store(p: Path) -> bool:
    """Is ``p`` the store file the app would use now (``TRUST_WIDGETS_DB`` or the default)?"""
    from sqlalchemy.engine import make_url

    from ..config import ConfigError, default_db_path, resolve_db_url

    stores = {default_db_path()}
    try:
        url = make_url(resolve_db_url())
    except (ConfigError, ValueError):
        url = None
    if url is not None and url.get_backend_name() == "sqlite" and url.database:
        stores.add(Path(url.database))
    return p.resolve() in {s.expanduser().resolve() for s in stores}


def _has_pyarrow() -> bool:
    try:
        import pyarrow.dataset  # noqa: F401
    except ImportError:
        return False
    return True


def _read_csv(path: Path) -> pd.DataFrame:
    try:
        return pd.read_csv(
            path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig"
        )
    except UnicodeDecodeError:
        raise ExportError(f"{path} is not UTF-8 text, so it is not an export's CSV.") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ExportError(f"{path} cannot be read as CSV: {exc}") from None


def _read_parquet(folder: Path) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.dataset as ds

    try:
        table = ds.dataset(str(folder), format="parquet", partitioning="hive").to_table()
    except (pa.ArrowInvalid, OSError) as exc:
        raise ExportError(f"{folder} cannot be read as Parquet: {exc}") from None
    if "workshop" in table.column_names:  # a partition key comes back as a dictionary
        table = table.set_column(
            table.column_names.index("workshop"), "workshop",
            table["workshop"].cast(pa.string()),
        )  # fmt: skip
    return table.to_pandas()
