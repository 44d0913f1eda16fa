"""Two partners do step 2 in two browsers: flags, shared and private statements."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import join, start_own, wait_ready


def write_statement(page, feel: str, when: str, share: bool) -> None:
    page.locator(".tw-istatement-feel input").fill(feel)
    page.locator(".tw-istatement-when input").fill(when)
    label = "Share with" if share else "Only me"
    page.locator(".tw-istatement-visibility label", has_text=label).click()
    page.click(".tw-istatement-save")
    expect(page.locator(".tw-saved")).to_contain_text("Saved")


def test_two_partners_share_one_statement_and_keep_one_private(server, new_context):
    """Does B see A's shared statement, and never A's private one?"""
    a = new_context().new_page()
    invite = start_own(a, server, "Ana")

    a.locator(".tw-istatement-draft textarea").fill("You never text me back")
    flag = a.locator(".tw-flag-you-never")
    expect(flag).to_be_visible()
    expect(flag.locator(".tw-suggestion")).to_contain_text("you don't text me back")

    write_statement(a, "anxious", "I don't hear from you all evening", share=True)
    write_statement(a, "ashamed", "I check where you are", share=False)
    mine = a.locator(".tw-istatement-mine")
    expect(mine).to_contain_text("I feel anxious when I don't hear from you all evening.")
    expect(mine).to_contain_text("Private: only you")

    b = new_context().new_page()
    join(b, server, invite, "Ben")
    theirs = b.locator(".tw-istatement-theirs")
    expect(theirs).to_contain_text("I feel anxious when I don't hear from you all evening.")
    expect(b.locator(".tw-page")).not_to_contain_text("ashamed")

    # A reload (a new kernel) and a browser restart (cookies kept) still know who is who.
    state = b.context.storage_state()
    b2 = new_context(storage_state=state).new_page()
    b2.goto(server + "/voila/render/02_communicate_openly.ipynb")
    wait_ready(b2, 2)
    expect(b2.locator(".tw-who")).to_contain_text("Signed in as Ben with Ana")
