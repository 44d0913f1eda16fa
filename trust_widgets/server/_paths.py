"""Which notebook pages this server renders, and to whom.

One check, on the path as Voilà will open it: the URL path decoded once (by Tornado), never
decoded again. A ``%`` left after that one decoding, a backslash, an empty segment, a
``.`` or ``..`` segment or a hidden one is refused outright, so no spelling reaches a file
by another name; then the real path (symbolic links resolved) must be that very notebook
inside the served folder. The research notebooks are never served, and the new-workshop
page is served only to this computer.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..steps import NEW_WORKSHOP_NOTEBOOK

NOT_SERVED_FOLDERS = frozenset({"research"})

NEW_WORKSHOP = NEW_WORKSHOP_NOTEBOOK
NOTHING_HERE = "There is nothing at this address."
LOCAL_ONLY = "Workshops can be created only on the computer that runs the server."
NOT_SERVED = (
    "The research notebooks are not part of the workshop app. Open them in JupyterLab, or "
    "with voila on your own computer."
)


def served_page(path: str | None, root: str | Path) -> str | None:
    """Return the notebook a path names when this server renders it, else ``None``."""
    if not path or not path.endswith(".ipynb") or any(ch in path for ch in "%\\\x00?#"):
        return None
    parts = path.split("/")
    if any(not seg or seg.startswith(".") for seg in parts) or parts[0] in NOT_SERVED_FOLDERS:
        return None
    base = os.path.realpath(root)
    real = os.path.realpath(os.path.join(base, *parts))
    if os.path.relpath(real, base).replace(os.sep, "/") != path or not os.path.isfile(real):
        return None  # a link to elsewhere, or no such notebook
    return path


def page_kind(notebook: str | None) -> str:
    """Return which cookies a page's kernel gets: ``couple``, ``facilitator`` or ``none``."""
    if notebook == NEW_WORKSHOP:
        return "none"
    if (notebook or "").startswith("facilitator/"):
        return "facilitator"
    return "couple"


def refusal(path: str | None, root: str | Path, *, local: bool) -> tuple[int, str] | None:
    """Return (status, message) when this page must not be rendered for this client."""
    page = served_page(path, root)
    if page is None:
        lowered = (path or "").lower()
        research = lowered.startswith("research") or "/research" in lowered
        return 404, NOT_SERVED if research else NOTHING_HERE
    if page == NEW_WORKSHOP and not local:
        return 403, LOCAL_ONLY
    return None
