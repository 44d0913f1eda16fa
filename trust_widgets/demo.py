"""Synthetic demo workshops: made-up couples with I-statements and daily check-ins.

The same seed gives the same data, dates included: day 0 is :data:`DEMO_START`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine

from .coach import compose_statement
from .store.engine import transaction
from .store.models import CheckIn, Couple, IStatement, Partner, Visibility
from .workshops import NewWorkshop, add_workshop

DEMO_START = date(2026, 1, 5)
INSTRUMENT_VERSION = "tw-checkin-0.1"
NAMES = [
    "Alex",
    "Sam",
    "Robin",
    "Jordan",
    "Kim",
    "Charlie",
    "Noor",
    "Mika",
    "Ari",
    "Jesse",
    "Dana",
    "Lee",
    "Tove",
    "Ravi",
    "Ines",
    "Yuki",
    "Omar",
    "Lena",
    "Theo",
    "Zoe",
]
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


@dataclass(frozen=True)
class DemoSummary:
    workshop: NewWorkshop
    couples: int
    days: int
    checkins: int
    statements: int


def _clamp(x: float) -> int:
    return max(0, min(10, round(x)))


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
    rng = random.Random(seed)
    n_checkins = n_statements = 0
    with transaction(engine) as s:  # all or nothing
        workshop = add_workshop(s, "Demo workshop", is_demo=True)
        for c in range(couples):
            couple = Couple(workshop_id=workshop.id)
            names = rng.sample(NAMES, 2) if c else ["Alex", "Sam"]
            partners = [Partner(couple=couple, slot=i, display_name=n) for i, n in enumerate(names)]
            s.add_all([couple, *partners])
            s.flush()
            trend = rng.choice([-0.05, 0.0, 0.08])  # declining, flat, improving
            for p in partners:
                for k in range(rng.randint(1, 3)):
                    parts = (
                        rng.choice(FEELINGS),
                        rng.choice(WHENS),
                        rng.choice(BECAUSES),
                        rng.choice(NEEDS),
                    )
                    s.add(
                        IStatement(
                            couple_id=couple.id,
                            author_id=p.id,
                            feel=parts[0],
                            when=parts[1],
                            because=parts[2],
                            need=parts[3],
                            text=compose_statement(*parts),
                            visibility=Visibility.SHARED if k % 2 == 0 else Visibility.PRIVATE,
                        )
                    )
                    n_statements += 1
                base = rng.uniform(3.5, 6.5)
                for d in range(days):
                    if rng.random() < 0.15:  # missed days are normal
                        continue
                    level = base + trend * d + rng.gauss(0, 1.0)
                    s.add(
                        CheckIn(
                            couple_id=couple.id,
                            author_id=p.id,
                            visibility=Visibility.SHARED,
                            day=DEMO_START + timedelta(days=d),
                            instrument_version=INSTRUMENT_VERSION,
                            ratings={
                                "predictability": _clamp(level + rng.gauss(0, 0.7)),
                                "dependability": _clamp(level + rng.gauss(0, 0.7)),
                                "faith": _clamp(level + rng.gauss(0, 0.7)),
                                "safety": _clamp(level + 1 + rng.gauss(0, 0.7)),
                                "anxiety": _clamp(10 - level + rng.gauss(0, 0.7)),
                                "communication": _clamp(level + rng.gauss(0, 0.7)),
                            },
                        )
                    )
                    n_checkins += 1
    return DemoSummary(workshop, couples, days, n_checkins, n_statements)
