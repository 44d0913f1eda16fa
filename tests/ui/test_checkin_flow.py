"""Two partners check in on phones, then see it in step 6; the summary shows the plan."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import join, start_own, wait_ready

STEP4 = "/voila/render/04_consistency.ipynb"
STEP6 = "/voila/render/06_patience.ipynb"
SUMMARY = "/voila/render/07_summary.ipynb"


def check_in(page, server: str, commitment: str | None = None) -> None:
    page.goto(server + STEP4)
    wait_ready(page, 4)
    if commitment:
        page.locator(".tw-commit-title input").fill(commitment)
        page.click(".tw-commit-add")
        expect(page.locator(".tw-commit-mine")).to_contain_text(commitment)
        page.locator(".tw-checkin-kept input").first.check()
    page.locator(".tw-checkin-note textarea").fill("PRIVATE-CHECKIN-NOTE")
    page.click(".tw-checkin-save")
    expect(page.locator(".tw-checkin-status")).to_contain_text("Saved")


def test_checkins_show_up_in_step_6(server, new_context):
    """Do both partners' check-ins reach the step 6 views, without private notes?"""
    a = new_context().new_page()
    invite = start_own(a, server, "Ana")
    check_in(a, server, "Text at lunch")
    b = new_context().new_page()
    join(b, server, invite, "Ben")
    check_in(b, server)

    a.goto(server + STEP6)
    wait_ready(a, 6)
    expect(a.locator(".tw-progress-trajectory .js-plotly-plot")).to_be_visible()
    expect(a.locator(".tw-progress-trajectory")).to_contain_text("Ben")  # B's shared check-in
    expect(a.locator(".tw-progress-summary")).to_be_visible()
    expect(a.locator(".tw-page")).not_to_contain_text("PRIVATE-CHECKIN-NOTE")

    a.goto(server + SUMMARY)
    wait_ready(a, 7)
    expect(a.locator(".tw-summary-plan")).to_contain_text("Text at lunch")
    expect(a.locator(".tw-summary-download")).to_have_attribute("download", "our-plan.html")
