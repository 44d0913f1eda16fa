"""Rule-based "I-statement coach": flags blaming patterns in a draft and suggests rewrites.

Everything here is a pure function of the draft and the pattern data in
``trust_widgets/patterns/<locale>.json``; there is no model, kernel or network.
See ``docs/coach-patterns.md`` for the pattern file format.
"""

from __future__ import annotations

import bisect
import functools
import importlib.resources
import json
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

__all__ = ["Flag", "Pattern", "PatternSet", "compose_statement", "detect_blame", "load_patterns"]

_FLAGS = re.IGNORECASE | re.MULTILINE
_REQUIRED_TOP = ("locale", "version", "patterns")
_REQUIRED_PATTERN = ("kind", "label", "regex", "explanation", "suggestion")
_SCOPE_KEYS = ("sentence_requires", "sentence_excludes")
# Locales are used to build a resource path, so only accept tag-like names.
_LOCALE_RE = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?")
_FRAGMENT_RE = re.compile(r"\{\{(\w+)\}\}")
_SENTENCE_RE = re.compile(r"[^.!?…\n]+[.!?…]*")
_WORD_RE = re.compile(r"[\w']+")


@dataclass(frozen=True)
class Flag:
    """One blaming pattern found in a draft, with a gentle explanation and a rewrite."""

    kind: str
    label: str
    match: str
    start: int
    end: int
    explanation: str
    suggestion: str


@dataclass(frozen=True)
class Pattern:
    """One category of blaming language, compiled from the pattern file."""

    kind: str
    label: str
    regexes: tuple[re.Pattern[str], ...]
    explanation: str
    suggestion: str
    defaults: Mapping[str, str] = field(default_factory=dict)
    sentence_requires: re.Pattern[str] | None = None
    sentence_excludes: re.Pattern[str] | None = None

    def in_scope(self, sentence: str) -> bool:
        """Tell whether a match inside ``sentence`` counts, given the sentence rules."""
        req, exc = self.sentence_requires, self.sentence_excludes
        return (req is None or bool(req.search(sentence))) and not (exc and exc.search(sentence))


@dataclass(frozen=True)
class PatternSet:
    """All patterns for one locale, ordered from most to least specific."""

    locale: str
    version: str
    patterns: tuple[Pattern, ...] = field(repr=False)
    pronoun_swaps: Mapping[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_dict(cls, data: Mapping, source: str = "<dict>") -> PatternSet:
        """Validate and compile a parsed pattern file; raise ValueError naming the problem."""
        if not isinstance(data, Mapping):
            raise ValueError(f"{source}: top level must be a JSON object")
        if missing := [k for k in _REQUIRED_TOP if k not in data]:
            raise ValueError(f"{source}: missing top-level key(s) {missing}")
        if not isinstance(data["patterns"], list):
            raise ValueError(f"{source}: 'patterns' must be a list")
        fragments = dict(data.get("fragments", {}))
        placeholders = dict(data.get("placeholders", {}))

        def compile_(rx: str, where: str) -> re.Pattern[str]:
            def expand(m: re.Match[str]) -> str:
                if m.group(1) not in fragments:
                    raise ValueError(f"{where}: unknown fragment {{{{{m.group(1)}}}}}")
                return fragments[m.group(1)]

            try:
                return re.compile(_FRAGMENT_RE.sub(expand, rx), _FLAGS)
            except (re.error, TypeError) as exc:
                raise ValueError(f"{where}: invalid regex {rx!r}: {exc}") from None

        patterns, seen = [], set()
        for i, p in enumerate(data["patterns"]):
            where = f"{source}: pattern #{i}"
            if not isinstance(p, Mapping) or not all(p.get(k) for k in _REQUIRED_PATTERN):
                raise ValueError(f"{where}: needs non-empty keys {list(_REQUIRED_PATTERN)}")
            if p["kind"] in seen:
                raise ValueError(f"{where}: duplicate kind {p['kind']!r}")
            seen.add(p["kind"])
            regexes = [p["regex"]] if isinstance(p["regex"], str) else list(p["regex"])
            defaults = {**placeholders, **p.get("defaults", {})}
            # Every template field needs a fallback, because optional groups may not match.
            fields = {
                f for _, f, _, _ in string.Formatter().parse(p["suggestion"]) if f is not None
            }
            if unfilled := fields - defaults.keys():
                raise ValueError(f"{where}: no default for {sorted(unfilled)}")
            opt = {k: compile_(p[k], where) for k in _SCOPE_KEYS if p.get(k)}
            patterns.append(
                Pattern(
                    kind=p["kind"],
                    label=p["label"],
                    regexes=tuple(compile_(rx, where) for rx in regexes),
                    explanation=p["explanation"],
                    suggestion=p["suggestion"],
                    defaults=MappingProxyType(defaults),
                    **opt,
                )
            )
        swaps = {str(k).lower(): str(v) for k, v in data.get("pronoun_swaps", {}).items()}
        return cls(
            locale=str(data["locale"]),
            version=str(data["version"]),
            patterns=tuple(patterns),
            pronoun_swaps=MappingProxyType(swaps),
        )


def load_patterns(locale: str = "en") -> PatternSet:
    """Load the bundled patterns for ``locale`` (cached); raise ValueError if unknown or invalid."""
    if not isinstance(locale, str) or not _LOCALE_RE.fullmatch(locale):
        raise ValueError(f"invalid locale {locale!r}: expected a tag such as 'en' or 'pt_BR'")
    return _load_patterns(locale)


# A separate cached function so that load_patterns() and load_patterns("en") share one entry.
@functools.lru_cache(maxsize=16)
def _load_patterns(locale: str) -> PatternSet:
    resource = importlib.resources.files("trust_widgets") / "patterns" / f"{locale}.json"
    if not resource.is_file():
        raise ValueError(f"unknown locale {locale!r}: no patterns/{locale}.json in trust_widgets")
    source = f"patterns/{locale}.json"
    try:
        data = json.loads(resource.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{source}: not valid JSON: {exc}") from None
    patterns = PatternSet.from_dict(data, source)
    if patterns.locale != locale:
        raise ValueError(f"{source}: declares locale {patterns.locale!r}, expected {locale!r}")
    return patterns


def _suggest(pattern: Pattern, m: re.Match[str], swaps: Mapping[str, str]) -> str:
    values = dict(pattern.defaults)
    for name, value in m.groupdict().items():
        if value and value.strip():
            text = " ".join(value.split())
            values[name] = _WORD_RE.sub(lambda w: swaps.get(w.group().lower(), w.group()), text)
    return pattern.suggestion.format_map(values)


def detect_blame(text: str, patterns: PatternSet | None = None) -> list[Flag]:
    """Return blaming patterns found in ``text``, sorted by start offset.

    Overlapping matches are reduced to one flag: the pattern listed earlier in the
    file wins (files list patterns from most to least specific), then the longer match.
    """
    if not text or not text.strip():
        return []
    ps = patterns if patterns is not None else load_patterns()
    # Same-length replacement: regexes only need a straight apostrophe and offsets still hold.
    norm = text.replace("\u2019", "'").replace("\u2018", "'")
    sentences = [(s.start(), s.end()) for s in _SENTENCE_RE.finditer(norm)]
    starts = [s for s, _ in sentences]

    def sentence_at(pos: int) -> str:
        i = bisect.bisect_right(starts, pos) - 1
        return norm[sentences[i][0] : sentences[i][1]].strip() if i >= 0 else ""

    candidates = []
    for rank, pat in enumerate(ps.patterns):
        for rx in pat.regexes:
            for m in rx.finditer(norm):
                if m.end() > m.start() and pat.in_scope(sentence_at(m.start())):
                    candidates.append((rank, m.start() - m.end(), m.start(), pat, m))

    chosen: list[tuple[Pattern, re.Match[str]]] = []
    for *_, pat, m in sorted(candidates, key=lambda c: c[:3]):
        if all(m.end() <= o.start() or m.start() >= o.end() for _, o in chosen):
            chosen.append((pat, m))
    chosen.sort(key=lambda c: c[1].start())
    return [
        Flag(
            kind=pat.kind,
            label=pat.label,
            match=text[m.start() : m.end()],
            start=m.start(),
            end=m.end(),
            explanation=pat.explanation,
            suggestion=_suggest(pat, m, ps.pronoun_swaps),
        )
        for pat, m in chosen
    ]


# Lead-in the user may have typed themselves, and the lead-in we add when composing.
_PARTS = {
    "feel": (re.compile(r"(?:i\s+feel|i'm\s+feeling|i\s+am\s+feeling)\b\s*", re.I), " I feel "),
    "when": (re.compile(r"when\b\s*", re.I), " when "),
    "because": (re.compile(r"because\b\s*", re.I), ", because "),
    "need": (re.compile(r"i\s+need\b\s*", re.I), "I need "),
}


def _clean(part: str, key: str, final: bool) -> str:
    part = (part or "").strip()
    # Match on straightened apostrophes (same length) so "I’m feeling" is caught too.
    lead = _PARTS[key][0].match(part.replace("\u2019", "'"))
    part = part[lead.end() :].strip() if lead else part
    # Mid-sentence parts lose their punctuation; the last part keeps . ! or ? if typed.
    return part.rstrip(" ,;:") if final else part.rstrip(" ,;:.!?")


def _end(sentence: str) -> str:
    return sentence if sentence.endswith((".", "!", "?")) else sentence + "."


def compose_statement(feel: str, when: str, because: str = "", need: str = "") -> str:
    """Build "I feel … when …, because …. I need …." from the four parts.

    Parts are stripped, a lead-in the user already typed ("I feel", "when",
    "because", "I need") is not doubled, and empty parts are left out.
    """
    given = {"feel": feel, "when": when, "because": because}
    present = [(k, v) for k, v in given.items() if v and v.strip()]
    first = ""
    for i, (key, value) in enumerate(present):
        if text := _clean(value, key, final=i == len(present) - 1):
            lead = _PARTS[key][1]
            first += (lead if first else lead.lstrip(" ,")) + text
    first = first[:1].upper() + first[1:]
    need_text = _clean(need, "need", final=True)
    sentences = [_end(first) if first else "", _end(f"I need {need_text}") if need_text else ""]
    return " ".join(s for s in sentences if s)
