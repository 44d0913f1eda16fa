"""Servers for the security tests: real ``trust-workshop serve`` processes on loopback.

The shared server lifts the per-address kernel quota, because every client of these tests
comes from 127.0.0.1; the quota's own tests start servers with the defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.ui.conftest import start_server, stop_server
from trust_widgets.store.engine import create_store_engine

ALLOWED_HOST = "workshop.example"


@dataclass
class Served:
    base: str
    folder: Path
    engine: object

    @property
    def log(self) -> str:
        return (self.folder / "server.log").read_text(errors="replace")


def serve(folder: Path, *extra: str):
    """Start a server in ``folder``; return the process and a :class:`Served`."""
    proc, base = start_server(folder, *extra, one_address=False)
    engine = create_store_engine(f"sqlite:///{folder / 'ui.sqlite3'}")
    return proc, Served(base, folder, engine)


@pytest.fixture(scope="session")
def secure_server(tmp_path_factory):
    """A server with the kit's defaults but for the address quota (see the module text)."""
    proc, served = serve(
        tmp_path_factory.mktemp("secure"),
        "--kernels-per-address", "0", "--allowed-host", ALLOWED_HOST,
    )  # fmt: skip
    yield served
    stop_server(proc)
    served.engine.dispose()


@pytest.fixture
def own_server(tmp_path):
    """Start a server of the test's own, with its options; stopped after the test."""
    started = []

    def start(*extra: str) -> Served:
        folder = tmp_path / f"server{len(started)}"
        folder.mkdir()
        proc, served = serve(folder, *extra)
        started.append((proc, served))
        return served

    yield start
    for proc, served in started:
        stop_server(proc)
        served.engine.dispose()
