"""Synthetic demo workshops: made-up couples with commitments, check-ins and small wins.

The numbers come from :mod:`trust_widgets._synth`, whose planted effects are documented in
``docs/demo-data.md``. The same seed gives the same data, dates included: day 0 is
:data:`DEMO_START`. :func:`write_sample` writes the same simulation as CSV for ``data/demo/``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import Engine, insert

from ._synth import (
    ACTOR,
    DEMO_START,
    INSTRUMENT_VERSION,
    ITEMS,
    NOISE_SD,
    PARTNER,
    TRAJECTORIES,
    TRUST_ITEMS,
    SimPartner,
    simulate,
    write_sample,
)
from .coach import compose_statement
from .store.engine import transaction
from .store.models import CheckIn, Couple, DailyNote, IStatement, Partner, Promise, SmallWin
from .store.models import Visibility as V
from .workshops import NewWorkshop, add_workshop

# The model's other constants live in ._synth, documented in docs/demo-data.md.
__all__ = ["ACTOR", "DEMO_START", "INSTRUMENT_VERSION", "ITEMS", "NOISE_SD", "PARTNER"]
__all__ += ["TRAJECTORIES", "TRUST_ITEMS", "DemoSummary", "create_demo", "write_sample"]

DAY0 = datetime.combine(DEMO_START, time(9, 0), UTC)  # entries' timestamps are fixed too
NAMES = ["Alex", "Sam", "Robin", "Jordan", "Kim", "Charlie", "Noor", "Mika", "Ari", "Jesse"]
NAMES += ["Dana", "Lee", "Tove", "Ravi", "Ines", "Yuki", "Omar", "Lena", "Theo", "Zoe"]
FEELINGS = ["anxious", "lonely", "hurt", "hopeful", "relieved", "worried", "unsure"]
WHENS = [
    "I don't hear from you all day",
    "plans change at the last minute",
    "we talk about money late at night",
    "you tell me about your day",
    "we make time for a walk together",
    "I find out about plans from someone else",
]
BECAUSES = [
    "I start imagining the worst",
    "it reminds me of last year",
    "I want us to be a team",
    "it helps me feel close to you",
]
NEEDS = [
    "a short message at lunchtime",
    "to hear about changes early",
    "ten quiet minutes to talk after dinner",
    "us to keep doing this",
]
WINS = [
    "We laughed at dinner like we used to",
    "You called when you were running late",
    "We talked about money without raising our voices",
    "A quiet walk, phones at home",
    "I said what I needed and it went fine",
]
NOTES = ["Tired today, not about us.", "Harder day. I noticed it and let it pass."]


@dataclass(frozen=True)
class DemoSummary:
    workshop: NewWorkshop
    couples: int
    days: int
    checkins: int
    statements: int


def _check(couples: int, days: int) -> None:
    if not 1 <= couples <= 500:
        raise ValueError("couples must be between 1 and 500")
    if not 0 <= days <= 3650:
        raise ValueError("days must be between 0 and 3650")


def create_demo(engine: Engine, couples: int = 6, days: int = 28, seed: int = 1) -> DemoSummary:
    """Create a demo workshop with ``couples`` couples and ``days`` days of entries.

    Parameters
    ----------
    couples, days
        Size of the demo: 1-500 couples, 0-3650 days.
    seed
        Random seed; the same seed gives the same data.
    """
    if not 1 <= couples <= 500:
        raise ValueError("couples must be between 1 and 500")
    if not 0 <= days <= 3650:
        raise ValueError("days must be between 0 and 3650")
    sim = simulate(couples, days, seed)
    rng = random.Random(f"demo-text-{seed}")  # texts apart, so they never shift the numbers
    rows: dict[type, list[dict]] = {CheckIn: [], SmallWin: [], DailyNote: []}
    n_statements = 0
    with transaction(engine) as s:  # all or nothing
        workshop = add_workshop(s, "Demo workshop", is_demo=True)
        for sc in sim:
            couple = Couple(workshop_id=workshop.id)
            names = rng.sample(NAMES, 2) if sc.index else ["Alex", "Sam"]
            partners = [Partner(couple=couple, slot=i, display_name=n) for i, n in enumerate(names)]
            s.add_all([couple, *partners])
            s.flush()
            for p, sp in zip(partners, sc.partners, strict=True):
                promises = [
                    Promise(couple_id=couple.id, author_id=p.id, title=title, frequency=freq,
                            start_day=DEMO_START, visibility=V.SHARED, created_at=DAY0,
                            updated_at=DAY0)
                    for title, freq in sp.commitments
                ]  # fmt: skip
                s.add_all(promises)
                n_statements += _add_statements(s, rng, couple.id, p.id)
                s.flush()
                _entry_rows(rng, rows, sp, couple.id, p.id, [pr.id for pr in promises])
        for model, batch in rows.items():
            if batch:  # bulk inserts keep 30 couples x 365 days to about a second
                s.execute(insert(model), batch)
    return DemoSummary(workshop, couples, days, len(rows[CheckIn]), n_statements)


def _entry_rows(rng, rows, sp: SimPartner, couple_id: int, author_id: int, promise_ids) -> None:
    """Append one partner's check-ins, small wins and notes to ``rows``, per model."""
    vis = V.PRIVATE if rng.random() < 0.1 else V.SHARED  # a few keep their ratings private
    for ci in sp.checkins:
        day = DEMO_START + timedelta(days=ci.day_index)
        at = datetime.combine(day, time(20, 30), UTC)  # deterministic, like everything else
        base = dict(couple_id=couple_id, author_id=author_id, day=day, created_at=at, updated_at=at)
        kept = [promise_ids[k] for k in ci.kept]
        rows[CheckIn].append(
            dict(base, visibility=vis, instrument_version=INSTRUMENT_VERSION,
                 ratings=ci.ratings, kept_promise_ids=kept)
        )  # fmt: skip
        # Small wins come more often on days with good follow-through.
        if rng.random() < 0.04 + 0.08 * len(ci.kept) / len(ci.due):
            win_vis = V.SHARED if rng.random() < 0.7 else V.PRIVATE
            rows[SmallWin].append(dict(base, text=rng.choice(WINS), visibility=win_vis))
        if rng.random() < 0.04:
            rows[DailyNote].append(dict(base, text=rng.choice(NOTES), visibility=V.PRIVATE))


def _add_statements(s, rng: random.Random, couple_id: int, author_id: int) -> int:
    n = rng.randint(1, 3)
    for k in range(n):
        parts = (rng.choice(FEELINGS), rng.choice(WHENS), rng.choice(BECAUSES), rng.choice(NEEDS))
        s.add(
            IStatement(
                couple_id=couple_id,
                author_id=author_id,
                feel=parts[0],
                when=parts[1],
                because=parts[2],
                need=parts[3],
                text=compose_statement(*parts),
                visibility=V.SHARED if k % 2 == 0 else V.PRIVATE,
                created_at=DAY0,
                updated_at=DAY0,
            )
        )
    return n
