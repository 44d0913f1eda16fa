"""Research figures: pure functions from analysis results to a small ``go.Figure``.

They share the kit's look (:mod:`trust_widgets._figure_style`: Okabe-Ito colours, wrapped
titles, no drag-to-zoom) and show no pseudonyms: hovering shows values, never who.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .._figure_style import NEUTRALS, OKABE_ITO, empty_figure, layout
from .apim import ApimResult
from .icc import IccResult

__all__ = ["apim_figure", "partner_scatter_figure", "trajectory_figure"]

GROUP_COLOUR = {1: OKABE_ITO["blue"], 2: OKABE_ITO["orange"], 0: OKABE_ITO["bluish_green"]}
GROUP_SYMBOL = {1: "circle", 2: "diamond", 0: "square"}
GROUP_DASH = {1: "solid", 2: "dash", 0: "solid"}
VALUE_WORDS = {"trust": "Trust", "rate": "Follow-through rate"}
AXIS_TITLE = {"font": {"size": 13}}


def _axes(fig: go.Figure, x: str, y: str = "", legend_y: float = -0.2) -> go.Figure:
    """Title the axes; the legend moves below the x-axis title so the two never overlap."""
    fig.update_xaxes(title={**AXIS_TITLE, "text": x})
    if y:
        fig.update_yaxes(title={**AXIS_TITLE, "text": y})
    fig.update_layout(legend={"y": legend_y})
    return fig


def trajectory_figure(weekly: pd.DataFrame) -> go.Figure:
    """Weekly means per group as lines, each with its confidence band."""
    if weekly.empty:
        return empty_figure("No week has enough couples to show. Export more couples or "
                            "lower min_couples.")  # fmt: skip
    value = weekly.attrs.get("value", "trust")
    fig = go.Figure()
    for group, rows in weekly.groupby("group", sort=True):
        colour, label = GROUP_COLOUR[group], rows["label"].iloc[0]
        weeks = rows["week"].tolist()
        fig.add_scatter(x=weeks + weeks[::-1],
                        y=rows["ci_high"].tolist() + rows["ci_low"].tolist()[::-1],
                        fill="toself", fillcolor=colour, opacity=0.18, line={"width": 0},
                        hoverinfo="skip", name=f"{label}: interval", legendgroup=str(group),
                        showlegend=False)  # fmt: skip
        fig.add_scatter(
            x=weeks,
            y=rows["mean"].round(2).tolist(),
            mode="lines+markers",
            name=label,
            legendgroup=str(group),
            line={"color": colour, "dash": GROUP_DASH[group]},
            marker={"color": colour, "symbol": GROUP_SYMBOL[group], "size": 7},
            customdata=rows[["ci_low", "ci_high", "n_couples"]].round(2).to_numpy(),
            hovertemplate="Week %{x}: %{y:.2f} (CI %{customdata[0]:.2f} to "
            "%{customdata[1]:.2f}), %{customdata[2]} couples<extra></extra>",
        )
    words = VALUE_WORDS.get(value, value.capitalize())
    pct = f"{weekly.attrs.get('level', 0.95):.0%}"
    layout(fig, f"{words} by week, with {pct} confidence bands",
           "Bands: t intervals over couples. Partner 1 and 2 are the order of joining, "
           "not roles.")  # fmt: skip
    top = 1 if value == "rate" else 10
    fig.update_yaxes(range=[-0.03 * top, 1.03 * top])
    return _axes(fig, "Week since the couple's first check-in", f"Mean {words.lower()}")


def partner_scatter_figure(pairs: pd.DataFrame, result: IccResult | None = None) -> go.Figure:
    """Each couple's partner 1 against partner 2 mean trust, with the line of equality."""
    if pairs.empty:
        return empty_figure("No couple has enough check-ins from both partners.")
    fig = go.Figure()
    fig.add_scatter(x=[0, 10], y=[0, 10], mode="lines", name="Equal trust",
                    line={"color": NEUTRALS["muted"], "dash": "dot", "width": 1},
                    hoverinfo="skip")  # fmt: skip
    fig.add_scatter(
        x=pairs["trust_1"].round(2).tolist(), y=pairs["trust_2"].round(2).tolist(),
        mode="markers", name="One couple",
        marker={"color": OKABE_ITO["blue"], "size": 9, "opacity": 0.8,
                "line": {"color": NEUTRALS["paper"], "width": 1}},
        hovertemplate="Partner 1: %{x:.2f}<br>Partner 2: %{y:.2f}<extra></extra>",
    )  # fmt: skip
    sub = "Which partner is 1 is only the order of joining; mirrored, the picture means the same."
    if result is not None:
        sub = (f"ICC(1) {result.icc:.2f}, {result.level:.0%} CI {result.ci_low:.2f} to "
               f"{result.ci_high:.2f}, {result.n_pairs} couples. {sub}")  # fmt: skip
    layout(fig, "Partners' mean trust, couple by couple", sub)
    fig.update_xaxes(range=[-0.3, 10.3])
    fig.update_yaxes(range=[-0.3, 10.3])
    return _axes(fig, "Partner 1: mean trust", "Partner 2: mean trust")


def apim_figure(result: ApimResult, reference: dict[str, float] | None = None,
                terms: tuple[str, ...] = ("actor", "partner")) -> go.Figure:  # fmt: skip
    """Estimates with their confidence intervals; ``reference`` marks known (planted) values."""
    rows = result.table.loc[list(terms)][::-1]  # first term on top
    labels = rows["label"].tolist()
    fig = go.Figure()
    fig.add_scatter(
        x=rows["estimate"].round(3).tolist(), y=labels, mode="markers", name="Estimate",
        marker={"color": OKABE_ITO["blue"], "size": 11},
        error_x={"type": "data", "symmetric": False, "color": OKABE_ITO["blue"],
                 "array": (rows["ci_high"] - rows["estimate"]).round(3).tolist(),
                 "arrayminus": (rows["estimate"] - rows["ci_low"]).round(3).tolist()},
        hovertemplate="%{y}: %{x:.2f}<extra></extra>",
    )  # fmt: skip
    if reference:
        known = [(reference[t], lab) for t, lab in zip(rows.index, labels, strict=True)
                 if t in reference]  # fmt: skip
        fig.add_scatter(x=[k for k, _ in known], y=[lab for _, lab in known], mode="markers",
                        name="Planted value (demo data)",
                        marker={"color": OKABE_ITO["vermillion"], "symbol": "diamond-open",
                                "size": 14, "line": {"width": 2}},
                        hovertemplate="Planted: %{x}<extra></extra>")  # fmt: skip
    layout(fig, f"Actor and partner effects, with {result.level:.0%} confidence intervals",
           "Points of next-day trust per unit of follow-through rate (all due commitments "
           f"kept rather than none). {result.n_couples} couples.", height=260)  # fmt: skip
    ends = [0.0, *rows["ci_low"], *rows["ci_high"], *(reference or {}).values()]
    pad = 0.08 * (max(ends) - min(ends) or 1)
    fig.add_vline(x=0, line={"color": NEUTRALS["muted"], "width": 1})
    fig.update_xaxes(range=[min(ends) - pad, max(ends) + pad])
    return _axes(fig, "Effect on next-day trust (points)", legend_y=-0.4)
