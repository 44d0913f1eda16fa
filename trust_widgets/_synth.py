"""The demo's simulation: daily check-ins with planted actor and partner effects.

Pure Python and deterministic: the same ``(couples, days, seed)`` gives the same numbers on
every platform, because only :class:`random.Random` draws are used, always in the same order.
The model, with every constant below, is written out in ``docs/demo-data.md``.
"""

from __future__ import annotations

import csv
import json
import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from .commitments import due_on

DEMO_START = date(2026, 1, 5)  # day 0, a Monday
INSTRUMENT_VERSION = "tw-checkin-1"
TRUST_ITEMS = ("predictability", "dependability", "faith")
ITEMS = (*TRUST_ITEMS, "safety", "anxiety", "communication")

ACTOR = 1.5  # own follow-through rate yesterday (0-1) -> own trust today, points per unit
PARTNER = 1.0  # partner's follow-through rate yesterday -> own trust today
BASE = 4.0  # trust level of an average person with no follow-through and no trend
COUPLE_SD = 0.8  # couple random intercept
PERSON_SD = 0.6  # person random intercept, within the couple
NOISE_SD = 1.0  # day-to-day noise, one draw per person-day, shared by all items
ITEM_SD = 0.5  # extra noise per item
OTHER_SD = 0.8  # noise of safety, anxiety and communication around the trust level
SAFETY_OFFSET = 0.5  # safety runs a little above trust
TAU_DAYS = 45.0  # trajectories and follow-through drift settle over about this many days
TRAJECTORIES = {"improving": 2.0, "flat": 0.0, "declining": -2.0}  # trust change, points
KEEP_DRIFT = {"improving": 0.25, "flat": 0.0, "declining": -0.25}  # keep-probability change
KEEP_RANGE = (0.45, 0.8)  # a partner's keep probability at day 0, uniform
KEEP_CLIP = (0.05, 0.95)
CHECKIN_P = 0.88  # chance of a check-in on an ordinary day
GAP_P = 0.01  # chance that a multi-day gap starts on a given day
GAP_DAYS = (3, 8)  # gap length in days, uniform, inclusive

# The first commitment is always daily, so something is due every day and the rate is defined.
DAILY = [
    "Send a message at lunchtime",
    "Say goodnight, even on busy days",
    "Share my phone calendar",
]
WEEKDAYS = ["Text when I leave work", "Be home by seven or call before", "Tell you my plans early"]
WEEKLY = ["Plan the week together on Sunday", "A walk, just the two of us", "Money talk, calmly"]


@dataclass(frozen=True, slots=True)
class SimCheckIn:
    day_index: int
    ratings: dict[str, int]
    due: tuple[int, ...]  # indexes into the partner's commitments
    kept: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SimPartner:
    commitments: tuple[tuple[str, str], ...]  # (title, frequency)
    keep_base: float
    intercept: float
    checkins: list[SimCheckIn]


@dataclass(frozen=True, slots=True)
class SimCouple:
    index: int
    trajectory: str
    intercept: float
    partners: tuple[SimPartner, SimPartner]


def settle(t: int) -> float:
    """Return how far day ``t`` is along a trajectory, from 0 at day 0 towards 1."""
    return 1.0 - math.exp(-t / TAU_DAYS)


def clamp(x: float) -> int:
    """Round to the nearest integer and keep it on the 0-10 scale."""
    return max(0, min(10, round(x)))


def _commitments(rng: random.Random) -> tuple[tuple[str, str], ...]:
    chosen = [(rng.choice(DAILY), "daily")]
    for _ in range(rng.randint(1, 2)):
        freq = rng.choice(["daily", "weekdays", "weekly"])
        pool = {"daily": DAILY, "weekdays": WEEKDAYS, "weekly": WEEKLY}[freq]
        title = rng.choice([t for t in pool if t not in {c[0] for c in chosen}])
        chosen.append((title, freq))
    return tuple(chosen)


def _present(rng: random.Random, days: int) -> list[bool]:
    """Draw which days a partner checks in: ordinary misses plus occasional longer gaps."""
    present, gap = [], 0
    for _ in range(days):
        if gap == 0 and rng.random() < GAP_P:
            gap = rng.randint(*GAP_DAYS)
        present.append(gap == 0 and rng.random() < CHECKIN_P)
        gap = max(0, gap - 1)
    return present


def _ratings(rng: random.Random, level: float) -> dict[str, int]:
    out = {item: clamp(level + rng.gauss(0, ITEM_SD)) for item in TRUST_ITEMS}
    out["safety"] = clamp(level + SAFETY_OFFSET + rng.gauss(0, OTHER_SD))
    out["anxiety"] = clamp(10 - level + rng.gauss(0, OTHER_SD))  # higher = worse
    out["communication"] = clamp(level + rng.gauss(0, OTHER_SD))
    return out


def simulate(couples: int, days: int, seed: int) -> list[SimCouple]:
    """Simulate ``couples`` couples over ``days`` days; see ``docs/demo-data.md``."""
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    kinds = [list(TRAJECTORIES)[i % 3] for i in range(couples)]
    rng.shuffle(kinds)  # about a third of each, in an order fixed by the seed
    dates = [DEMO_START + timedelta(days=t) for t in range(days)]
    out = []
    for c, kind in enumerate(kinds):
        u = rng.gauss(0, COUPLE_SD)
        setup = [
            (_commitments(rng), rng.uniform(*KEEP_RANGE), rng.gauss(0, PERSON_SD)) for _ in "ab"
        ]
        present = [_present(rng, days) for _ in "ab"]
        # Yesterday's rate before day 0 is the expected one, so day 0 carries the same effects.
        rate = [keep for _, keep, _ in setup]
        checkins: list[list[SimCheckIn]] = [[], []]
        for t, day in enumerate(dates):
            s = settle(t)
            today = []
            for i, (commits, keep, v) in enumerate(setup):
                p = min(KEEP_CLIP[1], max(KEEP_CLIP[0], keep + KEEP_DRIFT[kind] * s))
                due = tuple(k for k, (_, f) in enumerate(commits) if due_on(f, day, DEMO_START))
                kept = tuple(k for k in due if rng.random() < p)
                level = (
                    BASE
                    + u
                    + v
                    + TRAJECTORIES[kind] * s
                    + ACTOR * rate[i]
                    + PARTNER * rate[1 - i]
                    + rng.gauss(0, NOISE_SD)
                )
                ratings = _ratings(rng, level)
                if present[i][t]:
                    checkins[i].append(SimCheckIn(t, ratings, due, kept))
                today.append(len(kept) / len(due))
            rate = today  # follow-through happens whether or not it is recorded
        partners = tuple(
            SimPartner(commits, keep, v, checkins[i]) for i, (commits, keep, v) in enumerate(setup)
        )
        out.append(SimCouple(c, kind, u, partners))  # type: ignore[arg-type]
    return out


SAMPLE_COMMAND = "trust-workshop demo --couples {couples} --days {days} --seed {seed}"


def _field(name: str, type_: str, description: str, **constraints) -> dict:
    return {
        "name": name,
        "type": type_,
        "description": description,
        "constraints": {"required": True, **constraints},
    }


SAMPLE_FIELDS = [
    _field("couple", "string", "Pseudonymous couple label.", pattern="C[0-9]{2,3}"),
    _field("partner", "string", "Partner within the couple.", enum=["P1", "P2"]),
    _field("day_index", "integer", "Days since day 0 (unit: day).", minimum=0),
    _field("date", "date", "Calendar date of the check-in: day 0 plus day_index."),
    *[
        _field(item, "integer", f"Rating of {item} (unit: points, 0-10, higher = {good}).",
               minimum=0, maximum=10)
        for item, good in zip(ITEMS, ["better"] * 4 + ["worse", "better"], strict=True)
    ],
    _field("due", "integer", "Commitments due that day (unit: count).", minimum=1),
    _field("kept", "integer", "Commitments kept that day, at most due (unit: count).", minimum=0),
]  # fmt: skip


def sample_package(couples: int, days: int, seed: int) -> dict:
    """Return the Frictionless Data Package descriptor of the sample (see :func:`write_sample`)."""
    command = SAMPLE_COMMAND.format(couples=couples, days=days, seed=seed)
    schema = {
        "fields": SAMPLE_FIELDS,
        "primaryKey": ["couple", "partner", "day_index"],
        "missingValues": [""],
    }
    resource = {
        "name": "checkins",
        "path": "checkins.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "lineTerminator": "\n", "header": True},
        "schema": schema,
    }
    return {
        "profile": "tabular-data-package",
        "name": "trust-workshop-demo-sample",
        "title": "Trust Workshop Kit: synthetic daily check-ins",
        "description": "Made-up couples, not real people. Planted effects (docs/demo-data.md): "
        f"actor {ACTOR}, partner {PARTNER}, day-to-day noise SD {NOISE_SD}.",
        "licenses": [{"name": "MIT", "title": "Same licence as the Trust Workshop Kit"}],
        "sources": [{"title": f"{command} --sample-out DIR"}],
        "resources": [resource],
    }


def write_sample(out_dir: Path, couples: int, days: int, seed: int) -> list[Path]:
    """Write the simulation as ``checkins.csv`` and ``datapackage.json`` into ``out_dir``.

    No store is involved. The files depend only on the arguments: the same bytes every run.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path, pkg_path = out_dir / "checkins.csv", out_dir / "datapackage.json"
    with csv_path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([field["name"] for field in SAMPLE_FIELDS])
        for sc in simulate(couples, days, seed):
            for slot, sp in enumerate(sc.partners, start=1):
                for ci in sp.checkins:
                    day = DEMO_START + timedelta(days=ci.day_index)
                    items = [ci.ratings[item] for item in ITEMS]
                    row = [f"C{sc.index + 1:02d}", f"P{slot}", ci.day_index, day.isoformat()]
                    w.writerow([*row, *items, len(ci.due), len(ci.kept)])
    package = sample_package(couples, days, seed)
    pkg_path.write_text(json.dumps(package, indent=2) + "\n", encoding="utf-8")
    return [csv_path, pkg_path]
