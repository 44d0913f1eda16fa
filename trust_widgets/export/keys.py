"""The pseudonym key: a secret file, made once, kept apart from every export.

The key is 32 random bytes from :mod:`secrets`, stored as hex in a file only its owner may
read (mode 0600). It is never printed, logged or written into an export: whoever holds it
can recompute the pseudonyms of known workshops, couples and partners, so it stays with the
person who runs the export. The same key gives the same pseudonyms in every later export,
so exports can be linked over time; a new key unlinks them.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

from platformdirs import user_data_path

from ..config import APP_NAME
from .errors import ExportInputError

KEY_BYTES = 32
KEY_FILE_NAME = "research-export.key"
_FINGERPRINT_MESSAGE = b"trust-workshop/key-fingerprint"


def default_key_path() -> Path:
    """Return the default key file: in the user data folder, next to the default store."""
    return user_data_path(APP_NAME, appauthor=False) / KEY_FILE_NAME


def key_fingerprint(key: bytes) -> str:
    """Return 16 hex characters that tell keys apart without revealing them.

    Two exports with the same fingerprint used the same key, so their pseudonyms match.
    """
    return hmac.new(key, _FINGERPRINT_MESSAGE, hashlib.sha256).hexdigest()[:16]


def load_or_create_key(path: Path) -> tuple[bytes, bool]:
    """Return the key in ``path`` and whether it was just created.

    A missing file is created with a fresh key, mode 0600 (its folder 0700 if new).

    Raises
    ------
    ExportInputError
        The file cannot be read, is not a key, or others may read it.
    """
    path = Path(path).expanduser()
    if not path.exists() and not path.is_symlink():
        try:
            return _create(path), True
        except FileExistsError:
            pass  # another export made it just now: use that one
    return read_key(path), False


def _create(path: Path) -> bytes:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise ExportInputError(
            f"cannot create the folder for the key file {path.parent}: {exc.strerror}",
            "--key-file",
        ) from None
    key = secrets.token_bytes(KEY_BYTES)
    # O_EXCL: never overwrite a key that appeared meanwhile; 0600 from the first byte on.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise
    except OSError as exc:
        raise ExportInputError(
            f"cannot create the key file {path}: {exc.strerror}", "--key-file"
        ) from None
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key.hex() + "\n")
    return key


def read_key(path: Path) -> bytes:
    """Read and check the key in ``path`` (see :func:`load_or_create_key`)."""
    path = Path(path).expanduser()
    try:
        info = path.stat()
    except OSError as exc:
        raise ExportInputError(
            f"cannot read the key file {path}: {exc.strerror}", "--key-file"
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise ExportInputError(f"the key file {path} is not a regular file", "--key-file")
    if os.name == "posix" and info.st_mode & 0o077:
        mode = stat.S_IMODE(info.st_mode)
        raise ExportInputError(
            f"the key file {path} can be read or changed by other users (mode {mode:04o}); "
            f"make it private with: chmod 600 {path}",
            "--key-file",
        )
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not a text file"
        raise ExportInputError(f"cannot read the key file {path}: {reason}", "--key-file") from None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) < KEY_BYTES:
        # Never echo the content: it may be a secret in the wrong format.
        raise ExportInputError(
            f"the key file {path} does not hold a key ({KEY_BYTES * 2} or more hex "
            "characters); move it away to have a new key made",
            "--key-file",
        )
    return key
