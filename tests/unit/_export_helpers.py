"""Stores for the research-export tests: real SQLite files, consent through the real module."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from trust_widgets.consent import consent_text, record_decision
from trust_widgets.demo import create_demo
from trust_widgets.export import export_store
from trust_widgets.store.engine import create_store_engine, transaction
from trust_widgets.store.migrate import upgrade
from trust_widgets.store.models import CheckIn, Couple, Partner, Visibility, Workshop

START = date(2026, 1, 5)  # a Monday


def new_store(tmp_path: Path, name: str = "store"):
    """A migrated store in a real SQLite file."""
    engine = create_store_engine(f"sqlite:///{tmp_path / name}.sqlite3")
    upgrade(engine)
    return engine


def decide(engine, partner_id: int, decision: str = "agree") -> None:
    """Record a partner's consent decision the way the consent page does."""
    record_decision(engine, partner_id, decision, consent_text().version)


def partner_ids(engine) -> list[int]:
    with transaction(engine) as s:
        return list(s.scalars(select(Partner.id).order_by(Partner.id)))


def demo_store(tmp_path: Path, couples: int = 6, days: int = 28, seed: int = 1, name="demo"):
    """A demo workshop in which every partner has agreed to research."""
    engine = new_store(tmp_path, name)
    create_demo(engine, couples=couples, days=days, seed=seed)
    for pid in partner_ids(engine):
        decide(engine, pid)
    return engine


def add_workshop(engine, name: str = "Spring group", is_demo: bool = False) -> int:
    with transaction(engine) as s:
        w = Workshop(name=name, is_demo=is_demo)
        s.add(w)
        s.flush()
        return w.id


def add_couple(
    engine,
    workshop_id: int | None,
    regions: tuple[str, str] = ("intl", "intl"),
    days: int = 5,
    consent: tuple[str | None, str | None] = ("agree", "agree"),
    start: date = START,
    shared: tuple[bool, bool] = (True, True),
) -> tuple[int, int]:
    """A couple with ``days`` daily check-ins per partner; return the partners' ids."""
    with transaction(engine) as s:
        couple = Couple(workshop_id=workshop_id)
        partners = [
            Partner(couple=couple, slot=i, display_name=f"P{i}", region=r)
            for i, r in enumerate(regions)
        ]
        s.add_all([couple, *partners])
        s.flush()
        for p, is_shared in zip(partners, shared, strict=True):
            vis = Visibility.SHARED if is_shared else Visibility.PRIVATE
            for t in range(days):
                s.add(
                    CheckIn(
                        couple_id=couple.id, author_id=p.id, day=start + timedelta(days=t),
                        instrument_version="tw-checkin-1", visibility=vis,
                        ratings=dict.fromkeys(
                            ("predictability", "dependability", "faith", "safety",
                             "anxiety", "communication"), (t + p.slot) % 11),
                        kept_promise_ids=[],
                    )
                )  # fmt: skip
        ids = (partners[0].id, partners[1].id)
    for pid, decision in zip(ids, consent, strict=True):
        if decision is not None:
            decide(engine, pid, decision)
    return ids


def run_export(engine, tmp_path: Path, out: str = "out", key: str = "export.key", **options):
    """Export into ``tmp_path/out`` with a key file in ``tmp_path``; return (folder, report)."""
    folder = tmp_path / out
    report = export_store(engine, folder, tmp_path / key, **options)
    return folder, report


def read_rows(folder: Path) -> list[dict[str, str]]:
    with (folder / "checkins.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def all_text(folder: Path) -> str:
    """Every byte the export wrote, decoded loosely, for leak checks (Parquet included)."""
    return "\n".join(
        p.read_bytes().decode("utf-8", errors="replace") for p in sorted(folder.rglob("*"))
        if p.is_file()
    )  # fmt: skip
