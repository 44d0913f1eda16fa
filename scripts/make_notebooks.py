"""Write the thin workshop notebooks from one table, so they stay uniform.

Run ``python scripts/make_notebooks.py`` after adding a page function; commit the result.
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from trust_widgets.steps import CONSENT_NOTEBOOK, SAFETY_NOTEBOOK, STEPS

CALLS = {
    0: "welcome_page()",
    1: "roots_page()",
    2: "communication_page()",
    3: "boundaries_page()",
    4: "consistency_page()",
    5: "help_page()",
    6: "patience_page()",
    7: "summary_page()",
}
OUT = Path(__file__).resolve().parents[1] / "notebooks"
# The facilitator's pages: (notebook, call, title). They open only with a facilitator key.
FACILITATOR = (
    ("dashboard.ipynb", "dashboard_page()", "Facilitator dashboard"),
    ("presenter.ipynb", "presenter_page()", "Presenter view"),
    ("handouts.ipynb", "handouts_page()", "Handouts"),
    ("new_workshop.ipynb", "new_workshop_page()", "New workshop"),
)


def write(path: Path, call: str, title: str, cell_id: str) -> None:
    name = call.split("(")[0]
    nb = new_notebook(
        cells=[new_code_cell(f"from trust_widgets import {name}\n\n{call}")],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
            "title": f"Trust Workshop: {title}",
        },
    )
    nb.cells[0].id = cell_id  # stable ids keep diffs quiet
    nbformat.write(nb, path)


def main() -> None:
    write(OUT / SAFETY_NOTEBOOK, "safety_page()", "Safety check", "page-safety")
    write(OUT / CONSENT_NOTEBOOK, "consent_page()", "Research consent", "page-consent")
    for s in STEPS:
        call = CALLS.get(s.number, f"placeholder_page({s.number})")
        write(OUT / s.notebook, call, s.title, f"page-{s.number}")
    (OUT / "facilitator").mkdir(exist_ok=True)
    for notebook, call, title in FACILITATOR:
        cell = "facilitator-" + notebook.removesuffix(".ipynb").replace("_", "-")
        write(OUT / "facilitator" / notebook, call, title, cell)


if __name__ == "__main__":
    main()
