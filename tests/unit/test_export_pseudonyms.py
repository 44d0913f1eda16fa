"""Research export: keyed pseudonyms, the key file, and day_index within a couple."""

from __future__ import annotations

import os
import re
import stat
from collections import defaultdict
from datetime import UTC, datetime, timedelta, timezone

import pytest

from trust_widgets.export import ExportInputError
from trust_widgets.export.keys import key_fingerprint, load_or_create_key, read_key
from trust_widgets.export.pseudonyms import Pseudonymiser

from ._export_helpers import (
    START,
    add_couple,
    add_workshop,
    demo_store,
    new_store,
    read_rows,
    run_export,
)

KEY = bytes(range(32))


def test_pseudonyms_have_the_agreed_shape_and_kinds_never_collide():
    """Is each pseudonym a prefix plus 16 hex, and does id 1 differ by kind and by time?"""
    p = Pseudonymiser(KEY)
    at = datetime(2026, 1, 5, 9, 0)
    names = [p.workshop(1, at), p.couple(1, at), p.partner(1, at), p.workshop(None)]
    for name, prefix in zip(names, ["W-", "C-", "P-", "W-"], strict=True):
        assert re.fullmatch(prefix + "[0-9a-f]{16}", name)
    assert len({n[2:] for n in names}) == 4
    # Two stores that both have couple 1 get two pseudonyms: the creation time is in the HMAC.
    assert p.couple(1, at) != p.couple(1, at + timedelta(microseconds=1))
    assert p.couple(1, at) == Pseudonymiser(KEY).couple(1, at)
    assert p.couple(1, at) != Pseudonymiser(bytes(32)).couple(1, at)


def test_aware_and_naive_times_give_the_same_pseudonym():
    """Does a store that returns aware times (PostgreSQL) give SQLite's pseudonyms?"""
    p = Pseudonymiser(KEY)
    naive = datetime(2026, 1, 5, 9, 0)
    aware = naive.replace(tzinfo=UTC).astimezone(timezone(timedelta(hours=2)))
    assert p.partner(7, naive) == p.partner(7, aware)


def test_pseudonymiser_never_shows_its_key():
    """Does the pseudonymiser's repr (seen in tracebacks) leave the key out?"""
    shown = repr(Pseudonymiser(KEY))
    assert KEY.hex() not in shown and str(KEY) not in shown and "hidden" in shown


def test_same_key_same_export_other_key_other_pseudonyms(tmp_path):
    """Do two exports with one key match row for row, and one with a new key share nothing?"""
    engine = demo_store(tmp_path, couples=4, days=20)
    a, _ = run_export(engine, tmp_path, "a", include_demo=True)
    b, _ = run_export(engine, tmp_path, "b", include_demo=True)
    c, _ = run_export(engine, tmp_path, "c", key="other.key", include_demo=True)
    assert (a / "checkins.csv").read_bytes() == (b / "checkins.csv").read_bytes()
    rows_a, rows_c = read_rows(a), read_rows(c)
    assert len(rows_a) == len(rows_c)
    for column in ("workshop", "couple", "partner"):
        assert not {r[column] for r in rows_a} & {r[column] for r in rows_c}
    # The ratings are the same data, in pseudonym order: compare them as multisets.
    items = ("predictability", "anxiety", "day_index")
    assert sorted(tuple(r[i] for i in items) for r in rows_a) == sorted(
        tuple(r[i] for i in items) for r in rows_c
    )


def test_day_index_keeps_intervals_within_a_couple(tmp_path):
    """Do intervals hold within a couple without any date: does day_index count each partner's
    days from the couple's first check-in, whichever day the couple started on?"""
    engine = new_store(tmp_path)
    workshop = add_workshop(engine)
    for n in range(8):  # both partners check in daily, each couple from another day
        add_couple(engine, workshop, days=12, start=START + timedelta(days=9 * n))
    folder, _ = run_export(engine, tmp_path)
    by_partner = defaultdict(list)
    for row in read_rows(folder):
        assert "date" not in row
        by_partner[(row["couple"], row["partner_index"])].append(int(row["day_index"]))
    assert len(by_partner) == 16
    assert all(days == list(range(12)) for days in by_partner.values())


def test_key_file_is_made_private_and_reused(tmp_path):
    """Is a missing key file made with mode 0600 (folder 0700), holding hex, then reused?"""
    path = tmp_path / "keys" / "research.key"
    key, created = load_or_create_key(path)
    assert created and len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert path.read_text().strip() == key.hex()
    again, created_again = load_or_create_key(path)
    assert again == key and not created_again
    assert re.fullmatch("[0-9a-f]{16}", key_fingerprint(key)) and key.hex()[:16] not in (
        key_fingerprint(key)
    )


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660])
def test_key_file_others_can_read_is_refused(tmp_path, mode):
    """Is a key file that the group or others may read refused, with the chmod to fix it?"""
    path = tmp_path / "k.key"
    load_or_create_key(path)
    path.chmod(mode)
    with pytest.raises(ExportInputError, match="chmod 600") as info:
        read_key(path)
    assert info.value.option == "--key-file"


@pytest.mark.parametrize(
    "content", ["", "not hex at all", "abcd" * 4, b"\xff\xfe binary".decode("latin-1")]
)
def test_key_file_without_a_key_is_refused_without_echoing_it(tmp_path, content):
    """Is a file that holds no usable key refused, and its content never repeated?"""
    path = tmp_path / "k.key"
    path.write_text(content, encoding="latin-1")
    path.chmod(0o600)
    with pytest.raises(ExportInputError) as info:
        read_key(path)
    assert "key" in str(info.value)
    if content.strip():
        assert content not in str(info.value)


def test_key_file_that_is_a_folder_is_refused(tmp_path):
    """Is a folder given as the key file refused rather than overwritten?"""
    (tmp_path / "k.key").mkdir()
    with pytest.raises(ExportInputError, match="not a regular file"):
        load_or_create_key(tmp_path / "k.key")


def test_default_key_file_lives_next_to_the_default_store():
    """Is the default key in the user data folder beside the default store, not the repo?"""
    from trust_widgets.config import default_db_path
    from trust_widgets.export import default_key_path

    assert default_key_path().parent == default_db_path().parent
    assert default_key_path().name == "research-export.key"
