"""The landing page's forms: start as a couple, join with a code, or try the demo."""

from __future__ import annotations

import logging

import ipywidgets as W
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from ._forms import STORE_FAILED, button, error_slot, show_error, text_input
from ._html import esc
from .context import Viewer
from .identity import (
    IdentityError,
    Started,
    join_with_code,
    normalise_code,
    renew_invite,
    start_couple,
    start_local_couple,
)

log = logging.getLogger(__name__)
FORM = "welcome"


def continue_html(started: Started) -> str:
    """Return the invite code (if any) and the button that signs this device in."""
    invite = ""
    if started.invite_code:
        invite = (
            '<div class="tw-invite"><p>Give your partner this invite code. They open this app '
            'on their own device and choose "Join with a code". It works once, for 14 days.</p>'
            f'<p class="tw-code tw-invite-code">{esc(started.invite_code)}</p></div>'
        )
    # POST keeps the one-time code out of the address bar, history and server logs.
    return (
        f'{invite}<form method="post" action="../../tw/claim">'
        f'<input type="hidden" name="code" value="{esc(started.claim_code)}">'
        '<button type="submit" class="tw-continue">Continue to the workshop</button></form>'
    )


class WelcomeForms(W.VBox):
    """Sign-in choices for a new device, or a short welcome back.

    Parameters
    ----------
    engine
        The store.
    viewer
        The signed-in partner, or ``None`` on a new device.
    demo_available
        Offer the demo couple.
    """

    def __init__(self, engine: Engine, viewer: Viewer | None, demo_available: bool = False):
        super().__init__()
        self.engine, self.viewer = engine, viewer
        self.add_class(f"tw-{FORM}")
        self.result = W.HTML("")
        self.result.add_class(f"tw-{FORM}-result")
        self.children = self._returning() if viewer else self._choices(demo_available)

    def _returning(self) -> list[W.Widget]:
        parts = [
            W.HTML(
                f"<p>Welcome back, {esc(self.viewer.name)}. "
                '<a class="tw-resume" href="01_understand_the_root.ipynb">Go to the steps</a> '
                'or jump to <a href="02_communicate_openly.ipynb">step 2</a>.</p>'
            )
        ]
        if self.viewer.partner_name is None:
            renew = button("Make a new invite code for my partner", f"tw-{FORM}-renew")
            renew.on_click(lambda _: self._renew())
            parts.append(renew)
        parts += [
            self.result,
            W.HTML(
                '<form method="post" action="../../tw/signout"><button type="submit" '
                'class="tw-signout">Sign out on this device</button></form>'
            ),
        ]
        return parts

    def _renew(self) -> None:
        try:
            code = renew_invite(self.engine, self.viewer.partner_id)
        except IdentityError as exc:
            self.result.value = f'<p class="tw-error">{esc(exc)}</p>'
            return
        except SQLAlchemyError:
            log.exception("renewing an invite failed")
            self.result.value = f'<p class="tw-error">{esc(STORE_FAILED)}</p>'
            return
        self.result.value = (
            f'<p>New invite code: <span class="tw-code tw-invite-code">{esc(code)}</span></p>'
        )

    def _choices(self, demo_available: bool) -> list[W.Widget]:
        self.inputs = {
            "name_a": text_input(FORM, "name-a", "Your first name or a nickname"),
            "name_b": text_input(FORM, "name-b", "Your partner's first name or a nickname"),
            "own_name": text_input(FORM, "own-name", "Your first name or a nickname"),
            "code": text_input(
                FORM, "code", "Join code or invite code", placeholder="ABCD-EFGH-JKMN"
            ),
            "join_name": text_input(FORM, "join-name", "Your first name or a nickname"),
        }
        self.errs = {k: error_slot(FORM, k) for k in (*self.inputs, "local", "own", "join")}
        local = self.start_local = button(
            "Start as a couple on this device", "tw-start-local", style="primary"
        )
        local.on_click(
            lambda _: self._start(
                "LocalStart",
                {"name_a": "name_a", "name_b": "name_b"},
                "local",
                lambda d: start_local_couple(self.engine, d),
            )
        )
        own = self.start_own = button("Start on my device and invite my partner", "tw-start-own")
        own.on_click(
            lambda _: self._start(
                "OwnStart", {"name": "own_name"}, "own", lambda d: start_couple(self.engine, d.name)
            )
        )
        join = self.join = button("Join", "tw-join")
        join.on_click(
            lambda _: self._start(
                "JoinRequest",
                {"code": "code", "name": "join_name"},
                "join",
                self._join,
            )
        )

        def section(title: str, text: str, keys: list[str], action: W.Button, err: str):
            fields = [w for k in keys for w in (self.inputs[k], self.errs[k])]
            box = W.VBox(
                [W.HTML(f"<h3>{title}</h3><p>{text}</p>"), *fields, action, self.errs[err]]
            )
            box.add_class("tw-card")
            return box

        parts = [
            section(
                "Together on this device",
                "Both of you use this browser. Private answers "
                "are then private only from the other partner's view: anyone who can use "
                "this browser can switch between you.",
                ["name_a", "name_b"],
                local,
                "local",
            ),
            section(
                "Each on our own device",
                "You start here and get an invite code for your partner.",
                ["own_name"],
                own,
                "own",
            ),
            section(
                "I have a code",
                "From your facilitator (to join a workshop) or from your partner (to join them).",
                ["code", "join_name"],
                join,
                "join",
            ),
        ]
        if demo_available:
            parts.append(
                W.HTML(
                    '<div class="tw-card"><h3>Just looking?</h3>'
                    "<p>Explore a made-up demo couple.</p>"
                    '<form method="post" action="../../tw/demo"><button type="submit" '
                    'class="tw-try-demo">Try the demo couple</button></form></div>'
                )
            )
        return [*parts, self.result]

    def _join(self, request) -> Started:
        """Join with a code, under the limits on wrong codes (per client and per code)."""
        from ._request import page_client
        from .code_limits import Client, attempt_code

        client = Client(*page_client())
        code = normalise_code(request.code)
        return attempt_code(self.engine, client, code, lambda: join_with_code(self.engine, request))

    def _start(self, schema, mapping: dict[str, str], err: str, action) -> None:
        # pydantic loads on the first submit, not with the landing page.
        from pydantic import ValidationError

        from . import schemas
        from .schemas import field_errors

        schema = getattr(schemas, schema)  # named, so the page needn't import pydantic

        for slot in self.errs.values():
            show_error(slot, None)
        try:
            data = schema(**{field: self.inputs[key].value for field, key in mapping.items()})
            started = action(data)
        except ValidationError as exc:
            for field, message in field_errors(exc).items():
                show_error(self.errs[mapping.get(field, err)], message)
            return
        except IdentityError as exc:
            show_error(self.errs[err], str(exc))
            return
        except SQLAlchemyError:
            log.exception("starting or joining failed")
            show_error(self.errs[err], STORE_FAILED)
            return
        self.result.value = continue_html(started)
