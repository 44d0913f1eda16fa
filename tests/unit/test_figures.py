"""Step 6's figure builders: empty, one-point and long data; wording, palette, size, safety."""

from __future__ import annotations

import html
import json
import re
from datetime import timedelta

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from tests.conftest import make_couple
from tests.unit._progress_helpers import START, add_checkins, add_note, frame, two_years
from trust_widgets import figures as F
from trust_widgets.progress_data import (
    checkins_frame,
    followthrough_days,
    weekly_followthrough,
    wins_frame,
)

BOUND = 300 * 1024
COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b|rgba?\([^)]*\)")


def couple_frame(me: list[float], partner: list[float], shared: bool = True) -> pd.DataFrame:
    ben = frame(partner, who="partner").assign(name="Ben", shared=shared)
    return pd.concat([frame(me), ben], ignore_index=True)


def follow_days(n: int, owners=("me", "partner")) -> pd.DataFrame:
    rows = [
        {"day": pd.Timestamp(START + timedelta(days=i)), "who": w, "name": w, "promise_id": 1,
         "due": 1, "kept": int(i % 3 != 0)}
        for w in owners for i in range(n)
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["day", "who", "name", "promise_id", "due", "kept"])


def wins(n: int, text: str = "We laughed at dinner") -> pd.DataFrame:
    rows = [(pd.Timestamp(START + timedelta(days=i)), "me", "Ana", True, text) for i in range(n)]
    return pd.DataFrame(rows, columns=["day", "who", "name", "shared", "text"])


def build_all(checkins, days, win_frame) -> dict[str, go.Figure]:
    return {
        "trajectory": F.trajectory_figure(checkins),
        "gap": F.gap_figure(checkins),
        "followthrough": F.followthrough_figure(weekly_followthrough(days)),
        "calendar": F.calendar_figure(days),
        "wins": F.wins_figure(win_frame),
    }


def traces(fig: go.Figure) -> int:
    return len(fig.data)


def annotation(fig: go.Figure) -> str:
    return " ".join(a.text for a in fig.layout.annotations)


SIZES = {"empty": 0, "one": 1, "long": 730}


@pytest.fixture(params=list(SIZES))
def figures(request) -> tuple[str, dict[str, go.Figure]]:
    n = SIZES[request.param]
    checkins = couple_frame([5.0 + (i % 3) for i in range(n)], [6.0] * n)
    return request.param, build_all(checkins, follow_days(n), wins(n))


def test_every_builder_handles_empty_one_point_and_long_data(figures):
    """Does every builder explain empty data and draw one point and two years?"""
    size, figs = figures
    for name, fig in figs.items():
        if size == "empty":
            assert traces(fig) == 0 and "yet" in annotation(fig), name
        else:
            assert traces(fig) >= 1 and not fig.layout.annotations, name


def test_empty_states_say_how_to_start():
    """Does each empty state point to the step where the data comes from?"""
    assert "step 4" in annotation(F.trajectory_figure(couple_frame([], [])))
    assert "both shared" in annotation(F.gap_figure(couple_frame([], [])))
    assert "step 4" in annotation(F.followthrough_figure(weekly_followthrough(follow_days(0))))
    assert "step 4" in annotation(F.wins_figure(wins(0)))


def test_trajectory_words_are_honest():
    """Does the subtitle say up, flat or down per person, and that it shows no cause?"""
    fig = F.trajectory_figure(couple_frame([3 + 0.2 * i for i in range(28)], [6.0] * 28))
    subtitle = html.unescape(fig.layout.title.subtitle.text.replace("<br>", " "))
    assert "Your trust ratings: up" in subtitle and "Ben's shared trust ratings: flat" in subtitle
    assert "not its cause" in subtitle
    down = F.trajectory_figure(frame([8 - 0.2 * i for i in range(28)]))
    assert "down" in down.layout.title.subtitle.text
    one = F.trajectory_figure(frame([5.0]))
    assert "not enough" in one.layout.title.subtitle.text and traces(one) == 1


def test_gap_uses_only_days_both_shared():
    """Is the gap drawn only on days both partners shared, as an absolute difference?"""
    both = couple_frame([3.0, 3.0, 3.0], [7.0, 7.0, 7.0])
    both.loc[0, "shared"] = False  # my private day 1 stays out of the comparison
    fig = F.gap_figure(both)
    assert list(fig.data[0].x) == ["2025-01-07", "2025-01-08"] and list(fig.data[0].y) == [4, 4]
    assert "yet" in annotation(F.gap_figure(frame([5.0] * 5)))  # no partner: nothing to compare


def test_followthrough_bars_show_kept_against_due():
    """Are there due and kept bars per owner, with the counts of the week?"""
    fig = F.followthrough_figure(weekly_followthrough(follow_days(7, owners=("me",))))
    due, kept = fig.data
    assert (due.name, kept.name) == (
        "You: due",
        "You: kept",
    ) and due.offsetgroup == kept.offsetgroup
    assert (list(due.y), list(kept.y)) == ([7], [4])


def test_calendar_is_weeks_by_weekdays_of_the_latest_quarter():
    """Does the calendar show 13 weeks of 7 days, with rates and gaps left empty?"""
    fig = F.calendar_figure(follow_days(730, owners=("me",)))
    heat = fig.data[0]
    assert len(heat.z) == F.CALENDAR_WEEKS and all(len(row) == 7 for row in heat.z)
    values = [v for row in heat.z for v in row if v is not None]
    assert set(values) <= {0.0, 1.0} and 0 < len(values) <= 7 * F.CALENDAR_WEEKS


def test_win_text_is_escaped_and_truncated():
    """Is win text escaped for plotly's HTML-ish labels and clipped in the hover?"""
    fig = F.wins_figure(wins(1, "<a href='javascript:alert(1)'>x</a> " + "y" * 300))
    [text] = fig.data[0].text
    assert "<a" not in text and "&lt;a href=&#x27;javascript" in text and text.endswith("…")
    assert len(text) < 120


def test_names_are_escaped():
    """Is a partner's name escaped wherever it appears in a figure?"""
    df = couple_frame([5.0] * 3, [5.0] * 3).assign(name=lambda d: d["name"].where(
        d["who"] == "me", "<img src=x onerror=alert(1)>"))  # fmt: skip
    raw = F.trajectory_figure(df).to_json()
    assert "<img" not in raw and "&lt;img" in raw


def test_palette_is_colour_blind_safe(figures):
    """Does every colour in every figure come from the Okabe-Ito palette or its neutrals?"""
    _, figs = figures
    assert {"#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7"} <= F.PALETTE
    for name, fig in figs.items():
        used = set(COLOUR.findall(fig.to_json()))
        assert used and {c.upper() for c in used} <= F.PALETTE, (name, used)


def test_figures_are_phone_readable_and_self_contained(figures):
    """Are figures autosized, legends horizontal, fonts >= 12 px, and free of any URL?"""
    _, figs = figures
    for name, fig in figs.items():
        raw = fig.to_json()
        assert fig.layout.autosize and fig.layout.legend.orientation == "h", name
        sizes = [
            int(s) for s in re.findall(r'"size":\s*(\d+)', json.dumps(fig.layout.to_plotly_json()))
        ]
        assert min(sizes) >= 12, name
        assert not re.search(r"https?:|//cdn|cdn\.|plotly(\.min)?\.js|<script", raw, re.I), name


def test_figures_do_not_depend_on_the_global_template(figures, monkeypatch):
    """Is a figure the same whatever plotly's default template is?"""
    size, figs = figures
    n = SIZES[size]
    monkeypatch.setattr(pio.templates, "default", "plotly_dark")
    again = build_all(couple_frame([5.0 + (i % 3) for i in range(n)], [6.0] * n),
                      follow_days(n), wins(n))  # fmt: skip
    for name, fig in figs.items():
        assert again[name].to_json() == fig.to_json(), name


def test_two_years_stay_under_300_kb(engine, couple, other_couple):
    """Is each figure's JSON at most 300 KB for two years of daily data from both partners?"""
    two_years(engine, couple)
    add_checkins(engine, other_couple.a, [START], level=1)  # another couple: never counted
    add_note(engine, couple.a, START, "NOTE-MARKER-2c")
    me = couple.a.partner_id
    checkins = checkins_frame(engine, me)
    assert len(checkins) == 1460
    figs = build_all(checkins, followthrough_days(engine, me), wins_frame(engine, me))
    for name, fig in figs.items():
        size = len(fig.to_json())
        assert 0 < size <= BOUND, (name, size)
        assert "NOTE-MARKER-2c" not in fig.to_json()


def test_two_years_for_a_second_couple_in_the_same_store(engine):
    """Does a third couple in the same store get figures from its own rows only?"""
    ours, theirs = make_couple(engine, "Eve", "Fin"), make_couple(engine, "Gus", "Hal")
    add_checkins(engine, theirs.a, [START, START + timedelta(days=1)], level=9)
    assert "yet" in annotation(F.trajectory_figure(checkins_frame(engine, ours.a.partner_id)))
