"""Check a raw check-ins table against the export format and give it proper types.

Every problem is collected and reported at once, each with the rows (CSV line numbers, or
Parquet row numbers) of its first few cases, so a broken export is fixed in one round.
"""

from __future__ import annotations

import pandas as pd

from ._format import (
    COLUMNS,
    COMMITMENTS,
    ITEMS,
    NULLABLE_INTS,
    PRIMARY_KEY,
    PSEUDONYM,
    RATING_RANGE,
    SORT,
    STRINGS,
)

SHOW = 3  # example rows per problem


class ExportError(ValueError):
    """A path or table that is not a valid research export; the message says why."""


def _rows(mask: pd.Series) -> str:
    rows = [str(r) for r in mask[mask].index[:SHOW]]
    more = " …" if int(mask.sum()) > SHOW else ""
    return ", ".join(rows) + more


def _integers(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse whole numbers; return the values (``Int64``) and a mask of unparseable cells."""
    num = pd.to_numeric(raw, errors="coerce")
    bad = (raw.notna() & num.isna()) | (num.notna() & (num.round() != num))
    return num.where(~bad).round().astype("Int64"), bad


def _dates(raw: pd.Series) -> pd.Series:
    if pd.api.types.is_string_dtype(raw) or raw.dtype == object:
        text = raw.astype("string")
        if text.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False).all():
            return pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    return pd.to_datetime(raw, errors="coerce").dt.normalize()


def validate_export(raw: pd.DataFrame, source: str, *, row_offset: int = 1) -> pd.DataFrame:
    """Return ``raw`` with the format's columns, types and order, or raise :class:`ExportError`.

    ``row_offset`` turns row positions into the numbers a person looks up: 2 for a CSV file
    (its header is line 1), 1 for Parquet rows.
    """
    missing = [c for c in COLUMNS if c not in raw.columns]
    extra = [str(c) for c in raw.columns if c not in COLUMNS]
    if missing or extra:
        parts = [f"missing columns: {', '.join(missing)}"] if missing else []
        parts += [f"unexpected columns: {', '.join(extra)}"] if extra else []
        raise ExportError(f"{source} is not a research export ({'; '.join(parts)}).")
    if raw.empty:
        raise ExportError(f"{source} has no check-ins.")
    df = raw[list(COLUMNS)].reset_index(drop=True)
    df.index = df.index + row_offset
    where = "line" if row_offset == 2 else "row"
    problems: list[str] = []

    def check(mask: pd.Series, message: str) -> None:
        if mask.any():
            problems.append(f"{message}: {int(mask.sum())} {where}(s), e.g. {_rows(mask)}")

    for col in STRINGS:
        df[col] = df[col].astype("string").str.strip()
        check(df[col].isna() | (df[col] == ""), f"{col} is empty")
    for col, pattern in PSEUDONYM.items():
        check(df[col].notna() & ~df[col].str.fullmatch(pattern.pattern).fillna(False),
              f"{col} is not a keyed pseudonym ({pattern.pattern})")  # fmt: skip
    for col in ("partner_index", "day_index", *NULLABLE_INTS):
        df[col], bad = _integers(df[col])
        check(bad, f"{col} is not a whole number")
    for col in ("partner_index", "day_index"):
        check(df[col].isna(), f"{col} is empty")
    check(df["partner_index"].notna() & ~df["partner_index"].isin([1, 2]),
          "partner_index is not 1 or 2")  # fmt: skip
    check(df["day_index"] < 0, "day_index is negative")
    low, high = RATING_RANGE
    for col in ITEMS:
        check((df[col] < low) | (df[col] > high), f"{col} is outside {low}-{high}")
    for col in COMMITMENTS:
        check(df[col] < 0, f"{col} is negative")
    check(
        df["commitments_kept"] > df["commitments_due"], "commitments_kept exceeds commitments_due"
    )
    dates = _dates(df["date"])
    check(df["date"].notna() & dates.isna(), "date is not a YYYY-MM-DD date")
    check(df["date"].isna(), "date is empty")
    df["date"] = dates
    if not problems:
        problems += _structure(df, where)
    if problems:
        listing = "\n".join(f"- {p}" for p in problems)
        raise ExportError(f"{source} does not follow the research export format:\n{listing}")
    for col in ("partner_index", "day_index"):
        df[col] = df[col].astype("int64")
    return df.sort_values(list(SORT), kind="stable").reset_index(drop=True)


def _structure(df: pd.DataFrame, where: str) -> list[str]:
    """Problems across rows: keys, partners within couples, one day_index origin per couple."""
    out = []
    dup = df.duplicated(list(PRIMARY_KEY), keep=False)
    if dup.any():
        out.append(f"{int(dup.sum())} {where}s repeat a (workshop, couple, partner, day_index) "
                   f"key, e.g. {_rows(dup)}")  # fmt: skip
    per_partner = df.groupby("partner")[["workshop", "couple", "partner_index"]].nunique()
    if (per_partner > 1).any(axis=None):
        out.append(f"{int((per_partner > 1).any(axis=1).sum())} partner(s) appear in more than "
                   "one workshop, couple or partner_index")  # fmt: skip
    pairs = df.drop_duplicates(["couple", "partner"])
    clash = pairs.duplicated(["couple", "partner_index"], keep=False)
    if clash.any():
        out.append(f"{pairs.loc[clash, 'couple'].nunique()} couple(s) have two partners with the "
                   "same partner_index")  # fmt: skip
    origin = df["date"] - pd.to_timedelta(df["day_index"].astype("int64"), unit="D")
    drift = origin.groupby(df["couple"]).transform("nunique") > 1
    if drift.any():
        out.append(f"{df.loc[drift, 'couple'].nunique()} couple(s) have dates that disagree with "
                   f"day_index (it must count days from the couple's first check-in), e.g. "
                   f"{where}s {_rows(drift)}")  # fmt: skip
    return out
