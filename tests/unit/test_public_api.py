"""The package's public surface, checked the way httpx checks its ``__all__``."""

import trust_widgets

EXPECTED = {
    "ConsentForm",
    "consent_page",
    "Dashboard",
    "FacilitatorPage",
    "NewWorkshopForm",
    "dashboard_page",
    "handouts_page",
    "new_workshop_page",
    "presenter_page",
    "CommitmentTracker",
    "DailyCheckIn",
    "ProgressViews",
    "SummaryPlan",
    "consistency_page",
    "patience_page",
    "summary_page",
    "BoundaryBuilder",
    "Flag",
    "SafetyCheck",
    "HelpPlanner",
    "RootsReflection",
    "help_page",
    "roots_page",
    "boundaries_page",
    "safety_page",
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
}


def test_all_is_curated_and_sorted():
    """Is __all__ exactly the curated list, sorted, with every name importable?"""
    assert set(trust_widgets.__all__) == EXPECTED
    assert trust_widgets.__all__ == sorted(trust_widgets.__all__)
    for name in trust_widgets.__all__:
        assert getattr(trust_widgets, name) is not None


def test_public_names_say_where_they_live():
    """Does every public class and function come from a trust_widgets module?"""
    for name in trust_widgets.__all__:
        obj = getattr(trust_widgets, name)
        if callable(obj):
            assert obj.__module__.startswith("trust_widgets."), name


def test_every_export_is_listed_in_all():
    """Does the lazy export table name exactly what __all__ promises?"""
    assert set(trust_widgets._EXPORTS) | {"__version__"} == set(trust_widgets.__all__)
