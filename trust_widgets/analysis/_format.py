"""The research export's check-ins table, as agreed with the exporter (one place for both sides).

The reader (:mod:`.load`) validates against these names and the stand-in writer
(:mod:`._demo_export`) writes them, so the two cannot drift apart silently.
"""

from __future__ import annotations

import re

TRUST_ITEMS = ("predictability", "dependability", "faith")
ITEMS = (*TRUST_ITEMS, "safety", "anxiety", "communication")
COMMITMENTS = ("commitments_due", "commitments_kept")
STRINGS = ("workshop", "couple", "partner", "region", "instrument_version")
COLUMNS = (
    "workshop", "couple", "partner", "partner_index", "region", "day_index",
    "instrument_version", *ITEMS, *COMMITMENTS,
)  # fmt: skip
# Opt-in columns (``trust-workshop export --weekday``), each kept right after the column named.
OPTIONAL = {"weekday": "day_index"}
WEEKDAY_RANGE = (1, 7)  # ISO: 1 = Monday ... 7 = Sunday
# Columns of exports written before dates were dropped: read, then left out of the frame, so
# old and new exports load alike (the shifted date was never needed: day_index is the time).
LEGACY = ("date",)
NULLABLE_INTS = (*ITEMS, *COMMITMENTS)
PRIMARY_KEY = ("workshop", "couple", "partner", "day_index")
SORT = ("workshop", "couple", "partner_index", "day_index")
# Keyed pseudonyms: a prefix and 16 lowercase hex characters of an HMAC-SHA256.
PSEUDONYM = {
    "workshop": re.compile(r"W-[0-9a-f]{16}"),
    "couple": re.compile(r"C-[0-9a-f]{16}"),
    "partner": re.compile(r"P-[0-9a-f]{16}"),
}
CSV_NAME = "checkins.csv"
PARQUET_DIR = "checkins"
RATING_RANGE = (0, 10)
