"""Draw a handout as a PDF with fpdf2, offline and without font files.

fpdf2's built-in fonts cover Latin-1 only, and a TTF cannot be counted on being installed
on every machine that builds handouts, so typographic characters are spelt in plain
characters (curly quotes, dashes, the ellipsis, arrows, comparison signs). Characters with
no plain spelling become "?"; the HTML handout keeps every character.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

import mistune
from fpdf import FPDF
from fpdf.fonts import FontFace, TextStyle

from ._handout_blocks import (
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
)

FONT = "helvetica"
INK, GREY, ACCENT = (17, 17, 17), (90, 90, 90), (15, 95, 138)
LINE_GAP = 8.5  # mm between writing lines: enough for handwriting
# A fixed date: the same handout gives the same bytes, and the file says nothing of its maker.
CREATED = datetime(2024, 1, 1, tzinfo=UTC)

_PLAIN = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u02bc", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2212", "-"),
    **dict.fromkeys("\u2014\u2015", " - "),
    **dict.fromkeys("\u2022\u2023\u2043\u25e6", "-"),
    **dict.fromkeys("\u200b\u200c\u200d\u2060\ufeff", ""),
    **dict.fromkeys("\u2002\u2003\u2009\u202f", " "),
    "\u0141": "L",
    "\u0142": "l",
    "\u0110": "D",
    "\u0111": "d",
    "\u0131": "i",
    "\u0152": "OE",
    "\u0153": "oe",
    "\u2026": "...",
    "\u2265": ">=",
    "\u2264": "<=",
    "\u2260": "!=",
    "\u2248": "~",
    "\u2192": "->",
    "\u2190": "<-",
    "\u2194": "<->",
    "\u21d2": "=>",
    "\u2713": "v",
    "\u2714": "v",
    "\u2610": "[ ]",
    "\u20ac": "EUR",
    "\u2122": "(TM)",
}
_TABLE = str.maketrans(_PLAIN)


def plain(text: str) -> str:
    """Return ``text`` in characters fpdf2's built-in fonts can draw (Latin-1)."""
    out = []
    for ch in text.translate(_TABLE):
        if ord(ch) < 256:
            out.append(ch)
            continue
        # Letters with accents Latin-1 lacks (e.g. "ő") lose only the accent.
        base = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
        out.append(base or "?")
    # An em dash between spaces would otherwise leave doubled spaces around its hyphen.
    return "".join(out).replace("  - ", " - ").replace(" -  ", " - ")


class _Sheet(FPDF):
    def __init__(self, footer: str) -> None:
        super().__init__(format="A4", unit="mm")
        self.footer_text = plain(footer)
        self.set_margins(16, 16, 16)
        self.set_auto_page_break(True, margin=18)
        self.set_creation_date(CREATED)
        self.set_creator("Trust Workshop Kit")

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, "", 8)
        self.set_text_color(*GREY)
        self.cell(0, 5, f"{self.footer_text} - page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(*INK)


def _room(pdf: FPDF, height: float) -> None:
    if pdf.will_page_break(height):
        pdf.add_page()


def _text(pdf: FPDF, text: str, size: float = 10.5, style: str = "", gap: float = 1.5) -> None:
    pdf.set_font(FONT, style, size)
    pdf.multi_cell(0, size * 0.5, plain(text), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(gap)


def _rule(pdf: FPDF, y: float, x: float | None = None) -> None:
    pdf.line(pdf.l_margin if x is None else x, y, pdf.w - pdf.r_margin, y)


def _lines(pdf: FPDF, block: Lines) -> None:
    _room(pdf, (6 if block.label else 0) + LINE_GAP * block.count + 3)  # label with its lines
    if block.label:
        _text(pdf, block.label, 10.5, "B", 0)
    pdf.set_draw_color(*GREY)
    for _ in range(block.count):
        pdf.ln(LINE_GAP)
        _rule(pdf, pdf.get_y())
    pdf.ln(3)


def _fill(pdf: FPDF, block: Fill) -> None:
    _room(pdf, LINE_GAP * len(block.parts) + 4)
    pdf.set_draw_color(*GREY)
    for part in block.parts:
        pdf.set_font(FONT, "B", 10.5)
        pdf.cell(pdf.get_string_width(plain(part)) + 2, LINE_GAP, plain(part))
        _rule(pdf, pdf.get_y() + LINE_GAP - 1.5, pdf.get_x())
        pdf.ln(LINE_GAP)
    pdf.ln(4)


def _checklist(pdf: FPDF, block: Checklist) -> None:
    pdf.set_font(FONT, "", 10.5)
    pdf.set_draw_color(*INK)
    for item in block.items:
        _room(pdf, 8)
        y = pdf.get_y()
        pdf.rect(pdf.l_margin, y + 1.2, 4, 4)
        pdf.set_x(pdf.l_margin + 7)
        pdf.multi_cell(0, 6.5, plain(item), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _grid(pdf: FPDF, block: Grid) -> None:
    row_height = 13 if block.tall else 8
    # Start a table on a fresh page rather than split it, when it fits on one page.
    estimate = (len(block.rows) + 1) * row_height + 6
    if estimate < pdf.eph - 20:
        _room(pdf, estimate)
    pdf.set_font(FONT, "", 9.5)
    pdf.set_draw_color(*GREY)
    heading = FontFace(emphasis="BOLD", fill_color=(235, 235, 235), size_pt=9)
    with pdf.table(
        col_widths=block.widths,
        line_height=5,
        text_align="LEFT",
        v_align="TOP",
        headings_style=heading,
        min_row_height=row_height,
        padding=1.5,
    ) as table:
        for row in (block.headers, *block.rows):
            cells = table.row()
            for text in row:
                cells.cell(plain(text))
    pdf.ln(3)


def _help(pdf: FPDF, block: HelpList) -> None:
    _text(pdf, f"Help lines ({block.region}):", 10.5, "", 1)
    for heading, rows in block.groups:
        _room(pdf, 16)
        _text(pdf, heading, 10.5, "B", 0.5)
        for r in rows:
            name = r.name + (f" ({r.hours})" if r.hours else "")
            _room(pdf, 14)
            _text(pdf, name, 9.5, "B", 0)
            if r.description:
                _text(pdf, r.description, 9, "", 0)
            _text(pdf, " - ".join(contact_ways(r)), 9, "", 1.5)


def _heading(pdf: FPDF, text: str, size: float = 12.5) -> None:
    _room(pdf, 22)  # never a heading alone at the foot of a page
    pdf.ln(2)
    pdf.set_text_color(*ACCENT)
    _text(pdf, text, size, "B", 1)
    pdf.set_text_color(*INK)


def _block(pdf: FPDF, block: Block) -> None:
    if isinstance(block, Heading):
        _heading(pdf, block.text)
    elif isinstance(block, Para):
        _text(pdf, block.text, 10, "", 1.5)
    elif isinstance(block, Lines):
        _lines(pdf, block)
    elif isinstance(block, Fill):
        _fill(pdf, block)
    elif isinstance(block, Checklist):
        _checklist(pdf, block)
    elif isinstance(block, Grid):
        _grid(pdf, block)
    elif isinstance(block, HelpList):
        _help(pdf, block)
    else:
        raise TypeError(f"not a handout block: {type(block).__name__}")


def _section(pdf: FPDF, title: str = "") -> None:
    _room(pdf, 30)
    pdf.ln(4)
    pdf.set_draw_color(*INK)
    pdf.set_line_width(0.6)
    _rule(pdf, pdf.get_y())
    pdf.set_line_width(0.2)
    pdf.ln(2)
    if title:
        _text(pdf, title, 15, "B", 1)


_STYLES = {
    "h2": TextStyle(font_size_pt=13, color=ACCENT, t_margin=4, b_margin=1, font_style="B"),
    "h3": TextStyle(font_size_pt=11.5, color=ACCENT, t_margin=3, b_margin=1, font_style="B"),
    "blockquote": TextStyle(font_style="I", color=(60, 60, 60), t_margin=2, b_margin=2),
    "p": TextStyle(t_margin=0, b_margin=2),
}


def render_pdf(handout: Handout, subtitle: str, compress: bool = True) -> bytes:
    """Return ``handout`` as PDF bytes (A4, built-in fonts)."""
    pdf = _Sheet(f"{handout.title} - Trust Workshop Kit - no names needed on this sheet")
    pdf.set_compression(compress)
    pdf.set_title(plain(handout.title))
    pdf.add_page()
    _text(pdf, handout.title, 20, "B", 1)
    pdf.set_text_color(*GREY)
    _text(pdf, subtitle, 10, "", 4)
    pdf.set_text_color(*INK)
    body = mistune.create_markdown(escape=True)(handout.body_markdown)
    pdf.set_font(FONT, "", 10.5)
    pdf.write_html(plain(body), tag_styles=_STYLES, font_family=FONT, li_prefix_color=ACCENT)
    _section(pdf, "On paper")
    for block in handout.exercise:
        _block(pdf, block)
    _section(pdf)
    for block in handout.safety:
        _block(pdf, block)
    return bytes(pdf.output())
