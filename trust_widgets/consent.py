"""Research consent: each partner's own, dated, versioned decision, kept as a history.

How decisions are stored (append-only, never rewritten):

- every decision appends one private :class:`~trust_widgets.store.models.Consent` row, dated
  by ``created_at``, with the version of the consent text the page showed:
  *agree* ``granted=True``; *decline* ``granted=False``; *withdraw* ``granted=False`` with
  ``withdrawn_at`` set. Earlier rows are never changed or deleted, so the rows are the audit
  trail an ethics reviewer can read back;
- the partner's **latest row** (highest id: rows are only appended, so id order is decision
  order whatever the clock does) is their decision. A row with ``withdrawn_at`` set counts
  as withdrawn even if ``granted`` is true;
- repeating the decision already in force writes nothing; declining after agreeing is a
  withdrawal.

Text versions: the text and its version live in ``content/consent.md`` (front matter).
An agreement to version *v* stays valid after the text changes unless a later version, up to
the current one, is in :data:`REQUIRES_RECONSENT`; an unknown version is never valid.

:func:`current_consent` and :func:`consented_partner_ids` (and :func:`consented_couple_ids`,
built on it: both partners of a couple) are the only places that read decisions: the page,
the exporter and anything else ask them. Only call
:func:`current_consent` for the viewer themselves: a partner's decision is private to them.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from importlib.resources import files

import mistune
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from .store.engine import session_factory, transaction
from .store.models import Consent, Partner, Visibility, utcnow

# Every version of the consent text, oldest first; the last is the one in consent.md.
# 2: no dates at all (day numbers, and the weekday for a study that asks); 1 promised
# shifted dates. Agreements to 1 still count: by default an export now gives out less.
TEXT_VERSIONS: tuple[str, ...] = ("research-consent-1", "research-consent-2")
# Versions that change what is used or how: agreements to earlier versions stop counting.
REQUIRES_RECONSENT: frozenset[str] = frozenset()


class ConsentError(ValueError):
    """A decision that cannot be recorded; the message is safe to show."""


class ConsentState(enum.StrEnum):
    UNDECIDED = "undecided"
    GRANTED = "granted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class Decision(enum.StrEnum):
    AGREE = "agree"
    DECLINE = "decline"
    WITHDRAW = "withdraw"


@dataclass(frozen=True)
class ConsentText:
    version: str
    html: str


@dataclass(frozen=True)
class ConsentStatus:
    """One partner's decision in force: what, when, and on which text."""

    state: ConsentState = ConsentState.UNDECIDED
    decided_at: datetime | None = None
    text_version: str | None = None

    @property
    def current(self) -> bool:
        """True when this partner's check-ins may be exported."""
        return self.state is ConsentState.GRANTED and version_still_valid(self.text_version)

    @property
    def needs_reconsent(self) -> bool:
        """True for an agreement to a text that no longer covers what is used."""
        return self.state is ConsentState.GRANTED and not self.current


def split_front_matter(source: str) -> tuple[dict[str, str], str]:
    """Split ``---``-fenced ``key: value`` lines (``#`` comments allowed) from the body."""
    lines = source.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise ValueError("consent text has no front matter")
    meta: dict[str, str] = {}
    for n, line in enumerate(lines[1:], start=1):
        text = line.strip()
        if text == "---":
            return meta, "".join(lines[n + 1 :])
        if text and not text.startswith("#"):
            key, sep, value = text.partition(":")
            if not sep:
                raise ValueError(f"consent front matter line {n + 1} is not 'key: value'")
            meta[key.strip()] = value.strip()
    raise ValueError("consent front matter is not closed")


@lru_cache(maxsize=1)
def consent_text() -> ConsentText:
    """Return the consent text (our words, rendered with raw HTML escaped) and its version."""
    source = (files("trust_widgets") / "content" / "consent.md").read_text(encoding="utf-8")
    meta, body = split_front_matter(source)
    if not meta.get("version"):
        raise ValueError("consent text has no version")
    return ConsentText(meta["version"], mistune.create_markdown(escape=True)(body))


def version_still_valid(version: str | None) -> bool:
    """Tell whether an agreement to ``version`` still covers what is used today."""
    if version not in TEXT_VERSIONS:
        return False
    later = TEXT_VERSIONS[TEXT_VERSIONS.index(version) + 1 :]
    return not REQUIRES_RECONSENT.intersection(later)


def _state(granted: bool, withdrawn_at: datetime | None) -> ConsentState:
    if withdrawn_at is not None:
        return ConsentState.WITHDRAWN
    return ConsentState.GRANTED if granted else ConsentState.DECLINED


def _status(row: Consent | None) -> ConsentStatus:
    if row is None:
        return ConsentStatus()
    return ConsentStatus(_state(row.granted, row.withdrawn_at), row.created_at, row.text_version)


def _latest(session: Session, partner_id: int) -> Consent | None:
    query = select(Consent).where(Consent.author_id == partner_id).order_by(Consent.id.desc())
    return session.scalars(query.limit(1)).first()


def current_consent(engine: Engine, partner_id: int) -> ConsentStatus:
    """Return this partner's decision in force. Only for the partner themselves."""
    with session_factory(engine)() as s:
        return _status(_latest(s, partner_id))


def record_decision(
    engine: Engine, partner_id: int, decision: str, shown_version: str
) -> ConsentStatus:
    """Record the partner's decision on the text they were shown; return the one in force.

    Agreeing needs ``shown_version`` to be today's text: nobody agrees to words they did not
    see. Declining and withdrawing always go through, on a stale page too.
    """
    try:
        choice = Decision(decision)
    except ValueError:
        raise ConsentError("That choice isn't one this page offers.") from None
    today = consent_text().version
    if choice is Decision.AGREE and shown_version != today:
        raise ConsentError("The consent text has changed. Please reload the page and read it.")
    version = shown_version if shown_version in TEXT_VERSIONS else today
    with transaction(engine) as s:
        me = s.get(Partner, partner_id)
        if me is None:
            raise ConsentError("You are not signed in. Start again from the welcome page.")
        before = _status(_latest(s, me.id))
        row = _new_row(choice, before, version)
        if row is None:
            return before
        row.couple_id, row.author_id = me.couple_id, me.id
        s.add(row)
        s.flush()
        return _status(row)


def _new_row(choice: Decision, before: ConsentStatus, version: str) -> Consent | None:
    """The row a decision appends, or None when that decision is already in force."""
    granted = before.state is ConsentState.GRANTED
    # Always private, whatever anyone asks for: see ALWAYS_PRIVATE in store.models.
    private = Visibility.PRIVATE
    if choice is Decision.AGREE:
        if granted and before.text_version == version:
            return None
        return Consent(granted=True, text_version=version, visibility=private)
    if not granted:
        if choice is Decision.WITHDRAW or before.state is not ConsentState.UNDECIDED:
            return None  # nothing in force to withdraw, or already a no
        return Consent(granted=False, text_version=version, visibility=private)
    now = utcnow()  # a no after a yes withdraws the yes
    return Consent(
        granted=False, text_version=version, withdrawn_at=now, created_at=now, visibility=private
    )


@contextmanager
def _reading(session_or_engine: Session | Engine) -> Iterator[Session]:
    if isinstance(session_or_engine, Session):
        yield session_or_engine  # the caller's session: a consistent snapshot for an export
    else:
        with session_factory(session_or_engine)() as s:
            yield s


def consented_partner_ids(
    session_or_engine: Session | Engine, partner_ids: Iterable[int] | None = None
) -> set[int]:
    """Return the partners (of ``partner_ids``, or of the whole store) with current consent.

    Current: the latest decision is an agreement, not withdrawn, to a still-valid text.
    """
    wanted = None if partner_ids is None else set(partner_ids)
    latest = select(func.max(Consent.id)).group_by(Consent.author_id).scalar_subquery()
    query = select(Consent.author_id, Consent.granted, Consent.withdrawn_at, Consent.text_version)
    with _reading(session_or_engine) as s:
        # Every partner's latest row, filtered here: no limit on the number of ids asked for.
        rows = s.execute(query.where(Consent.id.in_(latest))).all()
    return {
        author
        for author, granted, withdrawn_at, version in rows
        if (wanted is None or author in wanted)
        and _state(granted, withdrawn_at) is ConsentState.GRANTED
        and version_still_valid(version)
    }


def consented_couple_ids(
    session_or_engine: Session | Engine, couple_ids: Iterable[int] | None = None
) -> set[int]:
    """Return the couples (of ``couple_ids``, or all) whose two partners both have consent.

    A couple whose second partner has not joined is never included.
    """
    wanted = None if couple_ids is None else set(couple_ids)
    with _reading(session_or_engine) as s:
        members: dict[int, list[int]] = {}
        # All partners, filtered here: a few per couple, and no limit on query parameters.
        for couple, partner in s.execute(select(Partner.couple_id, Partner.id)):
            if wanted is None or couple in wanted:
                members.setdefault(couple, []).append(partner)
        ok = consented_partner_ids(s, [p for ps in members.values() for p in ps])
    return {c for c, ps in members.items() if len(ps) == 2 and ok.issuperset(ps)}
