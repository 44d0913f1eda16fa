"""The attacks of the security review, as functions: used by ``tests/security`` and by
``benchmarks/attack.py``.

Every attack runs against a server on loopback that the caller started, with plain HTTP
and websocket clients (no browser), the way an attacker's script would. Every loop is
bounded in count and time.
"""

from __future__ import annotations

import asyncio
import http.client
import re
import secrets
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import websockets

from trust_widgets.identity import join_with_code, redeem_claim, start_couple
from trust_widgets.schemas import JoinRequest

LANDING = "/voila/render/00_welcome.ipynb"
STEP2 = "/voila/render/02_communicate_openly.ipynb"
DASHBOARD = "/voila/render/facilitator/dashboard.ipynb"
_KERNEL = re.compile(r'"kernelId": "([0-9a-f-]{36})"')


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def kernel_id(self) -> str | None:
        found = _KERNEL.search(self.body.decode("utf-8", "replace"))
        return found.group(1) if found else None


def request(
    base: str,
    path: str,
    *,
    method: str = "GET",
    cookies: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    timeout: float = 120,
) -> Response:
    """Send one request, following no redirect; return status, headers, body, cookies set."""
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    sent = dict(headers or {})
    if cookies:
        sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        body = urllib.parse.urlencode(form)
        sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent.setdefault("Origin", base)
    try:
        conn.request(method, path, body=body, headers=sent)
        r = conn.getresponse()
        data = r.read()
        set_cookies = {}
        for name, value in r.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                set_cookies[key.strip()] = rest.split(";", 1)[0].strip('"')
        return Response(r.status, {k.lower(): v for k, v in r.getheaders()}, data, set_cookies)
    finally:
        conn.close()


@dataclass
class Device:
    """A browser's cookie jar, without the browser."""

    base: str
    cookies: dict[str, str] = field(default_factory=dict)

    def get(self, path: str, **kwargs) -> Response:
        r = request(self.base, path, cookies=self.cookies, **kwargs)
        self.cookies.update({k: v for k, v in r.cookies.items() if v})
        return r

    def post(self, path: str, form: dict[str, str]) -> Response:
        return self.get(path, method="POST", form=form)


def signed_in_pair(base: str, engine, names: tuple[str, str]) -> tuple[Device, Device]:
    """A couple made through the kit's own functions, each partner signed in on a device."""
    started = start_couple(engine, names[0])
    a, b = Device(base), Device(base)
    a.get(LANDING)  # a real browser has its device cookie before it signs in
    b.get(LANDING)
    a.post("/tw/claim", {"code": started.claim_code})
    joined = join_with_code(engine, JoinRequest(code=started.invite_code, name=names[1]))
    b.post("/tw/claim", {"code": joined.claim_code})
    assert "tw_tokens" in a.cookies and "tw_tokens" in b.cookies
    return a, b


def claim_tokens(engine, name: str) -> list[str]:
    """Tokens for a new partner, as the server would mint them (for store-level checks)."""
    return redeem_claim(engine, start_couple(engine, name).claim_code)


async def _try_socket(base: str, kernel_id: str, cookies: dict[str, str], listen: float) -> str:
    """Open the kernel's websocket with these cookies: "refused", or what it received."""
    url = base.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels?session_id=x"
    headers = {"Origin": base}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    try:
        async with websockets.connect(url, additional_headers=headers, open_timeout=15) as ws:
            got = []
            try:
                while True:
                    got.append(await asyncio.wait_for(ws.recv(), listen))
            except (TimeoutError, websockets.ConnectionClosed):
                pass
            return "open:" + " ".join(m if isinstance(m, str) else m.hex() for m in got)
    except websockets.InvalidStatus as exc:
        return f"refused:{exc.response.status_code}"


def _run(coro):
    """Run a coroutine to its end on a loop of its own thread (Playwright's sync API may
    already run a loop in this one)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def try_socket(base: str, kernel_id: str, cookies: dict[str, str], listen: float = 1.0) -> str:
    """Synchronous :func:`_try_socket`."""
    return _run(_try_socket(base, kernel_id, cookies, listen))


@dataclass
class Flood:
    """What one cookie-less client got from requesting pages as fast as it could."""

    seconds: float
    requests: int
    statuses: dict[int, int]
    kernels: set[str]
    retry_after: set[str]


def anonymous_flood(
    base: str, seconds: float = 60, parallel: int = 8, pause: float = 0.05
) -> Flood:
    """Request the landing page, ``parallel`` at a time, with no cookie, for ``seconds``.

    Every page that renders starts a kernel and names it in its HTML, so the distinct
    kernel ids are the kernels this client started.
    """
    stop = time.monotonic() + seconds
    lock = threading.Lock()
    statuses: dict[int, int] = {}
    kernels: set[str] = set()
    retry: set[str] = set()
    count = [0]

    def worker() -> None:
        while time.monotonic() < stop:
            try:
                r = request(base, LANDING, timeout=max(1.0, stop - time.monotonic() + 30))
            except OSError:
                continue
            with lock:
                count[0] += 1
                statuses[r.status] = statuses.get(r.status, 0) + 1
                if r.kernel_id:
                    kernels.add(r.kernel_id)
                if "retry-after" in r.headers:
                    retry.add(r.headers["retry-after"])
            time.sleep(pause)

    t0 = time.monotonic()
    with ThreadPoolExecutor(parallel) as pool:
        for _ in range(parallel):
            pool.submit(worker)
    return Flood(time.monotonic() - t0, count[0], statuses, kernels, retry)


async def _silent(device: Device, kernel_id: str, limit: float) -> float:
    """Hold the kernel's websocket open, sending nothing; return how long the kernel ran."""
    base = device.base
    url = base.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels?session_id=x"
    cookie = "; ".join(f"{k}={v}" for k, v in device.cookies.items())
    t0 = time.monotonic()
    async with websockets.connect(
        url, additional_headers={"Origin": base, "Cookie": cookie}, open_timeout=15
    ) as ws:
        reader = asyncio.ensure_future(_drain(ws))  # read, never send
        try:
            while time.monotonic() - t0 < limit:
                await asyncio.sleep(1)
                route = await asyncio.to_thread(device.get, f"/api/kernels/{kernel_id}")
                if route.status == 404:  # the kernel has stopped
                    break
        finally:
            reader.cancel()
    return time.monotonic() - t0


async def _drain(ws) -> None:
    try:
        async for _ in ws:
            pass
    except websockets.ConnectionClosed:
        pass


def silent_kernel_lifetime(base: str, limit: float = 900) -> float:
    """Open a page, hold its kernel's websocket open and silent; return how long it lived."""
    device = Device(base)
    page = device.get(LANDING)
    assert page.kernel_id, page.status
    return _run(_silent(device, page.kernel_id, limit))


@dataclass
class Guesses:
    """What a run of wrong codes got: answered (checked) or refused by the limit."""

    answered: int
    limited: int
    retry_after: set[str]


def wrong_codes(base: str, path: str, field_name: str, attempts: int = 200) -> Guesses:
    """POST ``attempts`` random wrong codes to ``path`` from one cookie-less client."""
    answered = limited = 0
    retry: set[str] = set()
    for _ in range(attempts):
        r = request(base, path, method="POST", form={field_name: secrets.token_urlsafe(24)})
        if r.status == 429:
            limited += 1
            retry.add(r.headers.get("retry-after", ""))
        else:
            answered += 1
    return Guesses(answered, limited, retry)


# Each way round the page rules that the review found or that a careful attacker would try.
BYPASS_PATHS = (
    "/voila/render/a%252Fb/../research/01_trajectories.ipynb",
    "/voila/render/facilitator/a%252Fb/../new_workshop.ipynb",
    "/voila/render/research/01_trajectories.ipynb",
    "/voila/render//research/01_trajectories.ipynb",
    "/voila/render/%72esearch/01_trajectories.ipynb",
    "/voila/render/research%2F03_apim.ipynb",
    "/voila/render/./research/03_apim.ipynb",
    "/voila/api/contents",
    "/voila/api/contents/research",
    "/voila/tree/research",
    "/voila/files/research/01_trajectories.ipynb",
    "/api/kernels",
    "/api/sessions",
    "/voila/query/00000000-0000-0000-0000-000000000000",
)
REMOTE = {"X-Forwarded-For": "192.0.2.7"}  # a phone on the Wi-Fi, behind a proxy


def bypasses(base: str) -> dict[str, int]:
    """Try every bypass path; return the status each got (refused: 4xx, or a redirect)."""
    out = {path: request(base, path).status for path in BYPASS_PATHS}
    out["new workshop page, forwarded from another computer"] = request(
        base, "/voila/render/facilitator/new_workshop.ipynb", headers=REMOTE
    ).status
    out["Host: rebind.evil.example (DNS rebinding)"] = request(
        base, LANDING, headers={"Host": "rebind.evil.example"}
    ).status
    evil = "http://rebind.evil.example:" + str(urllib.parse.urlsplit(base).port)
    out["POST /tw/switch from a rebound host"] = request(
        base,
        "/tw/switch",
        method="POST",
        form={"to": "1"},
        headers={"Host": urllib.parse.urlsplit(evil).netloc, "Origin": evil},
    ).status
    return out


def refused(status: int) -> bool:
    """A status that shows nothing: an error, or a redirect to the landing page."""
    return status >= 400 or status in {301, 302, 303}
