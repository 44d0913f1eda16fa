"""Session plans as data: the shipped three-session plan, and clear errors for bad plans."""

from __future__ import annotations

import copy
import json
import os

import pytest
from pydantic import ValidationError

from trust_widgets.session_plan import (
    DEFAULT_PLAN,
    PlanError,
    default_plan,
    load_plan,
    main,
    parse_plan,
    plan_from_json,
    plan_to_dict,
)


def good() -> dict:
    """A small valid plan, as a facilitator might write it."""
    return {
        "title": "One evening",
        "sessions": [
            {
                "title": "Talking",
                "safety_reminder": "Nobody shares with the room. Quick exit hides the app.",
                "items": [{"step": 2, "minutes": 45, "prompts": ["Write one I-statement."]}],
            }
        ],
    }


def problems_of(data) -> list[str]:
    with pytest.raises(PlanError) as info:
        parse_plan(data)
    return info.value.problems


def test_default_plan_covers_the_guide_once_in_three_sessions():
    """Does the shipped plan have 3 sessions covering guide steps 1-6 exactly once each?"""
    plan = default_plan()
    assert len(plan.sessions) == 3
    guide = [n for n in plan.steps_covered() if 1 <= n <= 6]
    assert sorted(guide) == [1, 2, 3, 4, 5, 6]
    assert 7 in plan.steps_covered()  # it ends with "Your plan"


def test_default_plan_sessions_are_a_workshop_evening():
    """Is every session 90-120 minutes, with 2-4 prompts per item?"""
    for session in default_plan().sessions:
        assert 90 <= session.minutes <= 120, session.title
        for item in session.items:
            assert 2 <= len(item.prompts) <= 4, (session.title, item.step)


def test_default_plan_opens_every_session_with_safety():
    """Does every session's reminder cover quick exit, not sharing, and where help is?"""
    for session in default_plan().sessions:
        text = session.safety_reminder.lower()
        assert "quick exit" in text
        assert "nobody" in text and "share" in text
        assert "help lines" in text or "help" in text


def test_default_plan_prompts_never_ask_for_disclosure_to_the_group():
    """Do the prompts steer talk into the pair, never to the room or the group?"""
    for session in default_plan().sessions:
        for item in session.items:
            for prompt in item.prompts:
                lowered = prompt.lower()
                assert "the group" not in lowered and "the room" not in lowered, prompt
                assert "show of hands" not in lowered, prompt


def test_plan_round_trips_through_a_dict_and_json():
    """Does parse_plan(plan_to_dict(p)) give back the same plan, also through JSON text?"""
    plan = default_plan()
    data = plan_to_dict(plan)
    assert parse_plan(data) == plan
    assert plan_from_json(json.dumps(data)) == plan
    assert data["sessions"][0]["items"][0]["step"] == 0


def test_a_small_plan_parses_and_names_steps():
    """Does a minimal plan parse, with the step's own title when the item has none?"""
    plan = parse_plan(good())
    item = plan.sessions[0].items[0]
    assert item.display_title == "Communicate openly"
    assert plan.sessions[0].minutes == 45 and plan.format == 1


def test_plans_cannot_be_changed_in_place():
    """Is a parsed plan frozen, so the cached default plan cannot be altered by a caller?"""
    with pytest.raises(ValidationError):
        default_plan().sessions[0].title = "changed"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["sessions"][0]["items"][0].update(step=9), "session 1, item 1, step"),
        (lambda d: d["sessions"][0]["items"][0].update(step=-1), "there is no step -1"),
        (lambda d: d["sessions"][0]["items"][0].update(minutes=0), "from 1 to 240"),
        (lambda d: d["sessions"][0]["items"][0].update(minutes=241), "from 1 to 240"),
        (lambda d: d["sessions"][0]["items"][0].update(minutes="30"), "whole number"),
        (lambda d: d["sessions"][0]["items"][0].update(minutes=30.5), "whole number"),
        (lambda d: d["sessions"][0]["items"][0].update(minutes=True), "whole number"),
        (lambda d: d["sessions"][0]["items"][0].update(prompts=[""]), "prompt 1: must not be"),
        (lambda d: d["sessions"][0]["items"][0].update(prompts=["x" * 501]), "500 characters"),
        (lambda d: d["sessions"][0]["items"][0].update(prompts=["q"] * 11), "0 to 10 prompts"),
        (lambda d: d["sessions"][0]["items"][0].update(prompts="one"), "square brackets"),
        (lambda d: d["sessions"][0].update(items=[]), "needs 1 to 20 items"),
        (lambda d: d["sessions"][0].update(safety_reminder=" "), "safety_reminder"),
        (lambda d: d["sessions"][0].pop("safety_reminder"), "safety_reminder: is missing"),
        (lambda d: d.update(sessions=[]), "sessions: needs 1 to 10 sessions"),
        (lambda d: d.update(sessions=d["sessions"] * 11), "needs 1 to 10 sessions"),
        (lambda d: d.update(titel="typo"), "titel: is not a field"),
        (lambda d: d.update(format=2), "format: must be 1"),
        (lambda d: d.pop("title"), "title: is missing"),
        (lambda d: d["sessions"].append("x"), "session 2: must be an object"),
    ],
)
def test_bad_plans_name_the_field(change, expected):
    """Does every kind of mistake give a message naming where it is and what to do?"""
    data = copy.deepcopy(good())
    change(data)
    assert any(expected in p for p in problems_of(data)), problems_of(data)


def test_every_problem_is_reported_at_once():
    """Are all problems listed together, so a facilitator fixes the file in one go?"""
    data = good()
    data["sessions"][0]["items"].append({"step": 8, "minutes": 999})
    data["sessions"][0]["title"] = ""
    found = problems_of(data)
    assert "session 1, title: must not be empty" in found
    assert any(p.startswith("session 1, item 2, step") for p in found)
    assert any(p.startswith("session 1, item 2, minutes") for p in found)


def test_messages_never_repeat_the_plans_text():
    """Do error messages leave out the plan's own words (they may be shown in a page)?"""
    data = good()
    data["sessions"][0]["items"][0]["prompts"] = ["<b>MARKER</b>" * 50]
    data["sessions"][0]["items"][0]["minutes"] = "<i>MARKER</i>"
    with pytest.raises(PlanError) as info:
        parse_plan(data)
    assert "MARKER" not in str(info.value)


def test_not_a_plan_at_all():
    """Does a list or a string instead of an object give a plain message?"""
    assert problems_of([1, 2]) == ["a plan must be a JSON object: { ... }"]
    assert problems_of("plan") == ["a plan must be a JSON object: { ... }"]


def test_json_errors_give_the_line(tmp_path):
    """Does broken JSON in a file name the file, the line and the column?"""
    path = tmp_path / "broken.json"
    path.write_text('{\n  "title": "x",\n  "sessions": [\n}\n', encoding="utf-8")
    with pytest.raises(PlanError) as info:
        load_plan(path)
    message = str(info.value)
    assert message.startswith(str(path)) and "line 4" in message


def test_missing_file_is_named(tmp_path):
    """Does a missing file say which one?"""
    with pytest.raises(PlanError, match=r"nope\.json: no such file"):
        load_plan(tmp_path / "nope.json")


def test_an_edited_file_is_read_again(tmp_path):
    """Is a plan file picked up again after it changes, without a restart?"""
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(good()), encoding="utf-8")
    assert load_plan(path).title == "One evening"
    changed = good() | {"title": "Two evenings"}
    path.write_text(json.dumps(changed), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert load_plan(path).title == "Two evenings"


def test_file_errors_carry_the_file_name(tmp_path):
    """Does a validation problem in a file start with the file's name?"""
    data = good()
    data["sessions"][0]["items"][0]["minutes"] = 0
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PlanError) as info:
        load_plan(path)
    assert str(info.value).startswith(f"{path}: session 1, item 1, minutes")


def test_checker_command(tmp_path, capsys):
    """Does `python -m trust_widgets.session_plan` pass the shipped plan and fail a bad one?"""
    assert main([str(DEFAULT_PLAN)]) == 0
    assert "ok: data/session-plans/three-sessions.json" in capsys.readouterr().out
    bad = tmp_path / "bad.json"
    bad.write_text('{"title": "x"}', encoding="utf-8")
    assert main([str(bad)]) == 1
    assert "sessions: is missing" in capsys.readouterr().out
    assert main([]) == 0  # every plan shipped in data/session-plans
