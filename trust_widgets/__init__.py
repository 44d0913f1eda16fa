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
    "CommitmentTracker": "widget_commitments",
    "ConsentForm": "widget_consent",
    "DailyCheckIn": "widget_checkin",
    "Dashboard": "widget_dashboard",
    "FacilitatorPage": "widget_facilitator",
    "Flag": "coach",
    "HelpPlanner": "widget_help",
    "IStatementCoach": "widget_istatement",
    "NewWorkshopForm": "widget_new_workshop",
    "ProgressViews": "widget_progress",
    "RootsReflection": "widget_roots",
    "SafetyCheck": "widget_safety",
    "StepPage": "widget_shell",
    "SummaryPlan": "widget_summary",
    "WelcomeForms": "widget_welcome",
    "boundaries_page": "pages",
    "communication_page": "pages",
    "compose_statement": "coach",
    "consent_page": "pages",
    "consistency_page": "pages",
    "dashboard_page": "facilitator_pages",
    "detect_blame": "coach",
    "handouts_page": "facilitator_pages",
    "help_page": "pages",
    "load_patterns": "coach",
    "new_workshop_page": "facilitator_pages",
    "patience_page": "pages",
    "placeholder_page": "pages",
    "presenter_page": "facilitator_pages",
    "roots_page": "pages",
    "safety_page": "pages",
    "summary_page": "pages",
    "welcome_page": "pages",
}

__all__ = [
    "BoundaryBuilder",
    "CommitmentTracker",
    "ConsentForm",
    "DailyCheckIn",
    "Dashboard",
    "FacilitatorPage",
    "Flag",
    "HelpPlanner",
    "IStatementCoach",
    "NewWorkshopForm",
    "ProgressViews",
    "RootsReflection",
    "SafetyCheck",
    "StepPage",
    "SummaryPlan",
    "WelcomeForms",
    "__version__",
    "boundaries_page",
    "communication_page",
    "compose_statement",
    "consent_page",
    "consistency_page",
    "dashboard_page",
    "detect_blame",
    "handouts_page",
    "help_page",
    "load_patterns",
    "new_workshop_page",
    "patience_page",
    "placeholder_page",
    "presenter_page",
    "roots_page",
    "safety_page",
    "summary_page",
    "welcome_page",
]

if TYPE_CHECKING:
    from .coach import Flag, compose_statement, detect_blame, load_patterns
    from .facilitator_pages import (
        dashboard_page,
        handouts_page,
        new_workshop_page,
        presenter_page,
    )
    from .pages import (
        boundaries_page,
        communication_page,
        consent_page,
        consistency_page,
        help_page,
        patience_page,
        placeholder_page,
        roots_page,
        safety_page,
        summary_page,
        welcome_page,
    )
    from .widget_boundaries import BoundaryBuilder
    from .widget_checkin import DailyCheckIn
    from .widget_commitments import CommitmentTracker
    from .widget_consent import ConsentForm
    from .widget_dashboard import Dashboard
    from .widget_facilitator import FacilitatorPage
    from .widget_help import HelpPlanner
    from .widget_istatement import IStatementCoach
    from .widget_new_workshop import NewWorkshopForm
    from .widget_progress import ProgressViews
    from .widget_roots import RootsReflection
    from .widget_safety import SafetyCheck
    from .widget_shell import StepPage
    from .widget_summary import SummaryPlan
    from .widget_welcome import WelcomeForms


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'trust_widgets' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
