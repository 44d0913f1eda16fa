"""Benchmark: each built step page against a floor notebook (one ipywidgets Textarea).

Starts one ``trust-workshop serve`` with a temporary store and the demo workshop, drives one
Chromium context (warm HTTP cache) signed in as a demo partner who has taken the safety
check, and takes turns loading the floor and each step page. For each load it records the
time from ``page.goto`` to a visible ``.tw-ready`` and the RSS of the page's kernel.

Run from the repository root::

    .venv/bin/python benchmarks/page_load.py [--loads 7] [--port 0] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from importlib.metadata import version
from pathlib import Path

import nbformat
import psutil
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
FLOOR = "floor.ipynb"
# Each page, and an element that only its signed-in, past-the-safety-check form has: a
# signed-out or gated page would be lighter than the page the goal is about.
PAGES = {
    "step1": ("01_understand_the_root.ipynb", ".tw-roots-card"),
    "step2": ("02_communicate_openly.ipynb", ".tw-istatement-mine"),
    "step3": ("03_set_boundaries.ipynb", ".tw-boundaries-comparison"),
    "step5": ("05_professional_help.ipynb", ".tw-help-resources"),
}
SAFE_ANSWERS = {"afraid": "No", "harm": "No", "monitor": "No", "isolate": "No", "money": "No",
                "safe_together": "Yes"}  # fmt: skip
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Records, in the page, performance.now() (ms since navigation start) when .tw-ready appears.
READY_OBSERVER = """(() => {
  const opts = {subtree: true, childList: true, attributes: true, attributeFilter: ["class"]};
  new MutationObserver((_, obs) => {
    if (document.querySelector(".tw-ready")) {
      window.__twReady = performance.now();
      obs.disconnect();
    }
  }).observe(document, opts);
})();"""
TIMEOUT_MS = 120_000


def make_notebooks(folder: Path) -> None:
    """Copy the repository's notebooks into ``folder`` and add the floor notebook."""
    for src in sorted((REPO / "notebooks").glob("*.ipynb")):
        (folder / src.name).write_bytes(src.read_bytes())
    nb = nbformat.v4.new_notebook()
    code = 'import ipywidgets\n\nw = ipywidgets.Textarea()\nw.add_class("tw-ready")\nw'
    nb.cells = [nbformat.v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(nb, folder / FLOOR)


def free_port() -> int:
    """Return a loopback port that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(tmp: Path, port: int) -> tuple[subprocess.Popen, Path]:
    """Start ``trust-workshop serve`` and wait (bounded) until it answers."""
    script = Path(sys.executable).parent / "trust-workshop"
    log = tmp / "server.log"
    cmd = [str(script), "serve", "--no-browser", "--with-demo", "--port", str(port)]
    cmd += ["--db", f"sqlite:///{tmp / 'store.sqlite3'}", "--notebooks", str(tmp / "notebooks")]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/tw/static/tw.css", timeout=2).close()
            return proc, log
        except (urllib.error.URLError, OSError):
            time.sleep(0.3)
    stop_server(proc)
    raise RuntimeError(f"server did not answer within 90 s:\n{log.read_text()[-3000:]}")


def stop_server(proc: subprocess.Popen) -> None:
    """Stop the server and any kernel it leaves behind (only processes this run started)."""
    try:
        kids = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        kids = []
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
    _, alive = psutil.wait_procs(kids, timeout=10)
    for kid in alive:
        kid.kill()


def kernel_process(server: psutil.Process, kernel_id: str) -> psutil.Process:
    """Return the server's kernel process for ``kernel_id`` (waits up to 30 s)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for kid in server.children(recursive=True):
            try:
                if any(f"kernel-{kernel_id}.json" in part for part in kid.cmdline()):
                    return kid
            except psutil.Error:
                continue
        time.sleep(0.2)
    raise RuntimeError(f"no kernel process for {kernel_id}")


def load(context, base: str, name: str, server: psutil.Process, marker: str = "") -> dict:
    """Load one page, measure time to ``.tw-ready`` and its kernel's memory, then close it.

    ``marker`` must be on the page: it proves the full, signed-in form was measured.
    """
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(f"{base}/voila/render/{name}", wait_until="commit", timeout=TIMEOUT_MS)
        page.wait_for_selector(".tw-ready", state="visible", timeout=TIMEOUT_MS)
        wall_ms = (time.perf_counter() - start) * 1000
        if marker and not page.locator(marker).count():
            raise RuntimeError(f"{name} rendered without its signed-in form ({marker})")
        browser_ms = page.evaluate("window.__twReady ?? null")
        config = page.evaluate("document.getElementById('jupyter-config-data').textContent")
        kernel = kernel_process(server, json.loads(config)["kernelId"])
        time.sleep(1.0)  # let the kernel settle after the first render
        rss = kernel.memory_info().rss / 2**20
        try:
            uss = kernel.memory_full_info().uss / 2**20
        except (psutil.AccessDenied, AttributeError):
            uss = None
        page.goto("about:blank")  # fires beforeunload: Voilà's page asks to shut its kernel down
    finally:
        page.close()
    gone, _ = psutil.wait_procs([kernel], timeout=15)
    return {"ms": wall_ms, "browser_ms": browser_ms, "rss_mib": rss, "uss_mib": uss,
            "kernel_stopped": bool(gone)}  # fmt: skip


def machine(browser_version: str, load_at_start: float) -> dict:
    """Describe the machine, its load (other work skews timings) and the versions used."""
    return {
        "nproc": os.cpu_count(),
        "ram_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "voila": version("voila"),
        "ipywidgets": version("ipywidgets"),
        "ipykernel": version("ipykernel"),
        "chromium": browser_version,
        "load_avg_1min_at_start": round(load_at_start, 2),
        "load_avg_1min_at_end": round(os.getloadavg()[0], 2),
    }


def summary(samples: list[dict], key: str) -> dict:
    """Return median, min and max of ``key`` over ``samples``."""
    values = [s[key] for s in samples if s[key] is not None]
    if not values:
        return {"median": None, "min": None, "max": None}
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def table(results: dict) -> str:
    """Return the results as a Markdown table: each page's medians and ratios to the floor."""
    floor = results["summary"]["floor"]
    lines = [
        "| Page | Time to `tw-ready`, median (min–max) ms | × floor "
        "| Kernel RSS, median (min–max) MiB | × floor |",
        "|---|---|---|---|---|",
    ]
    for key, stats in results["summary"].items():
        t, m = stats["ms"], stats["rss_mib"]
        if t["median"] is None or m["median"] is None:
            continue
        lines.append(
            f"| {key} | {t['median']:.0f} ({t['min']:.0f}–{t['max']:.0f}) "
            f"| {t['median'] / floor['ms']['median']:.2f}× "
            f"| {m['median']:.1f} ({m['min']:.1f}–{m['max']:.1f}) "
            f"| {m['median'] / floor['rss_mib']['median']:.2f}× |"
        )
    return "\n".join(lines)


def sign_in(context, base: str) -> None:
    """Sign the context in as the demo partner and take the safety check once."""
    page = context.new_page()
    page.goto(base + "/", timeout=TIMEOUT_MS)
    page.click(".tw-try-demo", timeout=TIMEOUT_MS)
    page.wait_for_selector(".tw-ready", state="visible", timeout=TIMEOUT_MS)
    page.goto(f"{base}/voila/render/safety_check.ipynb", timeout=TIMEOUT_MS)
    page.wait_for_selector(".tw-ready", state="visible", timeout=TIMEOUT_MS)
    for key, label in SAFE_ANSWERS.items():
        page.locator(f".tw-safety-{key} label").get_by_text(label, exact=True).click()
    page.click(".tw-safety-save")
    page.wait_for_selector(".tw-safety-guidance", timeout=TIMEOUT_MS)
    page.goto("about:blank")
    page.close()


def run(loads: int, port: int) -> dict:
    """Run the whole benchmark and return its results."""
    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="tw-bench-") as tmpdir:
        tmp = Path(tmpdir)
        (tmp / "notebooks").mkdir()
        make_notebooks(tmp / "notebooks")
        port = port or free_port()
        base = f"http://127.0.0.1:{port}"
        proc, log = start_server(tmp, port)
        try:
            server = psutil.Process(proc.pid)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    context = browser.new_context()
                    context.add_init_script(READY_OBSERVER)
                    sign_in(context, base)
                    pages = {"floor": (FLOOR, ""), **PAGES}
                    for name, marker in pages.values():  # warm-up loads, discarded
                        load(context, base, name, server, marker)
                    samples: dict[str, list[dict]] = {key: [] for key in pages}
                    for i in range(loads):
                        for key, (name, marker) in pages.items():
                            samples[key].append(load(context, base, name, server, marker))
                            print(f"load {i + 1}/{loads} {key}: {samples[key][-1]}", flush=True)
                    info = machine(browser.version, load_at_start)
                finally:
                    browser.close()
        except Exception:
            print(f"server log (tail):\n{log.read_text()[-3000:]}", file=sys.stderr)
            raise
        finally:
            stop_server(proc)
    keys = ("ms", "browser_ms", "rss_mib", "uss_mib")
    return {
        "machine": info,
        "loads": loads,
        "samples": samples,
        "summary": {k: {m: summary(v, m) for m in keys} for k, v in samples.items()},
    }


def main() -> None:
    """Parse arguments, run, print the table and write the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loads", type=int, default=7, help="measured loads per page (>= 5)")
    parser.add_argument("--port", type=int, default=0, help="server port (0: a free one)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks/results/page_load.json")
    args = parser.parse_args()
    if args.loads < 5:
        parser.error("--loads must be at least 5")
    results = run(args.loads, args.port)
    print("\n" + "\n".join(f"- {k}: {v}" for k, v in results["machine"].items()))
    print("\n" + table(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nResults written to {args.out}")


if __name__ == "__main__":
    main()
