"""The demo generator: deterministic, with planted effects that an analysis can recover."""

from __future__ import annotations

import csv
import json
import re
import shlex
import time
from collections import defaultdict
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import numpy as np
from sqlalchemy import func, select
from typer.testing import CliRunner

from trust_widgets import _synth
from trust_widgets.cli import app
from trust_widgets.commitments import due_on
from trust_widgets.demo import ACTOR, DEMO_START, PARTNER, TRUST_ITEMS, create_demo
from trust_widgets.store.engine import create_store_engine, session_factory
from trust_widgets.store.migrate import upgrade
from trust_widgets.store.models import (
    CheckIn,
    DailyNote,
    IStatement,
    Partner,
    Promise,
    SmallWin,
    Visibility,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "demo"


def store(tmp_path, name="s"):
    eng = create_store_engine(f"sqlite:///{tmp_path / name}.db")
    upgrade(eng)
    return eng


def dump(eng):
    """Everything the generator writes except the workshop's random join code."""
    with session_factory(eng)() as s:
        tables = [CheckIn, Promise, SmallWin, DailyNote, IStatement]
        rows = [[tuple(r) for r in s.execute(select(m.__table__).order_by(m.id))] for m in tables]
        names = s.scalars(select(Partner.display_name).order_by(Partner.id)).all()
    return rows, names


def observations(eng):
    """Per partner-day: mean trust and follow-through rate (kept/due), from the store."""
    with session_factory(eng)() as s:
        couple_of = dict(map(tuple, s.execute(select(Partner.id, Partner.couple_id))))
        promises = defaultdict(list)
        for p in s.scalars(select(Promise)):
            promises[p.author_id].append(p)
        obs = {}
        for c in s.scalars(select(CheckIn)):
            due = sum(due_on(p.frequency, c.day, p.start_day) for p in promises[c.author_id])
            trust = np.mean([c.ratings[i] for i in TRUST_ITEMS])
            obs[c.author_id, c.day] = (trust, len(c.kept_promise_ids) / due)
    other = {}
    for a in couple_of:
        other[a] = next(b for b in couple_of if b != a and couple_of[b] == couple_of[a])
    return obs, other


def test_same_seed_same_data(tmp_path):
    """Does the same seed give identical rows, dates included, and another seed other rows?"""
    dumps, engines = [], []
    for name, seed in [("a", 7), ("b", 7), ("c", 8)]:
        engines.append(eng := store(tmp_path, name))
        create_demo(eng, couples=4, days=30, seed=seed)
        dumps.append(dump(eng))
    assert dumps[0] == dumps[1]
    assert dumps[0][0][0] != dumps[2][0][0]
    with session_factory(engines[0])() as s:
        assert s.scalar(select(func.min(CheckIn.day))) == DEMO_START


def test_planted_effects_are_recovered(tmp_path):
    """Does a pooled OLS recover the actor and partner effects within 0.4 of the planted ones?

    Next-day mean trust is regressed on own and partner follow-through, with a person
    intercept and a person slope on the trajectory shape (the known settle curve), as the
    model in docs/demo-data.md has them. Rounding to integers attenuates slightly.
    """
    eng = store(tmp_path)
    create_demo(eng, couples=40, days=120, seed=11)
    obs, other = observations(eng)
    person = {p: i for i, p in enumerate(sorted(other))}
    rows = []
    for (p, day), (trust, _) in obs.items():
        own, theirs = obs.get((p, day - timedelta(1))), obs.get((other[p], day - timedelta(1)))
        if own and theirs:
            rows.append(
                (person[p], _synth.settle((day - DEMO_START).days), own[1], theirs[1], trust)
            )
    a = np.array(rows)
    n, k = len(a), len(person)
    x = np.zeros((n, 2 * k + 2))
    idx = a[:, 0].astype(int)
    x[np.arange(n), idx] = 1.0
    x[np.arange(n), k + idx] = a[:, 1]
    x[:, -2:] = a[:, 2:4]
    beta, *_ = np.linalg.lstsq(x, a[:, 4], rcond=None)
    assert n > 4000
    assert abs(beta[-2] - ACTOR) < 0.4, beta[-2:]
    assert abs(beta[-1] - PARTNER) < 0.4, beta[-2:]


def test_missing_days_and_gaps(engine):
    """Are about 85% of partner-days checked in, with some gaps of three days or more?"""
    create_demo(engine, couples=10, days=120, seed=3)
    obs, _ = observations(engine)
    share = len(obs) / (10 * 2 * 120)
    assert 0.75 < share < 0.92
    days = defaultdict(list)
    for p, day in sorted(obs):
        days[p].append(day)
    gaps = [(b - a).days - 1 for d in days.values() for a, b in pairwise(d)]
    assert max(gaps) >= 3 and sum(g >= 3 for g in gaps) >= 3


def test_three_trajectories():
    """Are couples improving, flat and declining, about a third each, and do they look it?"""
    sim = _synth.simulate(30, 150, seed=5)
    kinds = [c.trajectory for c in sim]
    assert {kinds.count(k) for k in _synth.TRAJECTORIES} == {10}
    change = defaultdict(list)
    for c in sim:
        for p in c.partners:
            trust = [
                (ci.day_index, np.mean([ci.ratings[i] for i in TRUST_ITEMS])) for ci in p.checkins
            ]
            early = np.mean([t for d, t in trust if d < 14])
            late = np.mean([t for d, t in trust if d >= 120])
            change[c.trajectory].append(late - early)
    means = {k: np.mean(v) for k, v in change.items()}
    assert means["improving"] > 1.0 > means["flat"] > -1.0 > means["declining"], means


def test_commitments_and_entries(engine):
    """Do partners have 2-3 shared commitments, keep only their own due ones, and write wins?"""
    create_demo(engine, couples=8, days=60, seed=2)
    with session_factory(engine)() as s:
        promises = defaultdict(list)
        for p in s.scalars(select(Promise)):
            promises[p.author_id].append(p)
        assert all(2 <= len(v) <= 3 and v[0].frequency == "daily" for v in promises.values())
        assert {p.visibility for v in promises.values() for p in v} == {Visibility.SHARED}
        for c in s.scalars(select(CheckIn)):
            due = {p.id for p in promises[c.author_id] if due_on(p.frequency, c.day, p.start_day)}
            assert set(c.kept_promise_ids) <= due
            assert c.instrument_version == "tw-checkin-1"
            assert set(c.ratings) == set(_synth.ITEMS)
            assert all(isinstance(v, int) and 0 <= v <= 10 for v in c.ratings.values())
        wins = set(s.scalars(select(SmallWin.visibility)))
        notes = set(s.scalars(select(DailyNote.visibility)))
    assert wins == {Visibility.SHARED, Visibility.PRIVATE} and notes == {Visibility.PRIVATE}


def test_big_demo_is_fast(tmp_path):
    """Does the CLI make 30 couples x 365 days in a few seconds?"""
    url = f"sqlite:///{tmp_path}/big.db"
    CliRunner().invoke(app, ["demo", "--db", url, "--couples", "1", "--days", "0"])  # migrate
    started = time.perf_counter()
    result = CliRunner().invoke(app, ["demo", "--db", url, "--couples", "30", "--days", "365"])
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    with session_factory(create_store_engine(url))() as s:
        assert s.scalar(select(func.count(CheckIn.id))) > 30 * 2 * 365 * 0.75
    assert elapsed < 10, elapsed


def test_sample_regenerates_byte_for_byte(tmp_path):
    """Does the command in data/demo/README.md rebuild the committed sample, byte for byte?"""
    readme = (SAMPLE / "README.md").read_text(encoding="utf-8")
    command = re.search(r"^trust-workshop (demo .*--sample-out) data/demo$", readme, re.M)
    assert command, "data/demo/README.md must show the command that regenerates the sample"
    args = [*shlex.split(command.group(1)), str(tmp_path)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    for name in ("checkins.csv", "datapackage.json"):
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name


FIELD_TYPES = {"string", "number", "integer", "boolean", "object", "array", "date", "time"}
FIELD_TYPES |= {"datetime", "year", "yearmonth", "duration", "geopoint", "geojson", "any"}
CONSTRAINTS = {"required", "unique", "minLength", "maxLength", "minimum", "maximum"}
CONSTRAINTS |= {"pattern", "enum"}


def test_datapackage_follows_the_spec():
    """Is datapackage.json a Tabular Data Package whose schema the CSV actually satisfies?"""
    pkg = json.loads((SAMPLE / "datapackage.json").read_text(encoding="utf-8"))
    assert re.fullmatch(r"[a-z0-9._-]+", pkg["name"]) and pkg["profile"] == "tabular-data-package"
    assert isinstance(pkg["resources"], list) and len(pkg["resources"]) == 1
    res = pkg["resources"][0]
    assert re.fullmatch(r"[a-z0-9._-]+", res["name"]) and res["path"] == "checkins.csv"
    fields, key = res["schema"]["fields"], res["schema"]["primaryKey"]
    names = [f["name"] for f in fields]
    assert len(set(names)) == len(names) and set(key) <= set(names)
    for f in fields:
        assert f["type"] in FIELD_TYPES and f["description"]
        assert set(f.get("constraints", {})) <= CONSTRAINTS
    with (SAMPLE / "checkins.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        assert next(reader) == names
        rows = list(reader)
    assert rows and len({tuple(r[names.index(k)] for k in key) for r in rows}) == len(rows)
    for row in rows:
        for f, text in zip(fields, row, strict=True):
            c = f.get("constraints", {})
            value = {"integer": int, "date": date.fromisoformat}.get(f["type"], str)(text)
            assert "minimum" not in c or value >= c["minimum"]
            assert "maximum" not in c or value <= c["maximum"]
            assert "enum" not in c or value in c["enum"]
            assert "pattern" not in c or re.fullmatch(c["pattern"], text)
        rec = dict(zip(names, row, strict=True))
        assert int(rec["kept"]) <= int(rec["due"])
        assert date.fromisoformat(rec["date"]) == DEMO_START + timedelta(int(rec["day_index"]))


def test_docs_state_the_constants():
    """Does docs/demo-data.md give the constants the code uses?"""
    doc = (ROOT / "docs" / "demo-data.md").read_text(encoding="utf-8")
    for name in ["ACTOR", "PARTNER", "NOISE_SD", "ITEM_SD", "BASE", "COUPLE_SD", "PERSON_SD"]:
        assert f"`{name}` | {getattr(_synth, name)} " in doc, name
    assert f"`TAU_DAYS` | {_synth.TAU_DAYS:g} " in doc
