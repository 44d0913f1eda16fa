"""Write an export into a hidden folder next to its destination, then move it into place.

A failed export leaves nothing behind. ``--force`` replaces an earlier export only (see
:mod:`._owned`): the folder is checked before the export runs and again just before the swap,
anything else in it is left alone, and the old files come back if the swap fails.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ._owned import check_replaceable, foreign, present
from .errors import ExportInputError


def check_destination(out_dir: Path, force: bool) -> None:
    """Refuse a file, or a folder with content unless ``force`` and any export in it is ours."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportInputError(f"{out_dir} is a file, not a folder", "--out")
    if not out_dir.is_dir() or not any(out_dir.iterdir()):
        return
    if force:
        check_replaceable(out_dir)
        return
    names, found = present(out_dir), foreign(out_dir)
    if names and not found:
        detail = "holds an earlier export; add --force to replace it (other files stay)"
    elif names:
        detail = f"is not empty and holds files the export did not write ({found[0]})"
    else:
        detail = "is not empty; add --force to put the export beside the files in it"
    raise ExportInputError(f"the folder {out_dir} {detail}, or choose another folder", "--out")


@contextmanager
def staged(out_dir: Path) -> Iterator[Path]:
    """Yield an empty hidden folder beside ``out_dir``; it is removed whatever happens."""
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.export-", dir=out_dir.parent))
    except OSError as exc:
        raise ExportInputError(f"cannot write next to {out_dir}: {exc.strerror}", "--out") from None
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def move_into_place(stage: Path, out_dir: Path, force: bool) -> None:
    """Move the staged export to ``out_dir``, replacing only an earlier export's files."""
    if not out_dir.exists():
        stage.rename(out_dir)  # one atomic step
        stage.mkdir()  # so that ``staged`` has something to remove
        return
    # Again: the folder may have changed while the export ran.
    if not force and present(out_dir):
        raise ExportInputError(f"files appeared in {out_dir} during the export", "--out")
    check_replaceable(out_dir)
    backup = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    moved_out: list[str] = []
    moved_in: list[str] = []
    done = False
    try:
        for name in present(out_dir):
            (out_dir / name).rename(backup / name)
            moved_out.append(name)
        for entry in sorted(stage.iterdir()):
            entry.rename(out_dir / entry.name)
            moved_in.append(entry.name)
        done = True
    except OSError:
        for name in moved_in:  # undo: the old export comes back whole
            _remove(out_dir / name)
        for name in moved_out:
            (backup / name).rename(out_dir / name)
        raise
    finally:
        # Keep the backup only if putting the old files back failed: nothing is lost.
        if done or not any(backup.iterdir()):
            shutil.rmtree(backup, ignore_errors=True)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
