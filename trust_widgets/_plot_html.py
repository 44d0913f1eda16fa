"""A Plotly figure as HTML that the page's own script draws, when it is shown.

Partner pages do not load Plotly's JupyterLab renderer (1.4 MB compressed, on every new
device's first page): ``tw.js`` fetches plotly.js from the kit's server the first time a
figure is on screen, so a step that draws figures can come in place like any other.
"""

from __future__ import annotations

from plotly import __version__ as PLOTLY_VERSION

from ._html import esc

PLOTLY_JS_ROUTE = "tw/plotly/plotly.min.js"


def figure_html(fig) -> str:
    """Return ``fig`` as a ``tw-plot`` element carrying its JSON, escaped, and a label."""
    title = fig.layout.title.text or "A chart"
    # The title is our own words; user text inside the figure is escaped by the builders.
    return (
        f'<div class="tw-plot" role="img" aria-label="{esc(title)}" '
        f'data-plotly="{esc(PLOTLY_VERSION)}" data-figure="{esc(fig.to_json())}"></div>'
    )
