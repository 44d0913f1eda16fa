"""Tests for the rule-based I-statement coach (pure functions, no kernel)."""

import copy
import importlib.resources
import itertools
import json
import re
import string

import pytest

from trust_widgets.coach import (
    Flag,
    PatternSet,
    compose_statement,
    detect_blame,
    load_patterns,
)

# (draft, exact set of flag kinds expected). Decisions, also in docs/coach-patterns.md:
# - "I feel like you always ..." is still flagged: "I feel like" introduces a judgement.
# - Yes/no questions ("Do you always ...?", "Have you ever ...?") are read as genuine questions and
#   skipped by "you-always" and "absolute"; "Why do you always ...?" is flagged.
# - Absolutes count only in sentences with "you" as a subject that do not start with "I".
# - When spans overlap, the more specific kind wins (e.g. name-calling over "you always").
CASES = [
    # you-never
    ("You never text me back", {"you-never"}),
    ("You never care enough to text me.", {"you-never"}),
    ("You don't ever listen to me", {"you-never"}),
    ("You can't ever be on time", {"you-never"}),
    ("You’ve never once said sorry", {"you-never"}),
    ("I feel anxious when you never text back", {"you-never"}),
    # you-always
    ("You always ignore me", {"you-always"}),
    ("You're always late", {"you-always"}),
    ("You are always on your phone", {"you-always"}),
    ("Why do you always ignore me?", {"you-always"}),
    ("I feel like you always ignore me", {"you-always"}),
    ("You always ignore me and you ruin everything", {"you-always", "absolute"}),
    # you-make-me
    ("You make me feel worthless", {"you-make-me"}),
    ("You made me so angry yesterday", {"you-make-me"}),
    ("You're making me feel like I don't matter", {"you-make-me"}),
    ("You always make me feel small", {"you-make-me"}),
    ("You're driving me crazy", {"you-make-me"}),
    # name-calling
    ("You're such an idiot", {"name-calling"}),
    ("You idiot!", {"name-calling"}),
    ("You are so lazy", {"name-calling"}),
    ("You’re a liar", {"name-calling"}),
    ("You're being selfish again", {"name-calling"}),
    ("What a loser you are", {"name-calling"}),
    ("You're always so selfish", {"name-calling"}),
    ("You never listen, you're so selfish", {"you-never", "name-calling"}),
    # absolute
    ("You ruin everything", {"absolute"}),
    ("You do this every time", {"absolute"}),
    ("You're on your phone all the time", {"absolute"}),
    ("Every single time I ask, you say no", {"absolute"}),
    ("Nothing I say matters to you, and you constantly interrupt", {"absolute"}),
    # sarcasm
    ("Yeah right, like you were busy", {"sarcasm"}),
    ("Oh great, you forgot again.", {"sarcasm"}),
    ("Thanks a lot for ruining dinner", {"sarcasm"}),
    ("As if you'd remember", {"sarcasm"}),
    ("Fine, whatever.", {"sarcasm"}),
    ("Sure you did.", {"sarcasm"}),
    ("Great plan /s", {"sarcasm"}),
    ("Wow, thanks. You never ask about my day", {"sarcasm", "you-never"}),
    # Clean: I-statements and everyday language
    ("I feel anxious when I don't hear from you all day.", set()),
    ("I feel anxious when I don’t hear from you all day.", set()),
    ("I feel anxious every time I don't hear from you", set()),
    ("I never want to lose you", set()),
    ("I feel stupid when I forget things", set()),
    ("It was a lazy Sunday and I loved it", set()),
    ("Do you always work late on Thursdays?", set()),
    ("Have you ever been to Paris?", set()),
    ("I feel like nothing is working", set()),
    ("You make me feel safe", set()),
    ("You make me so happy", set()),
    ("Thank you for everything", set()),
    ("You mean everything to me", set()),
    ("You did nothing wrong", set()),
    ("You're not lazy, I know that", set()),
    ("I'll do whatever it takes", set()),
    ("It feels as if we drifted apart", set()),
    ("I need a quick message at lunch.", set()),
    ("", set()),
    ("   \n\t ", set()),
]


@pytest.mark.parametrize(("draft", "kinds"), CASES)
def test_detects_expected_kinds(draft: str, kinds: set[str]) -> None:
    """Does the detector flag blaming sentences and leave I-statements alone?"""
    assert {f.kind for f in detect_blame(draft)} == kinds


def test_table_is_big_enough() -> None:
    """Does the case table cover every category and enough sentences both ways?"""
    assert len(CASES) >= 40
    covered = set().union(*(kinds for _, kinds in CASES))
    assert covered == {p.kind for p in load_patterns().patterns}
    assert sum(1 for _, kinds in CASES if not kinds) >= 15


def test_you_never_suggestion_reuses_the_draft() -> None:
    """Does the "you never" rewrite start with "I feel" and keep the user's own words?"""
    (flag,) = detect_blame("You never text me back")
    assert flag.suggestion.startswith("I feel")
    assert "you don't text me back" in flag.suggestion
    assert flag.suggestion.endswith("I need [what would help].")


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        ("You always ignore me", "when you ignore me, because"),
        ("You're always late", "when you're late, because"),
        ("You can't ever be on time", "when you can't be on time, because"),
        ("You make me feel worthless", "I feel worthless when [what happened]"),
        ("You're such an idiot", "when [the specific action], because"),
        ("You ruin everything", "when [one specific time it happened]"),
    ],
)
def test_suggestions_read_naturally(draft: str, expected: str) -> None:
    """Do rewrites swap the accusation for an I-statement with bracketed blanks to fill?"""
    (flag,) = detect_blame(draft)
    assert expected in flag.suggestion
    assert flag.suggestion.startswith("I feel ")


def test_every_flag_is_complete_and_offsets_slice_back() -> None:
    """Does every flag carry an explanation, a suggestion and offsets that point at its match?"""
    drafts = [d for d, kinds in CASES if kinds]
    drafts.append("  Honestly?\nYou never call.  You’re always late, and you ruin everything /s")
    for draft in drafts:
        flags = detect_blame(draft)
        assert flags, draft
        for flag in flags:
            assert isinstance(flag, Flag)
            assert flag.explanation.strip() and flag.suggestion.strip() and flag.label.strip()
            assert draft[flag.start : flag.end] == flag.match
            assert "<" not in flag.explanation + flag.suggestion


def test_flags_are_sorted_and_do_not_overlap() -> None:
    """Are flags ordered by position, with at most one flag per overlapping span?"""
    draft = "Yeah right. You're always so selfish, you never listen and you ruin everything."
    flags = detect_blame(draft)
    assert [f.kind for f in flags] == ["sarcasm", "name-calling", "you-never", "absolute"]
    for a, b in itertools.pairwise(flags):
        assert a.end <= b.start


def test_html_in_draft_does_not_crash() -> None:
    """Does a draft containing markup get treated as plain text without errors?"""
    draft = "<script>alert('x')</script> you never listen & <b>whatever</b>"
    flags = detect_blame(draft)
    assert "you-never" in {f.kind for f in flags}
    assert all(draft[f.start : f.end] == f.match for f in flags)


def test_explicit_pattern_set_is_used() -> None:
    """Does detect_blame honour a pattern set passed in, instead of the default?"""
    data = _en_data()
    data["patterns"] = [p for p in data["patterns"] if p["kind"] == "sarcasm"]
    only_sarcasm = PatternSet.from_dict(data)
    assert detect_blame("You never listen. Yeah right.", only_sarcasm)[0].kind == "sarcasm"
    assert len(detect_blame("You never listen. Yeah right.", only_sarcasm)) == 1


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (
            (
                "anxious",
                "I don't hear from you all day",
                "I worry something happened",
                "a quick message at lunch",
            ),
            "I feel anxious when I don't hear from you all day, because I worry something "
            "happened. I need a quick message at lunch.",
        ),
        (
            ("I feel anxious", "When I don't hear from you.", "because I worry.", "I need a text"),
            "I feel anxious when I don't hear from you, because I worry. I need a text.",
        ),
        (("  i FEEL hurt ", " when plans change ", "", ""), "I feel hurt when plans change."),
        (
            ("lonely", "you work late", "", "more evenings together!"),
            "I feel lonely when you work late. I need more evenings together!",
        ),
        (
            ("sad", "we argue", "it scares me?", ""),
            "I feel sad when we argue, because it scares me?",
        ),
        (
            ("I’m feeling tense", "the phone buzzes", "", "I need"),
            "I feel tense when the phone buzzes.",
        ),
        (("", "", "", ""), ""),
    ],
)
def test_compose_statement(parts: tuple[str, str, str, str], expected: str) -> None:
    """Does compose_statement build one tidy I-statement without doubled lead-ins or stray dots?"""
    assert compose_statement(*parts) == expected


def test_composed_guide_example_is_clean() -> None:
    """Is a statement built by compose_statement itself free of blame flags?"""
    text = compose_statement(
        "anxious", "I don't hear from you all day", "I worry", "a text at lunch"
    )
    assert detect_blame(text) == []


def test_unknown_locale_raises() -> None:
    """Does asking for a locale without a pattern file fail with a clear ValueError?"""
    with pytest.raises(ValueError, match="xx"):
        load_patterns("xx")
    with pytest.raises(ValueError, match="invalid locale"):
        load_patterns("../en")


def test_load_patterns_is_cached() -> None:
    """Is the English pattern set loaded once and reused?"""
    assert load_patterns("en") is load_patterns()
    assert load_patterns().locale == "en" and load_patterns().version


def _en_data() -> dict:
    resource = importlib.resources.files("trust_widgets") / "patterns" / "en.json"
    return json.loads(resource.read_text(encoding="utf-8"))


def test_en_json_patterns_are_well_formed() -> None:
    """Does every pattern in en.json have the required keys, compile, and fill its template?"""
    data = _en_data()
    assert data["locale"] == "en" and isinstance(data["version"], str)
    fragments = data.get("fragments", {})
    for p in data["patterns"]:
        for key in ("kind", "label", "regex", "explanation", "suggestion"):
            assert isinstance(p[key], str | list) and p[key], (p.get("kind"), key)
        for rx in p["regex"]:
            expanded = re.sub(r"\{\{(\w+)\}\}", lambda m: fragments[m.group(1)], rx)
            re.compile(expanded, re.IGNORECASE)
        fields = {f for _, f, _, _ in string.Formatter().parse(p["suggestion"]) if f}
        assert fields <= {**data["placeholders"], **p.get("defaults", {})}.keys()
        assert p["suggestion"].startswith("I feel")
    assert len(load_patterns().patterns) == len(data["patterns"])


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("patterns"), "missing top-level"),
        (lambda d: d["patterns"][0].pop("explanation"), "non-empty keys"),
        (lambda d: d["patterns"][0].update(regex=[]), "non-empty keys"),
        (lambda d: d["patterns"][0].update(regex=["(unclosed"]), "invalid regex"),
        (lambda d: d["patterns"][0].update(regex=["{{nope}}"]), "unknown fragment"),
        (lambda d: d["patterns"][0].update(suggestion="I feel {mystery}."), "no default"),
        (lambda d: d["patterns"].append(copy.deepcopy(d["patterns"][0])), "duplicate kind"),
    ],
)
def test_invalid_pattern_data_raises(mutate, message: str) -> None:
    """Does a broken pattern file fail loudly with a message that names the problem?"""
    data = copy.deepcopy(_en_data())
    mutate(data)
    with pytest.raises(ValueError, match=message):
        PatternSet.from_dict(data, "patterns/en.json")
