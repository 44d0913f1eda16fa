"""Workshop session plans as data: which guide steps go in which session, for how long, and
what the facilitator asks the couples to talk about in their pairs.

A plan is a JSON file (``data/session-plans/README.md`` describes the format) or a dict, for
example one a workshop keeps in the store. Both go through :func:`parse_plan`, which reports
every problem with the field it is in ("session 2, item 1, minutes: ..."). Check plan files
with ``python -m trust_widgets.session_plan [FILE ...]``.

Only pydantic and the step list are imported: the presenter never touches the store.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError
from pydantic import field_validator as _field_validator

from ._plan_errors import PlanError, problems
from .steps import step as get_step

__all__ = [
    "DEFAULT_PLAN",
    "PlanError",
    "PlanItem",
    "Session",
    "SessionPlan",
    "default_plan",
    "load_plan",
    "parse_plan",
    "plan_from_json",
    "plan_to_dict",
]

_REPO_ROOT = Path(__file__).resolve().parents[1]
PLANS_DIR = _REPO_ROOT / "data" / "session-plans"
DEFAULT_PLAN = PLANS_DIR / "three-sessions.json"
MAX_FILE_BYTES = 1_000_000  # a plan is a few kilobytes; anything near this is not a plan

Prompt = Annotated[StrictStr, Field(min_length=1, max_length=500)]


class _Model(BaseModel):
    # Frozen: the default plan is cached and shared, so nobody may change it in place.
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class PlanItem(_Model):
    """One guide step in a session: how long it gets and what the pairs talk about."""

    step: StrictInt
    minutes: StrictInt = Field(ge=1, le=240)
    title: Annotated[StrictStr, Field(max_length=120)] = ""
    prompts: list[Prompt] = Field(default_factory=list, max_length=10)

    @_field_validator("step")
    @classmethod
    def _known_step(cls, value: int) -> int:
        get_step(value)  # raises ValueError naming the range
        return value

    @property
    def display_title(self) -> str:
        """The item's own title, or the step's title from the guide."""
        return self.title or get_step(self.step).title


class Session(_Model):
    """One workshop session: a safety reminder to open with, then its items in order."""

    title: Annotated[StrictStr, Field(min_length=1, max_length=120)]
    safety_reminder: Prompt
    items: list[PlanItem] = Field(min_length=1, max_length=20)

    @property
    def minutes(self) -> int:
        """The session's planned length: the sum of its items."""
        return sum(item.minutes for item in self.items)


class SessionPlan(_Model):
    """A whole workshop: 1 to 10 sessions."""

    format: Literal[1] = 1
    title: Annotated[StrictStr, Field(min_length=1, max_length=120)]
    description: Annotated[StrictStr, Field(max_length=1000)] = ""
    sessions: list[Session] = Field(min_length=1, max_length=10)

    def steps_covered(self) -> list[int]:
        """Every item's step, in plan order (a step may appear more than once)."""
        return [item.step for session in self.sessions for item in session.items]


def parse_plan(data: Mapping[str, Any], source: str = "") -> SessionPlan:
    """Return ``data`` checked as a plan.

    Raises
    ------
    PlanError
        One message per problem, each naming its field, prefixed with ``source`` if given.
    """
    if not isinstance(data, Mapping):
        raise PlanError(source, ["a plan must be a JSON object: { ... }"])
    try:
        return SessionPlan.model_validate(dict(data))
    except ValidationError as exc:
        raise PlanError(source, problems(exc)) from None


def plan_from_json(text: str | bytes, source: str = "") -> SessionPlan:
    """Return the plan in JSON ``text``; a syntax error is reported with its line."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanError(
            source, [f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})"]
        ) from None
    except UnicodeDecodeError:
        raise PlanError(source, ["this is not UTF-8 text"]) from None
    return parse_plan(data, source)


def plan_to_dict(plan: SessionPlan) -> dict[str, Any]:
    """Return ``plan`` as plain JSON-ready data; :func:`parse_plan` reads it back unchanged."""
    return plan.model_dump(mode="json")


def load_plan(path: str | Path | None = None) -> SessionPlan:
    """Return the plan in the JSON file ``path``, or the default three-session plan.

    Raises
    ------
    PlanError
        The file is missing, too large, not JSON, or not a valid plan; the message names
        the file and every problem's field.
    """
    path = Path(path).expanduser() if path is not None else DEFAULT_PLAN
    try:
        stat = path.stat()
    except OSError:
        raise PlanError(_shown(path), ["no such file"]) from None
    if stat.st_size > MAX_FILE_BYTES:
        raise PlanError(_shown(path), ["the file is too large to be a session plan"])
    # Keyed on modification time and size: an edited file is read again without a restart.
    return _load(str(path), stat.st_mtime_ns, stat.st_size)


def default_plan() -> SessionPlan:
    """Return the plan shipped with the kit: three sessions covering steps 1-6 and the plan."""
    return load_plan(None)


@lru_cache(maxsize=16)
def _load(path_str: str, _mtime_ns: int, _size: int) -> SessionPlan:
    path = Path(path_str)
    return plan_from_json(path.read_bytes(), _shown(path))


def _shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(_REPO_ROOT).as_posix()
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    """Check plan files (default: every plan in ``data/session-plans``); exit 1 if any is bad."""
    args = sys.argv[1:] if argv is None else argv
    paths = [Path(a) for a in args] or sorted(PLANS_DIR.glob("*.json"))
    status = 0
    for path in paths:
        try:
            plan = load_plan(path)
        except PlanError as exc:
            print(exc)
            status = 1
            continue
        lengths = ", ".join(f"{s.minutes} min" for s in plan.sessions)
        print(f"ok: {_shown(path)} ({plan.title}: {len(plan.sessions)} sessions, {lengths})")
    if not paths:
        print(f"{_shown(PLANS_DIR)}: no plan files")
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
