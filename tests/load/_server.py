"""A workshop server for the room: its store, its process, and its kernels and memory.

Used by ``tests/load`` and ``benchmarks/room_load.py``. Loopback only; every wait is bounded;
only processes started here are ever stopped.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import psutil

from ._periodic import Periodic

REPO = Path(__file__).resolve().parents[2]
FLOOR = "floor.ipynb"
START_SECONDS = 90


def make_store(folder: Path) -> tuple[str, str]:
    """Create a migrated SQLite store with one open workshop; return (URL, join code)."""
    from trust_widgets.store.engine import get_engine
    from trust_widgets.workshops import create_workshop

    url = f"sqlite:///{folder / 'room.sqlite3'}"
    engine = get_engine(url)
    try:
        return url, create_workshop(engine, "A room of couples").join_code
    finally:
        engine.dispose()


def make_notebooks(folder: Path) -> Path:
    """Copy the kit's notebooks into ``folder`` and add the floor notebook (one Textarea)."""
    folder.mkdir(parents=True, exist_ok=True)
    for src in sorted((REPO / "notebooks").glob("*.ipynb")):
        shutil.copyfile(src, folder / src.name)
    nb = nbformat.v4.new_notebook()
    code = 'import ipywidgets\n\nw = ipywidgets.Textarea()\nw.add_class("tw-ready")\nw'
    nb.cells = [nbformat.v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(nb, folder / FLOOR)
    return folder


def free_port() -> int:
    """Return a loopback port that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A running ``trust-workshop serve``: its process, base URL and log file."""

    proc: subprocess.Popen
    base: str
    log: Path

    def log_tail(self, chars: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-chars:]


def start_server(folder: Path, db_url: str, notebooks: Path, *extra: str) -> Server:
    """Start ``trust-workshop serve`` on a free loopback port; wait (bounded) until it answers.

    ``folder`` is also the server's working folder, where Voilà reads a ``voila.json``.
    """
    port = free_port()
    exe = Path(sys.executable).with_name("trust-workshop")
    cmd = [str(exe), "serve", "--no-browser", "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--db", db_url, "--notebooks", str(notebooks), *extra]
    # The room's 60 partners all come from 127.0.0.1 here, as no real room's phones do.
    cmd += ["--kernels-per-address", "0"]
    log = folder / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=folder
        )
    server = Server(proc, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early:\n{server.log_tail()}")
        try:
            urllib.request.urlopen(server.base + "/tw/static/tw.css", timeout=2).close()
            return server
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    stop_server(server)
    raise RuntimeError(f"server did not answer within {START_SECONDS} s:\n{server.log_tail()}")


def stop_server(server: Server) -> None:
    """Stop the server, then any kernel it left behind (only processes it started)."""
    try:
        kids = psutil.Process(server.proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        kids = []
    server.proc.terminate()
    try:
        server.proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait(timeout=10)
    _, alive = psutil.wait_procs(kids, timeout=10)
    for kid in alive:
        kid.kill()


def kernels_and_memory(pid: int) -> tuple[int, float]:
    """Return (kernel processes, RSS of the server plus its kernels in MiB) for server ``pid``."""
    try:
        server = psutil.Process(pid)
        procs = [server, *server.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0, 0.0
    kernels, rss = 0, 0
    for p in procs:
        try:
            rss += p.memory_info().rss
            kernels += any("ipykernel" in part for part in p.cmdline())
        except psutil.Error:
            continue  # it ended while we looked
    return kernels, rss / 2**20


@dataclass
class Sampler(Periodic):
    """Sample kernels and memory of a server every ``interval`` seconds, in a thread."""

    pid: int
    interval: float = 1.0
    samples: list[tuple[float, int, float]] = field(default_factory=list)  # (t, kernels, MiB)

    def __post_init__(self) -> None:
        self._t0 = time.monotonic()
        self.start_sampling(self.interval)

    def sample(self) -> None:
        kernels, mib = kernels_and_memory(self.pid)
        self.samples.append((time.monotonic() - self._t0, kernels, mib))
