"""The doors around the kit's routes: paths, listings, hosts and headers.

Every way round the page rules is refused; there is no file listing; only known ``Host``
names are answered (DNS rebinding); every response carries a Content-Security-Policy that
forbids framing, and pages run only their own scripts, in a real Chromium too.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.security._attacks import LANDING, STEP2, Device, bypasses, refused, request
from tests.security.conftest import ALLOWED_HOST
from tests.ui.conftest import READY_MS, start_own


def test_every_bypass_path_is_refused(secure_server):
    """Does any spelling reach a research notebook, a listing or the new-workshop page? No."""
    statuses = bypasses(secure_server.base)
    shown = {what: status for what, status in statuses.items() if not refused(status)}
    assert not shown, shown
    assert statuses["/voila/api/contents"] == 404
    assert statuses["/voila/api/contents/research"] == 404


def test_the_new_workshop_page_still_opens_here(secure_server):
    """Does the server's own computer still get the new-workshop page?"""
    page = request(secure_server.base, "/voila/render/facilitator/new_workshop.ipynb")
    assert page.status == 200 and page.kernel_id


@pytest.mark.parametrize(
    "host",
    ["rebind.evil.example", "rebind.evil.example:8866", "10.11.12.13", "evil.workshop.example"],
)
def test_unknown_hosts_get_nothing(secure_server, host):
    """Does the server answer a Host name that is not its own? No: 421, and no page."""
    for method, path, form in (("GET", LANDING, None), ("POST", "/tw/switch", {"to": "1"})):
        r = request(
            secure_server.base, path, method=method, form=form,
            headers={"Host": host, "Origin": f"http://{host}"},
        )  # fmt: skip
        assert r.status == 421 and not r.kernel_id and "set-cookie" not in r.headers


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "[::1]", ALLOWED_HOST])
def test_known_hosts_are_answered(secure_server, host):
    """Do loopback names and an --allowed-host still get the app?"""
    port = secure_server.base.rsplit(":", 1)[1]
    r = request(secure_server.base, "/tw/away", headers={"Host": f"{host}:{port}"})
    assert r.status == 200


ROUTES = (
    "/",
    LANDING,
    "/tw/away",
    "/tw/facilitate",
    "/tw/static/tw.css",
    "/tw/fa/css/all.min.css",
    "/tw/handouts/step-2.html",
    "/voila/static/voila.js",
    "/voila/render/research/01_trajectories.ipynb",
    "/no/such/page",
    "/api/kernels/00000000-0000-0000-0000-000000000000",
)


@pytest.mark.parametrize("path", ROUTES)
def test_every_route_forbids_framing(secure_server, path):
    """Can another site frame any of the kit's pages or routes? No: frame-ancestors 'none'."""
    r = request(secure_server.base, path)
    csp = r.headers.get("content-security-policy", "")
    assert "frame-ancestors 'none'" in csp, (path, r.status, csp)
    assert r.headers.get("x-frame-options") == "DENY", path
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0], csp
    assert "unsafe-eval" not in csp


def test_a_page_allows_only_its_own_inline_scripts(secure_server):
    """Does a page's policy let inline scripts run? Only those carrying this response's nonce."""
    device = Device(secure_server.base)
    first, second = device.get(LANDING), device.get(LANDING)
    nonces = []
    for page in (first, second):
        directives = {
            d.split()[0]: d.split()[1:]
            for d in page.headers["content-security-policy"].split(";")
            if d.strip()
        }
        # Exactly 'self' and one nonce: any keyword more ('unsafe-inline', a host, a
        # scheme) would let a script that did not come from this response run.
        own, nonce_source = directives["script-src"]
        assert own == "'self'"
        assert nonce_source.startswith("'nonce-") and nonce_source.endswith("'")
        nonce = nonce_source[len("'nonce-") : -1]
        assert "default-src" in directives
        nonces.append(nonce)
        body = page.body.decode()
        inline = body.count("<script>") + body.count('<script type="text/javascript">')
        assert inline == 0, "an inline script without the nonce"
        assert f'nonce="{nonce}"' in body
    assert nonces[0] != nonces[1]


def test_pages_run_under_the_policy_in_chromium(secure_server, new_context):
    """Do the pages work under the policy, with no violation reported, in a real Chromium?"""
    violations: list[str] = []
    ctx = new_context()
    page = ctx.new_page()
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    start_own(page, secure_server.base, "Robin")  # signed in, safety check answered
    for path, step in ((STEP2, 2), ("/voila/render/06_patience.ipynb", 6), (LANDING, 0)):
        page.goto(secure_server.base + path)
        page.wait_for_selector(f".tw-page.tw-step-{step}.tw-ready", timeout=READY_MS)
    expect(page.locator(".tw-quick-exit")).to_be_visible()
    assert not violations, violations
