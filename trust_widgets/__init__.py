"""Trust Workshop Kit: widgets and pages that guide couples through rebuilding trust.

Notebooks import page functions from here. Names load on first use (PEP 562), so a page
kernel pays only for the page it shows.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

__version__ = "0.1.0"

_EXPORTS = {
    "Flag": "coach",
    "IStatementCoach": "widget_istatement",
    "StepPage": "widget_shell",
    "WelcomeForms": "widget_welcome",
    "communication_page": "pages",
    "compose_statement": "coach",
    "detect_blame": "coach",
    "load_patterns": "coach",
    "placeholder_page": "pages",
    "welcome_page": "pages",
}

__all__ = [
    "Flag",
    "IStatementCoach",
    "StepPage",
    "WelcomeForms",
    "__version__",
    "communication_page",
    "compose_statement",
    "detect_blame",
    "load_patterns",
    "placeholder_page",
    "welcome_page",
]

if TYPE_CHECKING:
    from .coach import Flag, compose_statement, detect_blame, load_patterns
    from .pages import communication_page, placeholder_page, welcome_page
    from .widget_istatement import IStatementCoach
    from .widget_shell import StepPage
    from .widget_welcome import WelcomeForms


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'trust_widgets' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
