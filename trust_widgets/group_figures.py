"""The facilitator's group figures: pure functions from a group-progress frame to a figure.

Each builder takes a frame from :mod:`trust_widgets.group_progress`, whose counts are
already suppressed. A suppressed count is never drawn as 0 or as a value: it is a pale
hatched bar across the whole scale, marked "hidden" and explained in the subtitle. Every
frame is a handful of aggregates, so the figures stay small; none embeds plotly.js or
refers to any address. The look is the progress views' (:mod:`._figure_style`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from ._figure_style import NEUTRALS, OKABE_ITO, empty_figure, layout, wrap
from .suppression import HIDDEN, suppressed_label, suppression_note

__all__ = ["funnel_figure", "participation_figure", "topics_figure", "trust_figure",
           "trust_figures"]  # fmt: skip

SHOWN = OKABE_ITO["blue"]
BIN_COLOUR = {"low": OKABE_ITO["orange"], "middle": OKABE_ITO["sky_blue"],
              "high": OKABE_ITO["blue"]}  # fmt: skip
BIN_PATTERN = {"low": "", "middle": ".", "high": ""}  # colour is never the only cue
HIDDEN_MARKER = {
    "color": NEUTRALS["empty"],
    "line": {"color": NEUTRALS["muted"], "width": 1},
    "pattern": {"shape": "/", "fgcolor": NEUTRALS["muted"], "size": 8, "solidity": 0.15},
}
NO_COUPLES = "No couples have joined this workshop yet."
FEW_COUPLES = "Fewer than {k} couples have joined, so group views stay hidden to protect them."
NO_CHECKINS = "No check-ins in this workshop yet."
NO_TRUST = "No shared check-ins in this workshop yet."


def _k(df: pd.DataFrame) -> int:
    if "k" not in df.attrs:
        raise ValueError("Pass a frame from trust_widgets.group_progress (it carries its k).")
    return int(df.attrs["k"])


def _too_few(df: pd.DataFrame) -> go.Figure | None:
    """The explanation to show instead, when the workshop is empty or too small to show."""
    if "total" not in df.attrs:
        raise ValueError("Pass a frame from trust_widgets.group_progress (it carries its total).")
    total = df.attrs["total"]
    if total == 0:
        return empty_figure(NO_COUPLES)
    return empty_figure(FEW_COUPLES.format(k=_k(df))) if total is None else None


def _values(column: pd.Series) -> list[int | None]:
    return [None if pd.isna(v) else int(v) for v in column]


def _hidden_name(k: int) -> str:
    label = suppressed_label(k)
    return label[:1].upper() + label[1:]


def _hidden_bars(
    fig: go.Figure,
    k: int,
    where: list,
    span: float,
    *,
    horizontal: bool = False,
    marked: bool = True,
) -> None:
    """Hatched bars across the whole scale (``span``) where a count is hidden; ``marked``
    writes "hidden" on each (too busy for a bar per day: the legend says it there)."""
    if not where:
        return
    ends = [span] * len(where)
    xy = {"x": ends, "y": where} if horizontal else {"x": where, "y": ends}
    marker = HIDDEN_MARKER if marked else HIDDEN_MARKER | {"line": {"width": 0}}
    fig.add_bar(
        **xy, orientation="h" if horizontal else "v", name=_hidden_name(k), marker=marker,
        text=[HIDDEN] * len(where) if marked else None, textposition="inside",
        insidetextanchor="middle", textfont={"color": NEUTRALS["ink"]},
        hovertemplate=f"{suppressed_label(k)}<extra></extra>",
    )  # fmt: skip


def _count_bars(
    df: pd.DataFrame, labels: list[str], title: str, subtitle: str, unit: str = "couples"
) -> go.Figure:
    """Horizontal bars, first label at the top: shown counts, hidden ones hatched."""
    k, total = _k(df), int(df.attrs["total"])
    values = _values(df["couples"])
    shown = [(t, v) for t, v in zip(labels, values, strict=True) if v is not None]
    fig = go.Figure()
    fig.add_bar(
        y=[t for t, _ in shown], x=[v for _, v in shown], orientation="h", name=unit.title(),
        showlegend=False, marker_color=SHOWN, text=[str(v) for _, v in shown],
        textposition="outside", hovertemplate=f"%{{x}} {unit}<extra></extra>",
    )  # fmt: skip
    hidden = [t for t, v in zip(labels, values, strict=True) if v is None]
    _hidden_bars(fig, k, hidden, total, horizontal=True)
    layout(fig, title, f"{subtitle} {suppression_note(k, unit)}", height=80 + 64 * len(labels))
    fig.update_layout(barmode="overlay", showlegend=bool(hidden))
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=labels[::-1])
    # No axis title: the subtitle names the unit, and the legend needs the room below.
    fig.update_xaxes(range=[0, max(total, 1) * 1.15])
    return fig


def funnel_figure(df: pd.DataFrame) -> go.Figure:
    """Couples who reached at least each step, out of couples joined (a step funnel frame)."""
    if (empty := _too_few(df)) is not None:
        return empty
    labels = [wrap(f"{n}. {t}", 26) for n, t in zip(df["step"], df["title"], strict=True)]
    subtitle = (
        "Couples in which at least one partner has reached each step, out of "
        f"{df.attrs['total']} joined."
    )
    return _count_bars(df, labels, "How far couples have come", subtitle)


def participation_figure(df: pd.DataFrame) -> go.Figure:
    """Couples with a check-in, per day (a participation frame)."""
    if (empty := _too_few(df)) is not None:
        return empty
    if df.empty:
        return empty_figure(NO_CHECKINS)
    k, total = _k(df), int(df.attrs["total"])
    days = pd.to_datetime(df["day"]).dt.strftime("%Y-%m-%d").tolist()
    values = _values(df["couples"])
    fig = go.Figure()
    fig.add_bar(
        x=[d for d, v in zip(days, values, strict=True) if v is not None],
        y=[v for v in values if v is not None], name="Couples who checked in",
        marker_color=SHOWN, hovertemplate="%{x|%a %d %b %Y}: %{y} couples<extra></extra>",
    )  # fmt: skip
    hidden = [d for d, v in zip(days, values, strict=True) if v is None]
    _hidden_bars(fig, k, hidden, total, marked=False)
    subtitle = (
        f"Couples in which at least one partner checked in that day, out of {total} joined. "
        f"{suppression_note(k)}"
    )
    layout(fig, "Daily check-ins", subtitle)
    fig.update_layout(barmode="overlay", bargap=0.1)
    fig.update_xaxes(type="date")
    fig.update_yaxes(range=[0, total * 1.05], title={"text": "Couples", "font": {"size": 13}})
    return fig


def trust_figures(df: pd.DataFrame) -> list[go.Figure]:
    """One :func:`trust_figure` per trust item in a trust distribution frame."""
    if df.empty:
        return [empty_figure(NO_TRUST)]
    return [trust_figure(df, item) for item in dict.fromkeys(df["item"])]


@dataclass
class _Week:
    """One week's row of one item, in plain values (pandas per cell is slow)."""

    label: str
    total: int | None
    cells: dict[str, int | None] = field(default_factory=dict)


def _weeks(rows: pd.DataFrame) -> dict[str, _Week]:
    """The item's rows by week start (ISO date), in week order."""
    weeks: dict[str, _Week] = {}
    ordered = rows.sort_values("week", kind="stable")
    for week, start, name, cell, total in ordered[
        ["week", "week_start", "bin", "partners", "row_partners"]
    ].itertuples(index=False):
        day = pd.Timestamp(start).strftime("%Y-%m-%d")
        entry = weeks.setdefault(day, _Week(f"Week {week}", None if pd.isna(total) else int(total)))
        entry.cells[name] = None if pd.isna(cell) else int(cell)
    return weeks


def trust_figure(df: pd.DataFrame, item: str) -> go.Figure:
    """Partners by their weekly mean of one trust item, as shares of each week's partners."""
    k, rows = _k(df), df[df["item"] == item]
    if rows.empty:
        return empty_figure(NO_TRUST)
    # One bar per week, at the week's first day; "Week n" comes with it in the hover.
    weeks = _weeks(rows)
    labels = dict(zip(rows["bin"], rows["bin_label"], strict=True))
    fig = go.Figure()
    for name, label in labels.items():
        bars = [
            (day, round(100 * w.cells[name] / w.total, 1),
             f"{w.label}: {w.cells[name]} of {w.total} partners")
            for day, w in weeks.items()
            if w.total and w.cells.get(name) is not None
        ]  # fmt: skip
        fig.add_bar(
            **_bar_xy(bars), name=wrap(label),
            marker={"color": BIN_COLOUR.get(name, NEUTRALS["muted"]),
                    "pattern": {"shape": BIN_PATTERN.get(name, "")}},
            hovertemplate="%{customdata}, %{fullData.name}<extra></extra>",
        )  # fmt: skip
    _hidden_rest(fig, k, weeks, labels)
    subtitle = (
        "Each partner's average rating for the week, from shared check-ins only, as a share "
        f"of the partners who shared that week. Week 1 starts {_day(next(iter(weeks)))}. "
        f"{suppression_note(k, 'partners')}"
    )
    layout(fig, f"Trust: {item.replace('_', ' ')}", subtitle)
    fig.update_layout(barmode="stack", bargap=0.15)
    fig.update_xaxes(type="date")
    fig.update_yaxes(range=[0, 100], ticksuffix="%", title={"text": "Partners",
                     "font": {"size": 13}})  # fmt: skip
    return fig


def _bar_xy(bars: list[tuple[str, float, str]]) -> dict[str, list]:
    x, y, text = zip(*bars, strict=True) if bars else ((), (), ())
    return {"x": list(x), "y": list(y), "customdata": list(text)}


def _hidden_rest(fig: go.Figure, k: int, weeks: dict[str, _Week], labels: dict[str, str]) -> None:
    """On top of each week's shown bins, the hidden rest (the whole bar if the row is)."""
    bars: list[tuple[str, float, str]] = []
    for day, w in weeks.items():
        hidden = [labels[name] for name, cell in w.cells.items() if cell is None]
        if w.total is None:
            bars.append((day, 100.0, f"{w.label}: fewer than {k} couples shared, all hidden"))
        elif hidden and w.total:
            rest = w.total - sum(c for c in w.cells.values() if c is not None)  # derivable
            text = f"{w.label}: {rest} of {w.total} partners in {' / '.join(hidden)}, split hidden"
            bars.append((day, round(100 * rest / w.total, 1), text))
    if bars:
        fig.add_bar(
            **_bar_xy(bars), name=_hidden_name(k), marker=HIDDEN_MARKER,
            hovertemplate="%{customdata}<extra></extra>",
        )  # fmt: skip


def topics_figure(df: pd.DataFrame) -> go.Figure:
    """Guide topics that couples marked "needs discussion" (a discussion topics frame)."""
    if (empty := _too_few(df)) is not None:
        return empty
    subtitle = (
        "Couples in which a partner marked a topic of the guide “needs discussion” and "
        f"chose to reveal it, out of {df.attrs['total']} joined. Topics couples added are "
        "never shown."
    )
    labels = [wrap(title, 26) for title in df["title"]]
    return _count_bars(df, labels, "Topics to talk about", subtitle)


def _day(iso: str) -> str:
    day = pd.Timestamp(iso)
    return f"{day.day} {day:%b %Y}"
