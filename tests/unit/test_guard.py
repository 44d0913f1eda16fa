"""Request checks for the kit's handlers: only our own pages may post."""

import pytest
from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine

from trust_widgets.server._guard import problem_page, same_origin


def request(**headers) -> HTTPServerRequest:
    h = HTTPHeaders({"Host": "127.0.0.1:8866"})
    for k, v in headers.items():
        h[k.replace("_", "-")] = v
    line = RequestStartLine("POST", "/tw/claim", "HTTP/1.1")
    return HTTPServerRequest(headers=h, start_line=line)


@pytest.mark.parametrize(
    "headers,allowed",
    [
        ({"Sec_Fetch_Site": "same-origin"}, True),
        ({"Sec_Fetch_Site": "none"}, True),
        ({"Sec_Fetch_Site": "cross-site"}, False),
        ({"Sec_Fetch_Site": "same-site"}, False),
        ({"Origin": "http://127.0.0.1:8866"}, True),
        ({"Origin": "http://127.0.0.1:9999"}, False),
        ({"Origin": "https://evil.example"}, False),
        ({"Referer": "https://evil.example/page"}, False),
        ({}, True),  # not a browser: curl, tests
    ],
)
def test_same_origin(headers, allowed):
    """Is a form post accepted only from this server's own pages?"""
    assert same_origin(request(**headers)) is allowed


def test_problem_page_escapes_and_offers_quick_exit():
    """Does the error page escape its message and carry the quick exit?"""
    html = problem_page("/", "<script>x</script>")
    assert "&lt;script&gt;" in html and 'class="tw-quick-exit"' in html


def test_a_busy_room_is_a_notice_not_an_error():
    """Is the busy-room page a calm notice (no warning style), and an unknown kind refused?"""
    html = problem_page("/", "The room is busy", kind="notice")
    assert 'class="tw-notice"' in html and "tw-error" not in html
    assert 'class="tw-error"' in problem_page("/", "Not found")
    with pytest.raises(ValueError, match="kind"):
        problem_page("/", "x", kind="alarm")
