"""Step 6's data: frames from the store (privacy, follow-through) and the pure trend rules."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pandas as pd
import pytest

from tests.unit._progress_helpers import (
    START,
    add_checkins,
    add_note,
    add_promise,
    add_win,
    days,
    frame,
)
from trust_widgets.progress_data import (
    checkins_frame,
    downsample,
    followthrough_days,
    followthrough_frame,
    progress_highlights,
    smooth,
    trend_direction,
    wins_frame,
)

CAUSAL = ("because", "thanks to", "caused", "due to", "led to", "so that", "result")


def _frames_text(engine, partner_id) -> str:
    frames = (checkins_frame, followthrough_frame, wins_frame)
    return "".join(f(engine, partner_id).to_json(date_format="iso") for f in frames)


# -- frames from the store: the one access rule ------------------------------------------


def test_checkins_frame_has_own_rows_and_trust_is_the_mean(engine, couple):
    """Does A's frame hold A's check-ins as "me", with trust the mean of the three items?"""
    add_checkins(engine, couple.a, days(2), level=6, shared=False)
    df = checkins_frame(engine, couple.a.partner_id)
    assert list(df.columns[:4]) == ["day", "who", "name", "shared"]
    assert list(df["who"]) == ["me", "me"] and set(df["name"]) == {"Ana"}
    assert df["trust"].tolist() == [6.0, 6.0] and df["anxiety"].tolist() == [4.0, 4.0]
    assert not df["shared"].any()


def test_partner_sees_shared_checkins_only_and_never_notes(engine, couple):
    """Does B's frame hold A's shared check-ins only, never A's private ones or notes?"""
    add_checkins(engine, couple.a, days(3), level=7, shared=True)
    add_checkins(engine, couple.a, days(2, START + timedelta(days=10)), level=2, shared=False)
    add_note(engine, couple.a, START, "NOTE-MARKER-91c never leaves Ana")
    add_win(engine, couple.a, START, "PRIVATE-WIN-4a2", shared=False)
    add_win(engine, couple.a, START, "shared win")
    b = checkins_frame(engine, couple.b.partner_id)
    assert len(b) == 3 and set(b["who"]) == {"partner"} and set(b["trust"]) == {7.0}
    assert len(checkins_frame(engine, couple.a.partner_id)) == 5  # A sees her private ones
    text = _frames_text(engine, couple.b.partner_id)
    assert "NOTE-MARKER-91c" not in text and "PRIVATE-WIN-4a2" not in text
    assert "shared win" in text
    assert "NOTE-MARKER-91c" not in _frames_text(engine, couple.a.partner_id)


def test_other_couples_see_nothing(engine, couple, other_couple):
    """Does another couple's frame stay empty, whatever this couple shares?"""
    pid = add_promise(engine, couple.a)
    add_checkins(engine, couple.a, days(5), shared=True, kept=[pid])
    add_win(engine, couple.a, START, "ours")
    for viewer in (other_couple.a, other_couple.b):
        assert checkins_frame(engine, viewer.partner_id).empty
        assert followthrough_frame(engine, viewer.partner_id).empty
        assert wins_frame(engine, viewer.partner_id).empty


def test_empty_store_gives_empty_frames_with_columns(engine, couple):
    """Do frames for a new couple come back empty but with their columns?"""
    assert "trust" in checkins_frame(engine, couple.a.partner_id).columns
    assert {"week", "due", "kept"} <= set(followthrough_frame(engine, couple.a.partner_id))
    assert "text" in wins_frame(engine, couple.a.partner_id).columns


# -- follow-through -----------------------------------------------------------------------


def test_daily_commitment_is_due_only_on_checkin_days(engine, couple):
    """Is a daily commitment due on each check-in day (not on missed days) and kept as marked?"""
    pid = add_promise(engine, couple.a)
    add_checkins(engine, couple.a, days(3), kept=[pid])
    add_checkins(engine, couple.a, days(2, START + timedelta(days=5)))  # two days, not kept
    df = followthrough_days(engine, couple.a.partner_id)
    assert (df["due"].sum(), df["kept"].sum()) == (5, 3)
    [week] = followthrough_frame(engine, couple.a.partner_id).itertuples()
    assert (week.week, week.who, week.due, week.kept) == (pd.Timestamp(START), "me", 5, 3)


def test_weekday_and_weekly_commitments(engine, couple):
    """Are weekday ones skipped at weekends, and weekly ones due once a week, kept any day?"""
    weekdays = add_promise(engine, couple.a, "weekdays")
    weekly = add_promise(engine, couple.a, "weekly")
    add_checkins(engine, couple.a, days(7), kept=[weekdays])  # Mon-Sun, week one
    add_checkins(engine, couple.a, [START + timedelta(days=9)], kept=[weekly])  # Wed, week two
    add_checkins(engine, couple.a, [START + timedelta(days=15)])  # Tue, week three: not over
    df = followthrough_days(engine, couple.a.partner_id, today=START + timedelta(days=16))
    mine = df.groupby("promise_id")[["due", "kept"]].sum()
    assert tuple(mine.loc[weekdays]) == (7, 5)  # 5 in week one, Wed and Tue later unkept
    assert tuple(mine.loc[weekly]) == (2, 1)  # week one missed, week two kept, three pending


def test_partner_commitments_count_only_when_shared(engine, couple):
    """Does B see A's shared commitments kept on shared days, and nothing private?"""
    shared = add_promise(engine, couple.a, shared=True)
    private = add_promise(engine, couple.a, shared=False)
    add_checkins(engine, couple.a, days(2), kept=[shared, private], shared=True)
    add_checkins(engine, couple.a, days(2, START + timedelta(days=3)), kept=[shared], shared=False)
    b = followthrough_days(engine, couple.b.partner_id)
    assert set(b["promise_id"]) == {shared} and (b["due"].sum(), b["kept"].sum()) == (2, 2)
    assert set(b["who"]) == {"partner"}
    a = followthrough_days(engine, couple.a.partner_id)
    assert (a["due"].sum(), a["kept"].sum()) == (8, 6)


# -- pure helpers ------------------------------------------------------------------------


def test_smooth_is_a_centred_mean_over_days_present():
    """Is the smoothed value the mean of its neighbours present, gaps skipped?"""
    s = pd.Series([1.0, 4.0, 7.0], index=pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-09"]))
    assert smooth(s, 3).tolist() == [2.5, 4.0, 5.5]


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([3 + 0.15 * i for i in range(28)], "up"),
        ([6.0] * 28, "flat"),
        ([8 - 0.15 * i for i in range(28)], "down"),
        ([5.0] * 6, "not enough data"),
        ([5.0, 9.0, 2.0, 7.0, 6.0, 3.0], "not enough data"),
    ],
    ids=["rising", "flat", "falling", "six-days", "six-noisy"],
)
def test_trend_direction(values, expected):
    """Does the trend rule say up, flat, down, or not enough data as documented?"""
    assert trend_direction(frame(values)) == expected


def test_noisy_flat_data_is_flat():
    """Is day-to-day noise without a trend called flat, for many random couples?"""
    calls = []
    for seed in range(40):
        rng = random.Random(seed)
        calls.append(trend_direction(frame([min(10, max(0, rng.gauss(5, 2))) for _ in range(28)])))
    assert calls.count("flat") >= 36  # a 5 % test: a few false alarms at most


def test_trend_uses_only_the_latest_four_weeks():
    """Does an old rise, followed by four flat weeks, read as flat; and sparse data as unknown?"""
    assert trend_direction(frame([2 + 0.1 * i for i in range(60)] + [8.0] * 28)) == "flat"
    assert trend_direction(frame([3.0, 4, 5, 6, 7, 8, 9], step=5)) == "not enough data"
    with pytest.raises(ValueError, match="one person"):
        trend_direction(pd.concat([frame([5.0] * 10), frame([5.0] * 10, who="partner")]))


def test_highlights_report_a_real_improvement_without_causes():
    """Does a rise of over one point between fortnights give a plain, non-causal highlight?"""
    df = frame([4.0] * 14 + [6.0] * 14)
    [*found] = progress_highlights(df)
    assert any("Your trust ratings averaged 6.0" in h and "up from 4.0" in h for h in found)
    assert any("anxiety" in h and "down from 6.0" in h for h in found)
    for h in found:
        assert not any(word in h.lower() for word in CAUSAL)


@pytest.mark.parametrize(
    "values",
    [
        [6.0] * 28,
        [7.0] * 14 + [5.0] * 14,
        [5.0] * 14 + [5.8] * 14,
        [8 - 0.1 * i for i in range(28)],
    ],
    ids=["flat", "declined", "under-one-point", "declining"],
)
def test_highlights_never_claim_progress_on_flat_or_declining_data(values):
    """Are there no highlights when nothing improved by at least a point?"""
    assert progress_highlights(frame(values)) == []


def test_highlights_need_enough_checkins_in_both_windows():
    """Is a jump with only four check-ins in the earlier fortnight left unmentioned?"""
    sparse = frame([2.0] * 4, step=3)  # four days in the first fortnight
    recent = frame([8.0] * 14, start=START + timedelta(days=14))
    assert progress_highlights(pd.concat([sparse, recent], ignore_index=True)) == []
    partner = frame([3.0] * 14 + [5.0] * 14, who="partner").assign(name="Ben")
    assert progress_highlights(partner)[0].startswith("Ben's shared trust ratings averaged 5.0")


def test_downsample_keeps_short_data_and_bins_long_data_by_iso_week():
    """Is short data untouched, and long data averaged into Monday-based bins within bounds?"""
    short = frame([5.0] * 30)
    assert len(downsample(short, 120)) == 30 and downsample(short, 120).attrs["period_days"] == 1
    long = frame([float(i % 7) for i in range(730)], start=date(2025, 1, 8))  # a Wednesday
    weekly = downsample(long, 120)
    assert weekly.attrs["period_days"] == 7 and len(weekly) <= 120
    assert set(weekly["day"].dt.day_of_week) == {0} and weekly["n"].sum() == 730
    assert weekly["trust"].iloc[1:-1].eq(3.0).all()  # a full week of 0..6 averages 3
    assert len(downsample(frame([5.0] * 3650), 120)) <= 120  # ten years still fit
    summed = downsample(long[["day", "trust"]], 60, how="sum")
    assert summed["trust"].sum() == long["trust"].sum()


def test_paused_days_are_not_counted_as_missed(engine, couple):
    """After pausing and resuming a commitment, do the paused days count as nothing due?"""
    from datetime import date, timedelta

    from trust_widgets.checkins import add_commitment, save_checkin, set_commitment_active
    from trust_widgets.progress_data import followthrough_days

    a = couple.a.partner_id
    today = date.today()
    ratings = dict.fromkeys(
        ("predictability", "dependability", "faith", "safety", "anxiety", "communication"), 5
    )
    promise = add_commitment(engine, a, "Text at lunch", "daily")
    save_checkin(engine, a, today, ratings, [promise.id], today=today)
    set_commitment_active(engine, a, promise.id, False)
    later = [today + timedelta(days=n) for n in (1, 2)]
    for day in later:
        save_checkin(engine, a, day, ratings, [], today=day)
    set_commitment_active(engine, a, promise.id, True)
    frame = followthrough_days(engine, a, today=later[-1])
    assert int(frame["due"].sum()) == 1 and int(frame["kept"].sum()) == 1


def test_a_swapped_instrument_still_drives_the_views(engine, couple, tmp_path, monkeypatch):
    """With another instrument (1-7, two trust items), do the views still see trust, 0-10?"""
    import json
    from datetime import date, timedelta

    from trust_widgets import progress_data
    from trust_widgets.instrument import clear_cache
    from trust_widgets.store.engine import transaction
    from trust_widgets.store.models import CheckIn, Visibility

    header = (
        "field_name,form_name,section_header,field_type,field_label,"
        "select_choices_or_calculations,field_note,text_validation_min,text_validation_max,"
        "identifier,required_field\n"
    )
    rows = "".join(
        f'{n},daily,,slider,"{n} today","1, Low | 7, High",,1,7,,y\n' for n in ("reliable", "open")
    )
    (tmp_path / "licensed-2.csv").write_text(header + rows)
    (tmp_path / "licensed-2.json").write_text(json.dumps({
        "instrument": "licensed", "version": "2", "title": "A licensed scale",
        "licence": "test only", "trust_items": ["reliable", "open"], "reverse_scored": [],
    }))  # fmt: skip
    monkeypatch.setenv("TRUST_WIDGETS_INSTRUMENTS", str(tmp_path))
    clear_cache()
    progress_data._scales.cache_clear()
    start = date.today() - timedelta(days=20)
    with transaction(engine) as s:
        for n in range(14):
            s.add(CheckIn(
                couple_id=couple.a.couple_id, author_id=couple.a.partner_id,
                day=start + timedelta(days=n), instrument_version="licensed-2",
                ratings={"reliable": 1 + n // 3, "open": 1 + n // 3},
                visibility=Visibility.SHARED,
            ))  # fmt: skip
    frame = progress_data.checkins_frame(engine, couple.a.partner_id)
    assert frame["trust"].between(0, 10).all() and frame["trust"].iloc[0] == 0.0
    assert progress_data.trend_direction(frame) == "up"
    progress_data._scales.cache_clear()
