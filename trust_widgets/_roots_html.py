"""Pure HTML builders for step 1. Every piece of user text goes through :func:`esc`."""

from __future__ import annotations

from ._forms import sign_in_hint
from ._html import esc

SIGN_IN = sign_in_hint("to write your reflections.")
LOAD_FAILED = "Your notes can't be shown just now. Please reload the page in a moment."
UNTICK_SAVED = "You have saved notes here. To remove this root, delete your notes first."
PRIVATE_NOTE = '<p class="tw-roots-private"><span class="tw-badge">Private: only you</span></p>'
PARTNER_HEADING = "<h3>Shared with you</h3>"
ATTACHMENT_INTRO = (
    "<h3>A short self-reflection on closeness</h3><p>How much is each statement like you? "
    "There are no right or wrong answers, and this is not a test.</p>" + PRIVATE_NOTE
)
NOTHING_SHARED = '<p class="tw-empty">Nothing has been shared with you here.</p>'


def lines_html(text: str) -> str:
    """Escape ``text`` and keep its line breaks."""
    return "<br>".join(esc(line) for line in text.splitlines())


def root_heading_html(title: str) -> str:
    """Heading and privacy note for one root's prompts."""
    return f"<h4>{esc(title)}</h4>{PRIVATE_NOTE}"


def status_html(message: str) -> str:
    """A quiet confirmation after a save or delete."""
    return f'<p class="tw-saved" role="status">{esc(message)}</p>'


def reflection_html(text: str) -> str:
    """The self-reflection's non-diagnostic reading, escaped."""
    return f'<p class="tw-roots-attach-reflection" role="status">{esc(text)}</p>' if text else ""


def draft_html(draft: str) -> str:
    """The generated card draft, or a hint while no root is ticked."""
    if not draft:
        return '<p class="tw-hint">Tick a root above to get a draft to start from.</p>'
    return f'<blockquote class="tw-preview">{lines_html(draft)}</blockquote>'


def card_intro_html(partner: str, flagged: bool) -> str:
    """What the card is for. With ``flagged``, nothing suggests sharing."""
    text = "Put what you are working with into a few lines of your own words."
    if flagged:
        return f"<p>{text} This card is for you.</p>"
    return (
        f"<p>{text} You can keep it to yourself, or share it with {esc(partner)} so they know "
        "what you bring to the next steps. Only the words in the box are shared, never your "
        "notes above.</p>"
    )


def card_state_html(visibility: str | None, partner: str, flagged: bool) -> str:
    """Who can read the saved card now."""
    if visibility is None:
        return ""
    if visibility != "shared":
        return '<p><span class="tw-badge">Saved privately</span></p>'
    badge = f'<span class="tw-badge">Shared with {esc(partner)}</span>'
    # Shared before the partner's screen raised concerns: say plainly how to take it back.
    how = " Saving it again makes it private; Delete removes it." if flagged else ""
    return f"<p>{badge}{how}</p>"


def partner_card_html(card) -> str:
    """The other partner's shared card (a Reflection or None), escaped, or a neutral note."""
    if card is None or not card.body:
        return NOTHING_SHARED
    return f'<blockquote class="tw-roots-partner-card">{lines_html(card.body)}</blockquote>'
