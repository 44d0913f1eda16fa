"""Two partners set boundaries in two browsers: private answers, reveal, agreement."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import join, start_own, wait_ready

STEP3 = "/voila/render/03_set_boundaries.ipynb"


def answer_topic(page, key: str, label: str, reveal: bool = True) -> None:
    box = page.locator(f".tw-boundaries-topic-{key}")
    box.locator(".tw-boundaries-answer").get_by_role("button", name=label, exact=True).click()
    if reveal:
        box.locator(".tw-boundaries-reveal input").check()
    box.locator(".tw-boundaries-save").click()


def test_comparison_appears_only_after_both_answered(server, new_context):
    """Does the side-by-side view wait for both partners, then show agree/differ?"""
    a = new_context().new_page()
    invite = start_own(a, server, "Ana")
    b = new_context().new_page()
    join(b, server, invite, "Ben")

    a.goto(server + STEP3)
    wait_ready(a, 3)
    answer_topic(a, "social-media", "Okay with me")
    expect(a.locator(".tw-boundaries-waiting")).to_contain_text("1 topic(s) waiting for Ben")
    expect(a.locator(".tw-boundaries-compare")).to_have_count(0)

    b.goto(server + STEP3)
    wait_ready(b, 3)
    expect(b.locator(".tw-boundaries-waiting")).to_contain_text("waiting for your answer")
    expect(b.locator(".tw-boundaries-comparison")).not_to_contain_text("Okay with me")
    answer_topic(b, "social-media", "Not okay with me")
    expect(b.locator(".tw-boundaries-compare")).to_contain_text("You differ")

    a.reload()
    wait_ready(a, 3)
    expect(a.locator(".tw-boundaries-compare")).to_contain_text("Not okay with me")

    # The agreement: A proposes, B confirms, and it counts once both have.
    a.locator(".tw-agreement-text input").fill("No phones at dinner")
    a.click(".tw-agreement-add")
    expect(a.locator(".tw-agreement-item")).to_contain_text("Waiting for Ben")
    b.reload()
    wait_ready(b, 3)
    b.locator(".tw-agreement-item .tw-agreement-confirm").click()
    expect(b.locator(".tw-agreement-item")).to_contain_text("Agreed by both of you")
    expect(b.locator(".tw-agreement-print")).to_have_attribute(
        "download", "boundary-agreement.html"
    )
