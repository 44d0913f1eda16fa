"""Input validation with pydantic, at every point where user input enters the kit.

Widgets call :func:`field_errors` to turn a :class:`pydantic.ValidationError` into one
plain-language message per field, shown next to that field. Nothing is written unless
validation passes.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from .store.models import Visibility

DisplayName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, min_length=4, max_length=40)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LocalStart(_Input):
    """Two names for a couple starting together on one device."""

    name_a: DisplayName
    name_b: DisplayName


class JoinRequest(_Input):
    """A join code (workshop) or invite code (partner), and the joiner's name."""

    code: Code
    name: DisplayName


class OwnStart(_Input):
    """The first partner of a couple who each use their own device."""

    name: DisplayName


class IStatementIn(_Input):
    """An I-statement: "I feel … when … because … I need …"."""

    feel: str = Field(min_length=1, max_length=200)
    when: str = Field(min_length=1, max_length=300)
    because: str = Field(default="", max_length=300)
    need: str = Field(default="", max_length=300)
    visibility: Visibility = Visibility.PRIVATE


_MESSAGES = {
    "string_too_short": "Please fill this in.",
    "missing": "Please fill this in.",
    "string_too_long": "Please keep this under {max_length} characters.",
    "enum": "Please choose one of the options.",
    "extra_forbidden": "This field is not expected here.",
}


def field_errors(exc: ValidationError) -> dict[str, str]:
    """Return one friendly message per field from a pydantic error.

    The messages never echo the user's input back, so they are safe in HTML.
    """
    out: dict[str, str] = {}
    for err in exc.errors():
        field = str(err["loc"][0]) if err["loc"] else "form"
        template = _MESSAGES.get(err["type"], "Please check this field.")
        out.setdefault(field, template.format(**(err.get("ctx") or {})))
    return out
