"""Attack script: the security review's attacks against a served kit, before and after.

Starts ``trust-workshop serve`` on loopback with a temporary store and the kit's defaults,
and runs, with plain HTTP and websocket clients (``tests/security/_attacks.py``):

1. one cookie-less client requesting the landing page, 8 at a time, for 60 s: the kernels
   it started (each page names its kernel) and what it was answered;
2. a page's kernel websocket held open and silent: how long its kernel lives;
3. 200 wrong sign-in claims and 60 wrong facilitator keys from one client: how many were
   answered before the limit;
4. Alice's step-2 kernel, opened with no cookie, her partner's and another couple's: how many
   of the 3 were refused;
5. every bypass path and host trick: the status each got.

With ``--before REV`` it runs the same attacks first against the kit at that revision (a
git worktree, on ``PYTHONPATH``), so that before and after come from one script and one
machine. Results go to stdout as JSON, and with ``--out`` into docs/benchmarks.md.

Run from the repository root::

    .venv/bin/python benchmarks/attack.py [--before 9db9f73] [--seconds 60]
        [--cull-idle S] [--out docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.security import _attacks as A  # noqa: E402
from tests.ui.conftest import free_port  # noqa: E402
from trust_widgets.store.engine import create_store_engine  # noqa: E402
from trust_widgets.workshops import create_workshop  # noqa: E402

SECTION = "## Security: one visitor against the doors (issue: close the doors)"


def serve(
    folder: Path, code: Path | None, cull_idle: int, extra: tuple[str, ...] = ()
) -> tuple[subprocess.Popen, str]:
    """Start a server (the kit at ``code``, or this checkout) and wait until it answers."""
    port = free_port()
    env = dict(os.environ)
    if code is not None:  # an older kit first on the path, for the server and its kernels
        env["PYTHONPATH"] = os.pathsep.join([str(code), env.get("PYTHONPATH", "")])
    exe = Path(sys.executable).with_name("trust-workshop")
    cmd = [str(exe), "serve", "--no-browser", "--port", str(port), "--cull-idle", str(cull_idle)]
    cmd += ["--db", f"sqlite:///{folder / 'store.sqlite3'}", *extra]
    if code is not None:
        cmd += ["--notebooks", str(code / "notebooks")]
    proc = subprocess.Popen(
        cmd, stdout=(folder / "server.log").open("w"), stderr=subprocess.STDOUT, env=env
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if A.request(base, "/tw/away", timeout=2).status == 200:
                return proc, base
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError((folder / "server.log").read_text())


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def run(label: str, code: Path | None, seconds: float, cull_idle: int) -> dict:
    """Run every attack against one fresh server; return what it got."""
    print(f"== {label}", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="tw-attack-") as tmp:
        folder = Path(tmp)
        proc, base = serve(folder, code, cull_idle)
        engine = create_store_engine(f"sqlite:///{folder / 'store.sqlite3'}")
        out: dict = {"label": label}
        try:
            alice, ben = A.signed_in_pair(base, engine, ("Alice", "Ben"))
            cleo, _ = A.signed_in_pair(base, engine, ("Cleo", "Dev"))
            kernel = alice.get(A.STEP2).kernel_id
            others = {
                "no cookie": {},
                "partner's cookie": ben.cookies,
                "other couple's": cleo.cookies,
            }
            got = {name: A.try_socket(base, kernel, cookies) for name, cookies in others.items()}
            out["websocket_refused"] = sum(v.startswith("refused") for v in got.values())
            out["websocket"] = got
            print("  websocket done", file=sys.stderr)
            out["bypasses"] = A.bypasses(base)
            out["bypasses_refused"] = sum(A.refused(s) for s in out["bypasses"].values())
            out["bypasses_tried"] = len(out["bypasses"])
            print("  bypasses done", file=sys.stderr)
            claims = A.wrong_codes(base, "/tw/claim", "code", attempts=200)
            create_workshop(engine, "A room")
            keys = A.wrong_codes(base, "/tw/facilitate", "key", attempts=60)
            out["claims"] = {"tried": 200, "answered": claims.answered, "limited": claims.limited}
            out["keys"] = {"tried": 60, "answered": keys.answered, "limited": keys.limited}
            print("  codes done", file=sys.stderr)
            # Before the flood: a kit without a quota is full for minutes after it.
            limit = cull_idle + 180
            lived = A.silent_kernel_lifetime(base, limit=limit)
            out["silent_kernel_seconds"] = (
                round(lived) if lived < limit - 2 else f"over {limit} (never culled)"
            )
            out["cull_idle"] = cull_idle
            print("  silent kernel done", file=sys.stderr)
            flood = A.anonymous_flood(base, seconds=seconds, parallel=8)
            out["flood"] = {
                "seconds": round(flood.seconds),
                "requests": flood.requests,
                "kernels_started": len(flood.kernels),
                "statuses": {str(k): v for k, v in sorted(flood.statuses.items())},
            }
            print("  flood done", file=sys.stderr)
        finally:
            stop(proc)
            engine.dispose()
        return out


def worktree(rev: str) -> Path:
    path = Path(tempfile.mkdtemp(prefix="tw-before-"))
    subprocess.run(
        ["git", "-C", str(REPO), "worktree", "add", "--detach", str(path), rev],
        check=True,
        capture_output=True,
    )
    return path


def markdown(results: list[dict], seconds: float, before: str | None = None) -> str:
    rows = [
        (
            f"kernels one cookie-less client started in {seconds:.0f} s (8 at a time)",
            lambda r: r["flood"]["kernels_started"],
        ),
        (
            "its requests answered with a page / refused (429)",
            lambda r: (
                f"{r['flood']['statuses'].get('200', 0)} / {r['flood']['statuses'].get('429', 0)}"
            ),
        ),
        (
            "seconds a silent, connected kernel lived (cull-idle %s s)",
            lambda r: r["silent_kernel_seconds"],
        ),
        ("wrong claim codes answered, of 200", lambda r: r["claims"]["answered"]),
        ("wrong facilitator keys answered, of 60", lambda r: r["keys"]["answered"]),
        (
            "kernel websocket refused without the owner's cookie",
            lambda r: f"{r['websocket_refused']} of 3",
        ),
        (
            "bypass paths and host tricks refused",
            lambda r: f"{r['bypasses_refused']} of {r['bypasses_tried']}",
        ),
    ]
    head = "| attack | " + " | ".join(r["label"] for r in results) + " |"
    lines = [head, "|---" * (len(results) + 1) + "|"]
    for title, get in rows:
        if "%s" in title:
            title = title % results[-1]["cull_idle"]
        lines.append(f"| {title} | " + " | ".join(str(get(r)) for r in results) + " |")
    shown = {}
    for r in results:
        for path, status in r["bypasses"].items():
            shown.setdefault(path, []).append(str(status))
    detail = [
        "",
        "| bypass | " + " | ".join(r["label"] for r in results) + " |",
        "|---" * (len(results) + 1) + "|",
    ]
    detail += [f"| `{p}` | " + " | ".join(s) + " |" for p, s in shown.items()]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    command = "python benchmarks/attack.py" + (f" --before {before}" if before else "")
    return "\n".join(
        [
            SECTION,
            "",
            f"Measured with `{command}` on "
            f"{time.strftime('%Y-%m-%d')} ({machine}); one server per column, with the kit's "
            "defaults (6 page kernels per device, 12 per address; 10 wrong codes, then one a "
            "minute), on loopback only. The attacks are in `tests/security/_attacks.py`, and "
            "`tests/security` asserts each of them on every CI run.",
            "",
            *lines,
            *detail,
            "",
        ]
    )


def write_section(path: Path, text: str, section: str = SECTION) -> None:
    """Replace ``section`` in the Markdown file at ``path`` with ``text`` (or append it)."""
    old = path.read_text()
    if section not in old:
        path.write_text(old.rstrip() + "\n\n" + text)
        return
    # In place, so that rerunning one benchmark does not reorder the file.
    start = old.index(section)
    nxt = old.find("\n## ", start + len(section))
    rest = old[nxt + 1 :] if nxt != -1 else ""
    path.write_text(old[:start] + text.rstrip() + "\n" + ("\n" + rest if rest else ""))


def at_revision(rev: str, measure):
    """Call ``measure(code)`` with the kit at git revision ``rev`` (a worktree, then removed)."""
    code = worktree(rev)
    try:
        return measure(code)
    finally:
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "remove", "--force", str(code)], check=False
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", help="also attack the kit at this git revision, first")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--cull-idle", type=int, default=300)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    results = []
    if args.before:
        results.append(
            at_revision(args.before, lambda code: run(
                f"before ({args.before})", code, args.seconds, args.cull_idle
            ))
        )  # fmt: skip
    results.append(run("after", None, args.seconds, args.cull_idle))
    print(json.dumps(results, indent=2))
    if args.out:
        write_section(args.out, markdown(results, args.seconds, args.before))


if __name__ == "__main__":
    main()
