"""Who is exported, and how: consent, demo workshops, k-anonymity, pseudonyms, batches.

One pass over partner-level rows (one per partner, not per check-in) decides everything
before a single check-in is read: which couples are eligible, which region each partner is
shown with, which workshops are suppressed, and every pseudonym.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from ..resources import is_region_code
from . import source
from .kanon import STAR, couples_needed, generalise
from .pseudonyms import Pseudonymiser
from .report import ExportReport

BATCH_ROWS = 20_000  # check-ins per query and per write: bounds the memory of the export
BATCH_COUPLES = 500  # and the number of values bound in one IN (...)


@dataclass(frozen=True, slots=True)
class PlannedPartner:
    id: int
    index: int
    pseudonym: str
    region: str


@dataclass(frozen=True, slots=True)
class PlannedCouple:
    id: int
    workshop: str
    pseudonym: str
    is_demo: bool  # made-up couples, exported only with include_demo: counted apart
    partners: tuple[PlannedPartner, ...]
    rows: int  # shared check-ins at planning time


def plan_export(
    conn: Connection, pseudonyms: Pseudonymiser, report: ExportReport
) -> list[PlannedCouple]:
    """Decide which couples and partners are exported, and with which region."""
    couples = source.read_couples(conn)
    consented = source.consented_partners(conn)
    counts = source.checkin_counts(conn)
    report.checkins_in_store = sum(sum(c.values()) for c in counts.values())
    report.checkins_private = sum(c["private"] for c in counts.values())
    report.couples_in_store = len(couples)
    _count_consents(couples, source.latest_consents(conn), consented, report)

    def shared(pid: int) -> int:
        return counts[pid]["shared"] if pid in counts else 0

    eligible = []
    for c in couples.values():
        rows = sum(shared(p.id) for p in c.partners)
        if c.is_demo and not report.include_demo:
            report.checkins_demo += rows
            continue
        if len(c.partners) != 2 or any(p.id not in consented for p in c.partners):
            report.checkins_no_consent += rows
            continue
        report.couples_both_consented += 1
        eligible.append(c)
    exportable = [(c, p) for c in eligible for p in c.partners if shared(p.id)]
    qis = {p.id: (c.workshop_id, p.region if is_region_code(p.region) else STAR)
           for c, p in exportable}  # fmt: skip
    gen = generalise(qis, report.k_requested, couples={p.id: c.id for c, p in exportable})
    report.k_achieved, report.equivalence_classes = gen.k, gen.classes
    report.k_couples_requested = couples_needed(report.k_requested)
    report.k_couples_achieved = gen.couple_k
    report.couples_suppressed = gen.suppressed_couples
    report.partners_region_generalised = gen.generalised
    report.workshops_suppressed = gen.suppressed_workshops
    report.partners_suppressed = len(gen.suppressed)
    report.checkins_suppressed = sum(shared(pid) for pid in gen.suppressed)
    plan = []
    for c in eligible:
        partners = tuple(
            PlannedPartner(p.id, i, pseudonyms.partner(p.id, p.created_at), gen.region[p.id])
            for i, p in enumerate(sorted(c.partners, key=lambda p: (p.slot, p.id)), start=1)
            if p.id in gen.region
        )
        if partners:
            workshop = pseudonyms.workshop(c.workshop_id, c.workshop_created_at)
            couple = pseudonyms.couple(c.id, c.created_at)
            rows = sum(shared(p.id) for p in partners)
            plan.append(PlannedCouple(c.id, workshop, couple, c.is_demo, partners, rows))
    plan.sort(key=lambda c: (c.workshop, c.pseudonym))
    report.couples_exported = len(plan)
    report.partners_exported = sum(len(c.partners) for c in plan)
    report.workshops_exported = len({c.workshop for c in plan})
    return plan


def batches(plan: Sequence[PlannedCouple]) -> Iterator[list[PlannedCouple]]:
    """Split the plan into runs of couples of about :data:`BATCH_ROWS` check-ins."""
    batch: list[PlannedCouple] = []
    rows = 0
    for couple in plan:
        batch.append(couple)
        rows += couple.rows
        if rows >= BATCH_ROWS or len(batch) >= BATCH_COUPLES:
            yield batch
            batch, rows = [], 0
    if batch:
        yield batch


def _count_consents(
    couples: dict[int, source.CoupleRow],
    records: dict[int, source.ConsentRecord],
    consented: set[int],
    report: ExportReport,
) -> None:
    """Count partners by consent: current, outdated text, declined, withdrawn, never asked."""
    versions: Counter[str] = Counter()
    for c in couples.values():
        for p in c.partners:
            report.partners_in_store += 1
            record = records.get(p.id)
            if p.id in consented:
                report.partners_consent_granted += 1
                versions[record.text_version if record else ""] += 1
            elif record is None:
                report.partners_no_consent_record += 1
            elif record.status == "granted":  # to a text that no longer covers the use
                report.partners_consent_outdated += 1
            elif record.status == "withdrawn":
                report.partners_consent_withdrawn += 1
            else:
                report.partners_consent_declined += 1
    report.consent_text_versions = dict(sorted(versions.items()))
