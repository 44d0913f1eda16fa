"""Step 6's figures: pure functions from a progress frame to a small ``go.Figure``.

Each builder takes a frame from :mod:`trust_widgets.progress_data`, aggregates it before
plotting (so a figure's JSON stays small at any data size), escapes every piece of user text
and explains an empty state in words. None embeds plotly.js or refers to any address:
the page draws it (see ``_plot_html``).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ._figure_style import (
    NEUTRALS,
    OKABE_ITO,
    PALETTE,
    WHO_COLOUR,
    WHO_DASH,
    WHO_SYMBOL,
    empty_figure,
    layout,
    who_label,
)
from ._html import esc
from .progress_data import ME, PARTNER, describe_trend, downsample, smooth, trend_direction

__all__ = ["PALETTE", "calendar_figure", "empty_figure", "followthrough_figure", "gap_figure",
           "trajectory_figure", "wins_figure"]  # fmt: skip

MAX_POINTS = 120  # per person and trace: beyond this, weekly (or wider) means
MAX_BARS = 40  # weeks of follow-through bars per person before weeks are merged
CALENDAR_WEEKS = 13  # a quarter: seven cells a row stay tappable on a phone
MAX_WINS, WIN_CHARS = 150, 80
NO_CHECKINS = (
    "No check-ins yet. Do your first daily check-in in step 4, “Be consistent and "
    "transparent”: your line starts with it."
)
NO_SHARED_DAYS = (
    "Nothing to compare yet. This view needs days when you both checked in and both shared "
    "the check-in."
)
NO_COMMITMENTS = (
    "No commitments due yet. Add one in step 4, then tick it in your daily check-in on the "
    "days you keep it."
)
NO_WINS = "No small wins noted yet. Add one in your daily check-in in step 4: small things count."
NOT_CAUSE = "This shows change, not its cause."


def _people(df: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    return [(w, df[df["who"] == w]) for w in (ME, PARTNER) if (df["who"] == w).any()]


def _x(days: pd.Series) -> list[str]:
    """Dates as short ISO strings: a third of the JSON of full timestamps."""
    return pd.to_datetime(days).dt.strftime("%Y-%m-%d").tolist()


def _per(period: int) -> str:
    return "day" if period == 1 else "week" if period == 7 else f"{period // 7} weeks"


def trajectory_figure(df: pd.DataFrame) -> go.Figure:
    """Each person's trust ratings over time, with a smoothed line and honest trend words."""
    rows = df.dropna(subset=["trust"])
    if rows.empty:
        return empty_figure(NO_CHECKINS)
    end = rows["day"].max()
    fig, words = go.Figure(), []
    for who, person in _people(rows):
        name = person["name"].iloc[0]
        words.append(describe_trend(who, name, trend_direction(person, end=end)))
        small = downsample(person[["day", "who", "trust"]], MAX_POINTS)
        x, y, per = _x(small["day"]), small["trust"].round(2), _per(small.attrs["period_days"])
        line = len(small) >= 3
        fig.add_scatter(
            x=x, y=y.tolist(), mode="markers", name=who_label(who, name), legendgroup=who,
            showlegend=not line, opacity=0.45,
            marker={"color": WHO_COLOUR[who], "symbol": WHO_SYMBOL[who], "size": 7},
            # The name comes in through fullData, never into the template: it is user text.
            hovertemplate=f"%{{fullData.name}}, %{{x|%d %b %Y}} ({per}): %{{y:.1f}}<extra></extra>",
        )  # fmt: skip
        if line:
            trend = smooth(pd.Series(y.to_numpy(), index=small["day"]), 7 if per == "day" else 3)
            fig.add_scatter(
                x=x, y=trend.round(2).tolist(), mode="lines", name=who_label(who, name),
                legendgroup=who, hoverinfo="skip",
                line={"color": WHO_COLOUR[who], "dash": WHO_DASH[who], "width": 3},
            )  # fmt: skip
    layout(fig, "Trust over time", " ".join([*words, NOT_CAUSE]))
    fig.update_yaxes(range=[-0.3, 10.3], title={"text": "Trust (0-10)", "font": {"size": 13}})
    fig.update_xaxes(type="date")
    return fig


def gap_figure(df: pd.DataFrame) -> go.Figure:
    """How far apart the two partners' trust ratings are, on days both shared a check-in."""
    shared = df.loc[df["shared"].astype(bool)].dropna(subset=["trust"])
    wide = shared.pivot_table(index="day", columns="who", values="trust")
    if ME not in wide or PARTNER not in wide or wide[[ME, PARTNER]].dropna().empty:
        return empty_figure(NO_SHARED_DAYS)
    both = wide[[ME, PARTNER]].dropna()
    gap = pd.DataFrame({"day": both.index, "gap": (both[ME] - both[PARTNER]).abs().to_numpy()})
    small = downsample(gap, MAX_POINTS)
    per = _per(small.attrs["period_days"])
    fig = go.Figure()
    fig.add_scatter(
        x=_x(small["day"]), y=small["gap"].round(2).tolist(), mode="lines+markers",
        name="Difference", showlegend=False,
        line={"color": OKABE_ITO["reddish_purple"], "width": 2},
        marker={"color": OKABE_ITO["reddish_purple"], "size": 6},
        hovertemplate=f"%{{x|%d %b %Y}} ({per}): %{{y:.1f}} points apart<extra></extra>",
    )  # fmt: skip
    subtitle = (
        f"Points between your two trust ratings, per {per}, on days you both shared a "
        "check-in. 0 means the same rating. A gap is something to talk about, not a score."
    )
    layout(fig, "How far apart your ratings are", subtitle)
    fig.update_yaxes(range=[-0.3, 10.3], title={"text": "Points apart", "font": {"size": 13}})
    fig.update_xaxes(type="date")
    return fig


def followthrough_figure(df: pd.DataFrame) -> go.Figure:
    """Commitments kept against commitments due, by week (a weekly follow-through frame)."""
    if df.empty or df["due"].sum() == 0:
        return empty_figure(NO_COMMITMENTS)
    fig = go.Figure()
    per = "week"
    for who, person in _people(df):
        name = person["name"].iloc[0]
        small = downsample(person.rename(columns={"week": "day"}), MAX_BARS, how="sum")
        per, x = _per(small.attrs["period_days"]), _x(small["day"])
        for what in ("due", "kept"):
            fig.add_bar(
                x=x, y=small[what].astype(int).tolist(), offsetgroup=who, legendgroup=who,
                name=f"{who_label(who, name)}: {what}", opacity=0.35 if what == "due" else 1,
                marker={"color": WHO_COLOUR[who], "line": {"color": WHO_COLOUR[who], "width": 1}},
                hovertemplate=f"%{{fullData.name}}, {per} of %{{x|%d %b}}: %{{y}}<extra></extra>",
            )  # fmt: skip
    subtitle = (
        f"Per {per}: the pale bar counts commitments due on days with a check-in, the solid "
        "bar those kept. Days without a check-in don't count against anyone."
    )
    layout(fig, "Commitments kept", subtitle)
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_xaxes(type="date")
    fig.update_yaxes(rangemode="tozero", title={"text": "Commitments", "font": {"size": 13}})
    return fig


def calendar_figure(df: pd.DataFrame) -> go.Figure:
    """A calendar of the latest weeks: share of due commitments kept, per day.

    ``df`` is a day-level follow-through frame; all its owners are added up.
    """
    if df.empty or df["due"].sum() == 0:
        return empty_figure(NO_COMMITMENTS)
    per_day = df.groupby("day")[["due", "kept"]].sum()
    per_day = per_day[per_day["due"] > 0]
    last = per_day.index.max()
    first_monday = last - pd.Timedelta(days=last.weekday() + 7 * (CALENDAR_WEEKS - 1))
    recent = per_day[per_day.index >= first_monday]
    mondays = pd.date_range(first_monday, periods=CALENDAR_WEEKS, freq="7D")[::-1]
    weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    z = [[None] * 7 for _ in mondays]
    text = [[""] * 7 for _ in mondays]
    for day, row in recent.iterrows():
        r, c = CALENDAR_WEEKS - 1 - (day - first_monday).days // 7, day.weekday()
        z[r][c] = round(row["kept"] / row["due"], 3)
        text[r][c] = f"{day:%a %d %b}: {int(row['kept'])} of {int(row['due'])} kept"
    fig = go.Figure(
        go.Heatmap(
            z=z, x=weekdays, y=[f"{m:%d %b}" for m in mondays], text=text, xgap=3, ygap=3,
            zmin=0, zmax=1, colorscale=[[0, NEUTRALS["paper"]], [1, OKABE_ITO["blue"]]],
            hovertemplate="%{text}<extra></extra>", hoverongaps=False,
            colorbar={"orientation": "h", "x": 0, "xanchor": "left", "y": -0.08,
                      "yanchor": "top", "thickness": 12, "len": 1, "tickformat": ".0%",
                      "tickvals": [0, 0.5, 1], "title": {"text": "kept", "side": "right"}},
        )
    )  # fmt: skip
    subtitle = (
        f"The latest {CALENDAR_WEEKS} weeks, one row per week. Darker means more of the day's "
        "commitments kept. Grey: no check-in or nothing due, and that is fine."
    )
    height = 24 * CALENDAR_WEEKS + 90
    layout(fig, "Commitments kept, day by day", subtitle, height=height, extra_top=26)
    fig.update_layout(plot_bgcolor=NEUTRALS["empty"])
    fig.update_xaxes(side="top", showgrid=False)
    fig.update_yaxes(showgrid=False, type="category", title={"text": "Week of"})
    return fig


def _short(text: str) -> str:
    """Clip to WIN_CHARS (before escaping, so no entity is cut), then escape."""
    text = " ".join(str(text).split())
    return esc(text if len(text) <= WIN_CHARS else text[: WIN_CHARS - 1] + "…")


def wins_figure(df: pd.DataFrame) -> go.Figure:
    """A timeline of small wins, one lane per person; tap a star to read it."""
    if df.empty:
        return empty_figure(NO_WINS)
    shown = df.sort_values("day").tail(MAX_WINS)
    fig = go.Figure()
    for who, person in _people(shown):
        label = who_label(who, person["name"].iloc[0])
        fig.add_scatter(
            x=_x(person["day"]), y=[label] * len(person), mode="markers", name=label,
            text=[_short(t) for t in person["text"]],
            marker={"color": WHO_COLOUR[who], "symbol": "star", "size": 14,
                    "line": {"color": NEUTRALS["paper"], "width": 1}},
            hovertemplate="%{x|%d %b %Y}: %{text}<extra></extra>",
        )  # fmt: skip
    count = f"{len(df)} noted so far" + (
        f"; the latest {MAX_WINS} are shown." if len(df) > MAX_WINS else "."
    )
    subtitle = f"{count} Every small step counts. Tap a star to read it again."
    layout(fig, "Small wins", subtitle, height=220)
    fig.update_layout(showlegend=False)
    fig.update_xaxes(type="date")
    fig.update_yaxes(type="category", showgrid=False)
    return fig
