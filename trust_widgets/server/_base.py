"""The base of the kit's own Tornado handlers, and the cookie sign-in they share."""

from __future__ import annotations

import logging
from importlib.resources import files
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from tornado import web

from .._forms import STORE_FAILED
from .._request import COOKIE_ACTIVE, COOKIE_TOKENS
from ..code_limits import Client, TooManyAttempts
from ..identity import IdentityError
from ..steps import STEPS
from ..store.engine import get_engine
from . import _headers
from ._client import client_address, client_keys, device_cookie
from ._guard import problem_page, same_origin

log = logging.getLogger(__name__)

COOKIE_DAYS = 180
STATIC_DIR = Path(str(files("trust_widgets") / "server" / "static"))
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


class BaseHandler(web.RequestHandler):
    """What every kit route shares: no caching, same-origin POSTs, calm error pages."""

    @property
    def base(self) -> str:
        return self.settings.get("base_url", "/")

    def engine(self):
        return get_engine(self.settings["tw_db_url"])

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        _headers.apply(self)

    def client(self) -> Client:
        """Who is asking, for the code limits: digests of the address and the device."""
        keys = client_keys(
            client_address(self.request, self.settings.get("tw_trusted_proxies", ())),
            device_cookie(self.request),
        )
        return Client(address=keys.address, device=keys.device)

    def too_many(self, exc: TooManyAttempts) -> None:
        """Answer a client over the code limits: a calm page and ``Retry-After``."""
        self.set_header("Retry-After", str(exc.retry_after))
        self.problem(str(exc), 429)

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
        except TooManyAttempts as exc:
            self.too_many(exc)
            return
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
