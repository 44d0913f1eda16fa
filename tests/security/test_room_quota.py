"""One visitor cannot fill the room: kernel quotas, kernels nobody uses, trusted proxies.

These servers keep the kit's default quotas: 6 page kernels per device, 12 per address.
"""

from __future__ import annotations

import time

from tests.security._attacks import (
    LANDING,
    Device,
    anonymous_flood,
    request,
    silent_kernel_lifetime,
)
from trust_widgets.server._quota import (
    CONNECT_SECONDS,
    DEFAULT_PER_ADDRESS,
    DEFAULT_PER_DEVICE,
    LOADING_SECONDS,
)


def _gone(served, device: Device, kernel: str, within: float) -> float | None:
    """Seconds until the kernel's own route says it has stopped, or None if it never did."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < within:
        if device.get(f"/api/kernels/{kernel}").status == 404:
            return time.monotonic() - t0
        time.sleep(1)
    return None


def test_one_anonymous_client_starts_at_most_its_quota(own_server):
    """Can a cookie-less client that only requests pages start more kernels than its quota? No."""
    served = own_server()
    flood = anonymous_flood(served.base, seconds=40, parallel=8)
    assert 0 < len(flood.kernels) <= DEFAULT_PER_ADDRESS, flood
    assert flood.statuses.get(429, 0) > 0 and flood.retry_after == {"60"}, flood


def test_a_kernel_nobody_connects_to_stops(own_server):
    """Does a page kernel whose page never connects keep its memory? No: it stops in a minute."""
    served = own_server()
    device = Device(served.base)
    kernel = device.get(LANDING).kernel_id
    assert device.get(f"/api/kernels/{kernel}").status == 200
    waited = _gone(served, device, kernel, within=CONNECT_SECONDS + 30)
    assert waited is not None and waited <= CONNECT_SECONDS + 30


def test_a_page_that_says_it_is_loading_gets_more_time_and_no_more(own_server):
    """Does a kernel whose own browser says "still loading" outlive the 30 s, while the same
    words from another device change nothing, and is it still stopped in the end?"""
    served = own_server()
    device, stranger = Device(served.base), Device(served.base)
    mine = device.get(LANDING).kernel_id
    theirs = device.get(LANDING).kernel_id
    assert device.get(f"/tw/loading/{mine}").status == 204
    assert stranger.get(f"/tw/loading/{theirs}").status == 204  # says nothing either way
    assert _gone(served, device, theirs, within=CONNECT_SECONDS + 30) is not None
    assert device.get(f"/api/kernels/{mine}").status == 200  # past 30 s: still there
    waited = _gone(served, device, mine, within=LOADING_SECONDS)
    assert waited is not None


def test_a_silent_connected_kernel_is_culled(own_server):
    """Does a websocket held open but silent keep a kernel for ever? No: it is culled when idle."""
    served = own_server("--cull-idle", "10")
    lived = silent_kernel_lifetime(served.base, limit=120)
    assert lived < 10 + 5 + 20, lived  # idle time, one cull interval, and some slack


def test_one_device_holds_at_most_its_quota(own_server):
    """Can one device open more page kernels than a shared device with a few tabs needs? No."""
    served = own_server("--kernels-per-address", "0")
    device = Device(served.base)
    pages = [device.get(LANDING) for _ in range(DEFAULT_PER_DEVICE)]
    assert all(p.status == 200 and p.kernel_id for p in pages)
    over = device.get(LANDING)
    assert over.status == 429 and over.headers["retry-after"] == "60"
    assert b"close the tabs" in over.body and b"Quick exit" in over.body
    assert Device(served.base).get(LANDING).status == 200  # another device still gets in


def test_forwarded_addresses_count_only_from_a_trusted_proxy(own_server):
    """Does X-Forwarded-For name the client? Only when it comes from a proxy named as trusted."""
    trusting = own_server("--kernels-per-address", "2", "--trusted-proxy", "127.0.0.1")
    for address in ("198.51.100.1", "198.51.100.2"):
        hop = {"X-Forwarded-For": f"203.0.113.9, {address}"}  # the nearest hop is the client
        assert [request(trusting.base, LANDING, headers=hop).status for _ in range(3)] == [
            200, 200, 429,
        ]  # fmt: skip
    plain = own_server("--kernels-per-address", "2")
    statuses = [
        request(plain.base, LANDING, headers={"X-Forwarded-For": f"198.51.100.{i}"}).status
        for i in range(3)
    ]
    assert statuses == [200, 200, 429]  # the header is the client's own say-so: ignored
