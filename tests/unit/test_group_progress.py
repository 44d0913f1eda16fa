"""A workshop's group progress: counts per workshop only, suppressed, and nothing private."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
import pytest
from sqlalchemy import event

from trust_widgets import group_progress as G
from trust_widgets.boundaries import GUIDE_TOPICS, NOTE_TOPIC
from trust_widgets.store.engine import transaction
from trust_widgets.store.models import (
    AgreementItem,
    Boundary,
    BoundaryTopic,
    CheckIn,
    Consent,
    Couple,
    DailyNote,
    IStatement,
    Partner,
    Promise,
    Reflection,
    SafetyScreen,
    SmallWin,
    Visibility,
    Workshop,
)

MARK = "ZQX-PLANTED-7f3e"  # written everywhere a couple can write; must never come back
START = date(2026, 3, 2)  # a Monday: workshop 1 is created on it
K = 5
H = None


@dataclass
class Pair:
    couple: int
    partners: list[int]


def at(day: date, hour: int = 20) -> datetime:
    return datetime.combine(day, time(hour), UTC)


def make_workshop(engine, name: str, couples: int, singles: int = 0, created=START):
    """A workshop with ``couples`` couples, the last ``singles`` of them with one partner."""
    with transaction(engine) as s:
        w = Workshop(name=f"{name} {MARK}", created_at=at(created, 9))
        s.add(w)
        s.flush()
        return w.id, add_couples(s, w.id, couples, singles)


def add_couples(s, workshop_id, couples: int, singles: int = 0) -> list[Pair]:
    out = []
    for i in range(couples):
        c = Couple(workshop_id=workshop_id)
        s.add(c)
        s.flush()
        slots = 1 if i >= couples - singles else 2
        people = [Partner(couple_id=c.id, slot=j, display_name=f"{MARK} {j}") for j in range(slots)]
        s.add_all(people)
        s.flush()
        out.append(Pair(c.id, [p.id for p in people]))
    return out


def entry(model, pair: Pair, who: int = 0, shared=True, day=START, **fields):
    vis = Visibility.SHARED if shared else Visibility.PRIVATE
    if hasattr(model, "day"):
        fields.setdefault("day", day)
    return model(couple_id=pair.couple, author_id=pair.partners[who], visibility=vis,
                 created_at=at(day), updated_at=at(day), **fields)  # fmt: skip


def checkin(pair, who, day, level, shared=True, **levels):
    ratings = {i: levels.get(i, level) for i in ("predictability", "dependability", "faith")}
    ratings |= {"safety": 5, "anxiety": 5, "communication": 5}
    return entry(CheckIn, pair, who, shared, day, instrument_version="tw-checkin-1",
                 ratings=ratings, kept_promise_ids=[])  # fmt: skip


def boundary(pair, topic, answer="discuss", shared=True, who=0):
    return entry(Boundary, pair, who, shared, topic=topic, answer=answer, note=f"{MARK} note")


def private_words(s, pair: Pair) -> None:
    """Everything a couple can write, with the marker in it, none of it countable content."""
    s.add_all([
        entry(DailyNote, pair, shared=False, text=MARK),
        entry(SafetyScreen, pair, shared=False, answers={"afraid": MARK}, flagged=True),
        entry(Consent, pair, shared=False, granted=True, text_version=MARK),
        entry(SmallWin, pair, text=MARK),
        entry(Promise, pair, title=MARK),
        entry(AgreementItem, pair, text=MARK),
    ])  # fmt: skip


@pytest.fixture
def store(engine, monkeypatch):
    """Workshop 1 (20 couples, 2 with one partner), workshop 2 (7) and 3 couples at home.

    Workshop 1, furthest step per couple: 0-4 step 5 (private reflections), 5-9 step 4
    (0-5 shared check-ins, 6-9 private ones), 10 step 3, 11-14 step 2, 15-19 none.
    """
    monkeypatch.delenv("TRUST_WIDGETS_INSTRUMENT", raising=False)
    w1, one = make_workshop(engine, "One", 20, singles=2)
    w2, two = make_workshop(engine, "Two", 7)
    with transaction(engine) as s:
        home = add_couples(s, None, 3)
        rows = []
        # Week 1 predictability of the 12 partners of couples 0-5: 7 high, 3 middle, 2 low.
        levels = [(8, 8)] * 7 + [(2, 10), (5, 5), (5, 5), (1, 2), (1, 2)]
        partners = [(pair, who) for pair in one[:6] for who in (0, 1)]
        for (pair, who), (first, second) in zip(partners, levels, strict=True):
            rows.append(checkin(pair, who, START, 8, predictability=first))
            rows.append(checkin(pair, who, START + timedelta(1), 8, predictability=second))
        rows.append(checkin(one[0], 0, START + timedelta(2), 0, shared=False))
        rows += [checkin(p, w, START, 0, shared=False) for p in one[6:10] for w in (0, 1)]
        rows += [checkin(p, w, START + timedelta(7), 9) for p in one[:3] for w in (0, 1)]
        rows += [
            entry(Reflection, p, shared=False, step=5, topic="help", body=MARK) for p in one[:5]
        ]
        rows += [entry(IStatement, p, feel=MARK, when=MARK, text=MARK) for p in one[10:15]]
        rows.append(
            entry(Reflection, one[15], shared=False, step=3, topic=NOTE_TOPIC + "x", body=MARK)
        )
        rows += [boundary(p, "social-media") for p in one[:6]]
        rows += [boundary(p, "social-media", shared=False) for p in one[6:10]]
        rows += [boundary(p, "passwords") for p in one[:10] if p is not one[1]]
        rows += [boundary(p, "disagreements") for p in one[:3]]
        rows.append(boundary(one[10], "emotional-space", answer="okay"))
        for pair in one[:10] + two:
            topic = BoundaryTopic(couple_id=pair.couple, added_by_id=pair.partners[0], title=MARK)
            s.add(topic)
            s.flush()
            rows.append(boundary(pair, f"custom-{topic.id}"))
        for pair in one + two + home:
            private_words(s, pair)
        # Workshop 2 and the home couples: everything at the extremes, to show any leak.
        for pair in two + home:
            rows += [checkin(pair, w, START, 0) for w in (0, 1)]
            rows += [boundary(pair, key) for key, _ in GUIDE_TOPICS]
            rows.append(entry(Reflection, pair, step=5, topic="help"))
        s.add_all(rows)
    return engine, w1, w2, one, two


def everything(gp: G.GroupProgress) -> str:
    """Every returned object as text: the bundle's repr and each frame in full."""
    parts = [repr(gp), repr(gp.counts)]
    for f in fields(gp):
        value = getattr(gp, f.name)
        if isinstance(value, pd.DataFrame):
            parts += [value.to_json(date_format="iso"), value.to_string(), repr(value.attrs)]
    return "\n".join(parts)


# -- joined and active -------------------------------------------------------------------


def test_joined_counts_couples_and_hides_the_two_singles(store):
    """Are 20 couples joined shown, and 18 with both partners hidden (2 would be told)?"""
    engine, w1, w2, *_ = store
    counts = G.couples_joined_active(engine, w1, K, today=START + timedelta(60))
    assert (counts.joined, counts.both_joined, counts.active) == (20, H, 0)
    assert (counts.window_days, counts.k) == (7, K)
    other = G.couples_joined_active(engine, w2, K, today=START)
    assert (other.joined, other.both_joined) == (7, 7)


def test_active_counts_any_entry_but_never_safety_checks(store):
    """Do entries of any visibility in the window make a couple active, and safety checks,
    consents, notes, old entries and other workshops' entries not?"""
    engine, w1, _, one, two = store
    today = START + timedelta(60)
    with transaction(engine) as s:
        s.add_all([entry(SmallWin, p, shared=False, day=today, text="x") for p in one[:6]])
        for p in one[6:12]:
            s.add_all([
                entry(SafetyScreen, p, shared=False, day=today, answers={}, flagged=True),
                entry(Consent, p, shared=False, day=today, granted=True, text_version="1"),
                entry(DailyNote, p, shared=False, day=today, text="x"),
            ])  # fmt: skip
        s.add_all([entry(IStatement, p, day=today, feel="a", when="b", text="c") for p in two])
        s.add(entry(SmallWin, one[12], day=today + timedelta(1), text="tomorrow"))
        s.add(entry(SmallWin, one[13], day=today - timedelta(7), text="a week ago"))
    assert G.couples_joined_active(engine, w1, K, today=today).active == 6
    assert G.couples_joined_active(engine, w1, K, today=today, window_days=8).active == 7
    with transaction(engine) as s:
        s.add_all([entry(CheckIn, p, day=today, instrument_version="x", ratings={})
                   for p in one[6:16]])  # fmt: skip
    assert G.couples_joined_active(engine, w1, K, today=today).active == H  # 16 of 20


def test_a_small_workshop_hides_even_its_size(engine):
    """Does a workshop of 3 couples show 'hidden' for joined and every count from it?"""
    w3, pairs = make_workshop(engine, "Three", 3)
    with transaction(engine) as s:
        s.add_all([checkin(p, 0, START, 5) for p in pairs])
        s.add_all([boundary(p, "passwords") for p in pairs])
    gp = G.GroupProgress.load(engine, w3, K, today=START)
    assert (gp.counts.joined, gp.counts.both_joined, gp.counts.active) == (H, H, H)
    assert gp.funnel["couples"].isna().all() and gp.topics["couples"].isna().all()
    assert gp.participation["couples"].isna().all() and gp.funnel.attrs["total"] is H
    assert gp.trust["partners"].isna().all() and gp.trust["row_partners"].isna().all()


def test_an_empty_workshop_shows_zeros(engine):
    """Does a workshop nobody joined yet show 0 and empty frames, not errors?"""
    w, _ = make_workshop(engine, "Empty", 0)
    gp = G.GroupProgress.load(engine, w, K)
    assert (gp.counts.joined, gp.counts.both_joined, gp.counts.active) == (0, 0, 0)
    assert gp.funnel["couples"].tolist() == [0] * 5 and gp.participation.empty
    assert gp.trust.empty and gp.topics["couples"].tolist() == [0] * len(GUIDE_TOPICS)


# -- the step funnel ---------------------------------------------------------------------


def test_funnel_counts_the_furthest_step_and_suppresses_as_a_funnel(store):
    """Do couples count up to their furthest step (private entries as a fact), and is
    the 11 at step 3 hidden because 15 - 11 = 4 couples would be told?"""
    engine, w1, w2, *_ = store
    funnel = G.step_funnel(engine, w1, K)
    assert funnel["step"].tolist() == [1, 2, 3, 4, 5]
    assert funnel["title"].tolist()[0] == "Understand the root"
    assert funnel["couples"].isna().tolist() == [False, False, True, False, False]
    assert funnel["couples"].dropna().tolist() == [15, 15, 10, 5]
    assert funnel.attrs == {"k": K, "total": 20}
    assert G.step_funnel(engine, w2, K)["couples"].tolist() == [7, 7, 7, 7, 7]


# -- check-in participation --------------------------------------------------------------


def test_participation_per_day_counts_couples_of_this_workshop(store):
    """Are couples with a check-in (private ones too, as a fact) counted per day, days
    without any shown as 0, and a lone couple hidden?"""
    engine, w1, *_ = store
    frame = G.checkin_participation(engine, w1, K)
    assert frame["day"].tolist() == [START + timedelta(i) for i in range(8)]
    assert frame["couples"].tolist()[:2] == [10, 6]
    assert frame["couples"].isna().tolist() == [False, False, True, False, False, False,
                                                False, True]  # fmt: skip
    assert frame["couples"].iloc[3:7].tolist() == [0, 0, 0, 0]
    assert frame.attrs["total"] == 20


# -- trust distribution ------------------------------------------------------------------


def test_trust_bins_partners_weekly_means_from_shared_checkins_only(store):
    """Is each partner's weekly mean binned (2 and 10 average to middle), private
    check-ins left out, small bins hidden with a complement, and thin weeks hidden whole?"""
    engine, w1, *_ = store
    trust = G.trust_distribution(engine, w1, K)
    assert list(trust.columns) == G.TRUST_COLUMNS and trust.attrs == {"k": K}
    week1 = trust[(trust["week"] == 1) & (trust["item"] == "predictability")]
    assert week1["bin"].tolist() == ["low", "middle", "high"]
    assert week1["bin_label"].tolist() == ["Low (0-3)", "Middle (4-6)", "High (7-10)"]
    assert week1["partners"].isna().tolist() == [True, True, False]
    assert week1["partners"].iloc[2] == 7 and set(week1["row_partners"]) == {12}
    faith = trust[(trust["week"] == 1) & (trust["item"] == "faith")]
    # The private 0s never count, so all 12 sit in "high": a unanimous row tells each
    # partner's answer, so its bins are hidden while its size stays.
    assert faith["partners"].isna().all() and set(faith["row_partners"]) == {12}
    week2 = trust[trust["week"] == 2]  # 3 couples shared: the whole week is hidden
    assert len(week2) == 9 and week2["partners"].isna().all()
    assert week2["row_partners"].isna().all()
    assert set(trust["week_start"]) == {START, START + timedelta(7)}


def test_trust_weeks_start_at_the_first_shared_checkin_when_it_came_first(engine):
    """Does week 1 start on the first shared check-in when it predates the workshop?"""
    early = START - timedelta(10)
    w, pairs = make_workshop(engine, "Late", 6, created=START)
    with transaction(engine) as s:
        s.add_all([checkin(p, who, early, 9) for p in pairs for who in (0, 1)])
        s.add(checkin(pairs[0], 0, early - timedelta(30), 1, shared=False))  # private: no say
    trust = G.trust_distribution(engine, w, K)
    assert set(trust["week"]) == {1} and set(trust["week_start"]) == {early}
    high = trust.loc[trust["bin"] == "high"]
    assert high["partners"].isna().all() and high["row_partners"].tolist() == [12, 12, 12]


# -- discussion topics -------------------------------------------------------------------


def test_topics_count_revealed_discuss_answers_of_guide_topics_only(store):
    """Are only shared "discuss" answers on guide topics counted, custom topics never,
    hidden topics listed last, and the rest most often first?"""
    engine, w1, *_ = store
    topics = G.discussion_topics(engine, w1, K)
    assert topics["topic"].tolist() == ["passwords", "social-media", "emotional-space",
                                        "disagreements"]  # fmt: skip
    assert topics["couples"].tolist()[:3] == [9, 6, 0] and pd.isna(topics["couples"].iloc[3])
    assert set(topics["title"]) == {title for _, title in GUIDE_TOPICS}
    assert topics.attrs == {"k": K, "total": 20}


# -- privacy, isolation, shape -----------------------------------------------------------


def test_no_words_names_or_custom_topics_ever_come_back(store):
    """Does nothing returned for either workshop hold the planted marker, a custom topic
    key, or a column that could identify a couple or partner?"""
    engine, w1, w2, *_ = store
    for w in (w1, w2):
        gp = G.GroupProgress.load(engine, w, K, today=START)
        text = everything(gp)
        assert MARK not in text and "custom-" not in text
        for frame in (gp.funnel, gp.participation, gp.trust, gp.topics):
            assert not {"couple", "couple_id", "partner", "author_id", "name"} & set(frame)


def test_frames_have_fixed_shapes_not_rows_per_couple(store):
    """Do the frames keep their shape (steps, days, weeks x items x bins, guide topics)
    whatever the number of couples?"""
    engine, w1, *_ = store
    before = G.GroupProgress.load(engine, w1, K, today=START)
    with transaction(engine) as s:
        more = add_couples(s, w1, 30)
        s.add_all([checkin(p, w, START, 7) for p in more for w in (0, 1)])
    after = G.GroupProgress.load(engine, w1, K, today=START)
    assert len(before.funnel) == len(after.funnel) == 5
    assert len(before.topics) == len(after.topics) == len(GUIDE_TOPICS)
    assert len(before.participation) == len(after.participation) == 8
    assert len(before.trust) == len(after.trust) == 2 * 3 * 3


def test_workshops_never_mix(store):
    """Do workshop 2's and the home couples' entries leave workshop 1's numbers alone?"""
    engine, w1, w2, *_ = store
    gp1, gp2 = (G.GroupProgress.load(engine, w, K, today=START) for w in (w1, w2))
    faith = gp1.trust[(gp1.trust["week"] == 1) & (gp1.trust["item"] == "faith")]
    assert faith["row_partners"].tolist()[0] == 12  # workshop 2's 14 partners stay there
    low = gp2.trust.loc[gp2.trust["bin"] == "low"]
    assert low["row_partners"].tolist() == [14, 14, 14]  # all low: bins hidden, size shown
    assert gp2.topics["couples"].isna().all()  # all 7 of 7 marked them: each answer known
    assert gp2.counts.joined == 7 and gp1.counts.joined == 20


def test_unknown_workshops_are_refused_clearly(store):
    """Is a missing workshop, or an id that is not a number, refused with a safe message?"""
    engine, *_ = store
    with pytest.raises(G.UnknownWorkshop, match="no workshop number 999"):
        G.step_funnel(engine, 999, K)
    for bad in ("1", True, None, 1.0):
        with pytest.raises(G.UnknownWorkshop):
            G.GroupProgress.load(engine, bad, K)
    assert issubclass(G.UnknownWorkshop, ValueError)
    with pytest.raises(ValueError, match="threshold"):
        G.step_funnel(engine, 1, 2)
    with pytest.raises(ValueError, match="window"):
        G.couples_joined_active(engine, 1, K, window_days=0)


def test_load_runs_a_fixed_handful_of_queries(store):
    """Does loading everything take the same few queries for 20 couples as for 50?"""
    engine, w1, *_ = store
    statements: list[str] = []

    def count(*args):
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        G.GroupProgress.load(engine, w1, K, today=START)
        few = len(statements)
        with transaction(engine) as s:
            more = add_couples(s, w1, 30)
            s.add_all([checkin(p, 0, START + timedelta(3), 7) for p in more])
        statements.clear()
        G.GroupProgress.load(engine, w1, K, today=START)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == few <= 20


def test_trust_follows_the_active_instrument_items_and_scale(engine, tmp_path, monkeypatch):
    """With a 1-7 instrument active, are its trust items binned on its own scale (a
    reverse-scored one turned round) and labelled with its numbers?"""
    from trust_widgets import progress_data
    from trust_widgets.instrument import clear_cache

    header = (
        "field_name,form_name,section_header,field_type,field_label,"
        "select_choices_or_calculations,field_note,text_validation_min,text_validation_max,"
        "identifier,required_field\n"
    )
    rows = "".join(
        f'{n},daily,,slider,"{n} today","1, Low | 7, High",,1,7,,y\n' for n in ("steady", "doubt")
    )
    (tmp_path / "lic-2.csv").write_text(header + rows)
    (tmp_path / "lic-2.json").write_text(json.dumps({
        "instrument": "lic", "version": "2", "title": "A licensed scale", "licence": "test",
        "trust_items": ["steady", "doubt"], "reverse_scored": ["doubt"],
    }))  # fmt: skip
    monkeypatch.setenv("TRUST_WIDGETS_INSTRUMENTS", str(tmp_path))
    monkeypatch.setenv("TRUST_WIDGETS_INSTRUMENT", "lic-2")
    clear_cache()
    progress_data._scales.cache_clear()
    try:
        w, pairs = make_workshop(engine, "Licensed", 6)
        with transaction(engine) as s:
            s.add_all([
                entry(CheckIn, p, who, day=START, instrument_version="lic-2",
                      ratings=[{"steady": 4, "doubt": 7}, {"steady": 6, "doubt": 2}][who],
                      kept_promise_ids=[])
                for p in pairs for who in (0, 1)
            ])  # fmt: skip
        trust = G.trust_distribution(engine, w, K)
    finally:
        progress_data._scales.cache_clear()
    steady, doubt = (trust[trust["item"] == i] for i in ("steady", "doubt"))
    assert steady["bin_label"].tolist() == ["Low (1-3)", "Middle (4)", "High (5-7)"]
    assert steady["partners"].tolist() == [0, 6, 6]  # 4 of 1-7 is the middle, 6 high
    assert doubt["bin_label"].tolist() == ["Low (5-7)", "Middle (4)", "High (1-3)"]
    assert doubt["partners"].tolist() == [6, 0, 6]  # much doubt (7) is low trust
