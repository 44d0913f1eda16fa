"""Which ``Host`` names this server answers to: a guard against DNS rebinding.

A web page on another site cannot read this server's pages, unless its own domain is made
to point at this computer (DNS rebinding): then the browser sends that domain as ``Host``.
So the server answers only to names it knows: loopback names and addresses, the address
it listens on, this computer's own names, the host of ``--url``, and any ``--allowed-host``.
An address typed as digits cannot be rebound, so when the server listens on every
interface (``--host 0.0.0.0``), any IP address is accepted as ``Host`` too.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

from tornado.httputil import HTTPServerRequest, split_host_and_port
from tornado.routing import Matcher

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
WILDCARDS = frozenset({"", "0.0.0.0", "::", "[::]"})  # noqa: S104


def _name(host: str) -> str:
    host = host.strip().lower().rstrip(".")
    if host.startswith("["):
        host = host[1 : host.find("]")] if "]" in host else host[1:]
    return host


def _ip(host: str):
    try:
        return ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return None


def host_of(value: str) -> str:
    """Return the host name in a ``Host`` header or URL, lower-case, without its port."""
    if "//" in value:
        value = urlsplit(value).netloc
    value = value.rsplit("@", 1)[-1]
    if value.startswith("["):
        return _name(value)
    host, _port = split_host_and_port(value) if value.count(":") == 1 else (value, None)
    return _name(host)


class AllowedHosts:
    """The set of acceptable ``Host`` names for one server.

    Parameters
    ----------
    listen
        The address the server listens on (``--host``).
    url
        The address couples are given (``--url``), if any.
    extra
        More names (``--allowed-host``); a leading ``.`` allows every subdomain.
    """

    def __init__(self, listen: str, url: str | None = None, extra: Iterable[str] = ()) -> None:
        self.any_ip = _name(listen) in {_name(w) for w in WILDCARDS}
        names = set(LOOPBACK_NAMES)
        if not self.any_ip:
            names.add(_name(listen))
        names.update(self._own_names())
        if url:
            names.add(host_of(url))
        self.suffixes = tuple(_name(e) for e in extra if e.strip().startswith("."))
        names.update(_name(e) for e in extra if e.strip() and not e.strip().startswith("."))
        self.names = frozenset(n for n in names if n)

    @staticmethod
    def _own_names() -> set[str]:
        try:
            host = socket.gethostname()
        except OSError:  # pragma: no cover - no host name at all
            return set()
        return {_name(host), _name(host) + ".local"}

    def allows(self, host_header: str | None) -> bool:
        """Tell whether a request's ``Host`` header names this server."""
        if not host_header:
            return False
        host = host_of(host_header)
        ip = _ip(host)
        if ip is not None:
            return ip.is_loopback or self.any_ip or host in self.names
        return host in self.names or any(
            host.endswith(s) or host == s.lstrip(".") for s in self.suffixes
        )


class UnknownHost(Matcher):
    """Matches the requests whose ``Host`` this server does not answer to."""

    def __init__(self, hosts: AllowedHosts) -> None:
        self.hosts = hosts

    def match(self, request: HTTPServerRequest) -> dict | None:
        return None if self.hosts.allows(request.headers.get("Host")) else {}
