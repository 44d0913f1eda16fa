"""Benchmark: a partner's whole visit, against the one-``Textarea`` floor page.

For each kit measured (``--before REV`` from a git worktree on ``PYTHONPATH``, then this
checkout), a fresh server on a temporary store, and one Chromium context (warm HTTP cache)
of a partner who has started a couple and taken the safety check. Each visit opens the
landing page in a new tab, then follows the pages' own links: "next" through steps 1 to 6
and the summary, then the safety check from the header. Measured per visit:

- kernels started: every page kernel process seen while the visit runs (polled);
- CPU seconds of the server and all its kernels, from the landing page to the end;
- time from each click to the new page's ``.tw-ready`` (a step change);
- time to the landing page's ``.tw-ready`` (the first page of a visit, on an idle server);
- RSS of the visit's kernel once it shows step 5 (a visit that has not opened step 6).

The floor is a notebook with one ``ipywidgets.Textarea``, served by plain Voilà from the
same environment, loaded the same way; ratios are to its median, in the same run.

Run from the repository root::

    .venv/bin/python benchmarks/visit.py [--before REV] [--visits 3] [--out docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).parent))
from attack import at_revision, free_port, serve, stop, write_section

REPO = Path(__file__).resolve().parents[1]
SECTION = "## A visit in one kernel (issue: a room that moves together)"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
TIMEOUT_MS = 120_000
SAFE = {"afraid": "No", "harm": "No", "monitor": "No", "isolate": "No", "money": "No",
        "safe_together": "Yes"}  # fmt: skip
WALK = [*(f".tw-step-{n}" for n in range(1, 8)), ".tw-step-safety"]


def cpu_seconds(server: psutil.Process) -> float:
    """CPU of the server, its reaped children and its live descendants, in seconds."""
    t = server.cpu_times()
    total = t.user + t.system + t.children_user + t.children_system
    for kid in server.children(recursive=True):
        try:
            k = kid.cpu_times()
            total += k.user + k.system
        except psutil.Error:
            continue
    return total


def kernels(server: psutil.Process) -> dict[int, psutil.Process]:
    out = {}
    for kid in server.children(recursive=True):
        try:
            if "ipykernel_launcher" in " ".join(kid.cmdline()):
                out[kid.pid] = kid
        except psutil.Error:
            continue
    return out


class KernelWatch:
    """Notes every kernel process that appears while it runs (they may stop in between)."""

    def __init__(self, server: psutil.Process) -> None:
        self.server, self.seen, self._stop = server, set(kernels(server)), threading.Event()
        self.before = set(self.seen)
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while not self._stop.wait(0.1):
            self.seen |= set(kernels(self.server))

    def started(self) -> int:
        self._stop.set()
        self._thread.join()
        self.seen |= set(kernels(self.server))
        return len(self.seen - self.before)


def wait_for_port(port: int) -> None:
    """Wait until something listens on ``port`` (a GET of the page would start a kernel)."""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise RuntimeError("plain Voilà did not start")


def floor_times(pw_browser, loads: int) -> tuple[list[float], list[float]]:
    """Load the floor page served by plain Voilà; return times (ms) and kernel RSS (MiB)."""
    with tempfile.TemporaryDirectory(prefix="tw-floor-") as tmp:
        nb = nbformat.v4.new_notebook()
        code = 'import ipywidgets\n\nw = ipywidgets.Textarea()\nw.add_class("tw-ready")\nw'
        nb.cells = [nbformat.v4.new_code_cell(code)]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
        nbformat.write(nb, Path(tmp) / "floor.ipynb")
        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "voila", "--no-browser", f"--port={port}", "floor.ipynb"],
            cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            server = psutil.Process(proc.pid)
            ctx = pw_browser.new_context()
            times, rss = [], []
            wait_for_port(port)
            for i in range(loads + 1):  # the first load warms the cache and is dropped
                page = ctx.new_page()
                start = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/", timeout=TIMEOUT_MS)
                page.wait_for_selector(".tw-ready", timeout=TIMEOUT_MS)
                ms = (time.perf_counter() - start) * 1000
                time.sleep(1.0)
                if i:
                    times.append(ms)
                    rss.append(max(k.memory_info().rss for k in kernels(server).values()) / 2**20)
                page.goto("about:blank")
                page.close()
                time.sleep(1.0)
            ctx.close()
        finally:
            stop(proc)
    return times, rss


def sign_up(ctx, base: str) -> None:
    page = ctx.new_page()
    page.goto(base + "/", timeout=TIMEOUT_MS)
    page.wait_for_selector(".tw-step-0.tw-ready", timeout=TIMEOUT_MS)
    page.locator(".tw-welcome-own-name input").fill("Bench")
    page.click(".tw-start-own")
    page.click(".tw-continue")
    page.wait_for_selector(".tw-step-1.tw-ready", timeout=TIMEOUT_MS)
    for key, label in SAFE.items():
        page.locator(f".tw-safety-{key} label").get_by_text(label, exact=True).click()
    page.click(".tw-safety-save")
    page.wait_for_selector(".tw-safety-guidance", timeout=TIMEOUT_MS)
    page.goto("about:blank")
    page.close()


def visit(ctx, base: str, server: psutil.Process) -> dict:
    """One visit: landing, then "next" to the summary, then the safety check."""
    time.sleep(3)  # an idle server at the start
    watch = KernelWatch(server)
    cpu0 = cpu_seconds(server)
    page = ctx.new_page()
    start = time.perf_counter()
    page.goto(base + "/", timeout=TIMEOUT_MS)
    page.wait_for_selector(".tw-step-0.tw-ready", timeout=TIMEOUT_MS)
    first_ms = (time.perf_counter() - start) * 1000
    changes, rss5 = [], None
    for ready in WALK:
        link = ".tw-safety-link" if ready == ".tw-step-safety" else ".tw-nav-next"
        start = time.perf_counter()
        page.click(link, timeout=TIMEOUT_MS)
        page.wait_for_selector(f".tw-page{ready}.tw-ready", timeout=TIMEOUT_MS)
        changes.append((time.perf_counter() - start) * 1000)
        if ready == ".tw-step-5":
            time.sleep(1.0)
            kid = json.loads(
                page.evaluate("document.getElementById('jupyter-config-data').textContent")
            )["kernelId"]
            rss5 = next(
                k.memory_info().rss / 2**20
                for k in kernels(server).values()
                if any(f"kernel-{kid}.json" in p for p in k.cmdline())
            )
    time.sleep(1.0)
    cpu = cpu_seconds(server) - cpu0
    page.goto("about:blank")
    page.close()
    return {"first_ms": first_ms, "changes_ms": changes, "kernels": watch.started(),
            "cpu_s": cpu, "rss_step5_mib": rss5}  # fmt: skip


def run(label: str, code: Path | None, visits: int, pw_browser) -> dict:
    print(f"== {label}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="tw-visit-") as tmp:
        # One browser's tabs come and go quickly: the per-device quota is not measured here.
        proc, base = serve(Path(tmp), code, 300, ("--kernels-per-device", "0"))
        try:
            server = psutil.Process(proc.pid)
            ctx = pw_browser.new_context()
            sign_up(ctx, base)
            visit(ctx, base, server)  # a warm-up visit, dropped
            out = [visit(ctx, base, server) for _ in range(visits)]
            ctx.close()
        finally:
            stop(proc)
    for v in out:
        print(f"  {v}", file=sys.stderr)
    return {"label": label, "visits": out}


def markdown(results: list[dict], floor_ms: list[float], floor_rss: list[float], before) -> str:
    f_ms, f_rss = statistics.median(floor_ms), statistics.median(floor_rss)

    def med(r, key):
        return statistics.median(v[key] for v in r["visits"])

    def changes(r):
        return [c for v in r["visits"] for c in v["changes_ms"]]

    def step_worst(r):  # the worst step, by its median over the visits
        per = zip(*(v["changes_ms"] for v in r["visits"]), strict=True)
        return max(statistics.median(p) for p in per)

    rows = [
        ("kernels started by a visit (goal: at most 2)", lambda r: f"{med(r, 'kernels'):.0f}"),
        ("server and kernel CPU of a visit, s (goal: at most 3.3)",
         lambda r: f"{med(r, 'cpu_s'):.1f}"),
        ("step change, median × floor (goal: at most 0.3)",
         lambda r: f"{statistics.median(changes(r)) / f_ms:.2f}"),
        ("worst step change (median of the visits) × floor (goal: at most 0.5)",
         lambda r: f"{step_worst(r) / f_ms:.2f}"),
        ("first page of a visit, idle server, × floor (goal: at most 0.6)",
         lambda r: f"{med(r, 'first_ms') / f_ms:.2f}"),
        ("kernel RSS on step 5, not having opened step 6, × floor (goal: at most 1.6)",
         lambda r: f"{med(r, 'rss_step5_mib') / f_rss:.2f}"),
    ]  # fmt: skip
    labels = [r["label"] for r in results]
    lines = [
        SECTION,
        "",
        f"Measured with `python benchmarks/visit.py{f' --before {before}' if before else ''}` "
        f"on {time.strftime('%Y-%m-%d')} ({platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}); {len(results[-1]['visits'])} visits per column after a "
        "warm-up, each from the landing page by the pages' own links (next to the summary, "
        "then the safety check). The floor (one `Textarea`, plain Voilà, same environment): "
        f"{f_ms:.0f} ms to ready, kernel RSS {f_rss:.0f} MiB.",
        "",
        "| | " + " | ".join(labels) + " |",
        "|---|" + "---|" * len(labels),
        *(f"| {name} | " + " | ".join(fn(r) for r in results) + " |" for name, fn in rows),
        "",
        "Step changes, ms (median over the visits), in walk order: "
        + "; ".join(
            f"{r['label']}: "
            + ", ".join(
                f"{statistics.median(p):.0f}"
                for p in zip(*(v["changes_ms"] for v in r["visits"]), strict=True)
            )
            for r in results
        )
        + ".",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", help="also measure the kit at this git revision, first")
    parser.add_argument("--visits", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            floor_ms, floor_rss = floor_times(browser, 5)
            print(f"floor: {floor_ms} ms, {floor_rss} MiB", file=sys.stderr)
            results = []
            if args.before:
                results.append(at_revision(args.before, lambda code: run(
                    f"before ({args.before})", code, args.visits, browser)))  # fmt: skip
            results.append(run("after", None, args.visits, browser))
        finally:
            browser.close()
    print(json.dumps({"floor_ms": floor_ms, "floor_rss": floor_rss, "results": results}))
    text = markdown(results, floor_ms, floor_rss, args.before)
    print(text)
    if args.out:
        write_section(args.out, text, SECTION)


if __name__ == "__main__":
    main()
