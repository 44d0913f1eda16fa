"""Validation for step 5's readiness reflection.

Imported by :meth:`trust_widgets.widget_help.HelpPlanner.save` only, never with the page:
pydantic is a large share of a page kernel's memory.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

# The same values as widget_help.CHOICES; a unit test keeps the two in step.
Choice = Literal["not-now", "maybe", "yes"]


class ReadinessIn(BaseModel):
    """What professional help could do, in the guide's three areas, and a private note."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    hurt: Choice
    communication: Choice
    connection: Choice
    note: str = Field(default="", max_length=2000)
