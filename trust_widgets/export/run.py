"""The research export from start to finish: plan on partners, stream check-ins, write.

1. Partner-level pass (cheap: one row per partner): couples, consents, check-in counts.
   Decide who may be exported (both partners consent, not a demo workshop) and plan the
   k-anonymity generalisation on (workshop, region) over partners.
2. Check-in pass: couples in the order of their pseudonyms, a batch of couples per query,
   each batch turned into rows and appended to the CSV and Parquet files.
3. Data package, codebook and report; then the staged folder moves into place.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pyarrow as pa
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from .. import _clock
from ..suppression import MAX_K, MIN_K
from . import source
from ._owned import OWNED
from ._staging import check_destination, move_into_place, staged
from .codebook import codebook
from .datapackage import package_descriptor
from .errors import ExportError, ExportInputError
from .keys import default_key_path, key_fingerprint, load_or_create_key
from .plan import batches, plan_export
from .pseudonyms import Pseudonymiser
from .report import ExportReport
from .rows import checkin_rows
from .writers import CSV_NAME, CheckinWriter

# The kit's small-cell range: with k = 2 a group could be one couple, and the report's
# hidden counts (suppressed with the same k) could be counted back.
DEFAULT_K, K_RANGE = 5, (MIN_K, MAX_K)


def export_store(
    engine: Engine,
    out_dir: Path | str,
    key_file: Path | str | None = None,
    k: int = DEFAULT_K,
    force: bool = False,
    *,
    include_demo: bool = False,
    weekday: bool = False,
    today: date | None = None,
) -> ExportReport:
    """Export the store's consented, shared check-ins for research into ``out_dir``.

    Parameters
    ----------
    engine
        The store. It is only read.
    out_dir
        Destination folder: new, empty, or (with ``force``) holding an earlier export,
        whose files are replaced; other files there are left alone. With ``force``, a
        folder holding files under the export's names that no export wrote is refused.
    key_file
        The pseudonym key; created (mode 0600) if missing. Default :func:`default_key_path`.
    k
        Every (workshop, region) combination exported covers at least ``k`` partners
        (3-100), and every couple pattern ⌈k/2⌉ couples; the report hides counts below k of
        people not exported.
    include_demo
        Also export made-up demo workshops (for trying the export out).
    weekday
        Add the ``weekday`` column: the real ISO weekday of each check-in (1 = Monday). Off by
        default: it releases the weekday of each couple's first check-in. No export carries a
        calendar date.
    today
        The day that decides whether the current week's weekly commitments count yet.

    Raises
    ------
    ExportInputError
        An argument cannot be used; nothing was read or written.
    ExportError
        The export failed on the way; nothing was written to ``out_dir``.
    """
    k = _check_range(k, K_RANGE, "--k")
    if not isinstance(weekday, bool):  # a truthy "no" must not release weekdays
        raise ExportInputError("must be True or False", "--weekday")
    out_dir = Path(out_dir).expanduser().resolve()
    key_path = Path(key_file).expanduser().resolve() if key_file else default_key_path()
    if key_path == out_dir or out_dir in key_path.parents:
        raise ExportInputError(
            "the key file must not be inside the export folder: keep it apart", "--key-file"
        )
    check_destination(out_dir, force)
    source.check_store(engine)
    key, created = load_or_create_key(key_path)
    report = ExportReport(
        kit_version=_kit_version(),
        exported_at=datetime.now(UTC).isoformat(timespec="seconds"),
        key_fingerprint=key_fingerprint(key),
        key_created=created,
        k_requested=k,
        include_demo=include_demo,
        opt_in_columns=["weekday"] if weekday else [],
    )
    pseudonyms = Pseudonymiser(key)
    del key
    try:
        with staged(out_dir) as stage:
            _write(engine, stage, pseudonyms, report, today or _clock.today())
            move_into_place(stage, out_dir, force)
    except SQLAlchemyError as exc:
        raise ExportError(f"reading the store failed ({exc.__class__.__name__})") from None
    except OSError as exc:
        raise ExportError(f"writing the export failed: {exc.strerror or exc}") from None
    except pa.ArrowException as exc:
        raise ExportError(f"writing the export failed ({exc.__class__.__name__})") from None
    return report


def _check_range(value: object, bounds: tuple[int, int], option: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not bounds[0] <= value <= bounds[1]:
        raise ExportInputError(f"must be a whole number from {bounds[0]} to {bounds[1]}", option)
    return value


def _kit_version() -> str:
    try:
        return version("trust-widgets")
    except PackageNotFoundError:
        return "unknown"


def _write(
    engine: Engine, stage: Path, pseudonyms: Pseudonymiser, report: ExportReport, today: date
) -> None:
    with engine.connect() as conn:
        plan = plan_export(conn, pseudonyms, report)
        authors = {p.id for c in plan for p in c.partners}
        commitments = source.read_commitments(conn, authors)
        versions: Counter[str] = Counter()
        with CheckinWriter(stage, report.fields) as writer:
            columns = writer.columns
            for batch in batches(plan):
                rows = checkin_rows(conn, batch, commitments, today, report, versions, columns)
                writer.write(rows)
        report.rows_out = writer.rows
    report.instrument_versions = dict(sorted(versions.items()))
    report.files = [CSV_NAME, *writer.parquet_files, *OWNED[2:]]
    descriptor = package_descriptor(report, writer.parquet_files)
    (stage / "datapackage.json").write_text(json.dumps(descriptor, indent=2) + "\n", "utf-8")
    (stage / "codebook.md").write_text(codebook(report), "utf-8")
    (stage / "report.json").write_text(report.to_json(), "utf-8")
    (stage / "report.md").write_text(report.to_markdown(), "utf-8")
