"""The landing page's forms, headless: start, join, errors, and what the page shows."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from trust_widgets.identity import redeem_claim
from trust_widgets.store.engine import session_factory
from trust_widgets.store.models import Partner
from trust_widgets.widget_welcome import WelcomeForms


def partners(engine) -> int:
    with session_factory(engine)() as s:
        return s.scalar(select(func.count()).select_from(Partner))


def claim_code(html: str) -> str:
    return re.search(r'name="code" value="([^"]+)"', html).group(1)


def test_start_own_gives_invite_and_a_one_time_continue(engine):
    """Does starting on one's own device show an invite code and a POST continue button?"""
    forms = WelcomeForms(engine, None)
    forms.inputs["own_name"].value = "Ana"
    forms.start_own.click()
    html = forms.result.value
    assert "tw-invite-code" in html and 'method="post" action="../../tw/claim"' in html
    assert len(redeem_claim(engine, claim_code(html))) == 1


def test_start_local_signs_in_both(engine):
    """Does "start as a couple on this device" create both partners in one claim?"""
    forms = WelcomeForms(engine, None)
    forms.inputs["name_a"].value, forms.inputs["name_b"].value = "Ana", "Ben"
    forms.start_local.click()
    assert "tw-invite-code" not in forms.result.value
    assert len(redeem_claim(engine, claim_code(forms.result.value))) == 2


def test_errors_show_next_to_fields_and_nothing_is_written(engine):
    """Do empty names and unknown codes get messages by their fields, with no writes?"""
    forms = WelcomeForms(engine, None)
    forms.start_local.click()
    assert "Please fill this in" in forms.errs["name_a"].value
    forms.inputs["code"].value, forms.inputs["join_name"].value = "ZZZZ-ZZZZ-ZZZZ", "Eve"
    forms.join.click()
    assert "doesn&#x27;t match" in forms.errs["join"].value
    assert forms.result.value == "" and partners(engine) == 0


def test_demo_offer_only_when_asked(engine):
    """Is the demo button shown only when a demo exists?"""
    assert "tw-try-demo" not in str(
        [getattr(c, "value", "") for c in WelcomeForms(engine, None).children]
    )
    with_demo = WelcomeForms(engine, None, demo_available=True)
    assert any("tw-try-demo" in getattr(c, "value", "") for c in with_demo.children)


def test_returning_partner_sees_a_welcome_back(engine, couple):
    """Does a signed-in partner get a greeting (escaped) and a sign-out, not the forms?"""
    forms = WelcomeForms(engine, couple.a)
    html = "".join(getattr(c, "value", "") for c in forms.children)
    assert "Welcome back, Ana" in html and "tw-signout" in html
    assert "tw-start-local" not in html
