"""The kit's own routes, over real HTTP: cross-site posts refused, calm error pages."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def call(url: str, data: dict | None = None, **headers):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    req = urllib.request.Request(url, data=body, headers=headers)
    try:
        resp = OPENER.open(req, timeout=30)
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read().decode()
    return resp.status, dict(resp.headers), resp.read().decode()


def test_cross_site_sign_in_is_refused(server):
    """Can another website sign a visitor in (login CSRF)? No: 403 and no cookie."""
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        status, head, body = call(server + "/tw/demo", {}, **headers)
        assert status == 403 and "Set-Cookie" not in head
        assert 'class="tw-quick-exit"' in body


def test_same_site_sign_in_sets_httponly_cookies(server):
    """Does the demo sign-in from our own page set HttpOnly cookies and redirect to a step?"""
    status, head, _ = call(server + "/tw/demo", {}, Origin=server)
    assert status == 302 and "/voila/render/" in head["Location"]
    assert "httponly" in head["Set-Cookie"].lower()


def test_errors_are_calm_pages_with_quick_exit(server):
    """Do wrong methods, bad codes and odd values give a calm page, never a traceback?"""
    for status_expected, args in [
        (405, (server + "/tw/claim",)),
        (400, (server + "/tw/claim", {"code": "not-a-real-code"})),
    ]:
        status, _, body = call(*args)
        assert status == status_expected
        assert 'class="tw-quick-exit"' in body and "Traceback" not in body
    status, head, _ = call(server + "/tw/switch", {"to": "7", "back": "²"})
    assert status == 302 and head["Location"].endswith("00_welcome.ipynb")


def test_no_file_listing(server):
    """Does Voilà's file tree lead to the welcome page instead of listing files?"""
    status, head, _ = call(server + "/voila/tree/")
    assert status == 302 and head["Location"].endswith("00_welcome.ipynb")


def test_research_notebooks_are_not_served(server):
    """Can a workshop visitor open (and start model fits in) a research notebook? No."""
    for path in (
        "/voila/render/research/03_apim.ipynb",
        "/voila/render//research/01_trajectories.ipynb",
        "/voila/render/%72esearch/01_trajectories.ipynb",
    ):
        status, _, body = call(server + path)
        assert status == 404 and "not part of the workshop app" in body
