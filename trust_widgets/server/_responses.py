"""What every response carries, how requests are logged, and the answer to unknown hosts."""

from __future__ import annotations

import logging

from tornado import web

from . import _headers
from ._guard import problem_page
from ._logs import redact

log = logging.getLogger("trust_widgets.server.access")

UNKNOWN_HOST = (
    "This address does not belong to this workshop server. Open the workshop at the address "
    "your facilitator gave you."
)


class SecurityHeaders(web.OutputTransform):
    """Adds the kit's security headers to any response that does not carry them yet.

    A Tornado output transform, so Voilà's own static and API handlers get them too.
    """

    def transform_first_chunk(self, status_code, headers, chunk, finishing):
        for name, value in _headers.security_headers().items():
            if name not in headers:
                headers[name] = value
        return status_code, headers, chunk


class HostRefusedHandler(web.RequestHandler):
    """A request for a ``Host`` this server does not answer to: 421, and nothing else."""

    def prepare(self) -> None:
        self.set_status(421)
        self.set_header("Cache-Control", "no-store")
        _headers.apply(self)
        self.finish(problem_page("/", UNKNOWN_HOST))

    def check_xsrf_cookie(self) -> None:  # never reached: prepare answers first
        return


def access_log(handler: web.RequestHandler) -> None:
    """Tornado's ``log_function``: quiet for what went well, and never a kernel id."""
    status = handler.get_status()
    level = logging.DEBUG if status < 400 else logging.WARNING if status < 500 else logging.ERROR
    if not log.isEnabledFor(level):
        return
    request = handler.request
    path = redact(request.path)  # the path only: a query string may carry anything
    millis = 1000.0 * request.request_time()
    log.log(level, "%d %s %s %.0f ms", status, request.method, path, millis)
