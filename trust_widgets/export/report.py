"""The export report: what went in, what came out, and why rows were left out.

Only counts and settings: never the key (a fingerprint instead, so two exports can be told
to share pseudonyms), never an internal id, never a path on the exporting machine.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class ExportReport:
    """Counts of one export. Check-in counts are taken when the export starts."""

    kit_version: str
    exported_at: str  # UTC, ISO 8601, seconds
    key_fingerprint: str
    key_created: bool
    k_requested: int
    date_shift_days: int
    include_demo: bool
    # Check-ins (rows): in = private + demo + no_consent + suppressed + out
    checkins_in_store: int = 0
    checkins_private: int = 0
    checkins_demo: int = 0
    checkins_no_consent: int = 0
    checkins_suppressed: int = 0
    rows_out: int = 0
    # Partners and couples
    partners_in_store: int = 0
    partners_consent_granted: int = 0
    partners_consent_outdated: int = 0  # agreed to a text that needs re-consent
    partners_consent_declined: int = 0
    partners_consent_withdrawn: int = 0
    partners_no_consent_record: int = 0
    consent_text_versions: dict[str, int] = field(default_factory=dict)  # current consents
    couples_in_store: int = 0
    couples_both_consented: int = 0
    couples_exported: int = 0
    partners_exported: int = 0
    workshops_exported: int = 0
    # k-anonymity on (workshop, region), counted over partners
    k_achieved: int | None = None
    equivalence_classes: int = 0
    partners_region_generalised: int = 0
    workshops_suppressed: int = 0
    partners_suppressed: int = 0
    ratings_missing: int = 0  # rating cells left empty (no such item, or out of 0-10)
    instrument_versions: dict[str, int] = field(default_factory=dict)  # rows per version
    files: list[str] = field(default_factory=list)

    @property
    def rows_in(self) -> int:
        return self.checkins_in_store

    @property
    def rows_suppressed(self) -> int:
        return self.checkins_suppressed

    def to_dict(self) -> dict[str, Any]:
        """Every count, plus the agreed short names rows_in and rows_suppressed up front."""
        short = {"rows_in": self.rows_in, "rows_out": self.rows_out}
        short |= {"rows_suppressed": self.rows_suppressed, "k_achieved": self.k_achieved}
        return short | asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=False) + "\n"

    def to_markdown(self) -> str:
        """Return the report as a short Markdown page (``report.md``)."""
        k = "no partner exported" if self.k_achieved is None else str(self.k_achieved)
        versions = ", ".join(f"{v} ({n} rows)" for v, n in self.instrument_versions.items())
        consents = ", ".join(f"{v} ({n})" for v, n in self.consent_text_versions.items())
        lines = [
            "# Research export report",
            "",
            f"Exported {self.exported_at} with Trust Workshop Kit {self.kit_version}. "
            f"Key fingerprint `{self.key_fingerprint}`: exports with the same fingerprint share "
            "pseudonyms and date shifts.",
            "",
            "## Check-ins (rows)",
            "",
            "| | rows |",
            "| --- | ---: |",
            f"| in the store | {self.checkins_in_store} |",
            f"| private (never exported) | {self.checkins_private} |",
            f"| in demo workshops (made-up data) | {self.checkins_demo} |",
            f"| without both partners' current consent | {self.checkins_no_consent} |",
            f"| suppressed for k-anonymity | {self.checkins_suppressed} |",
            f"| **exported** | **{self.rows_out}** |",
            "",
            "## Consent",
            "",
            f"- Partners in the store: {self.partners_in_store}; current consent "
            f"{self.partners_consent_granted}, agreed to an outdated text "
            f"{self.partners_consent_outdated}, declined {self.partners_consent_declined}, "
            f"withdrawn {self.partners_consent_withdrawn}, never asked "
            f"{self.partners_no_consent_record}.",
            f"- Consent text versions of current consents: {consents or 'none'}.",
            f"- Couples: {self.couples_in_store} in the store, {self.couples_both_consented} "
            f"with both partners' consent, {self.couples_exported} exported.",
            "",
            "## k-anonymity",
            "",
            f"- Quasi-identifiers: workshop, region. Requested k = {self.k_requested}, "
            f"achieved k = {k} (smallest group of partners; {self.equivalence_classes} groups).",
            f"- Regions shown as `*`: {self.partners_region_generalised} partners. Workshops "
            f"suppressed: {self.workshops_suppressed} ({self.partners_suppressed} partners, "
            f"{self.checkins_suppressed} rows).",
            "",
            "## Contents",
            "",
            f"- {self.partners_exported} partners in {self.couples_exported} couples and "
            f"{self.workshops_exported} workshops.",
            f"- Instrument versions: {versions or 'none'}. Empty rating cells: "
            f"{self.ratings_missing}.",
            f"- Dates shifted back by 1 to {self.date_shift_days} days per couple.",
            f"- Demo workshops {'included' if self.include_demo else 'left out'}.",
            "",
        ]
        return "\n".join(lines)
