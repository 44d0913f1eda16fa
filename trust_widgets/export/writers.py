"""Writing the check-ins table as one CSV file and as Parquet, Hive-partitioned by workshop.

Rows arrive in chunks already sorted by workshop, couple, partner_index and day_index, so
the CSV is appended to, and one Parquet file is open at a time: a workshop's rows are
contiguous. Memory stays at one chunk.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from .fields import PARTITION, Field

CSV_NAME = "checkins.csv"
PARQUET_DIR = "checkins"
_ARROW_TYPES = {"string": pa.string(), "integer": pa.int64()}


def arrow_schema(fields: Sequence[Field]) -> pa.Schema:
    """Return the Arrow schema of a table with ``fields``, in order."""
    return pa.schema([pa.field(f.name, _ARROW_TYPES[f.type]) for f in fields])


class CheckinWriter:
    """Append sorted chunks to ``checkins.csv`` and ``checkins/workshop=W-…/part-0.parquet``."""

    def __init__(self, folder: Path, fields: Sequence[Field]) -> None:
        self.folder = folder
        self.rows = 0
        self.parquet_files: list[str] = []  # relative to ``folder``, in POSIX form
        self.columns = tuple(f.name for f in fields)
        self._schema = arrow_schema(fields)
        self._parquet_schema = self._schema.remove(self._schema.get_field_index(PARTITION))
        self._csv_file = (folder / CSV_NAME).open("wb")
        self._csv_file.write((",".join(self.columns) + "\n").encode())
        # quoting 'none': every string is a pseudonym, a region or a key, none needs quotes,
        # and pyarrow refuses (rather than mis-writes) any value that would.
        self._csv = pa_csv.CSVWriter(
            self._csv_file,
            self._schema,
            write_options=pa_csv.WriteOptions(include_header=False, quoting_style="none"),
        )
        self._workshop: str | None = None
        self._parquet: pq.ParquetWriter | None = None

    def write(self, columns: dict[str, Sequence]) -> None:
        """Write one chunk given as equal-length sequences, one per column of the writer."""
        table = pa.Table.from_pydict(
            {name: columns[name] for name in self.columns}, schema=self._schema
        )
        if not table.num_rows:
            return
        self._csv.write_table(table)
        workshops = columns[PARTITION]
        # Rows are sorted by workshop: each one's first row, found by a scan in C.
        names = list(dict.fromkeys(workshops))
        starts = [workshops.index(name) for name in names] + [len(workshops)]
        for name, start, end in zip(names, starts, starts[1:], strict=False):
            self._write_parquet(name, table.slice(start, end - start))
        self.rows += table.num_rows

    def _write_parquet(self, workshop: str, part: pa.Table) -> None:
        if workshop != self._workshop:
            self._close_parquet()
            relative = f"{PARQUET_DIR}/{PARTITION}={workshop}/part-0.parquet"
            path = self.folder / relative
            if path.exists():
                raise RuntimeError("rows of one workshop arrived in two runs")  # a sorting bug
            path.parent.mkdir(parents=True)
            self._parquet = pq.ParquetWriter(path, self._parquet_schema, compression="zstd")
            self._workshop = workshop
            self.parquet_files.append(relative)
        assert self._parquet is not None
        self._parquet.write_table(part.drop_columns([PARTITION]))

    def _close_parquet(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
            self._parquet = None

    def close(self) -> None:
        """Finish both files; the writer cannot be used afterwards."""
        self._close_parquet()
        self._csv.close()
        self._csv_file.close()

    def __enter__(self) -> CheckinWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
