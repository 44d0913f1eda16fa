"""Request checks and the plain error page for the kit's own handlers."""

from __future__ import annotations

from urllib.parse import urlparse

from tornado.httputil import HTTPServerRequest

from .._html import esc


def same_origin(request: HTTPServerRequest) -> bool:
    """Tell whether a state-changing request comes from one of this server's own pages.

    Browsers send ``Sec-Fetch-Site`` or ``Origin`` with every form POST, so a forged
    cross-site form is refused. A request with neither (curl, tests) cannot come from a
    third-party page in a browser, so it passes.
    """
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in {"same-origin", "none"}
    origin = request.headers.get("Origin") or request.headers.get("Referer")
    return not origin or urlparse(origin).netloc == request.host


def page_html(base: str, body: str, scripts: tuple[str, ...] = ()) -> str:
    """Return a plain page of the kit, with the quick-exit link; ``body`` is trusted HTML."""
    tags = "".join(
        f'<script src="{base}tw/static/{name}"></script>' for name in ("tw.js", *scripts)
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
        'content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer">'
        f'<title>Trust Workshop</title><link rel="stylesheet" href="{base}tw/static/tw.css">'
        f'</head><body class="tw-body tw-plain"><a class="tw-quick-exit" href="{base}tw/away" '
        f'data-away="{base}tw/away">Quick exit</a><main id="tw-main">{body}</main>{tags}'
        "</body></html>"
    )


def problem_page(base: str, message: str, *, kind: str = "error") -> str:
    """Return a calm page with the quick-exit link; ``message`` is escaped.

    ``kind`` is ``"error"`` (something is wrong with the request) or ``"notice"`` (nothing
    is wrong, e.g. a busy room: no warning colours).
    """
    if kind not in {"error", "notice"}:
        raise ValueError(f"kind must be 'error' or 'notice', not {kind!r}")
    back = f'<p><a href="{base}">Back to the start</a></p>'
    return page_html(base, f'<p class="tw-{kind}">{esc(message)}</p>{back}')
