"""Printable handouts of each step, for couples working on paper.

Every handout is blank and the same for everyone: the step's text (adapted from its page),
the exercise in paper form, and a safety and privacy note with help lines from
``data/resources/<region>.csv``. The HTML is one self-contained file (styles inline, no
scripts, nothing fetched); the PDF is made offline with fpdf2. Neither touches the store.
Write the whole set with ``python -m trust_widgets.handouts OUT_DIR [REGION]``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import mistune

from ._handout_blocks import (
    EXERCISES,
    Block,
    Checklist,
    Fill,
    Grid,
    Handout,
    Heading,
    HelpList,
    Lines,
    Para,
    contact_ways,
    safety_blocks,
)
from ._handout_text import paper_markdown
from ._html import esc
from .steps import step as get_step

HANDOUT_STEPS = tuple(range(1, 8))  # the guide's steps 1-6 and "Your plan"
DEFAULT_REGION = "intl"
_CSS = """
@page{size:A4;margin:14mm}
*{box-sizing:border-box}
body{font:11.5pt/1.45 Georgia,'DejaVu Serif',serif;color:#111;max-width:46rem;margin:1.5rem auto;
padding:0 1rem}
h1{font:700 1.7rem/1.2 system-ui,sans-serif;margin:0 0 .2rem}
h2{font:700 1.2rem/1.3 system-ui,sans-serif;margin:1.3rem 0 .4rem}
h3{font:700 1.02rem/1.3 system-ui,sans-serif;margin:1rem 0 .3rem}
.tw-handout-sub{font:600 .95rem system-ui,sans-serif;color:#444;margin:0 0 1rem}
blockquote{border-left:3px solid #888;margin:.5rem 0;padding:.1rem .8rem}
.tw-handout-exercise,.tw-handout-safety{border-top:2px solid #111;margin-top:1.5rem}
.tw-line{border-bottom:1px solid #777;height:2.1em}
.tw-label{margin:.7rem 0 0;font-weight:600}
.tw-fill{display:flex;align-items:flex-end;gap:.5rem;margin:.55rem 0}
.tw-fill span:first-child{white-space:nowrap;font-weight:600}
.tw-fill span:last-child{flex:1;border-bottom:1px solid #777;height:1.9em}
.tw-fill-set{margin:.6rem 0 1rem;break-inside:avoid}
.tw-checklist{list-style:none;padding:0}.tw-checklist li{margin:.35rem 0}
.tw-box{display:inline-block;width:.95em;height:.95em;border:1.5px solid #333;
vertical-align:-.1em;margin-right:.5em}
table{border-collapse:collapse;width:100%;margin:.5rem 0;break-inside:avoid}
th,td{border:1px solid #555;padding:.3rem .4rem;text-align:left;vertical-align:top}
th{font:600 .85rem system-ui,sans-serif;background:#eee}
td{height:2.1em}.tw-tall td{height:3.2em}
.tw-help li{margin:.4rem 0}.tw-help-ways{font-family:system-ui,sans-serif}
.tw-handout-safety{break-inside:avoid-page}
footer{margin-top:2rem;font:.8rem system-ui,sans-serif;color:#555}
@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}}
"""


def _check(step: object) -> int:
    if not isinstance(step, int) or isinstance(step, bool) or step not in HANDOUT_STEPS:
        raise ValueError(
            f"There is no handout for step {repr(step)[:24]}: handouts cover steps 1 to 6, "
            "and 7 (your plan)."
        )
    return step


def subtitle(step: int) -> str:
    """The line under a handout's title."""
    which = f"step {step} of 6, {get_step(step).title}" if step <= 6 else "your plan"
    return f"Trust Workshop · handout for {which}"


def build_handout(step: int, region: str | None = DEFAULT_REGION) -> Handout:
    """Return the blocks of step ``step``'s handout (``region=None``: no help list, a pointer).

    Raises
    ------
    ValueError
        No handout for ``step``, no resource file for ``region``, or a broken resource or
        instrument file (the message names the file and the line).
    """
    step = _check(step)
    title, body = paper_markdown(step)
    return Handout(
        step=step,
        title=title or get_step(step).title,
        body_markdown=body,
        exercise=EXERCISES[step](),
        safety=safety_blocks(step, region),
    )


def block_html(block: Block) -> str:
    """Render one block; every text is escaped."""
    if isinstance(block, Heading):
        return f"<h3>{esc(block.text)}</h3>"
    if isinstance(block, Para):
        return f"<p>{esc(block.text)}</p>"
    if isinstance(block, Lines):
        label = f'<p class="tw-label">{esc(block.label)}</p>' if block.label else ""
        return label + '<div class="tw-line"></div>' * block.count
    if isinstance(block, Fill):
        parts = "".join(
            f'<div class="tw-fill"><span>{esc(p)}</span><span></span></div>' for p in block.parts
        )
        return f'<div class="tw-fill-set">{parts}</div>'
    if isinstance(block, Checklist):
        items = "".join(f'<li><span class="tw-box"></span>{esc(i)}</li>' for i in block.items)
        return f'<ul class="tw-checklist">{items}</ul>'
    if isinstance(block, Grid):
        total = sum(block.widths)
        cols = "".join(f'<col style="width:{100 * w / total:.1f}%">' for w in block.widths)
        head = "".join(f"<th>{esc(h)}</th>" for h in block.headers)
        rows = "".join(
            "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in block.rows
        )
        tall = ' class="tw-tall"' if block.tall else ""
        return f"<table{tall}><colgroup>{cols}</colgroup><tr>{head}</tr>{rows}</table>"
    if isinstance(block, HelpList):
        out = [f"<p>Help lines ({esc(block.region)}):</p>"]
        for heading, rows in block.groups:
            items = "".join(
                f"<li><strong>{esc(r.name)}</strong>"
                + (f" ({esc(r.hours)})" if r.hours else "")
                + (f"<br>{esc(r.description)}" if r.description else "")
                + f'<br><span class="tw-help-ways">{esc(" · ".join(contact_ways(r)))}</span></li>'
                for r in rows
            )
            out.append(f'<h3>{esc(heading)}</h3><ul class="tw-help">{items}</ul>')
        return "".join(out)
    raise TypeError(f"not a handout block: {type(block).__name__}")


def render_html(handout: Handout) -> str:
    """Return a handout as one self-contained, printable HTML page."""
    body = mistune.create_markdown(escape=True)(handout.body_markdown)
    exercise = "".join(block_html(b) for b in handout.exercise)
    safety = "".join(block_html(b) for b in handout.safety)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{esc(handout.title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{esc(handout.title)}</h1>"
        f'<p class="tw-handout-sub">{esc(subtitle(handout.step))}</p></header>'
        f'<main><section class="tw-handout-text">{body}</section>'
        f'<section class="tw-handout-exercise"><h2>On paper</h2>{exercise}</section>'
        f'<section class="tw-handout-safety">{safety}</section></main>'
        "<footer>Trust Workshop Kit. No names are needed on this sheet.</footer>"
        "</body></html>"
    )


def handout_html(step_number: int, region: str | None = DEFAULT_REGION) -> str:
    """Return step ``step_number``'s handout (1-6, or 7 for "Your plan") as HTML.

    Raises
    ------
    ValueError
        No handout for that step, or no resource file for ``region``.
    """
    return render_html(build_handout(step_number, region))


def handout_pdf(
    step_number: int, region: str | None = DEFAULT_REGION, *, compress: bool = True
) -> bytes:
    """Return step ``step_number``'s handout as a PDF (A4), made offline with fpdf2.

    ``compress=False`` leaves the text readable in the file, for checks.
    """
    from ._handout_pdf import render_pdf  # fpdf2 loads only when a PDF is asked for

    return render_pdf(build_handout(step_number, region), subtitle(step_number), compress)


def index_html(region: str | None = DEFAULT_REGION) -> str:
    """Return the index page linking every handout's HTML and PDF (relative links only)."""
    rows = "".join(
        f'<li><a href="step-{n}.html">{esc(index_label(n))}</a> '
        f'(<a href="step-{n}.pdf">PDF</a>)</li>'
        for n in HANDOUT_STEPS
    )
    where = f" Help lines: {esc(region)}." if region else ""
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>Trust Workshop handouts</title><style>{_CSS}</style></head><body>"
        "<h1>Trust Workshop handouts</h1>"
        f"<p>One sheet per step, for couples working on paper. Print one copy for each "
        f"partner: every sheet is for one person.{where}</p><ol>{rows}</ol></body></html>"
    )


def index_label(step: int) -> str:
    """A handout's line in the index."""
    return f"Step {step}: {get_step(step).title}" if step <= 6 else get_step(step).title


def write_handouts(out_dir: str | Path, region: str | None = DEFAULT_REGION) -> list[Path]:
    """Write ``step-1.html`` … ``step-7.html``, the matching PDFs and ``index.html``.

    Everything is built before anything is written, so a problem leaves the folder as it was.
    Returns the paths written, index last.
    """
    out = Path(out_dir)
    files: dict[str, bytes] = {}
    for n in HANDOUT_STEPS:
        files[f"step-{n}.html"] = handout_html(n, region).encode("utf-8")
        files[f"step-{n}.pdf"] = handout_pdf(n, region)
    files["index.html"] = index_html(region).encode("utf-8")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in files.items():
        (out / name).write_bytes(data)
        written.append(out / name)
    return written


def main(argv: list[str] | None = None) -> int:
    """``python -m trust_widgets.handouts OUT_DIR [REGION|none]``: write every handout."""
    args = sys.argv[1:] if argv is None else argv
    if not 1 <= len(args) <= 2:
        print("usage: python -m trust_widgets.handouts OUT_DIR [REGION|none]")
        return 2
    region = args[1] if len(args) == 2 else DEFAULT_REGION
    try:
        paths = write_handouts(args[0], None if region == "none" else region)
    except (ValueError, OSError) as exc:
        print(exc)
        return 1
    print(f"wrote {len(paths)} files to {args[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
