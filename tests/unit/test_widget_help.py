"""Step 5's help planner, headless: private readiness, the region switch, the safety path."""

from __future__ import annotations

import subprocess
import sys
from typing import get_args

import pytest
from sqlalchemy import func, select
from traitlets import TraitError

from trust_widgets import resources
from trust_widgets._help_schema import Choice
from trust_widgets.resources import ENV_VAR, load_resources
from trust_widgets.store.engine import session_factory
from trust_widgets.store.entries import visible_entries
from trust_widgets.store.models import Partner, Reflection, Visibility
from trust_widgets.widget_help import (
    AREAS,
    CHOICES,
    COUPLES_HEADING,
    SAFETY_NOTE,
    HelpPlanner,
    guidance_html,
    resource_html,
    visible_categories,
)


@pytest.fixture(autouse=True)
def shipped_resources(monkeypatch):
    """Every test here reads the shipped files unless it points elsewhere itself."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    resources.clear_cache()
    yield
    resources.clear_cache()


def reflections(engine) -> list[Reflection]:
    with session_factory(engine)() as s:
        return list(s.scalars(select(Reflection)))


def region_of(engine, partner_id: int) -> str:
    with session_factory(engine)() as s:
        return s.get(Partner, partner_id).region


def answer(form: HelpPlanner, **values: str) -> None:
    for area, value in values.items():
        form.choices[area].value = value  # as the browser would set it


def test_save_creates_one_private_reflection_and_resave_updates_it(engine, couple):
    """Does saving store one private step-5 reflection, updated in place on re-save?"""
    form = HelpPlanner(engine, couple.a)
    answer(form, hurt="yes", communication="maybe", connection="not-now")
    form.note = "  I want to talk to someone about last year.  "
    form.save_button.click()
    [row] = reflections(engine)
    assert (row.step, row.topic, row.visibility) == (5, "readiness", Visibility.PRIVATE)
    assert row.answers == {"hurt": "yes", "communication": "maybe", "connection": "not-now"}
    assert row.body == "I want to talk to someone about last year."
    assert "Only you can see it" in form.status.value
    answer(form, connection="yes")
    form.save_button.click()
    [again] = reflections(engine)
    assert again.id == row.id and again.answers["connection"] == "yes"


def test_saved_answers_come_back_on_the_next_visit(engine, couple):
    """Does a new page for the same partner show what they saved?"""
    form = HelpPlanner(engine, couple.a)
    answer(form, hurt="maybe", communication="yes", connection="yes")
    form.note = "later"
    form.save_button.click()
    again = HelpPlanner(engine, couple.a)
    assert {a: c.value for a, c in again.choices.items()} == {
        "hurt": "maybe",
        "communication": "yes",
        "connection": "yes",
    }
    assert again.note == "later"


def test_missing_answer_shows_an_error_next_to_it_and_writes_nothing(engine, couple):
    """Does leaving an area unanswered show a message next to it, and save nothing?"""
    form = HelpPlanner(engine, couple.a)
    answer(form, hurt="yes", communication="maybe")
    form.save_button.click()
    assert "tw-error" in form.errors["connection"].value
    assert "not now" in form.errors["connection"].value
    assert form.errors["hurt"].value == ""
    assert reflections(engine) == []


def test_partner_never_sees_the_readiness_reflection(engine, couple):
    """Is A's readiness invisible to B, through the access rules and on B's own page?"""
    a = HelpPlanner(engine, couple.a)
    answer(a, hurt="yes", communication="yes", connection="yes")
    a.note = "secret note"
    a.save_button.click()
    seen_by_b = visible_entries(engine, couple.b.partner_id, Reflection)
    assert [e for e in seen_by_b if e.step == 5] == []
    b = HelpPlanner(engine, couple.b)
    assert all(c.value is None for c in b.choices.values()) and b.note == ""


def test_flag_is_not_stored_and_does_not_change_the_partners_page(engine, couple):
    """Does a flagged page leave no trace that B's page or the store could reveal?"""
    before = HelpPlanner(engine, couple.b).resources_box.value
    a = HelpPlanner(engine, couple.a, flagged=True)
    answer(a, hurt="yes", communication="not-now", connection="maybe")
    a.save_button.click()
    [row] = reflections(engine)
    assert set(row.answers) == set(AREAS)
    assert HelpPlanner(engine, couple.b).resources_box.value == before


def test_region_switch_saves_the_region_and_shows_its_list(engine, couple):
    """Does choosing the US save A's region, show the US hotline, and leave B alone?"""
    form = HelpPlanner(engine, couple.a)
    assert form.region_input.value == "intl"
    assert "1-800-799-7233" not in form.resources_box.value
    form.region_input.value = "us"
    assert region_of(engine, couple.a.partner_id) == "us"
    assert region_of(engine, couple.b.partner_id) == "intl"
    assert "1-800-799-7233" in form.resources_box.value
    assert HelpPlanner(engine, couple.a).region == "us"  # remembered


def test_invalid_region_values_are_refused(engine, couple):
    """Are regions that are not offered refused on the Python side, with nothing saved?"""
    form = HelpPlanner(engine, couple.a)
    for bad in ("xx", "../../etc/passwd", "US"):
        with pytest.raises(TraitError):
            form.region_input.value = bad
        with pytest.raises(TraitError):
            form.region = bad
    assert form.region == "intl" and region_of(engine, couple.a.partner_id) == "intl"


def test_unknown_stored_region_falls_back_to_international(engine, couple):
    """If a partner's region file was removed, does the page show International instead?"""
    with session_factory(engine).begin() as s:
        s.get(Partner, couple.a.partner_id).region = "zz"
    assert HelpPlanner(engine, couple.a).region == "intl"


def test_flagged_hides_couples_therapy_and_puts_safety_first(engine, couple):
    """Does a flagged page skip couples therapy and list abuse, then crisis, resources first?"""
    form = HelpPlanner(engine, couple.a, flagged=True)
    form.region_input.value = "us"
    shown = form.resources_box.value
    assert "tw-resource-couples-therapy" not in shown and "AAMFT" not in shown
    assert shown.index(SAFETY_NOTE.split(";")[0]) < shown.index("tw-resource-abuse")
    assert shown.index("tw-resource-abuse") < shown.index("tw-resource-crisis")
    assert shown.index("tw-resource-crisis") < shown.index("tw-resource-individual-therapy")
    assert "tw-resource-support-group" in shown
    # and the resources come before the reflection on a flagged page
    actions = next(c for c in form.children if form.save_button in getattr(c, "children", ()))
    assert form.children.index(form.resources_box) < form.children.index(actions)


def test_unflagged_shows_couples_therapy_first(engine, couple):
    """Does an unflagged page list couples therapy first, and every category?"""
    shown = HelpPlanner(engine, couple.a).resources_box.value
    assert shown.index("tw-resource-couples-therapy") < shown.index("tw-resource-individual")
    for category in visible_categories(False):
        assert f"tw-resource-{category}" in shown
    assert SAFETY_NOTE not in shown


def test_visible_categories():
    """Is couples therapy shown exactly when the partner is not flagged?"""
    assert "couples-therapy" not in visible_categories(True)
    assert visible_categories(True)[:2] == ["abuse", "crisis"]
    assert visible_categories(False)[0] == "couples-therapy"
    assert set(visible_categories(False)) == set(resources.CATEGORIES)


def test_resource_fields_are_escaped(tmp_path, monkeypatch):
    """Is a resource named <script> shown as text, with its url escaped and links safe?"""
    (tmp_path / "xx.csv").write_text(
        "category,name,phone,text,url,hours,description\n"
        'abuse,<script>alert(1)</script>,<b>1</b>,,"https://example.org/?a=""x""&b=<i>",'
        "<i>24/7</i>,<img src=x onerror=alert(2)>\n",
        encoding="utf-8",
    )
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    resources.clear_cache()
    html = resource_html(load_resources("xx"), flagged=False)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    for raw in ("<script>", "<b>1", "<img", "<i>", '""x'):
        assert raw not in html
    assert 'href="https://example.org/?a=&quot;x&quot;&amp;b=&lt;i&gt;"' in html
    assert 'rel="noopener noreferrer" target="_blank"' in html


def test_links_open_in_a_new_tab_without_referrer(engine, couple):
    """Does every link in the list carry rel=noopener noreferrer and target=_blank?"""
    shown = HelpPlanner(engine, couple.a).resources_box.value
    assert shown.count("<a ") == shown.count('rel="noopener noreferrer" target="_blank"') > 0
    assert 'class="tw-help-resources"' in shown


def test_signed_out_page_offers_sign_in_and_still_lists_help(engine):
    """Without a viewer, is there a sign-in hint and still a working resource list?"""
    form = HelpPlanner(engine, None)
    assert "welcome page" in form.children[0].value
    form.region_input.value = "us"
    assert "1-800-799-7233" in form.resources_box.value


def test_store_failure_shows_a_calm_message(engine, couple, monkeypatch):
    """When the store fails mid-save, does the partner get a message, not a traceback?"""
    from sqlalchemy.exc import OperationalError

    import trust_widgets.widget_help as module

    def broken(*_args, **_kwargs):
        raise OperationalError("UPDATE", {}, Exception("database is locked"))

    monkeypatch.setattr(module, "save_readiness", broken)
    monkeypatch.setattr(module, "set_partner_region", broken)
    form = HelpPlanner(engine, couple.a)
    answer(form, hurt="yes", communication="yes", connection="yes")
    form.save_button.click()
    assert "Nothing was changed" in form.errors["form"].value
    assert "locked" not in form.errors["form"].value
    form.region_input.value = "us"
    assert "Nothing was changed" in form.errors["region"].value
    assert "1-800-799-7233" in form.resources_box.value  # the list still switches


def test_broken_file_after_opening_shows_a_safe_fallback(engine, couple, tmp_path, monkeypatch):
    """If a region file breaks while the page is open, is there a calm fallback, not an error?"""
    for name in ("intl", "us"):
        (tmp_path / f"{name}.csv").write_text(
            "category,name,phone,text,url,hours,description\ncrisis,E,911,,,,\n", encoding="utf-8"
        )
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    resources.clear_cache()
    form = HelpPlanner(engine, couple.a)
    (tmp_path / "us.csv").write_text("nonsense\n", encoding="utf-8")
    form.region_input.value = "us"
    assert "local emergency number" in form.resources_box.value


def test_note_is_clipped_and_long_notes_are_refused_politely(engine, couple):
    """Is a huge synced note clipped, and does the schema agree with the widget's choices?"""
    form = HelpPlanner(engine, couple.a)
    form.note = "x" * 100_000
    assert len(form.note) == 2000
    assert set(get_args(Choice)) == {value for _, value in CHOICES}


def test_guidance_content_has_no_html_and_skips_couples_therapy_when_flagged():
    """Is the step's Markdown free of raw HTML, with the couples section dropped when flagged?"""
    from importlib.resources import files

    source = (files("trust_widgets") / "content" / "05_professional_help.md").read_text("utf-8")
    after = (files("trust_widgets") / "content" / "05_after.md").read_text("utf-8")
    assert "<" not in source and "<" not in after
    assert COUPLES_HEADING + "\n" in source and "Step 6" in after
    assert "<h2>Couples therapy</h2>" in guidance_html(False)
    flagged = guidance_html(True)
    assert "Couples therapy</h2>" not in flagged
    assert "First, safety" in flagged and "How to find help" in flagged


def test_page_import_stays_light():
    """Does importing the widget leave pydantic, pandas and plotly unloaded?"""
    code = (
        "import sys, trust_widgets.widget_help; "
        "print(sorted(m for m in ('pydantic', 'pandas', 'plotly') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_counts_stay_at_one_row_per_partner(engine, couple):
    """Do both partners saving give exactly one readiness row each?"""
    for viewer in (couple.a, couple.b, couple.a):
        form = HelpPlanner(engine, viewer)
        answer(form, hurt="maybe", communication="maybe", connection="maybe")
        form.save_button.click()
    with session_factory(engine)() as s:
        counts = s.execute(
            select(Reflection.author_id, func.count()).group_by(Reflection.author_id)
        ).all()
    assert sorted(n for _, n in counts) == [1, 1]


def test_readiness_can_be_deleted_by_its_author(engine, couple):
    """Can a partner delete their readiness answers (after confirming), leaving no row?"""
    from trust_widgets.widget_help import HelpPlanner, load_readiness

    form = HelpPlanner(engine, couple.a)
    for choice in form.choices.values():
        choice.value = "maybe"
    form.save()
    assert load_readiness(engine, couple.a.partner_id) is not None
    form.delete_button.click()
    assert load_readiness(engine, couple.a.partner_id) is not None  # first click only asks
    form.delete_button.click()
    assert load_readiness(engine, couple.a.partner_id) is None
