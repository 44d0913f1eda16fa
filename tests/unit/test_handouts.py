"""Printable handouts: self-contained HTML, offline PDF, the exercise on paper, no personal data."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from trust_widgets import resources
from trust_widgets._handout_pdf import plain
from trust_widgets._handout_text import PAGES, paper_markdown, rule_matches
from trust_widgets.boundaries import ANSWERS, GUIDE_TOPICS
from trust_widgets.handouts import (
    HANDOUT_STEPS,
    handout_html,
    handout_pdf,
    index_html,
    write_handouts,
)
from trust_widgets.instrument import load_instrument
from trust_widgets.resources import ENV_VAR

GUIDE_STEPS = range(1, 7)
HEADER = "category,name,phone,text,url,hours,description"


@pytest.fixture
def shipped(monkeypatch):
    """The resource files in data/resources/, read afresh."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    resources.clear_cache()
    yield
    resources.clear_cache()


@pytest.fixture
def odd_region(tmp_path, monkeypatch):
    """A resource folder whose one region has markup and non-Latin-1 text in it."""
    (tmp_path / "zz.csv").write_text(
        f"{HEADER}\n"
        'abuse,<b>Helpline</b> “Zoë” — 電話,555,,https://example.org/?a=1&b=2,24/7,"Call… ≥ 1"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    resources.clear_cache()
    yield "zz"
    resources.clear_cache()


def pdf_text(data: bytes) -> str:
    """The text drawn in an uncompressed PDF, joined (fpdf2 writes it as (...) Tj)."""
    return " ".join(
        m.decode("latin-1").replace("\\(", "(").replace("\\)", ")")
        for m in re.findall(rb"\((.*?)(?<!\\)\)\s*Tj", data)
    )


def pages(data: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", data))


@pytest.mark.parametrize("step", GUIDE_STEPS)
def test_every_guide_step_has_a_self_contained_handout(shipped, step):
    """Does each guide step's HTML stand alone: no script, nothing fetched from outside?"""
    html = handout_html(step)
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html
    assert "<script" not in html.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert "@import" not in html and "url(" not in html
    assert "<link" not in html.lower() and "<img" not in html.lower()
    assert f"handout for step {step} of 6" in html


@pytest.mark.parametrize("step", HANDOUT_STEPS)
def test_every_handout_carries_the_safety_note(shipped, step):
    """Does every sheet say what to do if afraid of the partner, and where help is?"""
    html = handout_html(step)
    assert "If you are afraid of your partner, joint exercises may not be safe" in html
    assert "Paper has no privacy setting" in html
    assert "In danger or in crisis right now" in html  # the region's crisis lines
    assert "findahelpline.com" in html  # shown as text, not as a link


def test_step_2_has_the_i_statement_template(shipped):
    """Does step 2's sheet give the I feel / when / because / I need lines?"""
    html = handout_html(2)
    for part in ("I feel", "when", "because", "I need"):
        assert f"<span>{part}</span><span></span>" in html
    assert html.count('class="tw-fill-set"') == 2


def test_step_3_has_the_boundary_table(shipped):
    """Does step 3's sheet list every guide topic with okay / not okay / discussion boxes?"""
    html = handout_html(3)
    for _, title in GUIDE_TOPICS:
        assert f"<td>{title.replace(chr(39), '&#x27;')}</td>" in html
    for label, _ in ANSWERS:
        assert f"<th>{label}</th>" in html


def test_step_4_has_a_week_of_check_ins_from_the_instrument(shipped):
    """Does step 4's sheet have seven check-in rows and every check-in question?"""
    html = handout_html(4)
    for day in range(1, 8):
        assert f"<td>Day {day}</td>" in html
    for item in load_instrument().items:
        assert item.label.replace("'", "&#x27;") in html


def test_no_screen_talk_on_paper():
    """Is the page text adapted: no sliders, no coach, no 'this page' on a sheet of paper?"""
    for step in HANDOUT_STEPS:
        _, text = paper_markdown(step)
        for phrase in ("this page", "slider", "The coach", "as you type", "below, your"):
            assert phrase.lower() not in text.lower(), (step, phrase)


@pytest.mark.parametrize("step", sorted(PAGES))
def test_every_paper_rule_still_matches_its_page(step):
    """Does each paper rewrite still find its paragraph or phrase once in the page text?"""
    for rule, count in rule_matches(step):
        assert count == 1, (step, rule)


@pytest.mark.parametrize("step", [0, 8, -1, "2", 2.0, True, None])
def test_unknown_steps_are_refused(step):
    """Does asking for a handout that does not exist give a clear ValueError?"""
    with pytest.raises(ValueError, match="no handout for step"):
        handout_html(step)
    with pytest.raises(ValueError, match="no handout for step"):
        handout_pdf(step)


def test_resource_text_is_escaped(odd_region):
    """Is markup in a resource file shown as text, and its URL not turned into a link?"""
    html = handout_html(3, odd_region)
    assert "<b>Helpline</b>" not in html and "&lt;b&gt;Helpline&lt;/b&gt;" in html
    assert "example.org/?a=1&amp;b=2" in html and "href" not in html


def test_without_a_region_the_sheet_points_to_help(shipped):
    """With no region, does the sheet point to the facilitator and step 5 instead of a list?"""
    html = handout_html(1, None)
    assert "Your facilitator can give you a list of help lines" in html
    assert "In danger or in crisis right now" not in html


def test_unknown_region_is_a_clear_error(shipped):
    """Does a region with no file give a ValueError naming it?"""
    with pytest.raises(ValueError, match="no resource list for region 'xx'"):
        handout_html(1, "xx")


@pytest.mark.parametrize("step", HANDOUT_STEPS)
def test_pdf_has_pages_and_the_steps_text(shipped, step):
    """Is each PDF a PDF with at least one page, carrying its title and safety note?"""
    data = handout_pdf(step, compress=False)
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert pages(data) >= 1
    text = pdf_text(data)
    assert "Your safety and privacy" in text
    assert "If you are afraid of your partner" in text
    assert "no names needed on this sheet" in text


def test_pdf_step_2_has_the_template_and_plain_quotes(shipped):
    """Does step 2's PDF have the template, with typographic characters spelt plainly?"""
    text = pdf_text(handout_pdf(2, compress=False))
    for part in ("I feel", "when", "because", "I need", "1. Get it out"):
        assert part in text
    assert '"you never..."' in text  # from “you never…” on the page


def test_pdf_survives_characters_outside_latin_1(odd_region):
    """Does a resource with curly quotes, dashes and CJK text still give a PDF?"""
    text = pdf_text(handout_pdf(1, odd_region, compress=False))
    assert '<b>Helpline</b> "Zo\xeb" - ??' in text
    assert "Call... >= 1" in text


def test_compressed_pdf_is_the_default_and_repeatable(shipped):
    """Is the default PDF compressed, and are two builds byte-for-byte the same?"""
    first, second = handout_pdf(6), handout_pdf(6)
    assert first == second and b"/FlateDecode" in first
    assert b"no names needed" not in first


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“quoted” ‘single’", "\"quoted\" 'single'"),
        ("a — b", "a - b"),
        ("a—b", "a - b"),
        ("2–3", "2-3"),
        ("wait…", "wait..."),
        ("≥ 5 ≤ 9 → ok", ">= 5 <= 9 -> ok"),
        ("café Zoë", "café Zoë"),
        ("Łódź œuvre", "Lódz oeuvre"),
        ("電話", "??"),
    ],
)
def test_plain_spells_typography_in_latin_1(text, expected):
    """Are typographic characters spelt in characters the built-in PDF fonts can draw?"""
    assert plain(text) == expected
    assert all(ord(c) < 256 for c in plain(text))


def test_write_handouts_writes_every_file_and_an_index(shipped, tmp_path):
    """Does write_handouts write step-1 … step-7 as HTML and PDF, plus a relative index?"""
    written = write_handouts(tmp_path / "out")
    names = {p.name for p in written}
    assert {f"step-{n}.{ext}" for n in range(1, 8) for ext in ("html", "pdf")} <= names
    assert written[-1].name == "index.html" and len(written) == 15
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert 'href="step-3.pdf"' in index and "http" not in index
    assert (tmp_path / "out" / "step-4.pdf").read_bytes().startswith(b"%PDF-")


def test_write_handouts_writes_nothing_on_error(shipped, tmp_path):
    """Does a bad region leave the output folder untouched?"""
    with pytest.raises(ValueError):
        write_handouts(tmp_path / "out", region="xx")
    assert not (tmp_path / "out").exists()


def test_index_escapes_the_region(shipped):
    """Is the region named on the index page escaped?"""
    assert "&lt;x&gt;" in index_html("<x>")


def test_handouts_never_open_the_store(tmp_path):
    """Does making every handout leave the store alone (no file created, nothing read)?"""
    store = tmp_path / "never.sqlite3"
    code = (
        "from trust_widgets.handouts import handout_html, handout_pdf\n"
        "html, pdf = handout_html(4), handout_pdf(5)\n"
        "print(pdf[:5].decode())\n"
    )
    env = {"TRUST_WIDGETS_DB": f"sqlite:///{store}", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "%PDF-"
    assert not store.exists()
