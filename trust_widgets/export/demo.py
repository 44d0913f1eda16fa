"""A research export of demo couples, made by the real pipeline from a throw-away store.

The bundled ``data/demo-export/`` and the end-to-end test come from here: the demo
generator writes a store, every demo partner "agrees" to the current consent text, and
:func:`~trust_widgets.export.run.export_store` exports it as it would a real workshop. The
key is fixed and public on purpose: it keys the pseudonyms of made-up couples only.

Run ``python -m trust_widgets.export.demo DIR [--couples N --days D --seed S]``.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from datetime import date
from pathlib import Path

from sqlalchemy import insert, select

from ..consent import consent_text
from ..demo import create_demo
from ..store.engine import create_store_engine, transaction
from ..store.migrate import upgrade
from ..store.models import Consent, Partner, Visibility
from .report import ExportReport
from .run import export_store

DEMO_KEY_HEX = "64656d6f2d6f6e6c793a2073796e746865746963206370756c6573206f6e6c79"
DEMO_SIZE = {"couples": 16, "days": 91, "seed": 1}  # the bundled data/demo-export/
EXPORT_DAY = date(2026, 6, 1)  # a fixed "today" so the demo export does not age


def _consent_everyone(engine) -> None:
    version = consent_text().version
    with transaction(engine) as s:
        rows = [
            {
                "couple_id": couple_id,
                "author_id": pid,
                "granted": True,
                "text_version": version,
                "visibility": Visibility.PRIVATE,
            }
            for pid, couple_id in s.execute(select(Partner.id, Partner.couple_id))
        ]
        s.execute(insert(Consent), rows)


def export_demo(
    out_dir: Path | str,
    couples: int = 16,
    days: int = 91,
    seed: int = 1,
    k: int = 5,
    *,
    weekday: bool = False,
) -> ExportReport:
    """Write the export of a fresh demo store (all partners consenting) into ``out_dir``.

    ``weekday`` adds the opt-in weekday column, as ``trust-workshop export --weekday`` does.
    """
    with tempfile.TemporaryDirectory(prefix="tw-demo-export-") as tmp:
        engine = create_store_engine(f"sqlite:///{Path(tmp) / 'demo.sqlite3'}")
        try:
            upgrade(engine)
            create_demo(engine, couples=couples, days=days, seed=seed)
            _consent_everyone(engine)
            key = Path(tmp) / "demo.key"
            fd = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as f:
                f.write(DEMO_KEY_HEX + "\n")
            return export_store(
                engine, out_dir, key, k=k, force=True, include_demo=True, weekday=weekday,
                today=EXPORT_DAY,
            )  # fmt: skip
        finally:
            engine.dispose()


def main(argv: list[str] | None = None) -> None:
    """Command-line entry: write a demo export."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    for name, value in DEMO_SIZE.items():
        parser.add_argument(f"--{name}", type=int, default=value)
    args = parser.parse_args(argv)
    report = export_demo(args.out, args.couples, args.days, args.seed)
    print(f"Wrote {report.rows_out} check-ins of {report.couples_exported} couples to {args.out}")


if __name__ == "__main__":
    main()
