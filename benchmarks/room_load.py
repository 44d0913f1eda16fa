"""Benchmark: a room of 30 couples on one server, against the single-user floor.

Starts one ``trust-workshop serve`` on loopback with a temporary store and one open
workshop, then, in one Chromium (one browser context per partner):

1. the floor: one user loads a notebook with a single Textarea, warm cache, one at a time;
2. the room: all couples at once; each partner joins on the landing page, continues to
   step 1, answers the safety check, saves a card, checks in on step 4 and leaves
   (``tests/load/_room.py``). Every fifth partner closes the browser without leaving the
   page, as a phone that dies does;
3. the 6 minutes after: kernels and memory every 30 s, to show that the kernels of closed
   pages stop (at once) and those of vanished phones are culled.

Throughout, it counts the server's kernel processes and the RSS of the server plus kernels,
and the CPU seconds used by the server, its kernels and the browser (which, unlike in a real
room, shares this machine). At the end it counts the store against what was sent.
Everything is bounded in time.

Run from the repository root::

    .venv/bin/python benchmarks/room_load.py [--quick] [--couples 30] [--preheat N]
        [--max-kernels N] [--max-rendering N] [--cull-idle S] [--after S] [--out PATH]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

import psutil
from playwright.async_api import async_playwright

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the shared driver lives with the load test

from tests.load import _cpu, _room, _server, _store_check  # noqa: E402
from trust_widgets.server._room import default_max_kernels, default_max_rendering  # noqa: E402

SAMPLE_EVERY = 30


def pct(values: list[float], q: int) -> float | None:
    """Return the ``q``-th percentile (inclusive method), or None without values."""
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


async def drive(base: str, code: str, args, pid: int) -> dict:
    """Measure the floor, then run the room while sampling kernels and memory."""
    async with async_playwright() as pw:
        browser = await _room.launch(pw)
        try:
            floor = await _room.floor_times(browser, base, args.floor_loads)
            with _server.Sampler(pid, interval=1.0) as during, _cpu.CpuMeter(pid) as cpu:
                room = await _room.run_room(
                    browser, base, code, args.couples, "bench",
                    timeout_s=args.page_timeout, deadline_s=args.deadline,
                    drop_every=args.drop_every,
                )  # fmt: skip
            return {"floor": floor, "room": room, "during": during.samples,
                    "cpu": cpu.seconds, "chromium": browser.version}  # fmt: skip
        finally:
            await browser.close()


def after(pid: int, seconds: int) -> list[tuple[int, int, float]]:
    """Sample kernels and memory now and every 30 s for ``seconds`` (bounded)."""
    samples = []
    t0 = time.monotonic()
    for t in range(0, seconds + 1, SAMPLE_EVERY):
        time.sleep(max(0.0, t0 + t - time.monotonic()))
        kernels, mib = _server.kernels_and_memory(pid)
        samples.append((t, kernels, round(mib, 1)))
        print(f"  after {t:>3} s: {kernels} kernels, {mib:.0f} MiB", flush=True)
    return samples


def serve_args(args) -> list[str]:
    """The ``serve`` options under test; without ``--max-kernels``, the server's default."""
    cap = [] if args.max_kernels is None else ["--max-kernels", str(args.max_kernels)]
    return ["--cull-idle", str(args.cull_idle), "--preheat", str(args.preheat), *cap]


def run(args) -> dict:
    """Run floor, room and aftermath once; return the results."""
    load_at_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="tw-room-") as tmpdir:
        tmp = Path(tmpdir)
        # Voilà reads voila.json from the server's working folder. The floor loads without
        # Plotly's extension, like the room's pages (all three are pages without figures).
        config = {"VoilaConfiguration": {"extension_denylist": ["jupyterlab-plotly"]}}
        if args.max_rendering is not None:
            config["WorkshopVoila"] = {"max_rendering": args.max_rendering}
        (tmp / "voila.json").write_text(json.dumps(config))
        db_url, code = _server.make_store(tmp)
        notebooks = _server.make_notebooks(tmp / "notebooks")
        server = _server.start_server(tmp, db_url, notebooks, *serve_args(args))
        try:
            got = asyncio.run(drive(server.base, code, args, server.proc.pid))
            load_at_end = os.getloadavg()[0]
            print("Room done; sampling the aftermath.", flush=True)
            aftermath = after(server.proc.pid, args.after)
            store = _store_check.count_store(db_url, "bench", args.couples, got["room"].saved)
        except Exception:
            print(f"server log (tail):\n{server.log_tail()}", file=sys.stderr)
            raise
        finally:
            _server.stop_server(server)
    room = got["room"]
    return {
        "settings": vars(args) | {"out": str(args.out)},
        "machine": machine(got["chromium"], load_at_start, load_at_end),
        "floor_ms": got["floor"],
        "loads": [vars(x) for x in room.loads],
        "room_seconds": room.seconds,
        "partners_done": room.done,
        "saved": sorted(room.saved),
        "errors": room.errors,
        "recovered": room.recovered,
        "store": vars(store),
        "cpu_seconds": {k: round(v, 1) for k, v in got["cpu"].items()},
        "during": got["during"],
        "after": aftermath,
    }


def machine(chromium: str, load_start: float, load_end: float) -> dict:
    return {
        "nproc": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "voila": version("voila"),
        "ipykernel": version("ipykernel"),
        "chromium": chromium,
        "load_avg_1min_at_start": round(load_start, 2),
        "load_avg_1min_at_end": round(load_end, 2),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "default_max_kernels": default_max_kernels(),
        "max_rendering_default": default_max_rendering(),
        "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO,
                                 capture_output=True, text=True).stdout.strip(),
    }  # fmt: skip


def table(r: dict) -> str:
    """Return the results as Markdown tables."""
    floor = statistics.median(r["floor_ms"])
    ms = [x["ms"] for x in r["loads"]]

    def row(name: str, values: list[float]) -> str:
        p50, p95 = pct(values, 50), pct(values, 95)
        if p50 is None:
            return f"| {name} | 0 | – | – |"
        return (f"| {name} | {len(values)} | {p50:.0f} ms ({p50 / floor:.1f}×) "
                f"| {p95:.0f} ms ({p95 / floor:.1f}×) |")  # fmt: skip

    s = r["store"]
    during = r["during"] or [(0, 0, 0.0)]
    kernels = [k for _, k, _ in during]
    mib = [m for _, _, m in during]
    after = r["after"]
    cpu, n = r["cpu_seconds"], max(1, len(ms))
    lines = [
        f"Floor (one user, warm cache): median {floor:.0f} ms over {len(r['floor_ms'])} loads.",
        "",
        "| Page loads | n | time to `tw-ready`, p50 (× floor) | p95 (× floor) |",
        "|---|---|---|---|",
        row("all", ms),
        *(row(f"step {n}", [x["ms"] for x in r["loads"] if x["step"] == n]) for n in (0, 1, 4)),
        "",
        "| Outcome | Value |",
        "|---|---|",
        f"| room wall time | {r['room_seconds']:.0f} s |",
        f"| partners who finished | {r['partners_done']} of {2 * r['settings']['couples']} |",
        f"| errors (page, console, HTTP ≥ 400, error pages, timeouts) | {len(r['errors'])} |",
        f"| pages that reloaded themselves once (ipywidgets#4026) | "
        f"{len(r.get('recovered', []))} |",
        f"| store: couples / partners | {s['couples']} / {s['partners']} |",
        f"| store: cards / check-ins / notes, as sent | {s['cards']} / {s['checkins']} / "
        f"{s['notes']} |",
        f"| entries the page confirmed saved | {len(r['saved'])} |",
        f"| of those, lost (not in the store under their author) | {len(s['lost'])} |",
        f"| CPU seconds: server / kernels / browser | {cpu['server']:.0f} / "
        f"{cpu['kernels']:.0f} / {cpu['browser']:.0f} |",
        f"| server + kernels CPU per page load | {(cpu['server'] + cpu['kernels']) / n:.2f} s |",
        f"| kernels during the load, peak / mean | {max(kernels)} / "
        f"{statistics.mean(kernels):.1f} |",
        f"| server + kernels RSS during the load, peak / mean | {max(mib):.0f} / "
        f"{statistics.mean(mib):.0f} MiB |",
        "",
        "| After the load | " + " | ".join(f"{t // 60}:{t % 60:02d}" for t, *_ in after) + " |",
        "|---" * (len(after) + 1) + "|",
        "| kernels | " + " | ".join(str(k) for _, k, _ in after) + " |",
        "| RSS (MiB) | " + " | ".join(f"{m:.0f}" for _, _, m in after) + " |",
    ]  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    """Parse arguments, run once, print the tables and write the JSON results."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="5 couples, 60 s after: a smoke run")
    p.add_argument("--couples", type=int, default=30)
    p.add_argument("--floor-loads", type=int, default=5)
    p.add_argument("--preheat", type=int, default=0, help="serve --preheat")
    p.add_argument("--max-kernels", type=int, default=None,
                   help="serve --max-kernels (default: the server's own)")  # fmt: skip
    p.add_argument("--max-rendering", type=int, default=None,
                   help="pages rendered at once (default: the server's own)")  # fmt: skip
    p.add_argument("--cull-idle", type=int, default=300, help="serve --cull-idle")
    p.add_argument("--drop-every", type=int, default=5, help="every n-th partner vanishes")
    p.add_argument("--after", type=int, default=360, help="seconds sampled after the load")
    p.add_argument("--page-timeout", type=float, default=420, help="seconds per page, at most")
    p.add_argument("--deadline", type=float, default=1200, help="seconds for the room, at most")
    p.add_argument("--out", type=Path, default=REPO / "benchmarks/results/room_load.json")
    args = p.parse_args()
    if args.quick:
        args.couples, args.after = min(args.couples, 5), min(args.after, 60)
    if args.couples < 1 or args.floor_loads < 3:
        p.error("--couples must be at least 1 and --floor-loads at least 3")
    results = run(args)
    print("\n" + "\n".join(f"- {k}: {v}" for k, v in results["machine"].items()))
    print("\n" + table(results))
    for error in results["errors"][:20]:
        print("error:", error)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1) + "\n")
    print(f"\nResults written to {args.out}")


if __name__ == "__main__":
    main()
