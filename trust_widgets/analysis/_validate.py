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
    LEGACY,
    NULLABLE_INTS,
    OPTIONAL,
    PRIMARY_KEY,
    PSEUDONYM,
    RATING_RANGE,
    SORT,
    STRINGS,
    WEEKDAY_RANGE,
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


def _columns(present: pd.Index) -> list[str]:
    """The format's columns, with the opt-in ones that are ``present``, in the export's order."""
    out = list(COLUMNS)
    for name, after in OPTIONAL.items():
        if name in present:
            out.insert(out.index(after) + 1, name)
    return out


def validate_export(raw: pd.DataFrame, source: str, *, row_offset: int = 1) -> pd.DataFrame:
    """Return ``raw`` with the format's columns, types and order, or raise :class:`ExportError`.

    The opt-in ``weekday`` column is kept when present; an earlier export's shifted ``date``
    is left out. ``row_offset`` turns row positions into the numbers a person looks up: 2 for
    a CSV file (its header is line 1), 1 for Parquet rows.
    """
    columns = _columns(raw.columns)
    missing = [c for c in COLUMNS if c not in raw.columns]
    extra = [str(c) for c in raw.columns if c not in columns and c not in LEGACY]
    if missing or extra:
        parts = [f"missing columns: {', '.join(missing)}"] if missing else []
        parts += [f"unexpected columns: {', '.join(extra)}"] if extra else []
        raise ExportError(f"{source} is not a research export ({'; '.join(parts)}).")
    if raw.empty:
        raise ExportError(f"{source} has no check-ins.")
    df = raw[columns].reset_index(drop=True)
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
    required = ["partner_index", "day_index", *(c for c in OPTIONAL if c in df.columns)]
    for col in (*required, *NULLABLE_INTS):
        df[col], bad = _integers(df[col])
        check(bad, f"{col} is not a whole number")
    for col in required:
        check(df[col].isna(), f"{col} is empty")
    check(df["partner_index"].notna() & ~df["partner_index"].isin([1, 2]),
          "partner_index is not 1 or 2")  # fmt: skip
    check(df["day_index"] < 0, "day_index is negative")
    if "weekday" in df.columns:
        low, high = WEEKDAY_RANGE
        check((df["weekday"] < low) | (df["weekday"] > high),
              f"weekday is outside {low}-{high} (ISO: 1 = Monday)")  # fmt: skip
    low, high = RATING_RANGE
    for col in ITEMS:
        check((df[col] < low) | (df[col] > high), f"{col} is outside {low}-{high}")
    for col in COMMITMENTS:
        check(df[col] < 0, f"{col} is negative")
    check(
        df["commitments_kept"] > df["commitments_due"], "commitments_kept exceeds commitments_due"
    )
    if not problems:
        problems += _structure(df, where)
    if problems:
        listing = "\n".join(f"- {p}" for p in problems)
        raise ExportError(f"{source} does not follow the research export format:\n{listing}")
    for col in required:
        df[col] = df[col].astype("int64")
    return df.sort_values(list(SORT), kind="stable").reset_index(drop=True)


def _structure(df: pd.DataFrame, where: str) -> list[str]:
    """Problems across rows: keys, partners within couples, where each couple's days start."""
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
    day = df["day_index"].astype("int64")
    late = day.groupby(df["couple"]).transform("min") > 0
    if late.any():
        out.append(f"{df.loc[late, 'couple'].nunique()} couple(s) have no day_index 0 (it counts "
                   f"days from the couple's first exported check-in), e.g. "
                   f"{where}s {_rows(late)}")  # fmt: skip
    if "weekday" in df.columns:
        # Day 0 falls on one weekday per couple: weekday and day_index must move together.
        origin = (df["weekday"].astype("int64") - 1 - day) % 7
        drift = origin.groupby(df["couple"]).transform("nunique") > 1
        if drift.any():
            out.append(f"{df.loc[drift, 'couple'].nunique()} couple(s) have weekdays that "
                       f"disagree with day_index, e.g. {where}s {_rows(drift)}")  # fmt: skip
    return out
