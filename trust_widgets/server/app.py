"""``trust-workshop serve``: Voilà, configured for a workshop.

What the configuration does, and why:

- ``template = "tw"``: every asset comes from this server (Voilà's default template loads
  Font Awesome from a CDN), and the quick-exit link is in the page before any widget.
- ``http_header_envs = ["Cookie"]``: the kernel learns which partner opened the page from
  the access-token cookie, also in a preheated kernel via ``wait_for_request()``.
- ``strip_sources`` and no tracebacks: couples never see code or error internals.
- Idle culling: a page's kernel stops when the page closes (``handlers.ShutdownKernelHandler``,
  voila#1458); kernels whose page never said goodbye are culled after ``cull_idle_timeout``.
- ``max_kernels``: at most that many kernels at once (``kernels.CappedKernelManager``); a page
  beyond the cap waits for a place, then gets a calm "the room is busy" page, never an error.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from importlib.resources import files
from pathlib import Path

from traitlets import Int, default
from traitlets.config import Config
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

from ._guard import problem_page
from ._paths import refusal
from ._room import (
    PREHEAT_DENYLIST,
    check_preheat,
    default_max_kernels,
    default_max_rendering,
    lighter_pages,
)
from .handlers import handlers
from .kernels import CappedKernelManager, RoomBusy, Slots

log = logging.getLogger(__name__)

SHARE_DIR = Path(str(files("trust_widgets") / "server" / "share"))
CULL_IDLE_SECONDS = 300
CULL_INTERVAL_SECONDS = 60
BUSY = (
    "The room is busy right now, so this page could not open. Nothing you saved is lost. "
    "Please reload the page in a moment."
)
BUSY_RETRY_SECONDS = 30
# A whole room arriving at once takes 2-3 minutes to clear on 2 cores: better to wait than fail.
RENDER_WAIT_SECONDS = 300
IOPUB_TIMEOUT_SECONDS = 60


def default_notebooks_dir() -> Path:
    """Return the repository's ``notebooks/`` folder (the kit is installed editable)."""
    return Path(__file__).resolve().parents[2] / "notebooks"


class PageHandler(TornadoVoilaHandler):
    """Voilà's page handler, for a room: pages wait in line instead of overloading the server.

    At most ``WorkshopVoila.max_rendering`` pages start their kernel and run their notebook at
    once; the others wait in line, first come first served, for up to ``RENDER_WAIT_SECONDS``.
    With a kernel cap, a page also waits for a kernel place (in the kernel manager). A page
    that waited too long gets a calm "busy" page with ``Retry-After``, never a traceback.
    Under the cap, a page takes a preheated kernel only if that kernel has its place already:
    one still waiting behind the pages would make this page wait without a time limit.
    """

    _notebook: str | None = None
    _queued: asyncio.Future | None = None
    _gone = False

    async def get(self, path=None) -> None:
        refused = refusal(path, self.request.remote_ip)
        if refused is not None:  # research notebooks; new workshops from another computer
            status, message = refused
            self.set_status(status)
            self.set_header("Cache-Control", "no-store")
            self.finish(problem_page(self.base_url, message))
            return
        self._notebook = self.notebook_path or path
        renders: Slots | None = self.settings.get("tw_renders")
        try:
            if renders is None:
                await super().get(path)
                return
            if not await self._wait_in_line(renders):
                return  # the browser left while waiting: nothing to render
            try:
                await super().get(path)
            finally:
                renders.release()
        except RoomBusy:
            if self._headers_written:  # cannot happen: the kernel starts before any output
                raise
            log.warning("room busy: %s waited too long for a place", self._notebook)
            self.clear()
            self.set_status(503)
            self.set_header("Retry-After", str(BUSY_RETRY_SECONDS))
            self.set_header("Cache-Control", "no-store")
            self.finish(problem_page(self.base_url, BUSY, kind="notice"))

    async def _wait_in_line(self, renders: Slots) -> bool:
        """Wait for a render place; return False if the browser left meanwhile."""
        t0 = time.monotonic()
        self._queued = asyncio.ensure_future(renders.acquire(timeout=RENDER_WAIT_SECONDS))
        try:
            await self._queued
        except asyncio.CancelledError:
            if self._gone:
                return False
            raise
        finally:
            self._queued = None
        if (waited := time.monotonic() - t0) > 5:
            log.info("%s waited %.0f s for a render place", self._notebook, waited)
        return True

    def on_connection_close(self) -> None:
        # A browser that gives up (reload, closed tab) leaves the line instead of having a
        # kernel started for nobody when its turn comes.
        self._gone = True
        if self._queued is not None:
            self._queued.cancel()
        super().on_connection_close()

    def should_use_rendered_notebook(self, *args) -> bool:
        if not super().should_use_rendered_notebook(*args):
            return False
        km = self.kernel_manager
        pool = getattr(km, "_pools", {}).get(self._notebook) or []  # Voilà 0.5's pool
        return not (pool and isinstance(km, CappedKernelManager) and km.waiting_for_place(pool[0]))


class WorkshopVoila(Voila):
    """Voilà with the kit's own routes in front of Voilà's, and its page handler."""

    max_rendering = Int(
        help="Pages whose kernel starts and notebook runs at once; more wait in line (0: all)."
    ).tag(config=True)

    @default("max_rendering")
    def _default_max_rendering(self) -> int:
        return default_max_rendering()

    def initialize(self, argv=None) -> None:
        super().initialize(argv)
        self.tornado_settings = {**self.tornado_settings, "tw_renders": Slots(self.max_rendering)}

    def init_handlers(self) -> list:
        routes = [
            (route[0], PageHandler, *route[2:]) if route[1] is TornadoVoilaHandler else route
            for route in super().init_handlers()
        ]
        return handlers(self.server_url or self.base_url) + routes


def workshop_config(
    db_url: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8866,
    open_browser: bool = True,
    cull_idle_seconds: int = CULL_IDLE_SECONDS,
    preheat: int = 0,
    max_kernels: int | None = None,
    max_rendering: int | None = None,
) -> Config:
    """Return the traitlets config for a workshop server.

    ``max_kernels=None`` caps kernels from this machine's memory (``default_max_kernels``).
    """
    if max_kernels is None:
        max_kernels = default_max_kernels()
    if max_kernels < 0 or preheat < 0:
        raise ValueError("max_kernels and preheat must be 0 or more.")
    c = Config()
    c.Voila.ip = host
    c.Voila.port = port
    c.Voila.port_retries = 0  # a busy port is an error, not a silent move elsewhere
    c.Voila.open_browser = open_browser
    c.Voila.tornado_settings = {"tw_db_url": db_url}
    if max_rendering is not None:
        c.WorkshopVoila.max_rendering = max_rendering
    c.VoilaConfiguration.template = "tw"
    c.VoilaConfiguration.theme = "light"
    c.VoilaConfiguration.strip_sources = True
    c.VoilaConfiguration.show_tracebacks = False
    c.VoilaConfiguration.http_header_envs = ["Cookie"]
    c.VoilaConfiguration.page_config_hook = lighter_pages
    c.MappingKernelManager.cull_idle_timeout = cull_idle_seconds
    c.MappingKernelManager.cull_interval = min(
        CULL_INTERVAL_SECONDS, max(5, cull_idle_seconds // 2)
    )
    c.MappingKernelManager.cull_connected = False
    # Under load a kernel's output can reach the server seconds after its reply; nbclient's
    # default of 4 s then drops a page's only output and the couple sees a blank page.
    c.VoilaExecutor.iopub_timeout = IOPUB_TIMEOUT_SECONDS
    if os.name == "posix":
        # Unix sockets instead of TCP ports: kernels starting at once cannot clash over a
        # port, and no kernel listens on a network port at all.
        c.KernelManager.transport = "ipc"
    c.VoilaConfiguration.multi_kernel_manager_class = CappedKernelManager
    c.CappedKernelManager.max_kernels = max_kernels
    if preheat:
        c.VoilaConfiguration.preheat_kernel = True
        c.VoilaConfiguration.default_pool_size = preheat
        c.VoilaKernelManager.preheat_denylist = PREHEAT_DENYLIST
    return c


def prepare_environment(db_url: str) -> None:
    """Set what kernels and Voilà's template lookup read from the environment."""
    os.environ["TRUST_WIDGETS_DB"] = db_url  # kernels inherit it
    paths = [str(SHARE_DIR), *filter(None, os.environ.get("JUPYTER_PATH", "").split(os.pathsep))]
    os.environ["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(paths))
    # Kernels need no network; this also keeps library telemetry and update checks off.
    os.environ.setdefault("PLOTLY_RENDERER", "plotly_mimetype")


def run_server(db_url: str, notebooks: Path, **options) -> None:
    """Start the workshop server and block until it stops."""
    config = workshop_config(db_url, **options)  # resolves the default kernel cap
    check_preheat(notebooks, options.get("preheat", 0), config.CappedKernelManager.max_kernels)
    prepare_environment(db_url)
    app = WorkshopVoila(config=config)
    app.initialize(argv=[str(notebooks)])
    app.start()
