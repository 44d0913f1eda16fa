"""``trust-workshop serve``: Voilà, configured for a workshop.

What the configuration does, and why:

- ``template = "tw"``: every asset comes from this server (Voilà's default template loads
  Font Awesome from a CDN), and the quick-exit link is in the page before any widget.
- ``http_header_envs = ["Cookie", "X-Tw-Client"]``: the kernel learns which partner opened
  the page from the access-token cookie (trimmed to what the page needs), and the client's
  digests for the code limits, also in a preheated kernel via ``wait_for_request()``.
- The doors (docs/security.md): only the app's pages are served, only to known ``Host``
  names; each page kernel answers only its page's browser; one client holds a limited
  number of kernels; every response carries a Content-Security-Policy.
- ``strip_sources`` and no tracebacks: couples never see code or error internals.
- Idle culling: a page's kernel stops when the page closes (``_sockets.ShutdownKernelHandler``,
  voila#1458); kernels whose page never said goodbye, or that sat silent, are culled after
  ``cull_idle_timeout``; a kernel whose page never connected stops after 60 s.
- ``max_kernels``: at most that many kernels at once (``kernels.CappedKernelManager``); a page
  beyond the cap waits for a place, then gets a calm "the room is busy" page, never an error.
"""

from __future__ import annotations

import logging
import os
from importlib.resources import files
from pathlib import Path

from jupyter_server.services.kernels.handlers import KernelHandler
from tornado.ioloop import IOLoop, PeriodicCallback
from tornado.routing import Rule
from traitlets import Int, default
from traitlets.config import Config
from voila.app import Voila
from voila.request_info_handler import RequestInfoSocketHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.contentshandler import VoilaContentsHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from . import _headers, _logs
from ._assets import REPLACED_STATIC
from ._client import parse_networks
from ._hosts import AllowedHosts, UnknownHost
from ._quota import DEFAULT_PER_ADDRESS, DEFAULT_PER_DEVICE
from ._responses import HostRefusedHandler, SecurityHeaders, access_log
from ._room import (
    PREHEAT_DENYLIST,
    check_preheat,
    default_max_kernels,
    default_max_rendering,
    lighter_pages,
)
from ._sockets import (
    KernelQueryHandler,
    OwnedKernelHandler,
    OwnedKernelWebsocketHandler,
    RefusedHandler,
    ShutdownKernelHandler,
)
from .handlers import handlers
from .kernels import CappedKernelManager, Slots
from .page_handler import CLIENT_HEADER, PageHandler

log = logging.getLogger(__name__)

SHARE_DIR = Path(str(files("trust_widgets") / "server" / "share"))
CULL_IDLE_SECONDS = 300
CULL_INTERVAL_SECONDS = 60
IOPUB_TIMEOUT_SECONDS = 60
RELEASE_EVERY_SECONDS = 600  # how soon after midnight the day's dashboard figures are made
# Voilà's routes, and the kit's stand-ins for them: the kernel routes answer only the
# browser of the kernel's page, and there is no file listing.
REPLACED = {
    **REPLACED_STATIC,  # compressed once, cached for good when versioned
    TornadoVoilaHandler: PageHandler,
    VoilaKernelWebsocketHandler: OwnedKernelWebsocketHandler,
    KernelHandler: OwnedKernelHandler,
    VoilaShutdownKernelHandler: ShutdownKernelHandler,
    VoilaContentsHandler: RefusedHandler,
    RequestInfoSocketHandler: RefusedHandler,  # replaced by the secret-bearing route below
}


def default_notebooks_dir() -> Path:
    """Return the repository's ``notebooks/`` folder (the kit is installed editable)."""
    return Path(__file__).resolve().parents[2] / "notebooks"


class WorkshopVoila(Voila):
    """Voilà with the kit's own routes in front of Voilà's, and its guarded handlers."""

    max_rendering = Int(
        help="Pages whose kernel starts and notebook runs at once; more wait in line (0: all)."
    ).tag(config=True)

    @default("max_rendering")
    def _default_max_rendering(self) -> int:
        return default_max_rendering()

    def initialize(self, argv=None) -> None:
        super().initialize(argv)
        self.tornado_settings = {
            **self.tornado_settings,
            "tw_renders": Slots(self.max_rendering),
            "log_function": access_log,
        }

    def init_handlers(self) -> list:
        base = (self.server_url or self.base_url).rstrip("/")
        routes = [
            (route[0], REPLACED.get(route[1], route[1]), *route[2:])
            for route in super().init_handlers()
        ]
        hosts: AllowedHosts = self.tornado_settings.get("tw_hosts") or AllowedHosts(self.ip)
        return [
            Rule(UnknownHost(hosts), HostRefusedHandler),  # before anything: DNS rebinding
            *handlers(base + "/"),
            (
                rf"{base}/voila/query/(?P<secret>[A-Za-z0-9_-]+)/(?P<kernel_id>\w+-\w+-\w+-\w+-\w+)",
                KernelQueryHandler,
            ),
            (rf"{base}/voila/api/contents.*", RefusedHandler),
            *routes,
        ]

    def listen(self) -> None:
        # Voilà has built the application by now: finish it before it takes requests.
        self.app.transforms.append(SecurityHeaders)
        _logs.install(self.log, logging.getLogger(self.log.name))
        self._releases = PeriodicCallback(self._release_figures, RELEASE_EVERY_SECONDS * 1000)
        self._releases.start()
        IOLoop.current().add_callback(self._release_figures)
        super().listen()

    async def _release_figures(self) -> None:
        """Make the day's dashboard figures soon after midnight, whoever looks or not."""
        db_url = self.tornado_settings.get("tw_db_url")
        if not db_url:
            return

        def run() -> None:
            from ..released_progress import release_all
            from ..store.engine import get_engine

            release_all(get_engine(db_url, migrate=False))

        try:
            await IOLoop.current().run_in_executor(None, run)
        except Exception:  # the next round tries again; a dashboard makes its own meanwhile
            log.exception("making the day's dashboard figures failed")


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
    kernels_per_device: int = DEFAULT_PER_DEVICE,
    kernels_per_address: int = DEFAULT_PER_ADDRESS,
    trusted_proxies: tuple[str, ...] = (),
    allowed_hosts: tuple[str, ...] = (),
    public_url: str | None = None,
) -> Config:
    """Return the traitlets config for a workshop server.

    ``max_kernels=None`` caps kernels from this machine's memory (``default_max_kernels``).

    Raises
    ------
    ValueError
        For a negative limit or a trusted proxy that is not an address or network.
    """
    if max_kernels is None:
        max_kernels = default_max_kernels()
    if min(max_kernels, preheat, kernels_per_device, kernels_per_address) < 0:
        raise ValueError("Kernel limits and preheat must be 0 or more.")
    proxies = parse_networks(trusted_proxies)
    c = Config()
    c.Voila.ip = host
    c.Voila.port = port
    c.Voila.port_retries = 0  # a busy port is an error, not a silent move elsewhere
    c.Voila.open_browser = open_browser
    c.Voila.tornado_settings = {
        "tw_db_url": db_url,
        "tw_trusted_proxies": proxies,
        "tw_hosts": AllowedHosts(host, public_url, allowed_hosts),
        # Jupyter Server's handlers set these themselves; the kit's values, not theirs.
        "headers": _headers.security_headers(),
    }
    if max_rendering is not None:
        c.WorkshopVoila.max_rendering = max_rendering
    c.VoilaConfiguration.template = "tw"
    c.VoilaConfiguration.theme = "light"
    c.VoilaConfiguration.strip_sources = True
    c.VoilaConfiguration.show_tracebacks = False
    # The page handler trims both first: a kernel sees only its own page's cookies.
    c.VoilaConfiguration.http_header_envs = ["Cookie", CLIENT_HEADER]
    c.VoilaConfiguration.page_config_hook = lighter_pages
    c.MappingKernelManager.cull_idle_timeout = cull_idle_seconds
    c.MappingKernelManager.cull_interval = min(
        CULL_INTERVAL_SECONDS, max(5, cull_idle_seconds // 2)
    )
    # A page left open but silent holds its kernel no longer than an idle one: the page then
    # says it has paused, and a tap brings it back (tw.js).
    c.MappingKernelManager.cull_connected = True
    # Under load a kernel's output can reach the server seconds after its reply; nbclient's
    # default of 4 s then drops a page's only output and the couple sees a blank page.
    c.VoilaExecutor.iopub_timeout = IOPUB_TIMEOUT_SECONDS
    if os.name == "posix":
        # Unix sockets instead of TCP ports: kernels starting at once cannot clash over a
        # port, and no kernel listens on a network port at all.
        c.KernelManager.transport = "ipc"
    c.VoilaConfiguration.multi_kernel_manager_class = CappedKernelManager
    c.CappedKernelManager.max_kernels = max_kernels
    c.CappedKernelManager.kernels_per_device = kernels_per_device
    c.CappedKernelManager.kernels_per_address = kernels_per_address
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
