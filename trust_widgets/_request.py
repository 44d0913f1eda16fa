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
QUERY_SECRET_ENV = "TW_QUERY_SECRET"  # noqa: S105 (the name of a variable, not a secret)
CLIENT_ENV = "HTTP_X_TW_CLIENT"  # the client's digests, set by the server for each page
MAX_TOKENS = 2


@dataclass(frozen=True)
class DeviceSession:
    """The access tokens this browser holds, and which partner is using it now."""

    tokens: tuple[str, ...] = ()
    active: int = 0
    # A facilitator session opens a workshop's dashboard; it never signs anyone in as a
    # partner (see facilitator_sessions).
    facilitator_session: str | None = None

    @property
    def active_token(self) -> str | None:
        return self.tokens[self.active] if 0 <= self.active < len(self.tokens) else None


def wait_for_request() -> None:
    """Block a preheated kernel until Voilà hands it the request; no-op elsewhere.

    The kit's server opens that hand-over only to the kernel that holds its secret
    (``TW_QUERY_SECRET``), so the address carries it.
    """
    # Importing voila pulls in jupyter_server (seconds of start-up), and Voilà's helper
    # does nothing unless the kernel is preheated, so only import it then.
    if os.environ.get("VOILA_PREHEAT", "False") == "False":
        return
    from voila.utils import wait_for_request as _wait

    port = os.environ.get("VOILA_APP_PORT", "8866")
    server_url = os.environ.get("VOILA_SERVER_URL", "/")
    secret = os.environ.get(QUERY_SECRET_ENV, "-")
    _wait(f"ws://127.0.0.1:{port}{server_url}voila/query/{secret}")


def cookie_jar(header: str | None) -> dict[str, str]:
    """Read a raw ``Cookie`` header into names and values; the first of a name wins.

    Parsed by hand: :class:`http.cookies.SimpleCookie` stops at the first cookie it cannot
    read, so another app's odd cookie on the same host would sign the partner out.
    """
    jar: dict[str, str] = {}
    for part in (header or "").split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name not in jar:
            jar[name] = value.strip().strip('"')
    return jar


def parse_cookie_header(header: str) -> DeviceSession:
    """Read the kit's cookies from a raw ``Cookie`` header; anything malformed reads as none."""
    jar = cookie_jar(header)
    tokens = tuple(t for t in jar.get(COOKIE_TOKENS, "").split(".") if t)[:MAX_TOKENS]
    active = 1 if jar.get(COOKIE_ACTIVE) == "1" and len(tokens) > 1 else 0
    session = jar.get(COOKIE_FACILITATOR) or None
    return DeviceSession(tokens=tokens, active=active, facilitator_session=session)


def device_session() -> DeviceSession:
    """Return this page's device session from the forwarded request."""
    wait_for_request()
    return parse_cookie_header(os.environ.get("HTTP_COOKIE", ""))


def page_client() -> tuple[str | None, str | None]:
    """Return the digests of this page's client address and device, as the server saw them.

    The server names every page's client in ``X-Tw-Client`` (forwarded as
    ``HTTP_X_TW_CLIENT``) and drops any such header a browser sends; the code limits count
    wrong codes against these.
    """
    wait_for_request()
    address, _, device = os.environ.get(CLIENT_ENV, "").partition(" ")
    return (address or None, None if device in {"", "-"} else device)
