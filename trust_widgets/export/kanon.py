"""k-anonymity over partners and couples: measure it, reach it by generalising, then suppressing.

The quasi-identifiers are the workshop and the partner's region. k counts *people*
(partners), not rows: a partner with 300 check-ins is still one person, so counting rows
would overstate how many people share a combination. An equivalence class is the set of
partners with the same (workshop, region); the export is k-anonymous when every class holds
at least k partners.

Rows also carry the couple, so a couple is seen as a whole: its workshop and the regions
shown for its exported partners (``intl`` + ``us``, or ``us`` alone when one partner shared
nothing). Three partners in ``us`` can be one couple of two plus one partner of a mixed
couple; whoever knows that a couple are both in ``us`` would then find that couple. So each
such *couple pattern* must also be shared by at least :func:`couples_needed` couples
(⌈k/2⌉: about k partners, and never fewer than two couples).

Reaching both within one workshop: regions held by fewer than k partners become ``*``; while
the ``*`` group is still smaller than k, the next smallest region joins it. While a couple
pattern is too rare, the smallest region it shows joins ``*`` too; a pattern that is all
``*`` and still too rare has its couples suppressed (then ``*`` grows again if it fell below
k). A workshop with fewer than k partners in all is suppressed: none of its rows are exported.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

STAR = "*"
QUASI_IDENTIFIERS = ("workshop", "region")


def couples_needed(k: int) -> int:
    """Return how many couples each couple pattern must hold for ``k``: ⌈k/2⌉, at least 2."""
    return max(2, -(-k // 2))


@dataclass(frozen=True)
class Generalisation:
    """What to export for each partner: the region shown, or nothing (suppressed)."""

    region: dict[Hashable, str]  # partner -> region as exported; suppressed partners absent
    suppressed: frozenset[Hashable]  # partners of suppressed workshops and couples
    suppressed_workshops: int
    generalised: int  # partners whose region became "*"
    k: int | None  # smallest class among exported partners; None when nobody is exported
    classes: int = field(default=0)
    suppressed_couples: int = 0  # couples left out alone, their workshop exported
    couple_k: int | None = None  # smallest couple pattern; None without couples or partners


def generalise(
    partners: Mapping[Hashable, tuple[Hashable, str]],
    k: int,
    couples: Mapping[Hashable, Hashable] | None = None,
) -> Generalisation:
    """Plan the least generalisation that makes ``partners`` k-anonymous.

    Parameters
    ----------
    partners
        Each partner (any hashable key) mapped to its (workshop, region).
    k
        The smallest class size allowed, at least 1.
    couples
        Each partner mapped to its couple. When given, every couple pattern (workshop and
        the regions shown for the couple's partners) also holds :func:`couples_needed` couples.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    need = couples_needed(k) if couples is not None else 0
    couple_of: Mapping[Hashable, Hashable] = couples if couples is not None else {}
    by_workshop: dict[Hashable, dict[Hashable, str]] = defaultdict(dict)
    for who, (workshop, region) in partners.items():
        by_workshop[workshop][who] = region
    shown: dict[Hashable, str] = {}
    n_workshops = n_couples = 0
    for members in by_workshop.values():
        mine, dropped = _plan_workshop(members, couple_of, k, need)
        shown |= mine
        n_workshops += not mine
        n_couples += len(dropped) if mine else 0
    classes = Counter((partners[who][0], region) for who, region in shown.items())
    patterns = _patterns(shown, couple_of, partners) if need else Counter()
    return Generalisation(
        region=shown,
        suppressed=frozenset(partners.keys() - shown.keys()),
        suppressed_workshops=n_workshops,
        generalised=sum(region == STAR for region in shown.values()),
        k=min(classes.values()) if classes else None,
        classes=len(classes),
        suppressed_couples=n_couples,
        couple_k=min(patterns.values()) if patterns else None,
    )


def _plan_workshop(
    members: dict[Hashable, str], couple_of: Mapping[Hashable, Hashable], k: int, need: int
) -> tuple[dict[Hashable, str], set[Hashable]]:
    """Regions shown for one workshop's partners (empty: suppressed), and couples dropped."""
    alive = dict(members)
    dropped: set[Hashable] = set()
    starred = _starred_regions(Counter(alive.values()), k)
    while need and len(alive) >= k:
        shown = {who: STAR if region in starred else region for who, region in alive.items()}
        rare = _rare_couples(shown, couple_of, need)
        if not rare:
            break
        counts = Counter(alive.values())
        regions = {r for who, r in shown.items() if r != STAR and couple_of[who] in rare}
        if regions:  # generalise before suppressing; ties broken by name, as above
            starred.add(min(regions, key=lambda r: (counts[r], r)))
            continue
        dropped |= rare
        alive = {who: region for who, region in alive.items() if couple_of[who] not in rare}
        starred = _starred_regions(Counter(alive.values()), k, starred)
    if len(alive) < k:
        return {}, dropped
    return {who: STAR if region in starred else region for who, region in alive.items()}, dropped


def _rare_couples(
    shown: Mapping[Hashable, str], couple_of: Mapping[Hashable, Hashable], need: int
) -> set[Hashable]:
    """Couples of one workshop whose pattern fewer than ``need`` couples share."""
    pattern: dict[Hashable, list[str]] = defaultdict(list)
    for who, region in shown.items():
        pattern[couple_of[who]].append(region)
    keyed = {couple: tuple(sorted(regions)) for couple, regions in pattern.items()}
    sizes = Counter(keyed.values())
    return {couple for couple, key in keyed.items() if sizes[key] < need}


def _patterns(
    shown: Mapping[Hashable, str],
    couple_of: Mapping[Hashable, Hashable],
    partners: Mapping[Hashable, tuple[Hashable, str]],
) -> Counter[tuple]:
    pattern: dict[Hashable, list] = defaultdict(list)
    for who, region in shown.items():
        pattern[couple_of[who]].append((partners[who][0], region))
    return Counter(tuple(sorted(p)) for p in pattern.values())


def _starred_regions(counts: Counter[str], k: int, starred: set[str] | None = None) -> set[str]:
    """Regions of one workshop to show as ``*``: ``starred``, those below k, and enough more.

    Regions join the ``*`` group smallest first until it holds k partners (or is empty).
    """
    starred = set(starred or ()) | {region for region, n in counts.items() if n < k}
    # Ties broken by name, so the same data always gives the same plan.
    rest = sorted((n, region) for region, n in counts.items() if region not in starred)
    while 0 < sum(counts[r] for r in starred) < k and rest:
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


def couple_class_sizes(
    records: Iterable[Mapping[str, object]],
    quasi_identifiers: Iterable[str] = QUASI_IDENTIFIERS,
    couple: str = "couple",
    person: str = "partner",
) -> Counter[tuple]:
    """Count couples per couple pattern: the sorted combinations of the couple's partners.

    A couple with partners in (W, intl) and (W, us) has the pattern
    ``(("W", "intl"), ("W", "us"))``; one whose second partner has no rows, ``(("W", "us"),)``.

    Raises
    ------
    ValueError
        One person appears with two different combinations, or in two couples.
    """
    qis = tuple(quasi_identifiers)
    seen: dict[object, tuple] = {}
    by_couple: dict[object, dict[object, tuple]] = defaultdict(dict)
    for row in records:
        who, combo = row[person], tuple(row[q] for q in qis)
        if seen.setdefault(who, (row[couple], combo)) != (row[couple], combo):
            raise ValueError(f"a {person} has two combinations of {couple}, {', '.join(qis)}")
        by_couple[row[couple]][who] = combo
    return Counter(tuple(sorted(members.values())) for members in by_couple.values())


def couple_anonymity(
    records: Iterable[Mapping[str, object]],
    quasi_identifiers: Iterable[str] = QUASI_IDENTIFIERS,
    couple: str = "couple",
    person: str = "partner",
) -> int | None:
    """Return the smallest number of couples sharing a couple pattern, ``None`` if empty."""
    sizes = couple_class_sizes(records, quasi_identifiers, couple, person)
    return min(sizes.values()) if sizes else None
