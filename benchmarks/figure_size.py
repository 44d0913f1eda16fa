"""Benchmark: step 6's figure payloads for a couple with two years of daily check-ins.

Builds a synthetic couple in a temporary SQLite store: both partners check in every day for
``--days`` days (default 730) and share everything, each keeps 4 daily commitments most
days, and together they note ``--wins`` small wins (default 200). Then it runs the real data
functions and every figure builder as partner A sees the page, and prints a Markdown table
of each figure's JSON size (``len(fig.to_json())``) against the 300 KB bound, with the time
to build it.

Run from the repository root, in any environment with the kit installed::

    .venv/bin/python benchmarks/figure_size.py [--days 730] [--wins 200] [--repeat 5]

Same seed, same data; nothing outside a temporary folder is touched.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from importlib.metadata import version
from pathlib import Path

from trust_widgets import figures as F
from trust_widgets.identity import join_with_code, redeem_claim, start_couple
from trust_widgets.progress_data import (
    ITEMS,
    checkins_frame,
    followthrough_days,
    weekly_followthrough,
    wins_frame,
)
from trust_widgets.schemas import JoinRequest
from trust_widgets.store.engine import create_store_engine, transaction
from trust_widgets.store.migrate import upgrade
from trust_widgets.store.models import CheckIn, Partner, Promise, SmallWin, Visibility

BOUND_KB = 300
START = date(2025, 1, 6)
SHARED = Visibility.SHARED


def make_couple(engine) -> tuple[Partner, Partner]:
    """A couple on two devices, created the way the landing page does it."""
    started = start_couple(engine, "Ana")
    redeem_claim(engine, started.claim_code)
    joined = join_with_code(engine, JoinRequest(code=started.invite_code, name="Ben"))
    [_token] = redeem_claim(engine, joined.claim_code)
    with transaction(engine) as s:
        return tuple(s.query(Partner).order_by(Partner.slot))  # type: ignore[return-value]


def fill(engine, partners, days: int, wins: int, seed: int) -> int:
    """Insert the synthetic rows directly, in one transaction; return the check-in count."""
    rng = random.Random(seed)
    n = 0
    with transaction(engine) as s:
        for p in partners:
            promises = [
                Promise(couple_id=p.couple_id, author_id=p.id, visibility=SHARED,
                        title=f"Commitment {k}", frequency="daily", start_day=START)
                for k in range(4)
            ]  # fmt: skip
            s.add_all(promises)
            s.flush()
            level = rng.uniform(3, 6)
            for d in range(days):
                level = min(9.5, max(0.5, level + rng.gauss(0.004, 0.15)))
                ratings = {i: max(0, min(10, round(level + rng.gauss(0, 1)))) for i in ITEMS}
                kept = [x.id for x in promises if rng.random() < 0.7]
                s.add(CheckIn(couple_id=p.couple_id, author_id=p.id, visibility=SHARED,
                              day=START + timedelta(days=d), instrument_version="bench-1",
                              ratings=ratings, kept_promise_ids=kept))  # fmt: skip
                n += 1
            for k in range(wins // len(partners)):
                text = f"Win {k}: <b>we</b> talked & listened " + "…" * rng.randint(0, 300)
                day = START + timedelta(days=rng.randrange(days))
                s.add(SmallWin(couple_id=p.couple_id, author_id=p.id, visibility=SHARED,
                               day=day, text=text))  # fmt: skip
    return n


def drawn(fig) -> int:
    """Points, bars or heatmap cells in a figure."""
    if fig.data and fig.data[0].type == "heatmap":
        return sum(len(row) for row in fig.data[0].z)
    return sum(len(t.x) for t in fig.data if t.x is not None)


def timed(fn, repeat: int):
    """Return fn()'s result and its median wall time over ``repeat`` runs, in ms."""
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return result, statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--days", type=int, default=730)
    ap.add_argument("--wins", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=5, help="runs per measurement (median)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_store_engine(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        upgrade(engine)
        a, b = make_couple(engine)
        n = fill(engine, (a, b), args.days, args.wins, args.seed)
        me = a.id
        checkins, t_checkins = timed(lambda: checkins_frame(engine, me), args.repeat)
        days, t_days = timed(lambda: followthrough_days(engine, me), args.repeat)
        wins, t_wins = timed(lambda: wins_frame(engine, me), args.repeat)
        weekly = weekly_followthrough(days)
        builders = {
            "trajectory": lambda: F.trajectory_figure(checkins),
            "gap": lambda: F.gap_figure(checkins),
            "followthrough": lambda: F.followthrough_figure(weekly),
            "calendar": lambda: F.calendar_figure(days),
            "wins": lambda: F.wins_figure(wins),
        }
        rows, ok = [], True
        for name, build in builders.items():
            fig, ms = timed(build, args.repeat)
            raw, ms_json = timed(fig.to_json, args.repeat)
            kb = len(raw) / 1024
            ok &= kb <= BOUND_KB and "http" not in raw
            within = "yes" if kb <= BOUND_KB else "**no**"
            rows.append(f"| {name} | {drawn(fig)} | {kb:.1f} | {BOUND_KB} | {within} | "
                        f"{ms:.0f} | {ms_json:.0f} |")  # fmt: skip
        from trust_widgets.context import Viewer
        from trust_widgets.widget_progress import ProgressViews

        viewer = Viewer(me, "Ana", a.couple_id, "Ben", None, False, 0, ("Ana",))
        with contextlib.redirect_stdout(io.StringIO()):  # headless display() prints reprs
            _, t_page = timed(lambda: ProgressViews(engine, viewer), args.repeat)
        engine.dispose()
    print(f"Python {platform.python_version()}, pandas {version('pandas')}, plotly "
          f"{version('plotly')}, SQLAlchemy {version('SQLAlchemy')}, {platform.machine()}, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"\n{args.days} days, {n} check-ins ({len(checkins)} visible to A), {len(days)} "
          f"commitment-days due, {len(wins)} wins; median of {args.repeat} runs\n")  # fmt: skip
    print("| Figure | Points drawn | JSON (KB) | Bound (KB) | Within | Build (ms) | to_json (ms) |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print(f"\nReading the frames from the store: check-ins {t_checkins:.0f} ms, "
          f"follow-through {t_days:.0f} ms, wins {t_wins:.0f} ms. The whole headless "
          f"ProgressViews (frames, five figures, words): {t_page:.0f} ms.")  # fmt: skip
    print(f"\nAll within {BOUND_KB} KB and free of URLs: {'yes' if ok else 'NO'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
