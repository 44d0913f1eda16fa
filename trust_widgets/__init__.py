"""Trust Workshop Kit: widgets and pages that guide couples through rebuilding trust.

Notebooks import page functions from here; everything else is importable from its module.
"""

from .coach import Flag, compose_statement, detect_blame, load_patterns
from .pages import communication_page, placeholder_page, welcome_page
from .widget_istatement import IStatementCoach
from .widget_shell import StepPage
from .widget_welcome import WelcomeForms

__version__ = "0.1.0"

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
