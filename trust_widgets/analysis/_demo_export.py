"""A stand-in research export of the demo simulation, written straight in the export format.

The analysis tests use it as a fast fixture (no store involved); it follows the agreed format
(``notebooks/research/README.md``) column for column, the opt-in ``weekday`` included when
asked for. The bundled ``data/demo-export/`` is written by the real exporter instead
(:mod:`trust_widgets.export.demo`).

Run ``python -m trust_widgets.analysis._demo_export DIR [--couples N --days D --seed S]``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import hmac
import json
from datetime import timedelta
from pathlib import Path

from .. import __version__, _synth
from ._format import COLUMNS, CSV_NAME, ITEMS, OPTIONAL, PARQUET_DIR, PRIMARY_KEY, SORT

# Public on purpose: it keys the pseudonyms of made-up couples only. Real exports use a
# secret key kept apart from the export.
DEMO_KEY = b"trust-workshop demo export: synthetic couples only"
DEMO_SIZE = {"couples": 16, "days": 91, "seed": 1}  # as the bundled data/demo-export/
FIELDS = {
    "workshop": ("string", "Keyed pseudonym of the workshop (W- + 16 hex).", {}),
    "couple": ("string", "Keyed pseudonym of the couple (C- + 16 hex).", {}),
    "partner": ("string", "Keyed pseudonym of the partner (P- + 16 hex).", {}),
    "partner_index": ("integer", "1 or 2: order in which partners joined. No role meaning.",
                      {"enum": [1, 2]}),
    "region": ("string", "Generalised region of the help-resource list; * where suppressed.", {}),
    "day_index": ("integer", "Days since the couple's first exported check-in (unit: day).",
                  {"minimum": 0}),
    "weekday": ("integer", "ISO weekday of the real check-in day, 1 = Monday (opt-in).",
                {"minimum": 1, "maximum": 7}),
    "instrument_version": ("string", "Check-in instrument.", {}),
    **{item: ("integer", f"Rating of {item}, 0-10 (unit: points; "
              f"{'higher = more anxious' if item == 'anxiety' else 'higher = better'}).",
              {"minimum": 0, "maximum": 10}) for item in ITEMS},
    "commitments_due": ("integer", "Commitments due that day (unit: count).", {"minimum": 0}),
    "commitments_kept": ("integer", "Commitments kept that day, of those due (unit: count).",
                         {"minimum": 0}),
}  # fmt: skip
QUASI_IDENTIFIERS = ["workshop", "region"]


def _pseudonym(prefix: str, value: str, key: bytes) -> str:
    return prefix + hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:16]


def _columns(weekday: bool) -> list[str]:
    out = list(COLUMNS)
    if weekday:
        out.insert(out.index(OPTIONAL["weekday"]) + 1, "weekday")
    return out


def demo_rows(couples: int, days: int, seed: int, *, workshops: int = 1,
              key: bytes = DEMO_KEY, weekday: bool = False) -> list[dict]:  # fmt: skip
    """Return the simulation's check-ins as export rows (dicts keyed by the format's columns).

    With ``weekday``, each row also has the ISO weekday of its real (simulated) day.
    """
    rows = []
    for sc in _synth.simulate(couples, days, seed):
        days_in = [ci.day_index for sp in sc.partners for ci in sp.checkins]
        if not days_in:
            continue
        first = min(days_in)
        workshop = _pseudonym("W-", f"workshop:demo-{sc.index % workshops}", key)
        couple = _pseudonym("C-", f"couple:{seed}:{sc.index}", key)
        for slot, sp in enumerate(sc.partners):
            partner = _pseudonym("P-", f"partner:{seed}:{sc.index}:{slot}", key)
            for ci in sp.checkins:
                row = {
                    "workshop": workshop, "couple": couple, "partner": partner,
                    "partner_index": slot + 1, "region": "intl",
                    "day_index": ci.day_index - first,
                    "instrument_version": _synth.INSTRUMENT_VERSION,
                    **{item: ci.ratings[item] for item in ITEMS},
                    "commitments_due": len(ci.due), "commitments_kept": len(ci.kept),
                }  # fmt: skip
                if weekday:
                    day = _synth.DEMO_START + timedelta(days=ci.day_index)
                    row["weekday"] = day.isoweekday()
                rows.append(row)
    rows.sort(key=lambda r: tuple(r[c] for c in SORT))
    return rows


def _package(couples: int, days: int, seed: int, columns: list[str]) -> dict:
    fields = [
        {"name": n, "type": t, "description": d, "constraints": {"required": n not in ITEMS
         and not n.startswith("commitments"), **c}}
        for n, (t, d, c) in FIELDS.items() if n in columns
    ]  # fmt: skip
    return {
        "profile": "tabular-data-package",
        "name": "trust-workshop-research-export",
        "title": "Trust Workshop Kit: research export (synthetic demo couples)",
        "description": "Made-up couples from the demo simulation (docs/demo-data.md: actor "
        f"{_synth.ACTOR}, partner {_synth.PARTNER}), written by the analysis package's stand-in "
        f"writer: python -m trust_widgets.analysis._demo_export DIR --couples {couples} "
        f"--days {days} --seed {seed}. The same rows are in checkins/ as Parquet.",
        "resources": [{
            "name": "checkins", "path": CSV_NAME, "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "schema": {"fields": fields, "primaryKey": list(PRIMARY_KEY),
                       "missingValues": [""]},
            "quasiIdentifiers": QUASI_IDENTIFIERS,
        }],
    }  # fmt: skip


def _write_parquet(rows: list[dict], folder: Path, columns: list[str]) -> list[Path]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {
        "partner_index": pa.int64(),
        "day_index": pa.int64(),
        "weekday": pa.int64(),
        **dict.fromkeys((*ITEMS, "commitments_due", "commitments_kept"), pa.int64()),
    }
    schema = pa.schema([(c, types.get(c, pa.string())) for c in columns if c != "workshop"])
    out = []
    for workshop in sorted({r["workshop"] for r in rows}):
        part = [r for r in rows if r["workshop"] == workshop]
        cols = {c: [r[c] for r in part] for c in schema.names}
        path = folder / f"workshop={workshop}" / "part-0.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.table(cols, schema=schema), path)
        out.append(path)
    return out  # fmt: skip


def write_demo_export(out_dir: Path, couples: int = 16, days: int = 91, seed: int = 1, *,
                      workshops: int = 1, parquet: bool = True,
                      weekday: bool = False) -> list[Path]:  # fmt: skip
    """Write a demo export (CSV, Parquet, datapackage.json, codebook, report) into ``out_dir``.

    With ``weekday``, the export has the opt-in ``weekday`` column, as ``--weekday`` gives.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = demo_rows(couples, days, seed, workshops=workshops, weekday=weekday)
    columns = _columns(weekday)
    csv_path = out_dir / CSV_NAME
    with csv_path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    written = [csv_path]
    if parquet:
        written += _write_parquet(rows, out_dir / PARQUET_DIR, columns)
    package = _package(couples, days, seed, columns)
    report = {
        "synthetic": True, "rows_in": len(rows), "rows_out": len(rows), "rows_suppressed": 0,
        "k_achieved": None, "couples": len({r["couple"] for r in rows}),
        "instrument_versions": sorted({r["instrument_version"] for r in rows}),
        "kit_version": __version__,
        "writer": "trust_widgets.analysis._demo_export (stand-in for trust-workshop export)",
    }  # fmt: skip
    codebook = ["# Codebook: check-ins (synthetic demo export)", "", package["description"], "",
                "| column | type | meaning |", "| --- | --- | --- |",
                *[f"| {n} | {t} | {d} |" for n, (t, d, _) in FIELDS.items() if n in columns],
                ""]  # fmt: skip
    texts = {
        "datapackage.json": json.dumps(package, indent=2) + "\n",
        "report.json": json.dumps(report, indent=2) + "\n",
        "report.md": "# Export report (synthetic demo)\n\n"
        + "".join(f"- {k}: {v}\n" for k, v in report.items()),
        "codebook.md": "\n".join(codebook),
    }
    for name, text in texts.items():
        (out_dir / name).write_text(text, encoding="utf-8")
        written.append(out_dir / name)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic research export.")
    parser.add_argument("out", type=Path)
    for name, default in DEMO_SIZE.items():
        parser.add_argument(f"--{name}", type=int, default=default)
    args = parser.parse_args(argv)
    write_demo_export(args.out, args.couples, args.days, args.seed)


if __name__ == "__main__":
    main()
