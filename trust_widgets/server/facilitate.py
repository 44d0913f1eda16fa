"""Routes for facilitators: the private-link sign-in and the printable handouts.

A facilitator key opens one workshop's aggregate dashboard and presenter view. The key is
checked once and swapped for a session of the device's own (:mod:`..facilitator_sessions`),
kept in its own HttpOnly cookie; the key itself is never a cookie. A session is never
exchanged for a partner's token, so a facilitator cannot act as a couple.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from tornado import web

from .._forms import STORE_FAILED
from .._request import COOKIE_FACILITATOR, cookie_jar
from ..code_limits import TooManyAttempts, attempt_code
from ..facilitator_sessions import SESSION_HOURS, end_session, open_session
from ..identity import WrongCode
from ._base import BaseHandler
from ._guard import page_html

log = logging.getLogger(__name__)

DASHBOARD = "voila/render/facilitator/dashboard.ipynb"
WRONG_KEY = (
    "That facilitator link does not open any workshop. Use the link printed when the "
    "workshop was created, or make a new one with: trust-workshop workshop link --id N"
)


def signin_html(base: str) -> str:
    """The page a facilitator link opens: a form, filled in and sent by ``facilitate.js``."""
    body = (
        "<h1>Facilitator sign-in</h1>"
        "<p>Open the private facilitator link you were given when the workshop was created. "
        "If you have the key on its own, paste it here.</p>"
        f'<form class="tw-facilitate-form" method="post" action="{base}tw/facilitate">'
        '<label for="tw-facilitator-key">Facilitator key</label> '
        '<input id="tw-facilitator-key" class="tw-facilitator-key" name="key" type="password" '
        'autocomplete="off" required maxlength="200"> '
        '<button type="submit" class="tw-facilitate-submit">Open the dashboard</button></form>'
    )
    return page_html(base, body, scripts=("facilitate.js",))


class FacilitateHandler(BaseHandler):
    """``GET`` shows the sign-in form; ``POST`` checks the key and sets its cookie."""

    def get(self) -> None:
        self.finish(signin_html(self.base))

    def post(self) -> None:
        key = self.get_body_argument("key", "").strip()[:200]
        engine = self.engine()

        def sign_in() -> str:
            session = open_session(engine, key)
            if session is None:
                raise WrongCode(WRONG_KEY)
            return session

        try:
            session = attempt_code(engine, self.client(), key, sign_in)
        except TooManyAttempts as exc:
            self.too_many(exc)
            return
        except WrongCode:
            self.problem(WRONG_KEY, 403)
            return
        except SQLAlchemyError:
            log.exception("facilitator sign-in failed")
            self.problem(STORE_FAILED, 503)
            return
        self.set_cookie(
            COOKIE_FACILITATOR,
            session,
            path=self.base,
            expires_days=SESSION_HOURS / 24,
            httponly=True,
            samesite="Strict",
            secure=self.request.protocol == "https",
        )
        self.redirect(self.base + DASHBOARD)


class FacilitatorSignOutHandler(BaseHandler):
    """End this device's facilitator session, in the store and in its cookie."""

    def post(self) -> None:
        session = cookie_jar(self.request.headers.get("Cookie", "")).get(COOKIE_FACILITATOR)
        try:
            end_session(self.engine(), session)
        except SQLAlchemyError:
            log.exception("ending a facilitator session failed")  # the cookie still goes
        self.clear_cookie(COOKIE_FACILITATOR, path=self.base)
        self.redirect(self.base + "tw/facilitate")


class HandoutHandler(BaseHandler):
    """Printable handouts of each guide step, as HTML or PDF (no personal data in them)."""

    def get(self, number: str, kind: str) -> None:
        from ..handouts import handout_html, handout_pdf

        step = int(number)
        if not 1 <= step <= 7:
            raise web.HTTPError(404)
        if kind == "pdf":
            self.set_header("Content-Type", "application/pdf")
            self.set_header(
                "Content-Disposition", f'inline; filename="trust-workshop-step-{step}.pdf"'
            )
            self.finish(handout_pdf(step))
        else:
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(handout_html(step))
