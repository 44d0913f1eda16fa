"""Tornado handlers beside Voilà: landing redirect, sign-in cookies, quick-exit page.

Facilitator routes are in :mod:`.facilitate`; the shared base is in :mod:`._base`.

The one place where access tokens exist in clear is the ``Set-Cookie`` header written
here. Cookies are HttpOnly (page scripts cannot read them) and SameSite=Lax.
"""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

import fontawesomefree
from sqlalchemy.exc import SQLAlchemyError

from .._request import COOKIE_ACTIVE, COOKIE_TOKENS, parse_cookie_header
from ..code_limits import attempt_code
from ..identity import IdentityError, claim_for_demo, redeem_claim, revoke_tokens
from ..steps import SIDE_PAGES, STEPS
from ._assets import KitStaticHandler
from ._base import LANDING, STATIC_DIR, BaseHandler
from ._sockets import LoadingHandler, ShutdownKernelHandler
from .facilitate import (
    FacilitateHandler,
    FacilitatorSignOutHandler,
    HandoutHandler,
)

log = logging.getLogger(__name__)

FA_DIR = Path(fontawesomefree.__file__).parent / "static" / "fontawesomefree"
# plotly.js from the plotly package itself, for the figures tw.js draws (see _plot_html).
PLOTLY_DIR = Path(importlib.util.find_spec("plotly").origin).parent / "package_data"


class LandingHandler(BaseHandler):
    """``/`` and Voilà's file tree both lead to the welcome page; no file listing."""

    def get(self, *_args) -> None:
        self.redirect(self.base + LANDING)


class ClaimHandler(BaseHandler):
    """Swap a one-time claim code (POSTed, never in a URL) for access-token cookies."""

    def post(self) -> None:
        code = self.get_body_argument("code", "")[:200]
        self.sign_in(
            lambda: attempt_code(
                self.engine(), self.client(), code, lambda: redeem_claim(self.engine(), code)
            )
        )


class DemoHandler(BaseHandler):
    """Sign this device in as the demo couple (synthetic data only)."""

    def post(self) -> None:
        def redeem() -> list[str]:
            code = claim_for_demo(self.engine())
            if code is None:
                raise IdentityError("There is no demo workshop on this server.")
            return redeem_claim(self.engine(), code)

        self.sign_in(redeem)


class SwitchHandler(BaseHandler):
    """On a shared device, switch which of the two partners is using it."""

    def post(self) -> None:
        to = self.get_body_argument("to", "0")
        self._cookie(COOKIE_ACTIVE, to if to in {"0", "1"} else "0")
        # Back to the page the switch was on, named by step number: never a free-form URL.
        back = self.get_body_argument("back", "0")
        pages = {str(s.number): s.notebook for s in STEPS} | {
            key: notebook for key, (notebook, _title) in SIDE_PAGES.items()
        }
        self.redirect(self.base + "voila/render/" + pages.get(back, STEPS[0].notebook))


class SignOutHandler(BaseHandler):
    """Sign this device out, and make its tokens worthless everywhere."""

    def post(self) -> None:
        tokens = parse_cookie_header(self.request.headers.get("Cookie", "")).tokens
        try:
            revoke_tokens(self.engine(), tokens)
        except SQLAlchemyError:
            log.exception("revoking tokens failed")  # the cookies still go below
        self.clear_cookie(COOKIE_TOKENS, path=self.base)
        self.clear_cookie(COOKIE_ACTIVE, path=self.base)
        self.redirect(self.base + LANDING)


class AwayHandler(BaseHandler):
    """The neutral page that quick exit replaces the workshop with."""

    def get(self) -> None:
        self.finish((STATIC_DIR / "away.html").read_bytes())


def handlers(base_url: str) -> list[tuple]:
    """Return the kit's routes under ``base_url``; they must come before Voilà's own."""
    b = base_url.rstrip("/")
    return [
        (rf"{b}/?", LandingHandler),
        (rf"{b}/voila/tree(/.*)?", LandingHandler),
        (rf"{b}/tw/claim", ClaimHandler),
        (rf"{b}/tw/demo", DemoHandler),
        (rf"{b}/tw/switch", SwitchHandler),
        (rf"{b}/tw/signout", SignOutHandler),
        (rf"{b}/tw/away", AwayHandler),
        (rf"{b}/tw/facilitate", FacilitateHandler),
        (rf"{b}/tw/facilitate/signout", FacilitatorSignOutHandler),
        (rf"{b}/tw/handouts/step-([1-7])\.(html|pdf)", HandoutHandler),
        (rf"{b}/voila/api/shutdown/(.*)", ShutdownKernelHandler),
        (rf"{b}/tw/loading/([0-9a-f-]{{36}})", LoadingHandler),
        (rf"{b}/tw/static/(.*)", KitStaticHandler, {"path": str(STATIC_DIR)}),
        (rf"{b}/tw/fa/(css/.*|webfonts/.*)", KitStaticHandler, {"path": str(FA_DIR)}),
        (rf"{b}/tw/plotly/(plotly\.min\.js)", KitStaticHandler, {"path": str(PLOTLY_DIR)}),
    ]
