"""Input validation: pydantic models and the messages users see."""

import pytest
from pydantic import ValidationError

from trust_widgets.schemas import IStatementIn, JoinRequest, LocalStart, field_errors


def errors_of(model, **data) -> dict[str, str]:
    with pytest.raises(ValidationError) as info:
        model(**data)
    return field_errors(info.value)


def test_names_are_trimmed_and_limited():
    """Are names stripped, required, and at most 40 characters?"""
    assert LocalStart(name_a="  Ana ", name_b="Ben").name_a == "Ana"
    assert errors_of(LocalStart, name_a="   ", name_b="x" * 41) == {
        "name_a": "Please fill this in.",
        "name_b": "Please keep this under 40 characters.",
    }


def test_statement_limits_and_visibility():
    """Does an I-statement need a feeling and a situation, and a known visibility?"""
    errs = errors_of(IStatementIn, feel="", when="", visibility="public")
    assert set(errs) == {"feel", "when", "visibility"}
    assert IStatementIn(feel="sad", when="now").visibility == "private"


def test_unexpected_fields_are_refused():
    """Is an extra field refused rather than silently stored?"""
    assert "author_id" in errors_of(JoinRequest, code="ABCD-EFGH", name="Ana", author_id=3)


def test_messages_never_echo_input():
    """Do error messages leave the user's text out, so they are safe in HTML?"""
    errs = errors_of(IStatementIn, feel="<script>" * 50, when="")
    assert all("<script>" not in m for m in errs.values())
