"""Plain-language messages for a session plan that does not validate.

Each message names where the problem is in the words a facilitator editing the file uses
("session 2, item 1, minutes"), counting from 1. Messages never repeat text from the plan,
only numbers, so they are safe to show in a page once escaped like any other text.
"""

from __future__ import annotations

from pydantic import ValidationError

_SINGULAR = {"sessions": "session", "items": "item", "prompts": "prompt"}
_RANGES = {
    "minutes": "use a whole number of minutes from 1 to 240",
    "step": "use a step number from 0 to 7 (0 welcome, 1-6 the guide's steps, 7 your plan)",
}
_LIST_LIMITS = {"sessions": (1, 10), "items": (1, 20), "prompts": (0, 10)}


class PlanError(ValueError):
    """A plan that cannot be used; ``problems`` holds one message per problem."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source, self.problems = source, problems
        prefix = f"{source}: " if source else ""
        super().__init__("\n".join(f"{prefix}{p}" for p in problems))


def where(loc: tuple) -> str:
    """Turn a pydantic location such as ``('sessions', 1, 'items', 0)`` into words."""
    parts: list[str] = []
    for i, part in enumerate(loc):
        if isinstance(part, int):
            continue
        index = loc[i + 1] if i + 1 < len(loc) and isinstance(loc[i + 1], int) else None
        parts.append(f"{_SINGULAR.get(part, part)} {index + 1}" if index is not None else part)
    return ", ".join(parts) or "plan"


def _field(loc: tuple) -> str:
    names = [p for p in loc if isinstance(p, str)]
    return names[-1] if names else ""


def message(err: dict) -> str:
    """Return one problem as ``"<where>: <what to do>"``."""
    kind, ctx, loc = err["type"], err.get("ctx") or {}, tuple(err["loc"])
    field = _field(loc)
    if kind == "missing":
        what = "is missing"
    elif kind == "extra_forbidden":
        what = "is not a field of a plan (check the spelling; see data/session-plans/README.md)"
    elif kind == "string_too_short":
        what = "must not be empty"
    elif kind == "string_too_long":
        what = f"is too long: keep it to {ctx.get('max_length')} characters"
    elif kind in ("too_short", "too_long") and field in _LIST_LIMITS:
        low, high = _LIST_LIMITS[field]
        what = f"needs {low} to {high} {field}"
    elif kind in ("greater_than_equal", "less_than_equal") and field in _RANGES:
        what = _RANGES[field]
    elif kind == "value_error":
        what = str(ctx.get("error", err["msg"]))
        what = what[:1].lower() + what[1:]
    elif kind.startswith("int_"):
        what = "must be a whole number, without quotes"
    elif kind.startswith("string_"):
        what = "must be text in double quotes"
    elif kind.startswith("list_"):
        what = "must be a list in square brackets: [ ... ]"
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        what = "must be an object in curly braces: { ... }"
    elif kind == "literal_error" and field == "format":
        what = "must be 1 (the only plan format so far)"
    else:
        what = "is not valid here"
    return f"{where(loc)}: {what}"


def problems(exc: ValidationError) -> list[str]:
    """Return one message per problem in ``exc``, in the order pydantic found them."""
    seen: list[str] = []
    for err in exc.errors(include_input=False):
        text = message(err)
        if text not in seen:
            seen.append(text)
    return seen
