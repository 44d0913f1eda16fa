"""What goes on each handout, as renderer-neutral blocks: the HTML and the PDF draw the same.

The exercises come from the same data as the app's forms (roots, boundary topics, answer
choices, commitment frequencies, the active check-in instrument, help resources), so paper
and screen ask the same questions. Nothing here is about any couple: a handout is blank.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .agreement import FRAMING
from .boundaries import ANSWERS, GUIDE_TOPICS
from .commitments import FREQUENCIES
from .instrument import load_instrument
from .resources import CATEGORIES, Resource, load_resources, region_name
from .roots import ATTACHMENT_ITEMS, CHOICE_LABELS, NOT_A_DIAGNOSIS, PROMPTS, ROOTS


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class Lines:
    """Ruled lines to write on, under an optional label."""

    label: str
    count: int = 3


@dataclass(frozen=True)
class Fill:
    """A sentence to complete: each part is a label followed by a line."""

    parts: tuple[str, ...]


@dataclass(frozen=True)
class Checklist:
    """Items with a box to tick."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Grid:
    """A table; empty cells are boxes to tick or write in. ``widths`` are relative."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[int, ...]
    tall: bool = False  # rows high enough to write a sentence in


@dataclass(frozen=True)
class HelpList:
    """Help resources by category heading, from ``data/resources/<region>.csv``."""

    region: str
    groups: tuple[tuple[str, tuple[Resource, ...]], ...]


Block = Heading | Para | Lines | Fill | Checklist | Grid | HelpList


@dataclass(frozen=True)
class Handout:
    step: int
    title: str
    body_markdown: str
    exercise: tuple[Block, ...] = field(default_factory=tuple)
    safety: tuple[Block, ...] = field(default_factory=tuple)


I_STATEMENT = ("I feel", "when", "because", "I need")
SAFETY_CATEGORIES = ("crisis", "abuse")
# Safety first on paper: a handout may reach a partner the app would not point to couples work.
STEP5_CATEGORIES = (
    "crisis",
    "abuse",
    "individual-therapy",
    "couples-therapy",
    "support-group",
    "finding-help",
)
PAPER_PRIVACY = (
    "Paper has no privacy setting. What you write here is yours: show it only to whom you "
    "choose, and keep it somewhere only you can reach. If writing something down could put "
    "you at risk, leave it out. Nobody in the workshop will ask to see this sheet."
)
AFRAID = (
    "If you are afraid of your partner, joint exercises may not be safe. Please reach out to "
    "a domestic-abuse helpline on your own first."
)
NO_LIST = (
    "Your facilitator can give you a list of help lines for your region, and step 5 of the "
    "workshop app lists them too."
)


def _blank(n: int, width: int) -> tuple[tuple[str, ...], ...]:
    return tuple(("",) * width for _ in range(n))


def _step1() -> tuple[Block, ...]:
    choices = tuple(CHOICE_LABELS.values())
    return (
        Heading("Which roots feel close to your experience?"),
        Checklist((*(r.title for r in ROOTS), "Something else, in my own words:")),
        Lines("", 1),
        Para("Choose one root you ticked. For another one, take a fresh sheet."),
        *(Lines(p.label, 3) for p in PROMPTS),
        Heading("How I tend to handle closeness"),
        Para(f"Tick one box for each sentence. {NOT_A_DIAGNOSIS}"),
        Grid(
            ("", *choices),
            tuple((i.text, *("",) * len(choices)) for i in ATTACHMENT_ITEMS),
            (7, *(2,) * len(choices)),
        ),
        Heading("What I am working with"),
        Lines("A few lines in your own words. You may choose to show them to your partner.", 4),
    )


def _step2() -> tuple[Block, ...]:
    return (
        Heading("1. Get it out"),
        Lines("What's on your mind? Write it as it comes.", 4),
        Heading("2. Shape it into an I-statement"),
        Para('One recent moment, not the biggest hurt. "because" and "I need" are optional.'),
        Fill(I_STATEMENT),
        Fill(I_STATEMENT),
        Heading("3. Listen"),
        Lines("What I heard my partner say (repeat it back before you reply):", 3),
    )


def _step3() -> tuple[Block, ...]:
    answers = tuple(label for label, _ in ANSWERS)
    topics = tuple((title, "", "", "") for _, title in GUIDE_TOPICS)
    return (
        Heading("On your own: my answers"),
        Para("Tick one box per topic. Add topics of your own in the empty rows."),
        Grid(("Topic", *answers), topics + _blank(3, 4), (8, 2, 2, 2)),
        Heading("Together: boundaries we agree on"),
        Para(f"Each of you initials a box when you agree. {FRAMING}"),
        Grid(("Boundary", "Agreed", "Agreed"), _blank(4, 3), (10, 2, 2), tall=True),
    )


def _step4() -> tuple[Block, ...]:
    instrument = load_instrument()
    often = tuple(label for label, _ in FREQUENCIES)
    items = instrument.items
    legend = []
    for n, item in enumerate(items, start=1):
        scale = ", ".join(f"{value} = {label}" for value, label in item.anchors)
        note = f". {item.note}" if item.note else ""
        legend.append(Para(f"Q{n}. {item.label} ({scale}){note}"))
    qs = tuple(f"Q{n}" for n in range(1, len(items) + 1))
    ranges = {(item.min, item.max) for item in items}
    span = f"from {items[0].min} to {items[0].max} " if len(ranges) == 1 else ""
    days = tuple((f"Day {d}", "", "", "", "", *("",) * len(items)) for d in range(1, 8))
    return (
        Heading("My commitments"),
        Para("One to three, concrete enough to know by bedtime whether you kept them."),
        Grid(
            ("", "Commitment", *often),
            tuple((f"C{n}", "", "", "", "") for n in (1, 2, 3)),
            (1, 8, 2, 2, 2),
            tall=True,
        ),
        Heading("A week of check-ins"),
        Para(
            f"Once a day: tick C1-C3 for each commitment you kept, and write a number {span}"
            "under each question (the questions are below). Missing a day is fine."
        ),
        Grid(("Day", "Date", "C1", "C2", "C3", *qs), days, (3, 3, 2, 2, 2, *(2,) * len(qs))),
        *legend,
        Lines("A small win this week (optional):", 2),
    )


def _step5() -> tuple[Block, ...]:
    from .widget_help import AREAS, CHOICES  # the step 5 page's own wording

    choices = tuple(label for label, _ in CHOICES)
    return (
        Heading("What help could do for me"),
        Para('On your own. There are no right answers, and "Not now" is a perfectly good one.'),
        Grid(
            ("", *choices),
            tuple((a, *("",) * len(choices)) for a in AREAS.values()),
            (7, *(2,) * (len(choices) - 1), 3),
        ),
        Lines("One question I would ask a therapist at a first contact:", 2),
        Lines("Where I might look for help, and when:", 2),
    )


def _step6() -> tuple[Block, ...]:
    weeks = tuple((f"Week {n}", "", "", "") for n in range(1, 7))
    return (
        Heading("Small wins I noticed"),
        Lines("Mine and my partner's, however small:", 4),
        Heading("Looking back, week by week"),
        Para("Look at the direction over weeks, not at any single day."),
        Grid(
            ("", "Trust this week, 0-10", "Commitments kept", "One thing that helped"),
            weeks,
            (2, 3, 3, 6),
        ),
        Heading("Healing forward"),
        Lines(
            "When the past needs talking about, we give it a time of its own. When and where?", 2
        ),
    )


def _step7() -> tuple[Block, ...]:
    return (
        Lines("What I am working with:", 3),
        Heading("Something I want my partner to hear"),
        Fill(I_STATEMENT),
        Lines("The boundaries we agreed:", 3),
        Lines("My commitments, and how often:", 3),
        Lines("How things are moving (from my check-ins):", 2),
        Lines("Where I would find help, and when I would reach out:", 2),
        Lines("When we will next sit down to talk about how it is going:", 1),
    )


EXERCISES = {1: _step1, 2: _step2, 3: _step3, 4: _step4, 5: _step5, 6: _step6, 7: _step7}


def contact_ways(r: Resource) -> list[str]:
    """How to reach a resource, as text: a URL is printed, never linked."""
    ways = [f"Call {r.phone}"] if r.phone else []
    ways += [f"Text {r.text}"] if r.text else []
    ways += [r.url.removeprefix("https://").rstrip("/")] if r.url else []
    return ways


def help_list(region: str, categories: tuple[str, ...]) -> HelpList:
    """The region's resources in ``categories``, in that order (empty categories left out)."""
    found = load_resources(region)
    groups = tuple(
        (CATEGORIES[c], rows)
        for c in categories
        if (rows := tuple(r for r in found if r.category == c))
    )
    return HelpList(region_name(region), groups)


def safety_blocks(step: int, region: str | None) -> tuple[Block, ...]:
    """The safety and privacy section every handout ends with."""
    blocks: list[Block] = [Heading("Your safety and privacy"), Para(PAPER_PRIVACY), Para(AFRAID)]
    if region is None:
        blocks.append(Para(NO_LIST))
    else:
        blocks.append(help_list(region, STEP5_CATEGORIES if step == 5 else SAFETY_CATEGORIES))
    return tuple(blocks)
