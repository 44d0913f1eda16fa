"""Bytes on the wire: what a new device downloads for its first page, before and after.

Starts ``trust-workshop serve`` on loopback with a temporary store (the kit at ``--before``
REV, from a git worktree on ``PYTHONPATH``, then this checkout), opens the landing page in a
fresh Chromium context (an empty cache: a new device), waits until the page is ready and the
network is quiet, and adds up every response as it came over the wire: Chromium's encoded
body size plus headers. A second page in the same context shows what the cache saves.

Both servers run in this environment, so the installed JupyterLab extensions are the same for
both; only what the kit chooses to serve differs.

Run from the repository root::

    .venv/bin/python benchmarks/wire.py [--before REV] [--out docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from attack import at_revision, serve, stop, write_section  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from tests._browser import CHROMIUM_ARGS, PHONE, READY_MS, chromium_path  # noqa: E402

SECTION = "## Bytes on the wire: a new device's first page (issue: a room that moves together)"
GOAL_MB = 1.5
QUIET_S = 3.0  # no new response for this long: the page has fetched what it fetches


def _kind(url: str) -> str:
    path = url.split("?", 1)[0]
    for marker, kind in (
        ("/labextensions/", "JupyterLab extensions"),
        ("/voila/static/", "Voilà"),
        ("/tw/static/", "the kit"),
        ("/tw/fa/", "the kit"),
        ("/static/", "Jupyter Server"),
    ):
        if marker in path:
            return kind
    return "pages and API"


def _load(context, url: str) -> dict:
    """Open ``url`` in ``context``; return bytes and requests as they came over the wire."""
    seen: list = []
    page = context.new_page()
    page.on("requestfinished", lambda request: seen.append(request))
    page.goto(url)
    page.wait_for_selector(".tw-page.tw-ready", timeout=READY_MS)
    count, since = -1, time.monotonic()
    while time.monotonic() - since < QUIET_S:
        if len(seen) != count:
            count, since = len(seen), time.monotonic()
        page.wait_for_timeout(250)
    total, by_kind, encoded = 0, Counter(), Counter()
    for request in seen:
        sizes = request.sizes()
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        total += size
        by_kind[_kind(request.url)] += size
        response = request.response()
        if response is not None and response.headers.get("content-encoding"):
            encoded[response.headers["content-encoding"]] += 1
    page.close()
    return {"bytes": total, "requests": len(seen), "by_kind": dict(by_kind),
            "encoded": dict(encoded)}  # fmt: skip


def run(label: str, code: Path | None) -> dict:
    """Measure one fresh server; return its first-page and second-page figures."""
    print(f"== {label}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="tw-wire-") as tmp:
        proc, base = serve(Path(tmp), code, 300)
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
                try:
                    context = browser.new_context(viewport=PHONE)
                    first = _load(context, base + "/")
                    again = _load(context, base + "/")  # the same device, its cache warm
                    context.close()
                finally:
                    browser.close()
        finally:
            stop(proc)
    return {"label": label, "first": first, "again": again}


def _mb(n: int) -> str:
    return f"{n / 1e6:.2f} MB"


def markdown(results: list[dict], before: str | None) -> str:
    when = time.strftime("%Y-%m-%d")
    cols = [r["label"] for r in results]
    lines = [
        SECTION,
        "",
        f"Measured with `python benchmarks/wire.py{f' --before {before}' if before else ''}`"
        f" on {when} ({platform.machine()}, Python {platform.python_version()}): the landing",
        "page in a fresh Chromium context, every response counted as it came over the wire",
        f"(encoded body and headers), until {QUIET_S:.0f} s without a new response. The goal",
        f"is at most {GOAL_MB} MB.",
        "",
        "| | " + " | ".join(cols) + " |",
        "|---|" + "---|" * len(cols),
        "| first page of a new device | " + " | ".join(_mb(r["first"]["bytes"]) for r in results)
        + " |",
        "| its requests | " + " | ".join(str(r["first"]["requests"]) for r in results) + " |",
        "| compressed responses | "
        + " | ".join(str(sum(r["first"]["encoded"].values())) for r in results) + " |",
        "| the same page again, same device | "
        + " | ".join(_mb(r["again"]["bytes"]) for r in results) + " |",
    ]  # fmt: skip
    kinds = sorted({k for r in results for k in r["first"]["by_kind"]})
    for kind in kinds:
        lines.append(
            f"| of the first page: {kind} | "
            + " | ".join(_mb(r["first"]["by_kind"].get(kind, 0)) for r in results) + " |"
        )  # fmt: skip
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", help="also measure the kit at this git revision, first")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    results = []
    if args.before:
        results.append(at_revision(args.before, lambda code: run(f"before ({args.before})", code)))
    results.append(run("after", None))
    print(json.dumps(results, indent=2))
    if args.out:
        write_section(args.out, markdown(results, args.before), SECTION)
    if results[-1]["first"]["bytes"] > GOAL_MB * 1e6:
        sys.exit(1)


if __name__ == "__main__":
    main()
