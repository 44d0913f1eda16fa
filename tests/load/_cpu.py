"""CPU seconds spent during a run, by whom: the server, its kernels, and the test's browser.

On this one machine the 60 "devices" share the server's cores; this says how much of the
load is the server's own work (server and kernels) and how much is the browsers'.
"""

from __future__ import annotations

import time

import psutil

from ._periodic import Periodic

INTERVAL = 0.5


def _who(proc: psutil.Process, server: int) -> str | None:
    """Return "server", "kernels", "browser" or None (not ours) for ``proc``."""
    if proc.pid == server:
        return "server"
    parents = {p.pid for p in proc.parents()}
    if server in parents:
        return "kernels" if any("ipykernel" in part for part in proc.cmdline()) else "server"
    if psutil.Process().pid in parents:
        return "browser"  # Playwright's driver and Chromium, started by this process
    return None


class CpuMeter(Periodic):
    """Sum CPU seconds (user + system) by role while in a ``with`` block, sampled in a thread.

    A process seen for the first time counts from zero if it started after the meter, else
    from the moment it was first seen. A process's last ``INTERVAL`` may be missed.
    """

    SAMPLE_AT_EXIT = True

    def __init__(self, server_pid: int) -> None:
        self.server = server_pid
        self.seconds: dict[str, float] = {"server": 0.0, "kernels": 0.0, "browser": 0.0}
        self._roles: dict[tuple[int, float], str | None] = {}
        self._used: dict[tuple[int, float], float] = {}
        self._t0 = time.time()
        self.start_sampling(INTERVAL)

    def sample(self) -> None:
        for proc in psutil.process_iter():
            try:
                key = (proc.pid, proc.create_time())
                if key not in self._roles:
                    self._roles[key] = _who(proc, self.server)
                times = proc.cpu_times()
            except psutil.Error:
                continue  # it ended while we looked
            role = self._roles[key]
            if role is None:
                continue
            used = times.user + times.system
            if key not in self._used:  # counts from zero only if it started after the meter
                self._used[key] = 0.0 if key[1] >= self._t0 else used
            self.seconds[role] += used - self._used[key]
            self._used[key] = used
