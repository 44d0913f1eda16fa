"""A page's kernel answers only the browser that opened the page.

Voilà serves a kernel to anyone who knows its id: its websocket, its model and its
shutdown route. Here each of them first checks that the request's cookies give the
kernel's owner digest (:func:`._client.owner_digest`), before any message, or answers as
if the kernel did not exist. The websocket that hands a preheated kernel its request is
open only to that kernel: from this computer, unforwarded, with the kernel's own secret.
"""

from __future__ import annotations

import hmac
import logging

from jupyter_server.services.kernels.handlers import KernelHandler
from tornado import web
from voila.request_info_handler import RequestInfoSocketHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from ._base import BaseHandler
from ._client import FORWARDING_HEADERS, device_cookie, is_loopback, owner_digest
from ._guard import same_origin
from ._logs import kernel_tag

log = logging.getLogger(__name__)


def owns(handler: web.RequestHandler, kernel_id: str) -> bool:
    """Tell whether the request's cookies are those of the kernel's page."""
    book = getattr(handler.settings["kernel_manager"], "book", None)
    if book is None:  # not the kit's kernel manager: refuse rather than guess
        return False
    owner = owner_digest(handler.request.headers.get("Cookie", ""), device_cookie(handler.request))
    return book.is_owner(kernel_id, owner)


class OwnedKernelWebsocketHandler(VoilaKernelWebsocketHandler):
    """The kernel's websocket, refused at the handshake to anyone but the page's browser."""

    async def get(self, kernel_id: str, *args, **kwargs):
        if not owns(self, kernel_id):
            log.warning("refused a websocket to %s: not its page's browser", kernel_tag(kernel_id))
            raise web.HTTPError(403)
        return await super().get(kernel_id, *args, **kwargs)

    async def open(self, kernel_id: str, *args, **kwargs):
        self.kernel_manager.book.connected(kernel_id)
        return await super().open(kernel_id, *args, **kwargs)


class OwnedKernelHandler(KernelHandler):
    """``/api/kernels/<id>``: the model and shutdown of one's own page kernel only."""

    def prepare(self):
        kernel_id = self.path_kwargs.get("kernel_id") or (self.path_args or [""])[0]
        if not owns(self, kernel_id):
            raise web.HTTPError(404)
        if self.request.method != "GET" and not same_origin(self.request):
            raise web.HTTPError(403)
        return super().prepare()


class ShutdownKernelHandler(VoilaShutdownKernelHandler):
    """Shut a page's kernel down when the page closes.

    Voilà's page posts this on unload without an ``_xsrf`` token, so Voilà answers 403 and
    the kernel lives on (voila#1458). Here the request must come from the page's own
    browser (its cookies) on one of this server's pages (its origin).
    """

    def check_xsrf_cookie(self) -> None:
        if not same_origin(self.request):
            raise web.HTTPError(403, "cross-origin shutdown refused")

    async def post(self, kernel_id: str):
        if not owns(self, kernel_id):
            raise web.HTTPError(404)
        return await super().post(kernel_id)


class KernelQueryHandler(RequestInfoSocketHandler):
    """Hands a preheated kernel its page's request, and nobody else.

    Routed as ``voila/query/<secret>/<kernel id>``: the secret is given to each pool kernel
    in its environment when it starts, so only that kernel process knows it, and it works
    once.
    """

    async def get(self, secret: str, kernel_id: str, *args, **kwargs):  # type: ignore[override]
        km = self.settings["kernel_manager"]
        expected = getattr(km, "query_secrets", {}).pop(kernel_id, None)
        forwarded = any(self.request.headers.get(h) for h in FORWARDING_HEADERS)
        if (
            expected is None
            or not hmac.compare_digest(expected, secret)
            or forwarded
            or not is_loopback(self.request.remote_ip)
        ):
            raise web.HTTPError(404)
        return await super().get(secret, kernel_id, *args, **kwargs)

    def open(self, secret: str, kernel_id: str) -> None:  # type: ignore[override]
        super().open(kernel_id)
        # Delivered: the request (its cookies) is not kept on the server any longer.
        RequestInfoSocketHandler._cache.pop(kernel_id, None)


class LoadingHandler(BaseHandler):
    """``GET tw/loading/<kernel id>``: the page's own browser says it is still loading.

    Sent by an inline script of the page template (``tw_macros.say_loading``) as soon as the
    browser parses the page, before Voilà's large script runs, so that a slow browser in a busy
    room keeps its kernel past the 30 s in which a page nobody opens is stopped
    (:data:`._quota.LOADING_SECONDS`). Only the kernel's owner is heard (its cookies), and
    the answer says nothing either way. A GET: it changes nothing but a deadline, and every
    page request stays readable again (tests/ui/test_facilitator_flow.py reads them all).
    """

    def get(self, kernel_id: str) -> None:
        if owns(self, kernel_id):
            self.settings["kernel_manager"].book.loading(kernel_id)
        self.set_status(204)


class RefusedHandler(BaseHandler):
    """A route that must not exist for visitors (Voilà's query socket, file listings)."""

    # Routes it replaces capture groups by name (``kernel_id``) or by position.
    def get(self, *_args, **_kwargs) -> None:
        raise web.HTTPError(404)

    def post(self, *_args, **_kwargs) -> None:
        raise web.HTTPError(404)
