"""k-anonymity over partners: measure it, and reach it by generalising region, then suppressing.

The quasi-identifiers are the workshop and the partner's region. k counts *people*
(partners), not rows: a partner with 300 check-ins is still one person, so counting rows
would overstate how many people share a combination. An equivalence class is the set of
partners with the same (workshop, region); the export is k-anonymous when every class holds
at least k partners.

Reaching k within one workshop: regions held by fewer than k partners become ``*``; while
the ``*`` group is still smaller than k, the next smallest region joins it. A workshop with
fewer than k partners in all is suppressed: none of its rows are exported.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

STAR = "*"
QUASI_IDENTIFIERS = ("workshop", "region")


@dataclass(frozen=True)
class Generalisation:
    """What to export for each partner: the region shown, or nothing (suppressed)."""

    region: dict[Hashable, str]  # partner -> region as exported; suppressed partners absent
    suppressed: frozenset[Hashable]  # partners whose workshop is suppressed
    suppressed_workshops: int
    generalised: int  # partners whose region became "*"
    k: int | None  # smallest class among exported partners; None when nobody is exported
    classes: int = field(default=0)


def generalise(partners: Mapping[Hashable, tuple[Hashable, str]], k: int) -> Generalisation:
    """Plan the least generalisation that makes ``partners`` k-anonymous.

    Parameters
    ----------
    partners
        Each partner (any hashable key) mapped to its (workshop, region).
    k
        The smallest class size allowed, at least 1.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    by_workshop: dict[Hashable, dict[Hashable, str]] = defaultdict(dict)
    for who, (workshop, region) in partners.items():
        by_workshop[workshop][who] = region
    shown: dict[Hashable, str] = {}
    suppressed: set[Hashable] = set()
    n_suppressed = n_star = 0
    for members in by_workshop.values():
        if len(members) < k:
            suppressed.update(members)
            n_suppressed += 1
            continue
        starred = _starred_regions(Counter(members.values()), k)
        for who, region in members.items():
            shown[who] = STAR if region in starred else region
            n_star += region in starred
    classes = Counter((partners[who][0], region) for who, region in shown.items())
    return Generalisation(
        region=shown,
        suppressed=frozenset(suppressed),
        suppressed_workshops=n_suppressed,
        generalised=n_star,
        k=min(classes.values()) if classes else None,
        classes=len(classes),
    )


def _starred_regions(counts: Counter[str], k: int) -> set[str]:
    """Regions of one workshop (of at least k partners) to show as ``*``."""
    starred = {region for region, n in counts.items() if n < k}
    if not starred:
        return starred
    # Ties broken by name, so the same data always gives the same plan.
    rest = sorted((n, region) for region, n in counts.items() if region not in starred)
    while sum(counts[r] for r in starred) < k and rest:
        starred.add(rest.pop(0)[1])
    return starred


def class_sizes(
    records: Iterable[Mapping[str, object]],
    quasi_identifiers: Iterable[str] = QUASI_IDENTIFIERS,
    person: str = "partner",
) -> Counter[tuple]:
    """Count distinct people per combination of quasi-identifiers.

    ``records`` are rows (e.g. from ``csv.DictReader``); a person is counted once per class
    however many rows they have.

    Raises
    ------
    ValueError
        One person appears with two different combinations (they would be counted twice).
    """
    qis = tuple(quasi_identifiers)
    seen: dict[object, tuple] = {}
    for row in records:
        combo = tuple(row[q] for q in qis)
        who = row[person]
        if seen.setdefault(who, combo) != combo:
            raise ValueError(f"a {person} has two combinations of {', '.join(qis)}")
    return Counter(seen.values())


def k_anonymity(
    records: Iterable[Mapping[str, object]],
    quasi_identifiers: Iterable[str] = QUASI_IDENTIFIERS,
    person: str = "partner",
) -> int | None:
    """Return the k the records achieve (smallest class of people), ``None`` if empty."""
    sizes = class_sizes(records, quasi_identifiers, person)
    return min(sizes.values()) if sizes else None
