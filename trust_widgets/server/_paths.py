"""Which notebook pages this server refuses to render, and to whom.

Decided on the notebook path as Voilà will resolve it (percent-decoded, ``.``, ``..`` and
doubled slashes folded), never on the raw URL, which can be spelt many ways.
"""

from __future__ import annotations

import ipaddress
import posixpath
from urllib.parse import unquote

NEW_WORKSHOP = "facilitator/new_workshop.ipynb"
LOCAL_ONLY = "Workshops can be created only on the computer that runs the server."
NOT_SERVED = (
    "The research notebooks are not part of the workshop app. Open them in JupyterLab, or "
    "with voila on your own computer."
)


def normalise(path: str | None) -> str:
    """Return a notebook path relative to the served folder, as the file system sees it."""
    return posixpath.normpath("/" + unquote(path or "")).lstrip("/")


def is_loopback(address: str | None) -> bool:
    """Tell whether a client address is this machine."""
    try:
        return ipaddress.ip_address((address or "").split("%")[0]).is_loopback
    except ValueError:
        return False


def refusal(path: str | None, remote_ip: str | None) -> tuple[int, str] | None:
    """Return (status, message) when this page must not be rendered for this client."""
    where = normalise(path)
    if where == "research" or where.startswith("research/"):
        return 404, NOT_SERVED
    if where == NEW_WORKSHOP and not is_loopback(remote_ip):
        return 403, LOCAL_ONLY
    return None
