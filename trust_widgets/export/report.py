"""The export report: what went in, what came out, and why rows were left out.

Only counts and settings: never the key (a fingerprint instead, so two exports can be told
to share pseudonyms), never an internal id, never a path on the exporting machine. The
object holds the exact counts (for whoever runs the export); ``report.json`` and
``report.md`` hide small counts about people who were not exported (see :mod:`._released`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from ..suppression import shown_text
from ._released import NOT_EXPORTED_ROWS, WITHOUT_CONSENT, hidden_counts, hidden_note
from .fields import Field, export_fields

REPORT_TITLE = "# Research export report"
_WITHOUT_WORDS = dict(
    zip(WITHOUT_CONSENT, ("agreed to an outdated text", "declined", "withdrawn", "never asked"),
        strict=True)
)  # fmt: skip


@dataclass
class ExportReport:
    """Counts of one export. Check-in counts are taken when the export starts."""

    kit_version: str
    exported_at: str  # UTC, ISO 8601, seconds
    key_fingerprint: str
    key_created: bool
    k_requested: int
    include_demo: bool
    opt_in_columns: list[str] = field(default_factory=list)  # e.g. ["weekday"], as asked for
    # Check-ins (rows): in = private + demo + no_consent + suppressed + out
    checkins_in_store: int = 0
    checkins_private: int = 0
    checkins_demo: int = 0  # in demo workshops and left out (without include_demo)
    checkins_no_consent: int = 0
    checkins_suppressed: int = 0
    rows_out: int = 0
    rows_out_demo: int = 0  # of rows_out, made-up rows of demo workshops (with include_demo)
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
    # k-anonymity on (workshop, region), counted over partners; couple patterns over couples
    k_achieved: int | None = None
    equivalence_classes: int = 0
    k_couples_requested: int = 0
    k_couples_achieved: int | None = None
    partners_region_generalised: int = 0
    workshops_suppressed: int = 0
    couples_suppressed: int = 0  # alone, for a rare couple pattern (their workshop exported)
    partners_suppressed: int = 0
    ratings_missing: int = 0  # rating cells left empty (no such item, or out of 0-10)
    instrument_versions: dict[str, int] = field(default_factory=dict)  # rows per version
    files: list[str] = field(default_factory=list)

    @property
    def fields(self) -> tuple[Field, ...]:
        """The export's columns, in order: the default ones and the opt-in ones asked for."""
        return export_fields(self.opt_in_columns)

    @property
    def rows_in(self) -> int:
        return self.checkins_in_store

    @property
    def rows_suppressed(self) -> int:
        return self.checkins_suppressed

    @property
    def partners_without_consent(self) -> int:
        return sum(getattr(self, n) for n in WITHOUT_CONSENT)

    def withheld(self) -> dict[str, int]:
        """The exact counts that report.json and report.md hide: for the operator only."""
        hidden = hidden_counts(self)
        names = ("partners_without_consent", *WITHOUT_CONSENT, *NOT_EXPORTED_ROWS)
        return {n: getattr(self, n) for n in names if n in hidden}

    def to_dict(self) -> dict[str, Any]:
        """The counts as released: the agreed short names up front, small counts hidden.

        A hidden count is ``None`` (JSON null); ``hidden_counts`` names them and
        ``hidden_note`` says why.
        """
        short = {"rows_in": self.rows_in, "rows_out": self.rows_out}
        short |= {"rows_suppressed": self.rows_suppressed, "k_achieved": self.k_achieved}
        out = short | asdict(self)
        out["partners_without_consent"] = self.partners_without_consent
        hidden = hidden_counts(self)
        out |= dict.fromkeys(hidden)
        if "consent_text_versions" in hidden:  # they add up to the hidden count
            out["consent_text_versions"] = dict.fromkeys(self.consent_text_versions)
        out["hidden_counts"] = sorted(hidden)
        out["hidden_note"] = hidden_note(self.k_requested)
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, sort_keys=False) + "\n"

    def to_markdown(self) -> str:
        """Return the report as a short Markdown page (``report.md``), small counts hidden."""
        d = self.to_dict()

        def n(name: str) -> str:
            return shown_text(d[name], self.k_requested)

        k = "no partner exported" if self.k_achieved is None else str(self.k_achieved)
        kc = "no couple exported" if self.k_couples_achieved is None else self.k_couples_achieved
        versions = ", ".join(f"{v} ({c} rows)" for v, c in self.instrument_versions.items())
        consented = d["consent_text_versions"]
        consents = ", ".join(
            f"{v} ({shown_text(c, self.k_requested)})" for v, c in consented.items()
        )
        # Included demo rows are part of the exported rows, not left out: the table says how
        # many of those are made up, rather than a "0" that reads as "no demo data".
        if self.include_demo:
            left_out_demo = []
            exported_demo = [f"| of these, made-up rows of demo workshops | {self.rows_out_demo} |"]
            demo_contents = (
                f"Demo workshops included: {self.rows_out_demo} of the {self.rows_out} rows "
                "exported are made-up data, not real couples."
            )
        else:
            left_out_demo = [
                f"| in demo workshops (made-up data), left out | {self.checkins_demo} |"
            ]
            exported_demo = []
            demo_contents = "Demo workshops (made-up data) left out."
        opt_in = ", ".join(f"`{c}`" for c in self.opt_in_columns) or "none"
        if any(d[name] is not None for name in WITHOUT_CONSENT):
            cells = (f"{what} {n(name)}" for name, what in _WITHOUT_WORDS.items())
            breakdown = f" ({', '.join(cells)})"
        else:
            breakdown = " (the breakdown into declined, withdrawn and so on is hidden)"
        lines = [
            REPORT_TITLE,
            "",
            f"Exported {self.exported_at} with Trust Workshop Kit {self.kit_version}. "
            f"Key fingerprint `{self.key_fingerprint}`: exports with the same fingerprint share "
            "pseudonyms.",
            "",
            "## Check-ins (rows)",
            "",
            "| | rows |",
            "| --- | ---: |",
            f"| in the store | {n('checkins_in_store')} |",
            f"| private (never exported) | {n('checkins_private')} |",
            *left_out_demo,
            f"| without both partners' current consent | {n('checkins_no_consent')} |",
            f"| suppressed for k-anonymity | {self.checkins_suppressed} |",
            f"| **exported** | **{self.rows_out}** |",
            *exported_demo,
            "",
            "## Consent",
            "",
            f"- Partners in the store: {n('partners_in_store')}. Current consent: "
            f"{n('partners_consent_granted')}.",
            f"- Without current consent: {n('partners_without_consent')}{breakdown}.",
            f"- Consent text versions of current consents: {consents or 'none'}.",
            f"- Couples in the store: {n('couples_in_store')}. With both partners' consent: "
            f"{self.couples_both_consented}. Exported: {self.couples_exported}.",
            *([f"- {d['hidden_note']}"] if d["hidden_counts"] else []),
            "",
            "## k-anonymity",
            "",
            f"- Quasi-identifiers: workshop, region. Requested k = {self.k_requested}, "
            f"achieved k = {k} (smallest group of partners; {self.equivalence_classes} groups).",
            f"- Couple patterns (workshop and the regions of a couple's partners): at least "
            f"{self.k_couples_requested} couples each requested, smallest has {kc}.",
            f"- Regions shown as `*`: {self.partners_region_generalised} partners. Workshops "
            f"suppressed: {self.workshops_suppressed}; couples suppressed alone: "
            f"{self.couples_suppressed} ({self.partners_suppressed} partners, "
            f"{self.checkins_suppressed} rows in all).",
            "",
            "## Contents",
            "",
            f"- {self.partners_exported} partners in {self.couples_exported} couples and "
            f"{self.workshops_exported} workshops.",
            f"- Instrument versions: {versions or 'none'}. Empty rating cells: "
            f"{self.ratings_missing}.",
            "- No calendar dates: time is `day_index`, days since each couple's first exported "
            f"check-in. Opt-in columns: {opt_in}.",
            f"- {demo_contents}",
            "",
        ]
        return "\n".join(lines)
