"""Two partners click through steps 1 and 5: private reflection, a shared card, resources."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import join, start_own, wait_ready

STEP1 = "/voila/render/01_understand_the_root.ipynb"
STEP5 = "/voila/render/05_professional_help.ipynb"


def test_step1_reflections_stay_private_and_the_card_can_be_shared(server, new_context):
    """Does B see A's shared card, and never A's private answers?"""
    a = new_context().new_page()
    invite = start_own(a, server, "Ana")
    a.goto(server + STEP1)
    wait_ready(a, 1)
    a.locator(".tw-roots-past-betrayal input").check()
    a.locator(".tw-roots-past-betrayal-what textarea").fill("PRIVATE-ROOT-MARKER")
    a.locator(".tw-roots-past-betrayal-save").click()
    expect(a.locator(".tw-roots-past-betrayal-box .tw-saved")).to_be_visible()
    a.locator(".tw-roots-card textarea").fill("I am working with old hurt and want to heal.")
    a.locator(".tw-roots-card-visibility label", has_text="Share").click()
    a.locator(".tw-roots-card-save").click()
    expect(a.locator(".tw-roots-card-state")).to_contain_text("Shared with")

    b = new_context().new_page()
    join(b, server, invite, "Ben")
    b.goto(server + STEP1)
    wait_ready(b, 1)
    expect(b.locator(".tw-page")).to_contain_text("I am working with old hurt and want to heal.")
    expect(b.locator(".tw-page")).not_to_contain_text("PRIVATE-ROOT-MARKER")


def test_step5_readiness_and_resources_by_region(server, new_context):
    """Can A save a private readiness reflection and switch region, unseen by B?"""
    a = new_context().new_page()
    invite = start_own(a, server, "Ana")
    a.goto(server + STEP5)
    wait_ready(a, 5)
    expect(a.locator(".tw-help-resources")).to_be_visible()
    for area in ("hurt", "communication", "connection"):
        a.locator(f".tw-help-{area}").get_by_text("Maybe", exact=True).click()
    a.locator(".tw-help-save").click()
    expect(a.locator(".tw-help-status")).to_contain_text("Saved")
    a.locator(".tw-help-region select").select_option(label="United States")
    expect(a.locator(".tw-help-resources")).to_contain_text("1-800-799-7233")
    a.reload()
    wait_ready(a, 5)
    expect(a.locator(".tw-help-resources")).to_contain_text("1-800-799-7233")  # remembered

    b = new_context().new_page()
    join(b, server, invite, "Ben")
    b.goto(server + STEP5)
    wait_ready(b, 5)
    expect(b.locator(".tw-help-hurt .mod-active")).to_have_count(0)  # A's choice is not here
    expect(b.locator(".tw-help-resources")).not_to_contain_text("1-800-799-7233")  # own region
