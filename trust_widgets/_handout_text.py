"""Each step's page text, adapted for paper.

A handout tells the same story as the step's page (``content/<page>.md``), so the text comes
from there. A few paragraphs and phrases talk about the screen ("below", "this page", the
coach, sliders); they are swapped for paper wording here. A test checks that every rule
still matches the page text, so an edit to a page cannot leave screen talk on paper.
"""

from __future__ import annotations

import logging
import re
from importlib.resources import files

log = logging.getLogger(__name__)

PAGES = {
    1: "01_understand_the_root",
    2: "02_communicate_openly",
    3: "03_set_boundaries",
    4: "04_consistency",
    5: "05_professional_help",
    6: "06_patience",
    7: "07_summary",
}

# (the first words of a paragraph, the paragraph that replaces it on paper)
PARAGRAPHS: dict[int, tuple[tuple[str, str], ...]] = {
    1: (
        (
            "**This part is private.**",
            "**This sheet is yours.** Your notes on each root and your answers to the short "
            "self-reflection are for you alone: nobody needs to see them. At the end you can "
            "sum up what you are working with in a few lines of your own, and choose whether "
            "to show them to your partner. Take your time, skip anything that feels like too "
            "much today, and come back to it whenever you like.",
        ),
    ),
    2: (
        (
            "Write as much as you like below.",
            "Write as much as you like on this sheet, then shape one moment into an "
            'I-statement. Watch for blame as you write: "you never…", "you always…", '
            "name-calling and sarcasm usually make the other person defend themselves. What "
            "you write stays yours unless you choose to show it.",
        ),
    ),
    3: (
        (
            "1. **On your own**",
            "1. **On your own**, for each topic, tick whether something is *okay with you*, "
            "*not okay with you*, or *needs discussion*. Your answers are private. You decide, "
            "topic by topic, whether to show your answer.\n"
            "2. **Side by side**: compare a topic only when you have **both** answered it and "
            "**both** chosen to show it. Neither of you has to show anything.\n"
            "3. **Together**, write down the boundaries you agree on. Each one counts only when "
            "you have both confirmed it.",
        ),
    ),
    4: (
        (
            "When you add a commitment,",
            "You choose whether your partner sees your commitments. Shown to each other, they "
            "let you both see what each of you is working on.",
        ),
        (
            "**The daily check-in**",
            "**The daily check-in** takes about a minute: on the sheet below, tick what you "
            "kept and write a number from 0 to 10 for each question. A small win is optional. "
            "Some days you will forget, or not feel like it. That is fine: nothing here counts "
            "the days you skip. When you come back, simply check in again, and fill in a "
            "forgotten day from the past week if you want to.",
        ),
    ),
    5: (
        (
            "On this page you can note,",
            "Below you can note, for yourself, which of these matter to you now. There are no "
            'right answers, and "not now" is a perfectly good one.',
        ),
    ),
    6: (
        (
            "**Your progress, honestly.**",
            "**Your progress, honestly.** Once a week, look back over your check-in sheets: "
            "are your trust numbers going up, staying flat or going down, and how often were "
            "commitments kept? The numbers show *what* changed, never *why*: going up does not "
            "prove what caused it, and going down is not a verdict on anyone. Your sheets are "
            "yours; show them only if you choose to.",
        ),
    ),
    7: (
        (
            "Everything you have built so far, on one page:",
            "Everything you have built so far, on one sheet: what you are working with, what "
            "you have said to each other, the boundaries you agreed, the commitments you keep, "
            "how things are moving, and where you might find help.",
        ),
    ),
}

# (a phrase inside a paragraph, its paper wording); whitespace and line breaks may differ
PHRASES: dict[int, tuple[tuple[str, str], ...]] = {
    5: (
        (
            "The list on this page includes both.",
            "The help section at the end of this sheet is a place to start.",
        ),
        (" The list on this page includes some directories.", ""),
    ),
    7: (
        (
            "Only what your partner chose to share appears here from them. Your own help plan "
            "is on your copy only.",
            "Each of you fills in your own copy, and shows the other only what you choose.",
        ),
    ),
}


def _phrase(text: str) -> re.Pattern[str]:
    return re.compile(r"\s+".join(re.escape(word) for word in text.split()))


def page_source(step: int) -> str:
    """Return the page's own Markdown for ``step``."""
    path = files("trust_widgets") / "content" / f"{PAGES[step]}.md"
    return path.read_text(encoding="utf-8")


def paper_markdown(step: int) -> tuple[str, str]:
    """Return the page's heading and its body adapted for paper, as ``(title, markdown)``."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", page_source(step)) if b.strip()]
    title = blocks.pop(0).lstrip("#").strip() if blocks and blocks[0].startswith("# ") else ""
    for prefix, paper in PARAGRAPHS.get(step, ()):
        found = [i for i, b in enumerate(blocks) if b.startswith(prefix)]
        if not found:
            log.warning("handout %s: no paragraph starts with %r any more", step, prefix)
        for i in found:
            blocks[i] = paper
    body = "\n\n".join(blocks)
    for old, new in PHRASES.get(step, ()):
        body, count = _phrase(old).subn(new, body)
        if not count:
            log.warning("handout %s: the phrase %r is gone from the page", step, old)
    return title, body


def rule_matches(step: int) -> list[tuple[str, int]]:
    """Return each rule's text and how often it matches the page now (for the tests)."""
    source = page_source(step)
    blocks = [b.strip() for b in re.split(r"\n\s*\n", source)]
    counts = [(p, sum(b.startswith(p) for b in blocks)) for p, _ in PARAGRAPHS.get(step, ())]
    counts += [(old, len(_phrase(old).findall(source))) for old, _ in PHRASES.get(step, ())]
    return counts
