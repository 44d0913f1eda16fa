"""``trust-workshop serve``: Voilà, configured for a workshop.

What the configuration does, and why:

- ``template = "tw"``: every asset comes from this server (Voilà's default template loads
  Font Awesome from a CDN), and the quick-exit link is in the page before any widget.
- ``http_header_envs = ["Cookie"]``: the kernel learns which partner opened the page from
  the access-token cookie, also in a preheated kernel via ``wait_for_request()``.
- ``strip_sources`` and no tracebacks: couples never see code or error internals.
- Idle culling: Voilà does not shut a kernel down when its page closes (voila#1458), so
  kernels with no open page are culled after ``cull_idle_timeout`` seconds.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

from traitlets.config import Config
from voila.app import Voila

from .handlers import handlers

SHARE_DIR = Path(str(files("trust_widgets") / "server" / "share"))
CULL_IDLE_SECONDS = 300
CULL_INTERVAL_SECONDS = 60


def default_notebooks_dir() -> Path:
    """Return the repository's ``notebooks/`` folder (the kit is installed editable)."""
    return Path(__file__).resolve().parents[2] / "notebooks"


class WorkshopVoila(Voila):
    """Voilà with the kit's own routes in front of Voilà's."""

    def init_handlers(self) -> list:
        return handlers(self.server_url or self.base_url) + super().init_handlers()


def workshop_config(
    db_url: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8866,
    open_browser: bool = True,
    cull_idle_seconds: int = CULL_IDLE_SECONDS,
    preheat: int = 0,
    max_kernels: int = 0,
) -> Config:
    """Return the traitlets config for a workshop server."""
    c = Config()
    c.Voila.ip = host
    c.Voila.port = port
    c.Voila.port_retries = 0  # a busy port is an error, not a silent move elsewhere
    c.Voila.open_browser = open_browser
    c.Voila.tornado_settings = {"tw_db_url": db_url}
    c.VoilaConfiguration.template = "tw"
    c.VoilaConfiguration.theme = "light"
    c.VoilaConfiguration.strip_sources = True
    c.VoilaConfiguration.show_tracebacks = False
    c.VoilaConfiguration.http_header_envs = ["Cookie"]
    c.MappingKernelManager.cull_idle_timeout = cull_idle_seconds
    c.MappingKernelManager.cull_interval = min(
        CULL_INTERVAL_SECONDS, max(5, cull_idle_seconds // 2)
    )
    c.MappingKernelManager.cull_connected = False
    if preheat:
        c.VoilaConfiguration.preheat_kernel = True
        c.VoilaConfiguration.default_pool_size = preheat
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
    prepare_environment(db_url)
    app = WorkshopVoila(config=workshop_config(db_url, **options))
    app.initialize(argv=[str(notebooks)])
    app.start()
