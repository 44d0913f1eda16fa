"""A partner's whole walk through steps 1-5, writing a unique marker into every free-text field.

The markers let a test prove that nothing a couple wrote reaches someone it must not: search
for them (:meth:`Marks.found_in`) in anything that other person's browser received.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from uuid import uuid4

from playwright.sync_api import Page, expect

from .conftest import answer_safety, wait_ready

STEP_PAGES = {
    1: "/voila/render/01_understand_the_root.ipynb",
    2: "/voila/render/02_communicate_openly.ipynb",
    3: "/voila/render/03_set_boundaries.ipynb",
    4: "/voila/render/04_consistency.ipynb",
    5: "/voila/render/05_professional_help.ipynb",
}


@dataclass
class Marks:
    """Every marker one partner wrote, by the field it went into."""

    by_field: dict[str, str] = field(default_factory=dict)

    def new(self, where: str) -> str:
        """Return a fresh marker for the field ``where``, and remember it."""
        mark = f"MARK-{uuid4().hex[:10]}"
        self.by_field[where] = mark
        return mark

    def found_in(self, text: str | bytes) -> list[str]:
        """Return the fields whose marker appears in ``text``, in any letter case.

        Case does not matter: a partner's own root title also becomes a lowercase CSS class.
        """
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        low = text.lower()
        return [where for where, mark in self.by_field.items() if mark.lower() in low]


@dataclass
class Partner:
    """One partner on their own device: their page, their markers, what they share."""

    page: Page
    base: str
    name: str
    marks: Marks
    share: bool  # share where sharing is offered (some entries always stay private)

    def open(self, step: int, reload: bool = False) -> None:
        """Open a step page; one already open stays (a page load is a new kernel: slow)."""
        if reload or not self.page.url.endswith(STEP_PAGES[step]):
            self.page.goto(self.base + STEP_PAGES[step])
        wait_ready(self.page, step)


def new_partner(page: Page, base: str, who: str, share: bool) -> Partner:
    """Return a partner whose display name itself carries a marker."""
    marks = Marks()
    return Partner(page, base, f"{who} {marks.new('display name')}", marks, share)


def join_with(p: Partner, code: str) -> str | None:
    """Join with a workshop or invite code on the landing page, answer the safety check.

    Returns the invite code for the other partner, if the page showed one.
    """
    page = p.page
    page.goto(p.base + "/")
    wait_ready(page, 0)
    page.locator(".tw-welcome-code input").fill(code)
    page.locator(".tw-welcome-join-name input").fill(p.name)
    page.click(".tw-join")
    expect(page.locator(".tw-continue")).to_be_visible()
    invite = page.locator(".tw-invite-code")
    code_for_partner = invite.text_content().strip() if invite.count() else None
    page.click(".tw-continue")
    wait_ready(page, 1)  # a new partner lands on step 1, behind the safety check
    answer_safety(page)
    return code_for_partner


def write_step1(p: Partner) -> None:
    """Notes on a guide root and on a root of one's own, and the card (shared or not)."""
    page, m = p.page, p.marks
    p.open(1)
    page.locator(".tw-roots-past-betrayal input").check()
    for prompt in ("what", "now", "helps"):
        mark = m.new(f"root note ({prompt})")
        page.locator(f".tw-roots-past-betrayal-{prompt} textarea").fill(mark)
    page.click(".tw-roots-past-betrayal-save")
    expect(page.locator(".tw-roots-past-betrayal-box .tw-saved")).to_be_visible()

    title = m.new("own root title")
    page.locator(".tw-roots-custom input").fill(title)
    page.click(".tw-roots-add")
    css = "tw-roots-custom-" + title.lower()  # the class follows the title's slug
    expect(page.locator(f".{css}-box")).to_be_visible()
    for prompt in ("what", "now", "helps"):
        page.locator(f".{css}-{prompt} textarea").fill(m.new(f"own root note ({prompt})"))
    page.click(f".{css}-save")
    expect(page.locator(f".{css}-box .tw-saved")).to_be_visible()

    page.locator(".tw-roots-card textarea").fill(m.new("card"))
    choice = "Share with" if p.share else "Only me"
    page.locator(".tw-roots-card-visibility label", has_text=choice).click()
    page.click(".tw-roots-card-save")
    state = "Shared with" if p.share else "Saved privately"
    expect(page.locator(".tw-roots-card-state")).to_contain_text(state)


def write_step2(p: Partner) -> None:
    """A draft and one I-statement; this partner shares it or keeps it private."""
    page, m = p.page, p.marks
    p.open(2)
    page.locator(".tw-istatement-draft textarea").fill(m.new("I-statement draft"))
    for part in ("feel", "when", "because", "need"):
        page.locator(f".tw-istatement-{part} input").fill(m.new(f"I-statement {part}"))
    choice = "Share with" if p.share else "Only me"
    page.locator(".tw-istatement-visibility label", has_text=choice).click()
    page.click(".tw-istatement-save")
    expect(page.locator(".tw-istatement-mine")).to_contain_text(m.by_field["I-statement feel"])


def write_step3(p: Partner) -> None:
    """A private note on a topic (answer revealed or not), a topic of one's own, a proposal."""
    page, m = p.page, p.marks
    p.open(3)
    box = page.locator(".tw-boundaries-topic-social-media")
    box.locator(".tw-boundaries-answer").get_by_role("button", name="Needs discussion").click()
    box.locator(".tw-boundaries-note input").fill(m.new("boundary note"))
    if p.share:
        box.locator(".tw-boundaries-reveal input").check()
    box.locator(".tw-boundaries-save").click()
    # One kernel handles one message at a time: once the topic below shows, the save is done.
    topic = m.new("own boundary topic")
    page.locator(".tw-boundaries-new-topic input").fill(topic)
    page.click(".tw-boundaries-add-topic")
    expect(page.locator(".tw-boundaries")).to_contain_text(topic)
    expect(box.locator(".tw-boundaries-note input")).to_have_value(m.by_field["boundary note"])

    proposal = m.new("agreement proposal")
    page.locator(".tw-agreement-text input").fill(proposal)
    page.click(".tw-agreement-add")
    expect(page.locator(".tw-agreement-item", has_text=proposal)).to_be_visible()


def write_step4(p: Partner) -> None:
    """A commitment, then a check-in with a private note and a small win."""
    page, m = p.page, p.marks
    p.open(4)
    title = m.new("commitment title")
    page.locator(".tw-commit-title input").fill(title)
    choice = "Shared with" if p.share else "Only me"
    page.locator(".tw-commit-visibility label", has_text=choice).click()
    page.click(".tw-commit-add")
    expect(page.locator(".tw-commit-mine")).to_contain_text(title)

    kept = page.locator(".tw-checkin-kept input").first
    expect(kept).to_be_visible()
    kept.check()
    share_ratings = page.locator(".tw-checkin-visibility input")
    if p.share:
        share_ratings.check()
    else:
        share_ratings.uncheck()
    page.locator(".tw-checkin-note textarea").fill(m.new("check-in note"))
    page.locator(".tw-checkin-win input").fill(m.new("small win"))
    win_choice = "Share with" if p.share else "Only me"
    page.locator(".tw-checkin-win-visibility label", has_text=win_choice).click()
    page.click(".tw-checkin-save")
    expect(page.locator(".tw-checkin-status")).to_contain_text("Saved")


def write_step5(p: Partner) -> None:
    """The readiness reflection (always private) with its note."""
    page, m = p.page, p.marks
    p.open(5)
    for area in ("hurt", "communication", "connection"):
        page.locator(f".tw-help-{area}").get_by_text("Maybe", exact=True).click()
    page.locator(".tw-help-note textarea").fill(m.new("help note"))
    page.click(".tw-help-save")
    expect(page.locator(".tw-help-status")).to_contain_text("Saved")


def write_everything(p: Partner) -> None:
    """Walk steps 1-5, writing a marker into every free-text field on them."""
    for write in (write_step1, write_step2, write_step3, write_step4, write_step5):
        write(p)
