"""Tornado handlers beside Voilà: landing redirect, sign-in cookies, quick-exit page.

The one place where access tokens exist in clear is the ``Set-Cookie`` header written
here. Cookies are HttpOnly (page scripts cannot read them) and SameSite=Lax.
"""

from __future__ import annotations

import logging
from importlib.resources import files
from pathlib import Path

import fontawesomefree
from sqlalchemy.exc import SQLAlchemyError
from tornado import web
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler

from .._forms import STORE_FAILED
from .._request import COOKIE_ACTIVE, COOKIE_TOKENS, parse_cookie_header
from ..identity import IdentityError, claim_for_demo, redeem_claim, revoke_tokens
from ..steps import SAFETY_NOTEBOOK, STEPS
from ..store.engine import get_engine
from ._guard import problem_page, same_origin

log = logging.getLogger(__name__)

COOKIE_DAYS = 180
STATIC_DIR = Path(str(files("trust_widgets") / "server" / "static"))
FA_DIR = Path(fontawesomefree.__file__).parent / "static" / "fontawesomefree"
LANDING = "voila/render/" + STEPS[0].notebook
_MESSAGES = {
    403: "This request was refused. Please use the buttons on the workshop's own pages.",
    404: "There is nothing at this address.",
    405: "This address can't be opened directly. Please start from the welcome page.",
}


def first_step_url() -> str:
    """Return the page a newly signed-in partner lands on: the first built guide step."""
    first = next(s for s in STEPS if s.number >= 1 and s.ready)
    return "voila/render/" + first.notebook


class _Base(web.RequestHandler):
    @property
    def base(self) -> str:
        return self.settings.get("base_url", "/")

    def engine(self):
        return get_engine(self.settings["tw_db_url"])

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("X-Content-Type-Options", "nosniff")

    def prepare(self) -> None:
        # Voilà turns Tornado's XSRF check off, so refuse cross-site form posts here.
        if self.request.method == "POST" and not same_origin(self.request):
            raise web.HTTPError(403)

    def write_error(self, status_code: int, **kwargs) -> None:
        if "exc_info" in kwargs and not isinstance(kwargs["exc_info"][1], web.HTTPError):
            log.error("request failed", exc_info=kwargs["exc_info"])
        self.problem(_MESSAGES.get(status_code, "Something went wrong."), status_code)

    def _cookie(self, name: str, value: str) -> None:
        self.set_cookie(
            name,
            value,
            path=self.base,
            expires_days=COOKIE_DAYS,
            httponly=True,
            samesite="Lax",
            secure=self.request.protocol == "https",
        )

    def sign_in(self, redeem) -> None:
        """Run ``redeem()`` for tokens and set the cookies, or show a calm error."""
        try:
            tokens = redeem()
        except IdentityError as exc:
            self.problem(str(exc))
            return
        except SQLAlchemyError:
            log.exception("sign-in failed")
            self.problem(STORE_FAILED, 503)
            return
        self._cookie(COOKIE_TOKENS, ".".join(tokens))
        self._cookie(COOKIE_ACTIVE, "0")
        self.redirect(self.base + first_step_url())

    def problem(self, message: str, status: int = 400) -> None:
        self.set_status(status)
        self.finish(problem_page(self.base, message))


class LandingHandler(_Base):
    """``/`` and Voilà's file tree both lead to the welcome page; no file listing."""

    def get(self, *_args) -> None:
        self.redirect(self.base + LANDING)


class ClaimHandler(_Base):
    """Swap a one-time claim code (POSTed, never in a URL) for access-token cookies."""

    def post(self) -> None:
        code = self.get_body_argument("code", "")
        self.sign_in(lambda: redeem_claim(self.engine(), code))


class DemoHandler(_Base):
    """Sign this device in as the demo couple (synthetic data only)."""

    def post(self) -> None:
        def redeem() -> list[str]:
            code = claim_for_demo(self.engine())
            if code is None:
                raise IdentityError("There is no demo workshop on this server.")
            return redeem_claim(self.engine(), code)

        self.sign_in(redeem)


class SwitchHandler(_Base):
    """On a shared device, switch which of the two partners is using it."""

    def post(self) -> None:
        to = self.get_body_argument("to", "0")
        self._cookie(COOKIE_ACTIVE, to if to in {"0", "1"} else "0")
        # Back to the page the switch was on, named by step number: never a free-form URL.
        back = self.get_body_argument("back", "0")
        pages = {str(s.number): s.notebook for s in STEPS} | {"safety": SAFETY_NOTEBOOK}
        self.redirect(self.base + "voila/render/" + pages.get(back, STEPS[0].notebook))


class SignOutHandler(_Base):
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


class AwayHandler(_Base):
    """The neutral page that quick exit replaces the workshop with."""

    def get(self) -> None:
        self.finish((STATIC_DIR / "away.html").read_bytes())


class ShutdownKernelHandler(VoilaShutdownKernelHandler):
    """Shut a page's kernel down when the page closes.

    Voilà's page posts this on unload without an ``_xsrf`` token, so Voilà answers 403 and
    the kernel lives on (voila#1458). Requiring the same origin gives the same protection
    against other sites; the kernel id itself is a random UUID known only to its page.
    """

    def check_xsrf_cookie(self) -> None:
        if not same_origin(self.request):
            raise web.HTTPError(403, "cross-origin shutdown refused")


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
        (rf"{b}/voila/api/shutdown/(.*)", ShutdownKernelHandler),
        (rf"{b}/tw/static/(.*)", web.StaticFileHandler, {"path": str(STATIC_DIR)}),
        (rf"{b}/tw/fa/(css/.*|webfonts/.*)", web.StaticFileHandler, {"path": str(FA_DIR)}),
    ]
