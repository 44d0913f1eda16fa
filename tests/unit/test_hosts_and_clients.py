"""Which Host names a server answers, and who a request's client is."""

from __future__ import annotations

import pytest
from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine

from trust_widgets.server._client import (
    client_address,
    is_local,
    kernel_cookie_header,
    owner_digest,
    parse_networks,
)
from trust_widgets.server._hosts import AllowedHosts


def _request(remote: str, **headers: str) -> HTTPServerRequest:
    line = RequestStartLine("GET", "/", "HTTP/1.1")
    r = HTTPServerRequest(start_line=line, headers=HTTPHeaders({"Host": "127.0.0.1", **headers}))
    r.remote_ip = remote
    return r


@pytest.mark.parametrize(
    ("host", "ok"),
    [
        ("127.0.0.1:8866", True), ("localhost:8866", True), ("[::1]:8866", True),
        ("workshop.example", True), ("room.lan:8866", True), ("a.room.lan", True),
        ("rebind.evil.example", False), ("workshop.example.evil", False), ("10.0.0.9", False),
        ("", False), (None, False),
    ],
)  # fmt: skip
def test_allowed_hosts(host, ok):
    """Are loopback, --url and --allowed-host names answered, and nothing else?"""
    hosts = AllowedHosts("127.0.0.1", "http://workshop.example:8866/", [".room.lan"])
    assert hosts.allows(host) is ok


def test_any_address_when_listening_everywhere():
    """Listening on 0.0.0.0, is a typed address accepted (it cannot be rebound), a name not?"""
    hosts = AllowedHosts("0.0.0.0")
    assert hosts.allows("192.168.1.20:8866") and not hosts.allows("evil.example:8866")


def test_forwarded_for_counts_only_from_trusted_proxies():
    """Is X-Forwarded-For believed only from a trusted proxy, nearest untrusted hop first?"""
    proxies = parse_networks(["127.0.0.1", "10.0.0.0/8"])
    xff = "198.51.100.7, 203.0.113.5, 10.1.1.1"
    assert client_address(_request("127.0.0.1", **{"X-Forwarded-For": xff}), proxies) == (
        "203.0.113.5"
    )
    assert client_address(_request("192.0.2.1", **{"X-Forwarded-For": xff}), proxies) == (
        "192.0.2.1"
    )
    assert client_address(_request("127.0.0.1", **{"X-Forwarded-For": xff})) == "127.0.0.1"


def test_a_forwarded_request_is_never_this_computer():
    """Behind an untrusted proxy on this computer, is every client taken for it? No."""
    assert is_local(_request("127.0.0.1"))
    assert not is_local(_request("127.0.0.1", **{"X-Forwarded-For": "127.0.0.1"}))
    assert not is_local(_request("192.0.2.1"))
    trusted = parse_networks(["127.0.0.1"])
    assert not is_local(_request("127.0.0.1", **{"X-Forwarded-For": "192.0.2.9"}), trusted)


def test_owner_digests_and_kernel_cookies():
    """Does the owner change with the device or the sign-in, and do kernels get only theirs?"""
    cookies = "tw_tokens=t1.t2; tw_active=1; tw_facilitator=f; other=x"
    assert owner_digest(cookies, "d1") != owner_digest(cookies, "d2")
    assert owner_digest(cookies, "d1") != owner_digest("tw_tokens=t1.t2; tw_active=0", "d1")
    assert kernel_cookie_header(cookies, "couple") == "tw_tokens=t1.t2; tw_active=1"
    assert kernel_cookie_header(cookies, "facilitator") == "tw_facilitator=f"
    assert kernel_cookie_header(cookies, "none") == ""
    with pytest.raises(ValueError, match="not an IP"):
        parse_networks(["proxy.example"])
