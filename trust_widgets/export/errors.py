"""What can go wrong in an export, split by whose move it is to fix it."""

from __future__ import annotations


class ExportError(RuntimeError):
    """The export failed while running (the store, the disk); nothing was written."""


class ExportInputError(ValueError):
    """An argument cannot be used (store, key file, output folder, k, weekday).

    ``option`` names the command-line option, e.g. ``"--key-file"``. The message is safe to
    show: it never holds the key or anything a partner wrote.
    """

    def __init__(self, message: str, option: str | None = None) -> None:
        self.option = option
        super().__init__(message)
