"""The summary page: the couple's plan as each partner may see it, escaped and printable."""

from __future__ import annotations

from datetime import date

from trust_widgets import agreement as agr
from trust_widgets.checkins import add_commitment, save_checkin
from trust_widgets.roots import save_card
from trust_widgets.schemas import IStatementIn
from trust_widgets.store.entries import save_istatement
from trust_widgets.summary import gather, plan_html, printable_page
from trust_widgets.widget_summary import SummaryPlan

RATINGS = dict.fromkeys(
    ("predictability", "dependability", "faith", "safety", "anxiety", "communication"), 5
)


def fill(engine, couple):
    a, b = couple.a.partner_id, couple.b.partner_id
    save_card(engine, a, "SHARED-CARD <b>", "shared")
    save_card(engine, b, "PRIVATE-CARD-B", "private")
    save_istatement(engine, a, IStatementIn(feel="hopeful", when="we talk", visibility="shared"))
    save_istatement(engine, a, IStatementIn(feel="PRIVATE-FEELING", when="x"))
    item = agr.add_item(engine, a, "No phones at dinner")
    agr.add_item(engine, a, "UNCONFIRMED")
    agr.set_confirmed(engine, b, item.id, True)
    add_commitment(engine, a, "Text at lunch", "daily")
    add_commitment(engine, b, "PRIVATE-PROMISE", "daily", visibility="private")
    save_checkin(engine, a, date.today(), RATINGS, [], note="PRIVATE-NOTE")


def test_plan_shows_only_what_each_partner_may_see(engine, couple):
    """Does B's plan hold A's shared things, agreed boundaries only, and nothing private?"""
    fill(engine, couple)
    html = plan_html(gather(engine, couple.b))
    assert "SHARED-CARD &lt;b&gt;" in html and "hopeful" in html
    assert "No phones at dinner" in html and "UNCONFIRMED" not in html
    assert "Text at lunch" in html
    a_html = plan_html(gather(engine, couple.a))
    # Private items stay out of every plan, even their author's: the download is shareable.
    for secret in ("PRIVATE-CARD-B", "PRIVATE-PROMISE", "PRIVATE-FEELING", "PRIVATE-NOTE"):
        assert secret not in a_html and secret not in html


def test_flagged_plan_holds_only_own_items(engine, couple):
    """Does a flagged partner's plan leave out the partner's items and the joint agreement?"""
    fill(engine, couple)
    plan = gather(engine, couple.b, flagged=True)
    html = plan_html(plan)
    assert "SHARED-CARD" not in html and "hopeful" not in html
    assert "No phones at dinner" not in html and "Text at lunch" not in html
    assert "<h1>My notes</h1>" in printable_page(plan, flagged=True)


def test_printable_copy_and_empty_states(engine, couple):
    """Is there a printable page, and does an empty plan say where to start?"""
    plan = gather(engine, couple.a)
    page = printable_page(plan)
    assert page.startswith("<!DOCTYPE html>") and "Ana and Ben" in page
    assert "No check-ins yet" in plan.progress
    assert "No shared cards yet (step 1)" in plan_html(plan)


def test_widget_builds_with_a_download(engine, couple):
    """Does the summary widget show the plan and a download link, headless?"""
    fill(engine, couple)
    form = SummaryPlan(engine, couple.a)
    assert 'download="our-plan.html"' in form.children[-1].value
    assert "Your plan" not in form.children[0].value  # the page heading comes from content
