"""``datapackage.json``: a Frictionless Data Package describing both forms of the table.

The CSV is a tabular data resource with the full Table Schema. The Parquet files form a
second resource with the same rows; its ``workshop`` column lives in the folder names (Hive
partitioning), so the resource points to the CSV's schema rather than repeating it.
"""

from __future__ import annotations

from typing import Any

from .fields import PARTITION, PRIMARY_KEY, SORT_ORDER
from .kanon import QUASI_IDENTIFIERS
from .report import ExportReport
from .writers import CSV_NAME

PACKAGE_NAME = "trust-workshop-research-export"


def _schema(report: ExportReport) -> dict[str, Any]:
    return {
        "fields": [f.table_schema() for f in report.fields],
        "primaryKey": list(PRIMARY_KEY),
        "missingValues": [""],
    }


def package_descriptor(report: ExportReport, parquet_files: list[str]) -> dict[str, Any]:
    """Return the Data Package descriptor for an export with ``parquet_files`` (relative)."""
    qis = list(QUASI_IDENTIFIERS)
    weekday = (
        " With the opt-in weekday column: the real ISO weekday of each check-in, a known "
        "trade-off (it releases the weekday of each couple's first check-in, which "
        "commitments_due already half-reveals; never a calendar date)."
        if "weekday" in report.opt_in_columns
        else ""
    )
    csv_resource = {
        "name": "checkins",
        "title": "Daily check-ins, one row per partner-day (CSV)",
        "description": "Shared check-ins of consenting couples, pseudonymised, no calendar "
        f"dates (time is day_index), k-anonymous (k >= {report.k_requested}) on the "
        f"quasi-identifiers.{weekday} Sorted by {', '.join(SORT_ORDER)}. See codebook.md.",
        "path": CSV_NAME,
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
        "schema": _schema(report),
        "quasiIdentifiers": qis,
    }
    parquet_resource = {
        "name": "checkins-parquet",
        "title": "Daily check-ins (Parquet, Hive-partitioned by workshop)",
        "description": "The same rows as the checkins resource, one folder per workshop "
        f"({PARTITION}=W-...). The {PARTITION} column is in the folder name; read with Hive "
        "partitioning (DuckDB: read_parquet('checkins/*/*.parquet', hive_partitioning = "
        "true)). Columns and meaning as in the checkins resource's schema.",
        "path": parquet_files,
        "profile": "data-resource",
        "format": "parquet",
        "mediatype": "application/vnd.apache.parquet",
        "schemaRef": "checkins",
        "partitioning": {"style": "hive", "fields": [PARTITION]},
        "quasiIdentifiers": qis,
    }
    return {
        "profile": "data-package",
        "name": PACKAGE_NAME,
        "title": "Trust Workshop Kit: research export of daily check-ins",
        "description": "Consented, pseudonymised daily check-ins of couples rebuilding trust. "
        "No free text, notes, safety-check answers, names, tokens or internal ids. "
        "Read codebook.md first; report.md gives the counts of this export.",
        "created": report.exported_at,
        "keywords": ["couples", "trust", "daily diary", "dyadic data"],
        "sources": [{"title": f"Trust Workshop Kit {report.kit_version}, trust-workshop export"}],
        "resources": [csv_resource, parquet_resource] if parquet_files else [csv_resource],
        "trustWorkshop": {
            "kitVersion": report.kit_version,
            "keyFingerprint": report.key_fingerprint,
            "k": report.k_requested,
            "kAchieved": report.k_achieved,
            "kCouples": report.k_couples_requested,
            "kCouplesAchieved": report.k_couples_achieved,
            "optInColumns": list(report.opt_in_columns),
        },
    }
