"""What the kernel knows of the browser request that opened its page.

Voilà forwards the ``Cookie`` header to the kernel as ``HTTP_COOKIE`` (the server sets
``http_header_envs``). A preheated kernel runs before any request exists, so it must call
:func:`voila.utils.wait_for_request` first; on a normal kernel that call returns at once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

COOKIE_TOKENS = "tw_tokens"
COOKIE_ACTIVE = "tw_active"
COOKIE_FACILITATOR = "tw_facilitator"
MAX_TOKENS = 2


@dataclass(frozen=True)
class DeviceSession:
    """The access tokens this browser holds, and which partner is using it now."""

    tokens: tuple[str, ...] = ()
    active: int = 0
    # A facilitator key opens a workshop's dashboard; it never signs anyone in as a partner.
    facilitator_key: str | None = None

    @property
    def active_token(self) -> str | None:
        return self.tokens[self.active] if 0 <= self.active < len(self.tokens) else None


def wait_for_request() -> None:
    """Block a preheated kernel until Voilà hands it the request; no-op elsewhere."""
    # Importing voila pulls in jupyter_server (seconds of start-up), and Voilà's helper
    # does nothing unless the kernel is preheated, so only import it then.
    if os.environ.get("VOILA_PREHEAT", "False") == "False":
        return
    from voila.utils import wait_for_request as _wait

    _wait()


def parse_cookie_header(header: str) -> DeviceSession:
    """Read the kit's cookies from a raw ``Cookie`` header; anything malformed reads as none.

    Parsed by hand: :class:`http.cookies.SimpleCookie` stops at the first cookie it cannot
    read, so another app's odd cookie on the same host would sign the partner out.
    """
    jar: dict[str, str] = {}
    for part in (header or "").split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name not in jar:
            jar[name] = value.strip().strip('"')
    tokens = tuple(t for t in jar.get(COOKIE_TOKENS, "").split(".") if t)[:MAX_TOKENS]
    active = 1 if jar.get(COOKIE_ACTIVE) == "1" and len(tokens) > 1 else 0
    key = jar.get(COOKIE_FACILITATOR) or None
    return DeviceSession(tokens=tokens, active=active, facilitator_key=key)


def device_session() -> DeviceSession:
    """Return this page's device session from the forwarded request."""
    wait_for_request()
    return parse_cookie_header(os.environ.get("HTTP_COOKIE", ""))
