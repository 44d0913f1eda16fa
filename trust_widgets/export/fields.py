"""The check-ins table of a research export, column by column: the one source of its schema.

The Parquet schema, the CSV header, the Table Schema in ``datapackage.json`` and the
codebook are all built from :data:`FIELDS`, so they cannot disagree. A column marked
``opt_in`` is only in exports that ask for it by name (:func:`export_fields`), in its place
in :data:`FIELDS`; every other column is in every export.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

RATING_ITEMS = ("predictability", "dependability", "faith", "safety", "anxiety", "communication")
TRUST_ITEMS = RATING_ITEMS[:3]
PSEUDONYM = "[0-9a-f]{16}"
PRIMARY_KEY = ["workshop", "couple", "partner", "day_index"]
SORT_ORDER = ["workshop", "couple", "partner_index", "day_index"]
PARTITION = "workshop"


@dataclass(frozen=True)
class Field:
    """One column: Table Schema type, description, unit and constraints."""

    name: str
    type: str  # Table Schema type: string or integer
    description: str
    unit: str | None = None
    constraints: dict[str, Any] = field(default_factory=dict)
    # Off unless the export names it: a column that releases more than the default export
    # (the real weekday) is the exporter's decision, never a side effect.
    opt_in: bool = False

    def table_schema(self) -> dict[str, Any]:
        """Return the field as a Table Schema field descriptor (``unit`` is a custom property)."""
        out: dict[str, Any] = {"name": self.name, "type": self.type}
        out["description"] = self.description
        if self.unit:
            out["unit"] = self.unit
        if self.constraints:
            out["constraints"] = dict(self.constraints)
        return out


_ITEM_MEANING = {
    "predictability": "partner's actions matched what I expected today (trust item)",
    "dependability": "partner followed through today (trust item)",
    "faith": "belief in the partner's commitment in the months ahead (trust item)",
    "safety": "felt safe being myself with the partner today",
    "anxiety": "felt anxious about us today; higher = MORE anxious",
    "communication": "talking with each other went well today",
}


def _rating(name: str) -> Field:
    return Field(
        name,
        "integer",
        f"Rating 0-10: {_ITEM_MEANING[name]}. Empty when the check-in's instrument has no such "
        "item or the value is not a whole number from 0 to 10.",
        unit="points (0-10)",
        constraints={"minimum": 0, "maximum": 10},
    )


FIELDS: tuple[Field, ...] = (
    Field("workshop", "string",
          "Keyed pseudonym of the workshop (HMAC-SHA256). Couples using the kit at home, "
          "outside any workshop, share the pseudonym of 'home'.",
          constraints={"required": True, "pattern": f"W-{PSEUDONYM}"}),
    Field("couple", "string", "Keyed pseudonym of the couple (HMAC-SHA256).",
          constraints={"required": True, "pattern": f"C-{PSEUDONYM}"}),
    Field("partner", "string", "Keyed pseudonym of the partner (HMAC-SHA256).",
          constraints={"required": True, "pattern": f"P-{PSEUDONYM}"}),
    Field("partner_index", "integer",
          "1 or 2: the order in which the partners joined the couple. Dyads are "
          "indistinguishable: the index carries no role.",
          constraints={"required": True, "minimum": 1, "maximum": 2}),
    Field("region", "string",
          "Region of the partner's help-resource list (e.g. intl, us); '*' where generalised "
          "for k-anonymity.",
          constraints={"required": True, "pattern": r"[a-z]{2,8}|\*"}),
    Field("day_index", "integer",
          "Days since the couple's first exported check-in (0-based), the same for both "
          "partners of the couple.",
          unit="days", constraints={"required": True, "minimum": 0}),
    Field("weekday", "integer",
          "ISO weekday of the real check-in day: 1 = Monday ... 7 = Sunday. Only in exports "
          "made with --weekday, a known trade-off: it releases each check-in's real weekday "
          "(and so the weekday of the couple's first check-in), which commitments_due already "
          "half-reveals; it never releases a calendar date.",
          constraints={"required": True, "minimum": 1, "maximum": 7}, opt_in=True),
    Field("instrument_version", "string",
          "Key of the check-in instrument the ratings were given on (e.g. tw-checkin-1).",
          constraints={"required": True, "pattern": "[a-z0-9-]{1,40}"}),
    *(_rating(item) for item in RATING_ITEMS),
    Field("commitments_due", "integer",
          "Shared commitments due that day for this partner (weekly ones once per week; see "
          "the codebook).",
          unit="commitments", constraints={"minimum": 0}),
    Field("commitments_kept", "integer",
          "Of commitments_due, how many the partner marked kept.",
          unit="commitments", constraints={"minimum": 0}),
)  # fmt: skip

OPT_IN: frozenset[str] = frozenset(f.name for f in FIELDS if f.opt_in)


def export_fields(opt_in: Collection[str] = ()) -> tuple[Field, ...]:
    """Return an export's columns, in order: every default one and the opt-in ones named.

    Raises
    ------
    ValueError
        ``opt_in`` names a column that is not an opt-in column.
    """
    unknown = set(opt_in) - OPT_IN
    if unknown:
        raise ValueError(f"not an opt-in column: {', '.join(sorted(unknown))}")
    return tuple(f for f in FIELDS if not f.opt_in or f.name in opt_in)


ALL_COLUMNS: tuple[str, ...] = tuple(f.name for f in FIELDS)
COLUMNS: tuple[str, ...] = tuple(f.name for f in export_fields())  # a default export's
BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
