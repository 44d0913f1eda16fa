"""Trust Workshop Kit: widgets and pages that guide couples through rebuilding trust.

Notebooks import page functions from here. Names load on first use (PEP 562), so a page
kernel pays only for the page it shows.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

__version__ = "0.1.0"

_EXPORTS = {
    "BoundaryBuilder": "widget_boundaries",
    "Flag": "coach",
    "HelpPlanner": "widget_help",
    "IStatementCoach": "widget_istatement",
    "RootsReflection": "widget_roots",
    "SafetyCheck": "widget_safety",
    "StepPage": "widget_shell",
    "WelcomeForms": "widget_welcome",
    "boundaries_page": "pages",
    "communication_page": "pages",
    "compose_statement": "coach",
    "detect_blame": "coach",
    "help_page": "pages",
    "load_patterns": "coach",
    "placeholder_page": "pages",
    "roots_page": "pages",
    "safety_page": "pages",
    "welcome_page": "pages",
}

__all__ = [
    "BoundaryBuilder",
    "Flag",
    "HelpPlanner",
    "IStatementCoach",
    "RootsReflection",
    "SafetyCheck",
    "StepPage",
    "WelcomeForms",
    "__version__",
    "boundaries_page",
    "communication_page",
    "compose_statement",
    "detect_blame",
    "help_page",
    "load_patterns",
    "placeholder_page",
    "roots_page",
    "safety_page",
    "welcome_page",
]

if TYPE_CHECKING:
    from .coach import Flag, compose_statement, detect_blame, load_patterns
    from .pages import (
        boundaries_page,
        communication_page,
        help_page,
        placeholder_page,
        roots_page,
        safety_page,
        welcome_page,
    )
    from .widget_boundaries import BoundaryBuilder
    from .widget_help import HelpPlanner
    from .widget_istatement import IStatementCoach
    from .widget_roots import RootsReflection
    from .widget_safety import SafetyCheck
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
