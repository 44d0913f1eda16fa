"""Which report counts a researcher may not see: small counts about people not exported.

The export's report goes to researchers. Counts of people who did *not* take part (declined,
withdrew, were never asked, kept check-ins private) are their own business: on a small store
"withdrawn 1" tells a researcher one person's decision. So these counts follow the kit's
small-cell rule (:mod:`trust_widgets.suppression`, threshold = the export's k): a count of 1
to k - 1 is hidden, and so is any count it could be worked out from (a total shown beside
its cells, another cell of the row). Counts of exported people and of rows out stay.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..suppression import is_small, suppress_partition

if TYPE_CHECKING:
    from .report import ExportReport

# Partners in the store = granted + these; check-ins in the store = demo + suppressed + out +
# these. Each group is suppressed as a row whose total is shown through the store total.
WITHOUT_CONSENT = (
    "partners_consent_outdated", "partners_consent_declined", "partners_consent_withdrawn",
    "partners_no_consent_record",
)  # fmt: skip
NOT_EXPORTED_ROWS = ("checkins_private", "checkins_no_consent")


def hidden_counts(report: ExportReport) -> set[str]:
    """Return the names of the report's counts to show as hidden (``None``)."""
    k = report.k_requested
    hidden: set[str] = set()
    people = suppress_partition({n: getattr(report, n) for n in WITHOUT_CONSENT}, k)
    hidden |= {n for n, v in people.cells.items() if v is None}
    if people.total is None:  # the store total minus the consented would give it back
        hidden |= {"partners_without_consent", "partners_in_store"}
    if is_small(report.couples_in_store - report.couples_both_consented, k):
        hidden.add("couples_in_store")
    # Consenting partners beyond the couples in which both consent have a partner who does
    # not (or who never joined): a few of them would tell that a few people said no.
    alone = report.partners_consent_granted - 2 * report.couples_both_consented
    if is_small(alone, k):
        hidden |= {"partners_consent_granted", "consent_text_versions", "partners_in_store"}
    if "partners_in_store" in hidden:  # couples are about half the partners: hidden alike
        hidden.add("couples_in_store")
    rows = suppress_partition({n: getattr(report, n) for n in NOT_EXPORTED_ROWS}, k)
    hidden |= {n for n, v in rows.cells.items() if v is None}
    if rows.total is None:
        hidden |= {"checkins_in_store", "rows_in"}
    return hidden


def hidden_note(k: int) -> str:
    """The sentence that explains a hidden (null) count in report.json and report.md."""
    return (
        f"Counts of 1 to {k - 1} people (or check-ins) who were not exported, and counts "
        "they could be worked out from, are hidden (null), as the kit's small-cell rule "
        "requires; whoever ran the export saw them."
    )
