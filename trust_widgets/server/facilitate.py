"""Routes for facilitators: the private-link sign-in and the printable handouts.

A facilitator key opens one workshop's aggregate dashboard and presenter view. It is kept
in its own HttpOnly cookie and is never exchanged for a partner's token, so a facilitator
cannot act as a couple.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from tornado import web

from .._forms import STORE_FAILED
from .._request import COOKIE_FACILITATOR
from ..workshops import workshop_for_key
from ._base import BaseHandler
from ._guard import page_html

log = logging.getLogger(__name__)

DASHBOARD = "voila/render/facilitator/dashboard.ipynb"
KEY_HOURS = 12  # a workshop day; the link signs in again at once
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
        key = self.get_body_argument("key", "").strip()
        try:
            workshop = workshop_for_key(self.engine(), key)
        except SQLAlchemyError:
            log.exception("facilitator sign-in failed")
            self.problem(STORE_FAILED, 503)
            return
        if workshop is None:
            self.problem(WRONG_KEY, 403)
            return
        self.set_cookie(
            COOKIE_FACILITATOR,
            key,
            path=self.base,
            expires_days=KEY_HOURS / 24,
            httponly=True,
            samesite="Strict",
            secure=self.request.protocol == "https",
        )
        self.redirect(self.base + DASHBOARD)


class FacilitatorSignOutHandler(BaseHandler):
    """Forget the facilitator key on this device."""

    def post(self) -> None:
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
