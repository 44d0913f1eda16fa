"""What keeps a room of couples fast on one small server (see docs/benchmarks.md).

- Lighter pages: a page loads only the extensions it uses; partner pages never Plotly's.
- How many pages render at once by default.
- Preheated kernels only for couples' pages, and never so many that they fill the cap.
- A suggested kernel cap from this machine's memory.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..steps import PARTNER_PAGES

PLOTLY_EXTENSION = "jupyterlab-plotly"
# The JupyterLab extensions a page uses: the widget managers and, on pages with figures,
# Plotly's renderer. Anything else installed beside the kit (anywidget, a theme) stays off
# the pages, which would otherwise download and run it on every device.
PAGE_EXTENSIONS = frozenset({
    "@jupyter-widgets/jupyterlab-manager",
    "@voila-dashboards/widgets-manager7",
    "@voila-dashboards/widgets-manager8",
    PLOTLY_EXTENSION,
})  # fmt: skip
# Pages without Plotly's renderer: the partner pages, which move in place from one to
# another, and whose figures (step 6) tw.js draws with plotly.js fetched only then.
NO_FIGURES = frozenset(PARTNER_PAGES)
# Preheated kernels only for couples' pages: facilitators' and researchers' are rare.
PREHEAT_DENYLIST = ["facilitator/", "research/"]
KERNEL_MIB = 80  # RSS of a page kernel, measured in a room of 30 couples
MIN_KERNELS = 20


def lighter_pages(page_config: dict, *, notebook_path: str | None = None, **_kwargs) -> dict:
    """Voilà's ``page_config_hook``: a page loads only the extensions it uses.

    Partner pages leave out Plotly's extension too: its 4.8 MB of JavaScript (plotly.js)
    would otherwise be downloaded by every new device and compiled by every page, about half
    of all a page loads. Facilitators' pages keep it for their figures.
    """
    wanted = set(PAGE_EXTENSIONS)
    if notebook_path and Path(notebook_path).name in NO_FIGURES:
        wanted.discard(PLOTLY_EXTENSION)
    page_config["federated_extensions"] = [
        ext for ext in page_config.get("federated_extensions", []) if ext.get("name") in wanted
    ]
    return page_config


def default_max_rendering() -> int:
    """Pages rendered at once by default: two per core (kernel start and notebook run)."""
    return 2 * (os.cpu_count() or 1)


def preheated_pages(notebooks: Path) -> int:
    """Count the notebooks Voilà keeps a pool of preheated kernels for."""
    names = (str(p.relative_to(notebooks)) for p in notebooks.rglob("*.ipynb"))
    return sum(not any(d in n for d in (*PREHEAT_DENYLIST, ".ipynb_checkpoints")) for n in names)


def check_preheat(notebooks: Path, preheat: int, max_kernels: int) -> None:
    """Refuse a pool that would fill the kernel cap: pages would find no place left.

    Raises
    ------
    ValueError
        With a message for the person starting the server.
    """
    pooled = preheat * preheated_pages(notebooks)
    if max_kernels and preheat and pooled >= max_kernels:
        raise ValueError(
            f"--preheat {preheat} keeps {pooled} kernels waiting ({preheat} for each page), "
            f"which leaves no room under --max-kernels {max_kernels}. "
            "Raise --max-kernels or lower --preheat."
        )


def default_max_kernels(mib_per_kernel: int = KERNEL_MIB, share: float = 0.5) -> int:
    """Suggest a kernel cap: ``share`` of this machine's memory, ``mib_per_kernel`` each.

    Measured in a room of 30 couples: about 80 MiB RSS per page kernel. Half the memory
    leaves the rest to the system and a browser. Never below ``MIN_KERNELS``.
    """
    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):  # not on this system: assume a small laptop
        total = 8 * 2**30
    return max(MIN_KERNELS, int(total * share / (mib_per_kernel * 2**20)))
