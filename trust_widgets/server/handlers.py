"""Tornado handlers beside Voilà: landing redirect, sign-in cookies, quick-exit page.

The one place where access tokens exist in clear is the ``Set-Cookie`` header written
here. Cookies are HttpOnly (page scripts cannot read them) and SameSite=Lax.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from urllib.parse import urlparse

import fontawesomefree
from tornado import web
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler

from .._html import esc
from .._request import COOKIE_ACTIVE, COOKIE_TOKENS
from ..identity import IdentityError, claim_for_demo, redeem_claim
from ..steps import STEPS
from ..store.engine import get_engine

COOKIE_DAYS = 180
STATIC_DIR = Path(str(files("trust_widgets") / "server" / "static"))
FA_DIR = Path(fontawesomefree.__file__).parent / "static" / "fontawesomefree"
LANDING = "voila/render/" + STEPS[0].notebook


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

    def sign_in(self, tokens: list[str]) -> None:
        self._cookie(COOKIE_TOKENS, ".".join(tokens))
        self._cookie(COOKIE_ACTIVE, "0")
        self.redirect(self.base + first_step_url())

    def problem(self, message: str, status: int = 400) -> None:
        self.set_status(status)
        self.finish(
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
            'content="width=device-width, initial-scale=1"><title>Trust Workshop</title>'
            f'<link rel="stylesheet" href="{self.base}tw/static/tw.css"></head>'
            f'<body class="tw-body"><a class="tw-quick-exit" href="{self.base}tw/away" '
            f'data-away="{self.base}tw/away">Quick exit</a><main id="tw-main">'
            f'<p class="tw-error">{esc(message)}</p><p><a href="{self.base}">Back to the start'
            f'</a></p></main><script src="{self.base}tw/static/tw.js"></script></body></html>'
        )


class LandingHandler(_Base):
    """``/`` and Voilà's file tree both lead to the welcome page; no file listing."""

    def get(self, *_args) -> None:
        self.redirect(self.base + LANDING)


class ClaimHandler(_Base):
    """Swap a one-time claim code (POSTed, never in a URL) for access-token cookies."""

    def post(self) -> None:
        try:
            self.sign_in(redeem_claim(self.engine(), self.get_body_argument("code", "")))
        except IdentityError as exc:
            self.problem(str(exc))


class DemoHandler(_Base):
    """Sign this device in as the demo couple (synthetic data only)."""

    def post(self) -> None:
        engine = self.engine()
        code = claim_for_demo(engine)
        if code is None:
            self.problem("There is no demo workshop on this server.", 404)
            return
        self.sign_in(redeem_claim(engine, code))


class SwitchHandler(_Base):
    """On a shared device, switch which of the two partners is using it."""

    def post(self) -> None:
        to = self.get_body_argument("to", "0")
        self._cookie(COOKIE_ACTIVE, to if to in {"0", "1"} else "0")
        # Back to the page the switch was on, named by step number: never a free-form URL.
        back = self.get_body_argument("back", "0")
        number = int(back) if back.isdigit() and int(back) < len(STEPS) else 0
        self.redirect(self.base + "voila/render/" + STEPS[number].notebook)


class SignOutHandler(_Base):
    def post(self) -> None:
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
        origin = self.request.headers.get("Origin") or self.request.headers.get("Referer")
        if origin and urlparse(origin).netloc != self.request.host:
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
