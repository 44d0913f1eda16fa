"""The facilitator's group figures: hidden counts drawn as hidden, small and self-contained."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go
import pytest

from trust_widgets import group_figures as GF
from trust_widgets import group_progress as G
from trust_widgets._figure_style import PALETTE, wrap
from trust_widgets.boundaries import GUIDE_TOPICS

H = pd.NA
K = 5
START = date(2026, 3, 2)
COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b|rgba?\([^)]*\)")


def framed(rows: list, columns: list[str], **attrs) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    for name in ("couples", "partners", "row_partners"):
        if name in frame:
            frame[name] = frame[name].astype("Int64")
    frame.attrs.update({"k": K} | attrs)
    return frame


def funnel(values, total=20) -> pd.DataFrame:
    titles = ["Understand the root", "Communicate openly", "Set healthy boundaries",
              "Be consistent and transparent", "Consider professional help"]  # fmt: skip
    rows = list(zip(range(1, 6), titles, values, strict=True))
    return framed(rows, G.FUNNEL_COLUMNS, total=total)


def participation(values, total=20) -> pd.DataFrame:
    rows = [(START + timedelta(i), v) for i, v in enumerate(values)]
    return framed(rows, G.PARTICIPATION_COLUMNS, total=total)


def topics(values, total=20) -> pd.DataFrame:
    rows = [(key, title, v) for (key, title), v in zip(GUIDE_TOPICS, values, strict=True)]
    return framed(rows, G.TOPIC_COLUMNS, total=total)


def trust(weeks: dict[int, tuple[list, object]], item="faith") -> pd.DataFrame:
    """Rows for one item: week -> ([low, middle, high], row total)."""
    labels = {"low": "Low (0-3)", "middle": "Middle (4-6)", "high": "High (7-10)"}
    rows = [
        (w, START + timedelta(7 * (w - 1)), item, b, labels[b], cell, total)
        for w, (cells, total) in weeks.items()
        for b, cell in zip(labels, cells, strict=True)
    ]
    return framed(rows, G.TRUST_COLUMNS)


def hidden_trace(fig: go.Figure):
    [trace] = [t for t in fig.data if t.name and t.name.startswith("Hidden")]
    return trace


def shown_traces(fig: go.Figure):
    return [t for t in fig.data if not (t.name or "").startswith("Hidden")]


def subtitle(fig: go.Figure) -> str:
    return html.unescape(fig.layout.title.subtitle.text.replace("<br>", " "))


def annotation(fig: go.Figure) -> str:
    return " ".join(a.text for a in fig.layout.annotations)


def all_figures() -> dict[str, go.Figure]:
    return {
        "funnel": GF.funnel_figure(funnel([15, 15, H, 10, 5])),
        "participation": GF.participation_figure(participation([10, 6, H, 0, 0, 0, 0, H])),
        "trust": GF.trust_figure(trust({1: ([H, H, 7], 12), 2: ([H, H, H], H)}), "faith"),
        "topics": GF.topics_figure(topics([9, 6, 0, H])),
    }


def test_a_hidden_step_is_a_hatched_bar_never_a_zero():
    """Is a suppressed step drawn apart, hatched, across the scale and marked hidden, with
    only the shown steps in the counts' bars?"""
    fig = GF.funnel_figure(funnel([15, 15, H, 10, 5]))
    [shown] = shown_traces(fig)
    hidden = hidden_trace(fig)
    labels = [html.unescape(t.replace("<br>", " ")) for t in shown.y]
    assert [label[:2] for label in labels] == ["1.", "2.", "4.", "5."]
    assert list(shown.x) == [15, 15, 10, 5]
    assert [t.replace("<br>", " ") for t in hidden.y] == ["3. Set healthy boundaries"]
    assert list(hidden.x) == [20] and list(hidden.text) == ["hidden"]
    assert hidden.marker.pattern.shape == "/" and "fewer than 5" in hidden.hovertemplate
    assert fig.layout.showlegend and "1 to 4 couples are hidden" in subtitle(fig)


def test_nothing_hidden_means_no_hidden_trace_or_legend():
    """Does a funnel with nothing suppressed draw one trace and no legend?"""
    fig = GF.funnel_figure(funnel([20, 15, 10, 5, 0]))
    assert len(fig.data) == 1 and not fig.layout.showlegend
    assert list(fig.data[0].x) == [20, 15, 10, 5, 0]  # a true 0 is a shown 0


@pytest.mark.parametrize("build", [GF.funnel_figure, GF.participation_figure, GF.topics_figure])
def test_small_and_empty_workshops_explain_instead_of_drawing(build):
    """Does a workshop too small to show, or with nobody yet, get words and no bars?"""
    maker = {GF.funnel_figure: funnel, GF.participation_figure: participation,
             GF.topics_figure: topics}[build]  # fmt: skip
    size = {funnel: 5, participation: 3, topics: len(GUIDE_TOPICS)}[maker]
    small = build(maker([H] * size, total=None))
    assert not small.data and "Fewer than 5 couples have joined" in annotation(small)
    empty = build(maker([0] * size, total=0))
    assert not empty.data and "No couples" in annotation(empty)


def test_hidden_days_are_marked_not_dropped_or_zeroed():
    """Are hidden days drawn full height and unlabelled, days with none drawn as 0?"""
    fig = GF.participation_figure(participation([10, 6, H, 0, 0, 0, 0, H]))
    [shown] = shown_traces(fig)
    hidden = hidden_trace(fig)
    assert list(shown.x) == ["2026-03-02", "2026-03-03", *(f"2026-03-0{d}" for d in (5, 6, 7, 8))]
    assert list(shown.y) == [10, 6, 0, 0, 0, 0]
    assert list(hidden.x) == ["2026-03-04", "2026-03-09"] and list(hidden.y) == [20, 20]
    assert hidden.text is None  # a label per day is too busy; the legend names it
    assert "out of 20 joined" in subtitle(fig)
    assert "yet" in annotation(GF.participation_figure(participation([])))


def test_trust_shares_stack_to_the_whole_week_with_the_hidden_rest():
    """Does each week stack to 100 %, with hidden bins as one hatched rest and a hidden
    week as a whole hatched bar?"""
    df = trust({1: ([H, H, 7], 12), 2: ([H, H, H], H), 3: ([0, 0, 12], 12), 4: ([0, 0, 0], 0)})
    fig = GF.trust_figure(df, "faith")
    bins = {t.name: dict(zip(t.x, t.y, strict=True)) for t in shown_traces(fig)}
    hidden = dict(zip(hidden_trace(fig).x, hidden_trace(fig).y, strict=True))
    assert list(bins) == ["Low (0-3)", "Middle (4-6)", "High (7-10)"]
    week1, week2, week3 = "2026-03-02", "2026-03-09", "2026-03-16"
    assert bins["High (7-10)"][week1] == pytest.approx(58.3)
    assert hidden == {week1: pytest.approx(41.7), week2: 100.0}
    assert bins["High (7-10)"][week3] == 100.0 and bins["Low (0-3)"][week3] == 0.0
    assert "2026-03-23" not in str(fig.to_json())  # a week nobody shared: no bar at all
    texts = " ".join(hidden_trace(fig).customdata)
    assert "5 of 12 partners in Low (0-3) / Middle (4-6)" in texts and "Week 2" in texts
    assert "Week 1 starts 2 Mar 2026" in subtitle(fig)
    assert fig.layout.barmode == "stack"


def test_one_trust_figure_per_item_and_words_when_none():
    """Is there one figure per trust item, and words when nobody shared a check-in?"""
    both = pd.concat([trust({1: ([0, 0, 12], 12)}, i) for i in ("faith", "predictability")])
    both.attrs = {"k": K}
    figs = GF.trust_figures(both)
    assert [f.layout.title.text for f in figs] == ["Trust: faith", "Trust: predictability"]
    [empty] = GF.trust_figures(framed([], G.TRUST_COLUMNS))
    assert "No shared check-ins" in annotation(empty)


def test_topics_keep_the_frames_order_top_down_and_escape_titles():
    """Is the most frequent topic at the top, a hidden one hatched, and text escaped?"""
    fig = GF.topics_figure(topics([9, 6, 0, H]))
    order = list(fig.layout.yaxis.categoryarray)[::-1]
    assert order == [wrap(title, 26) for _, title in GUIDE_TOPICS]
    assert "each other&#x27;s" in fig.layout.yaxis.categoryarray[0]
    assert list(hidden_trace(fig).x) == [20]
    assert "Topics couples added are never shown" in subtitle(fig)


def test_frames_without_their_threshold_are_refused():
    """Is a frame not made by group_progress (no k or total) refused, not guessed at?"""
    bare = funnel([20, 15, 10, 5, 0])
    bare.attrs = {}
    with pytest.raises(ValueError, match="group_progress"):
        GF.funnel_figure(bare)


def test_palette_and_self_contained():
    """Do the figures use only the palette, mention no address, and carry no script?"""
    for name, fig in all_figures().items():
        raw = fig.to_json()
        used = {c.upper() for c in COLOUR.findall(raw)}
        assert used and used <= PALETTE, (name, used)
        assert not re.search(r"https?:|//cdn|cdn\.|plotly(\.min)?\.js|<script", raw, re.I), name
        assert fig.layout.legend.orientation == "h" and fig.layout.autosize, name


def test_a_year_stays_small():
    """Are the figures for a year of days and weeks, half of them hidden, under 60 KB each?"""
    days = participation([H if i % 2 else 10 + i % 7 for i in range(366)])
    weeks = {w: ([H, H, 7], 12) if w % 2 else ([5, 6, 7], 18) for w in range(1, 54)}
    items = ("predictability", "dependability", "faith")
    year = pd.concat([trust(weeks, item) for item in items], ignore_index=True)
    year.attrs = {"k": K}
    figs = [GF.funnel_figure(funnel([15, 15, H, 10, 5])), GF.participation_figure(days),
            *GF.trust_figures(year), GF.topics_figure(topics([9, 6, 0, H]))]  # fmt: skip
    assert len(figs) == 6
    for fig in figs:
        assert 0 < len(fig.to_json()) <= 60 * 1024
