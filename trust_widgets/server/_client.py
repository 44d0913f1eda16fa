"""Who is asking: the client's address, its device cookie, and whom a page's kernel serves.

- **Address.** The connection's own address, unless it comes from a reverse proxy named
  with ``--trusted-proxy``: then the nearest address in ``X-Forwarded-For`` that is not a
  trusted proxy. A forwarding header from anyone else is ignored (it is the client's own
  say-so), and a request that carries one is never taken for this computer.
- **Device.** ``tw_device``, a random HttpOnly cookie set on the first page a browser opens.
  It ties a page's kernel to the browser that opened the page, signed in or not, and names
  the device in the kernel quota and the code limits.
- **Owner.** A digest of the device and of the sign-in cookies (the partner tokens, the
  active partner, the facilitator session) as they were when the page was requested. Its
  kernel answers only a websocket whose cookies give the same digest.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from tornado.httputil import HTTPServerRequest

from .._request import COOKIE_ACTIVE, COOKIE_FACILITATOR, COOKIE_TOKENS, cookie_jar

COOKIE_DEVICE = "tw_device"
DEVICE_BYTES = 32
_DEVICE_RE = re.compile(r"[A-Za-z0-9_-]{43}")
FORWARDING_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-Ip")
# The cookies each kind of page's kernel receives; the rest stay on the server.
KERNEL_COOKIES = {
    "couple": (COOKIE_TOKENS, COOKIE_ACTIVE),
    "facilitator": (COOKIE_FACILITATOR,),
    "none": (),
}

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """Parse trusted proxy addresses or networks (``10.0.0.5``, ``10.0.0.0/8``, ``::1``).

    Raises
    ------
    ValueError
        With the value that is not an address or network.
    """
    out = []
    for value in values:
        try:
            out.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ValueError(f"{value!r} is not an IP address or network.") from None
    return tuple(out)


def _ip(value: str | None):
    try:
        return ipaddress.ip_address((value or "").strip().strip("[]").split("%")[0])
    except ValueError:
        return None


def _trusted(address: str | None, proxies: tuple[Network, ...]) -> bool:
    ip = _ip(address)
    return ip is not None and any(ip in net for net in proxies)


def is_loopback(address: str | None) -> bool:
    """Tell whether a client address is this machine."""
    ip = _ip(address)
    if ip is not None and getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    return bool(ip is not None and ip.is_loopback)


def client_address(request: HTTPServerRequest, proxies: tuple[Network, ...] = ()) -> str:
    """Return the client's address, looking through trusted proxies only."""
    address = request.remote_ip or ""
    if not _trusted(address, proxies):
        return address
    hops = [h.strip() for h in request.headers.get("X-Forwarded-For", "").split(",") if h.strip()]
    for hop in reversed(hops):  # nearest first: each proxy appends the address it saw
        if not _trusted(hop, proxies):
            return hop if _ip(hop) is not None else address
    return hops[0] if hops else address


def is_local(request: HTTPServerRequest, proxies: tuple[Network, ...] = ()) -> bool:
    """Tell whether the request comes from this computer's own browser.

    A request forwarded by a proxy that is not trusted is never local: behind a reverse
    proxy on this computer, every client would otherwise look like this computer.
    """
    forwarded = any(request.headers.get(h) for h in FORWARDING_HEADERS)
    if forwarded and not _trusted(request.remote_ip, proxies):
        return False
    return is_loopback(client_address(request, proxies))


def device_cookie(request: HTTPServerRequest) -> str | None:
    """Return the request's device id, or ``None`` when it has none (or a malformed one)."""
    value = cookie_jar(request.headers.get("Cookie", "")).get(COOKIE_DEVICE, "")
    return value if _DEVICE_RE.fullmatch(value) else None


def new_device_id() -> str:
    """Return a fresh device id (256 bits from :mod:`secrets`)."""
    return secrets.token_urlsafe(DEVICE_BYTES)


def owner_digest(cookie_header: str | None, device: str | None) -> str:
    """Return the digest of whom a page serves: its device and its sign-in cookies."""
    jar = cookie_jar(cookie_header)
    parts = [
        device or "",
        *(jar.get(n, "") for n in (COOKIE_TOKENS, COOKIE_ACTIVE, COOKIE_FACILITATOR)),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def kernel_cookie_header(cookie_header: str | None, kind: str) -> str:
    """Return the ``Cookie`` header a page's kernel sees: only the cookies its page needs."""
    jar = cookie_jar(cookie_header)
    return "; ".join(f"{n}={jar[n]}" for n in KERNEL_COOKIES[kind] if n in jar)


@dataclass(frozen=True)
class ClientKeys:
    """Digests that name a client in the kernel quota and the code limits."""

    address: str
    device: str | None

    def header(self) -> str:
        """The value of the ``X-Tw-Client`` header a page's kernel reads."""
        return f"{self.address} {self.device or '-'}"


def client_keys(address: str, device: str | None) -> ClientKeys:
    """Return the client's digests (an address or device id never leaves the server)."""

    def digest(kind: str, value: str | None) -> str | None:
        return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest() if value else None

    return ClientKeys(address=digest("address", address) or "", device=digest("device", device))
