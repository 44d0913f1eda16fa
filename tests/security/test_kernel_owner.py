"""A page's kernel answers only the browser that opened the page.

Alice opens step 2. A client that knows her page's kernel id connects to the kernel's
websocket with the server's own ``Origin`` and no cookie, her partner's cookies, or another
couple's: each is refused at the handshake, before any message. So is the kernel's own
route, and its shutdown. The same holds for a facilitator's dashboard.
"""

from __future__ import annotations

import re
import shutil

import nbformat
import pytest

from tests.security._attacks import DASHBOARD, LANDING, STEP2, Device, signed_in_pair, try_socket
from trust_widgets.server.app import default_notebooks_dir
from trust_widgets.workshops import create_workshop


@pytest.fixture(scope="module")
def couples(secure_server):
    alice, ben = signed_in_pair(secure_server.base, secure_server.engine, ("Alice", "Ben"))
    cleo, _dev = signed_in_pair(secure_server.base, secure_server.engine, ("Cleo", "Dev"))
    return alice, ben, cleo


def test_kernel_websocket_refuses_everyone_but_its_page(secure_server, couples):
    """Can a client with the kernel id, but not Alice's cookies, talk to her kernel? No: 3 of 3."""
    alice, ben, cleo = couples
    page = alice.get(STEP2)
    kernel = page.kernel_id
    assert page.status == 200 and kernel
    for label, cookies in (("no cookie", {}), ("partner", ben.cookies), ("other", cleo.cookies)):
        assert try_socket(secure_server.base, kernel, cookies) == "refused:403", label
    assert try_socket(secure_server.base, kernel, alice.cookies).startswith("open:")


def test_a_device_cookie_alone_is_not_enough(secure_server, couples):
    """Does Alice's device cookie with another sign-in (or none) open her kernel? No."""
    alice, ben, _ = couples
    kernel = alice.get(STEP2).kernel_id
    device_only = {"tw_device": alice.cookies["tw_device"]}
    swapped = {**ben.cookies, "tw_device": alice.cookies["tw_device"]}
    for cookies in (device_only, swapped):
        assert try_socket(secure_server.base, kernel, cookies) == "refused:403"


def test_kernel_route_and_shutdown_answer_only_the_owner(secure_server, couples):
    """Can another client read Alice's kernel's model or shut it down? No: it does not exist."""
    alice, ben, _ = couples
    kernel = alice.get(STEP2).kernel_id
    route = f"/api/kernels/{kernel}"
    assert Device(secure_server.base).get(route).status == 404
    assert ben.get(route).status == 404
    assert ben.post(f"/voila/api/shutdown/{kernel}", {}).status == 404
    assert ben.get(route, method="DELETE", headers={"Origin": secure_server.base}).status == 404
    assert alice.get(route).status == 200  # still running


def test_dashboard_kernel_answers_only_its_facilitator(secure_server, couples):
    """Can anyone but the facilitator's browser drive the dashboard's kernel? No."""
    alice, _, _ = couples
    ws = create_workshop(secure_server.engine, "Tuesday group")
    facilitator = Device(secure_server.base)
    facilitator.get(LANDING)
    assert facilitator.post("/tw/facilitate", {"key": ws.facilitator_key}).status == 302
    page = facilitator.get(DASHBOARD)
    assert page.status == 200
    for cookies in ({}, alice.cookies, {"tw_device": facilitator.cookies["tw_device"]}):
        assert try_socket(secure_server.base, page.kernel_id, cookies) == "refused:403"
    assert try_socket(secure_server.base, page.kernel_id, facilitator.cookies).startswith("open:")


def test_kernel_ids_stay_out_of_the_console(secure_server, couples):
    """Does the server's console show a page's kernel id? No, only a tag that cannot be reversed."""
    alice, _, _ = couples
    ids = {alice.get(STEP2).kernel_id for _ in range(2)}
    try_socket(secure_server.base, next(iter(ids)), {})  # a refusal is logged, too
    log = secure_server.log
    assert "Kernel started: kernel:" in log
    for kernel in ids:
        assert kernel not in log
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", log)


PROBE = """import os
from trust_widgets._request import cookie_jar
print("COOKIES", ",".join(sorted(cookie_jar(os.environ.get("HTTP_COOKIE", "")))), "CLIENT",
      len(os.environ.get("HTTP_X_TW_CLIENT", "").split()))
"""


def _probe_notebooks(folder):
    """The kit's notebooks, with a couple page and a facilitator page that show their cookies."""
    shutil.copytree(default_notebooks_dir(), folder, ignore=shutil.ignore_patterns("research"))
    for page in ("02_communicate_openly.ipynb", "facilitator/presenter.ipynb"):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(PROBE)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        nbformat.write(nb, folder / page)
    return folder


def test_each_kernel_gets_only_its_pages_cookies(own_server, tmp_path):
    """Does a couple's page kernel see facilitator secrets, or the reverse? No: only its own."""
    served = own_server("--notebooks", str(_probe_notebooks(tmp_path / "nb")))
    everything = {
        "tw_tokens": "a" * 43, "tw_active": "0", "tw_facilitator": "f" * 43,
        "tw_device": "d" * 43, "other_app": "x",
    }  # fmt: skip
    spoofed = {"X-Tw-Client": "forged-by-the-browser"}
    couple = Device(served.base, dict(everything)).get(STEP2, headers=spoofed).body.decode()
    assert "COOKIES tw_active,tw_tokens CLIENT 2" in couple
    presenter = "/voila/render/facilitator/presenter.ipynb"
    facilitator = Device(served.base, dict(everything)).get(presenter, headers=spoofed)
    assert "COOKIES tw_facilitator CLIENT 2" in facilitator.body.decode()
    for body in (couple, facilitator.body.decode()):
        assert "forged-by-the-browser" not in body


def test_only_a_preheated_kernel_can_fetch_its_pages_request(own_server):
    """Can anyone but a pool kernel read the request (and cookies) Voilà hands it? No."""
    served = own_server("--preheat", "1")
    anyone = "00000000-0000-0000-0000-000000000000"
    for path in (f"/voila/query/{anyone}", f"/voila/query/not-the-secret/{anyone}"):
        r = Device(served.base).get(path, headers={"Connection": "Upgrade", "Upgrade": "websocket"})
        assert r.status == 404, path
    alice = Device(served.base)
    page = alice.get(LANDING)  # served by a pool kernel, which fetched its request itself
    assert page.status == 200 and page.kernel_id
    assert try_socket(served.base, page.kernel_id, {}) == "refused:403"
    assert try_socket(served.base, page.kernel_id, alice.cookies).startswith("open:")
