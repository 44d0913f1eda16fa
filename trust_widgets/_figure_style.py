"""The look shared by every progress figure: palette, phone-sized layout, titles, empty state.

Everything is set in the figure's own layout (template ``"none"``), so a figure looks the
same whatever plotly's global template or the page's ``config`` say.
"""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go

from ._html import esc

# Okabe & Ito (2008), "Color Universal Design": eight colours told apart by people with
# any common colour-vision deficiency. The views use only these, plus the neutrals below.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
NEUTRALS = {"ink": "#222222", "muted": "#555555", "grid": "#DDDDDD", "empty": "#F2F2F2",
            "paper": "#FFFFFF"}  # fmt: skip
PALETTE = frozenset({*OKABE_ITO.values(), *NEUTRALS.values()})
# Each partner keeps one colour and one marker everywhere, so colour is never the only cue.
WHO_COLOUR = {"me": OKABE_ITO["blue"], "partner": OKABE_ITO["orange"]}
WHO_SYMBOL = {"me": "circle", "partner": "diamond"}
WHO_DASH = {"me": "solid", "partner": "dash"}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
WRAP = 42  # characters per title line: fits 390 px at 13-16 px type, minus the margins
HEIGHT = 400
# The legend sits under the plot, across its width: a legend at the side eats a phone.
LEGEND = {"orientation": "h", "x": 0, "xanchor": "left", "y": -0.12, "yanchor": "top",
          "font": {"size": 13}}  # fmt: skip


def who_label(who: str, name: str) -> str:
    """Legend text for a person (escaped): "You", or the partner's name."""
    return "You" if who == "me" else esc(name or "Your partner")


def wrap(text: str, width: int = WRAP) -> str:
    """Escape plain ``text`` and break it into lines with ``<br>`` (plotly does not wrap)."""
    return "<br>".join(esc(line) for line in textwrap.wrap(text, width)) or ""


def _lines(html: str) -> int:
    return html.count("<br>") + 1 if html else 0


def layout(
    fig: go.Figure, title: str, subtitle: str = "", *, height: int = HEIGHT, extra_top: int = 0
) -> go.Figure:
    """Give ``fig`` the shared phone-friendly layout with a wrapped title and subtitle.

    ``extra_top`` makes room above the plot for an axis drawn on top.
    """
    head, sub = wrap(title, 34), wrap(subtitle)
    top = 24 + 22 * _lines(head) + 18 * _lines(sub) + extra_top
    axis = {"gridcolor": NEUTRALS["grid"], "linecolor": NEUTRALS["muted"], "automargin": True,
            "fixedrange": True, "tickfont": {"size": 13}, "zeroline": False}  # fmt: skip
    fig.update_layout(
        template="none",
        autosize=True,
        height=height + top,
        margin={"l": 40, "r": 12, "t": top, "b": 16, "pad": 0},
        font={"family": FONT, "size": 14, "color": NEUTRALS["ink"]},
        paper_bgcolor=NEUTRALS["paper"],
        plot_bgcolor=NEUTRALS["paper"],
        title={
            "text": head,
            "subtitle": {"text": sub, "font": {"size": 13, "color": NEUTRALS["muted"]}},
            "font": {"size": 16},
            "x": 0,
            "xanchor": "left",
            "xref": "container",
            "y": 1 - 12 / (height + top),
            "yanchor": "top",
            "yref": "container",
        },
        legend=LEGEND,
        hoverlabel={"font": {"size": 14, "family": FONT}},
        # No drag-to-zoom: on a phone a drag should scroll the page, not the chart.
        dragmode=False,
        xaxis=axis,
        yaxis=axis,
    )
    return fig


def empty_figure(message: str) -> go.Figure:
    """Return a figure with no data that explains, in ``message`` (plain text), why."""
    fig = go.Figure()
    fig.add_annotation(
        text=wrap(message, 38),
        showarrow=False,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        font={"size": 15, "color": NEUTRALS["ink"]},
        align="center",
    )
    layout(fig, "", height=200)
    hidden = {"visible": False, "fixedrange": True}
    fig.update_layout(xaxis=hidden, yaxis=hidden, margin={"t": 16, "b": 16})
    return fig
