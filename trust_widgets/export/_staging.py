"""Write an export into a hidden folder next to its destination, then move it into place.

A failed export leaves nothing behind, and ``--force`` replaces only the export's own files
(anything else in the folder is left alone), putting the old ones back if the swap fails.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import ExportInputError


def check_destination(out_dir: Path, owned: Iterable[str], force: bool) -> None:
    """Refuse a destination that is a file, or a folder with content, unless ``force``."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportInputError(f"{out_dir} is a file, not a folder", "--out")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not force:
        kept = [n for n in owned if (out_dir / n).exists()]
        hint = " (it holds an earlier export)" if kept else ""
        raise ExportInputError(
            f"the folder {out_dir} is not empty{hint}; choose another folder, or add --force "
            "to replace the export's files in it",
            "--out",
        )


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


def move_into_place(stage: Path, out_dir: Path, owned: Iterable[str]) -> None:
    """Move the staged export to ``out_dir``, replacing only the names in ``owned``."""
    if not out_dir.exists():
        stage.rename(out_dir)  # one atomic step
        stage.mkdir()  # so that ``staged`` has something to remove
        return
    backup = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    moved_out: list[str] = []
    moved_in: list[str] = []
    done = False
    try:
        for name in owned:
            if (out_dir / name).exists() or (out_dir / name).is_symlink():
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
