"""Pydantic models for step 1's input. Imported only inside the functions that save.

Page kernels build step 1 without pydantic; it loads on the first save.
"""

from __future__ import annotations

import re
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator
from pydantic_core import PydanticCustomError

from .roots import ATTACHMENT_ITEMS, BUILTIN, CUSTOM, MAX_ANSWER, MAX_CARD, MAX_TITLE, Choice
from .store.models import Visibility

_CUSTOM_SLUG = r"[a-z0-9][a-z0-9-]{0,59}"


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RootIn(_In):
    """A partner's notes on one root; a custom root also needs its title."""

    key: str = Field(max_length=len(CUSTOM) + 60)
    title: str = Field(default="", max_length=MAX_TITLE, validate_default=True)
    what: str = Field(default="", max_length=MAX_ANSWER)
    now: str = Field(default="", max_length=MAX_ANSWER)
    helps: str = Field(default="", max_length=MAX_ANSWER)

    @field_validator("key")
    @classmethod
    def _known_key(cls, key: str) -> str:
        if key in BUILTIN or re.fullmatch(CUSTOM + _CUSTOM_SLUG, key):
            return key
        raise PydanticCustomError("unknown_root", "unknown root")

    @field_validator("title")
    @classmethod
    def _custom_needs_title(cls, title: str, info) -> str:
        if str(info.data.get("key", "")).startswith(CUSTOM) and not title:
            # Same type as an empty required field, so the user reads "Please fill this in."
            raise PydanticCustomError("string_too_short", "a custom root needs a title")
        return title


class CardIn(_In):
    """The "what I am working with" card."""

    text: str = Field(min_length=1, max_length=MAX_CARD)
    visibility: Visibility = Visibility.PRIVATE


@cache
def attachment_model() -> type[BaseModel]:
    """Return the model for the self-reflection: one optional :class:`Choice` per item."""
    fields = {item.key: (Choice | None, None) for item in ATTACHMENT_ITEMS}
    return create_model("AttachmentIn", __base__=_In, **fields)
