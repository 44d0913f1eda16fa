"""The store: SQLite settings, schema versioning, atomic saves and who sees what."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select, text

from trust_widgets.schemas import IStatementIn
from trust_widgets.store.engine import is_empty, transaction
from trust_widgets.store.entries import AccessError, delete_entry, save_istatement, visible_entries
from trust_widgets.store.migrate import current_revision, head_revision
from trust_widgets.store.models import Base, IStatement, SafetyScreen, Visibility


def statement(visibility: str = "private", **overrides) -> IStatementIn:
    fields = {"feel": "anxious", "when": "I don't hear from you", "visibility": visibility}
    return IStatementIn(**(fields | overrides))


def test_sqlite_pragmas(engine):
    """Does every SQLite connection use WAL, a busy timeout and foreign keys?"""
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_migrations_reach_head_and_match_models(engine):
    """Is a new store at the newest revision, with a schema identical to the models?"""
    assert current_revision(engine) == head_revision()
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_empty_store_is_empty(engine, couple):
    """Does is_empty see a store without workshops as empty, even with home couples?"""
    assert is_empty(engine)


def test_save_is_one_transaction(engine, couple):
    """Does a save that fails halfway leave nothing behind?"""
    with pytest.raises(RuntimeError), transaction(engine) as s:
        s.add(
            IStatement(
                couple_id=couple.a.couple_id,
                author_id=couple.a.partner_id,
                feel="x",
                when="y",
                text="x",
            )
        )
        s.flush()
        raise RuntimeError("power cut")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(IStatement)).scalar() == 0


def test_errors_never_carry_what_users_wrote(engine, couple):
    """Does a failed write's error message (and so the log) leave out the user's words?"""
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError) as info, transaction(engine) as s:
        s.add(IStatement(couple_id=999, author_id=999, feel="SECRET-FEELING", when="y", text="z"))
    assert "SECRET-FEELING" not in str(info.value)


def test_foreign_keys_are_enforced(engine):
    """Does the store refuse an entry for a partner that does not exist?"""
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), transaction(engine) as s:
        s.add(IStatement(couple_id=999, author_id=999, feel="x", when="y", text="x"))


def test_partner_sees_own_and_shared_only(engine, couple):
    """Does B see A's shared statement but never A's private one?"""
    save_istatement(engine, couple.a.partner_id, statement("shared", feel="hopeful"))
    save_istatement(engine, couple.a.partner_id, statement("private", feel="ashamed"))
    seen_by_b = [e.feel for e in visible_entries(engine, couple.b.partner_id, IStatement)]
    seen_by_a = [e.feel for e in visible_entries(engine, couple.a.partner_id, IStatement)]
    assert seen_by_b == ["hopeful"]
    assert sorted(seen_by_a) == ["ashamed", "hopeful"]


def test_other_couples_see_nothing(engine, couple, other_couple):
    """Does another couple see none of this couple's entries, shared or not?"""
    save_istatement(engine, couple.a.partner_id, statement("shared"))
    assert visible_entries(engine, other_couple.a.partner_id, IStatement) == []


def test_only_author_edits_or_deletes(engine, couple, other_couple):
    """Can only the author edit or delete an entry, whoever else asks?"""
    entry = save_istatement(engine, couple.a.partner_id, statement("shared"))
    for intruder in (couple.b.partner_id, other_couple.a.partner_id):
        with pytest.raises(AccessError):
            save_istatement(engine, intruder, statement(feel="hijacked"), entry.id)
        with pytest.raises(AccessError):
            delete_entry(engine, intruder, IStatement, entry.id)
    edited = save_istatement(engine, couple.a.partner_id, statement(feel="calmer"), entry.id)
    assert edited.id == entry.id and edited.feel == "calmer"
    delete_entry(engine, couple.a.partner_id, IStatement, entry.id)
    assert visible_entries(engine, couple.a.partner_id, IStatement) == []


def test_safety_screens_never_reach_the_partner(engine, couple):
    """Is a safety screen private even if it was somehow stored as shared?"""
    with transaction(engine) as s:
        s.add(
            SafetyScreen(
                couple_id=couple.a.couple_id,
                author_id=couple.a.partner_id,
                visibility=Visibility.SHARED,
                flagged=True,
            )
        )
    assert visible_entries(engine, couple.b.partner_id, SafetyScreen) == []
    assert len(visible_entries(engine, couple.a.partner_id, SafetyScreen)) == 1
