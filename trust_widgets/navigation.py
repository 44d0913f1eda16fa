"""In-page navigation: one kernel serves a partner's whole visit.

Every partner notebook calls its page function, which returns a :class:`WorkshopApp`
showing that page. Inside the workshop's Voilà template, ``tw.js`` turns a click on a link
to another partner page (next, previous, the step list, the safety check, consent) into a
new value of the app's hidden route field and moves the address bar with
``history.pushState``; back and forward write the route the same way. The app then builds
the new page in the same kernel and closes the widgets of the page it leaves.

Without ``tw.js`` (JupyterLab, a notebook run by nbval) the links stay plain links, so
each notebook still works alone. Signing in, switching partner and signing out are form
posts that load a new page: a new kernel, with nothing of the previous identity in it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import ipywidgets as W
from ipywidgets.widgets.widget import _instances
from traitlets import Unicode, observe, validate

from ._html import esc
from .steps import PARTNER_PAGES, route_title

log = logging.getLogger(__name__)


def open_widgets() -> frozenset[str]:
    """Return the model ids of every open widget in this kernel."""
    # ipywidgets 8 keeps them in this registry (``Widget.widgets`` is deprecated).
    return frozenset(_instances)


def close_tree(widget: W.Widget | None, keep: frozenset[str] = frozenset()) -> int:
    """Close ``widget`` and every widget it holds in a synced trait; return how many.

    Widgets whose model id is in ``keep`` (and what they hold) stay open: they were there
    before the page was built and may be shared.
    """
    closed = 0
    todo = [widget] if widget is not None else []
    seen: set[int] = set()
    while todo:
        w = todo.pop()
        if id(w) in seen or w.comm is None or w.model_id in keep:
            continue
        seen.add(id(w))
        for name in w.keys:
            value = getattr(w, name, None)
            items = value if isinstance(value, (tuple, list)) else (value,)
            todo.extend(v for v in items if isinstance(v, W.Widget))
        w.close()
        closed += 1
    return closed


def here_html(route: str) -> str:
    """Return the marker ``tw.js`` reads after a swap: the page's address, its title, and
    the pages that may follow in place."""
    return (
        f'<span class="tw-here" hidden data-path="{esc(route)}" '
        f'data-title="{esc(route_title(route))}" '
        f'data-routes="{esc(" ".join(PARTNER_PAGES))}"></span>'
    )


class WorkshopApp(W.VBox):
    """The partner pages in one kernel: shows one page, and swaps it in place.

    Parameters
    ----------
    route
        The notebook of the first page, e.g. ``"02_communicate_openly.ipynb"``.
    builders
        The page builder for each route; by default the kit's own (:mod:`.pages`).
    """

    route = Unicode(help="The notebook of the page on show; one of the partner pages.")

    def __init__(
        self, route: str, builders: dict[str, Callable[[], W.Widget]] | None = None
    ) -> None:
        if builders is None:
            from .pages import PAGE_BUILDERS as builders
        self._builders = builders
        # The field tw.js writes a route into: hidden, and never trusted (see _asked).
        self.asked = W.Text(layout=W.Layout(display="none"), description="Page")
        self.asked.add_class("tw-route")
        self.marker = W.HTML()
        self.page: W.Widget | None = None
        self._before: frozenset[str] = frozenset()
        super().__init__(children=[self.asked, self.marker])
        self.add_class("tw-app")
        self.route = route  # builds the first page
        self.asked.observe(self._asked, "value")

    @validate("route")
    def _valid_route(self, proposal):
        if proposal["value"] not in PARTNER_PAGES:
            raise ValueError(f"There is no partner page {proposal['value']!r}.")
        return proposal["value"]

    def _asked(self, change) -> None:
        # Anyone on the page can write anything here: only a partner page is shown.
        wanted = str(change["new"])[:100]
        if wanted in PARTNER_PAGES:
            self.go(wanted)
        else:
            log.info("ignored a request for an unknown page")

    def go(self, route: str) -> None:
        """Show ``route`` in place (again, if it is on show: a fresh build)."""
        if route == self.route:
            self._show(route)
        else:
            self.route = route

    @observe("route")
    def _route_changed(self, change) -> None:
        self._show(change["new"])

    def _show(self, route: str) -> None:
        old, old_before = self.page, self._before
        self._before = open_widgets()
        self.page = self._builders[route]()
        with self.hold_sync():
            self.marker.value = here_html(route)
            self.children = [self.asked, self.marker, self.page]
        # The page left behind closes, with every widget made for it, so that a visit does
        # not grow the kernel; widgets that were there before it was built stay.
        close_tree(old, keep=old_before)
