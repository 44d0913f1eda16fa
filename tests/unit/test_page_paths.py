"""Pages the server renders: the app's own, spelt exactly, and new workshops only here."""

from __future__ import annotations

import pytest

from trust_widgets.server._paths import page_kind, refusal, served_page
from trust_widgets.server.app import default_notebooks_dir
from trust_widgets.steps import served_notebooks

ROOT = default_notebooks_dir()


@pytest.mark.parametrize(
    "path",
    [
        "research/03_apim.ipynb",
        "/research/03_apim.ipynb",
        "./research/01_trajectories.ipynb",
        "facilitator/../research/01_trajectories.ipynb",
        "%72esearch/01_trajectories.ipynb",
        "research%2F02_partner_similarity.ipynb",
        "a%2Fb/../research/01_trajectories.ipynb",  # the double-encoded trick, decoded once
        "research",
    ],
)
@pytest.mark.parametrize("local", [True, False])
def test_research_notebooks_are_refused_however_spelt(path, local):
    """Is every spelling of a research notebook's path refused, from anywhere?"""
    assert refusal(path, ROOT, local=local)[0] == 404


@pytest.mark.parametrize(
    "path",
    [
        "facilitator//new_workshop.ipynb",
        "facilitator/./new_workshop.ipynb",
        "facilitator/../facilitator/new_workshop.ipynb",
        "facilitator%2Fnew_workshop.ipynb",
        "facilitator/a%2Fb/../new_workshop.ipynb",
        "facilitator\\new_workshop.ipynb",
        "/facilitator/new_workshop.ipynb",
    ],
)
@pytest.mark.parametrize("local", [True, False])
def test_odd_spellings_are_refused_outright(path, local):
    """Is a path with an encoded slash, a dot segment or an empty segment ever rendered? No."""
    assert served_page(path, ROOT) is None
    assert refusal(path, ROOT, local=local)[0] == 404


def test_new_workshop_page_refuses_other_computers():
    """Can a phone on the room's Wi-Fi create a workshop? No: 403."""
    assert refusal("facilitator/new_workshop.ipynb", ROOT, local=False)[0] == 403


def test_new_workshop_page_opens_on_this_computer():
    """Does the server's own computer get the new-workshop page?"""
    assert refusal("facilitator/new_workshop.ipynb", ROOT, local=True) is None


def test_the_app_pages_pass_and_nothing_else():
    """Are the couples' and facilitators' pages rendered for everyone, and no other file?"""
    for path in (
        "02_communicate_openly.ipynb",
        "facilitator/dashboard.ipynb",
        "safety_check.ipynb",
    ):
        assert refusal(path, ROOT, local=False) is None
    for path in ("no_such_page.ipynb", "README.md", "00_welcome.ipynb/x", "", None):
        assert refusal(path, ROOT, local=True)[0] == 404


def test_every_app_page_is_served_and_no_research_notebook(tmp_path):
    """Is every page of the app served, and is a research notebook never served?"""
    for notebook in served_notebooks():
        assert served_page(notebook, ROOT) == notebook
    for notebook in ROOT.glob("research/*.ipynb"):
        assert served_page(f"research/{notebook.name}", ROOT) is None


def test_a_link_out_of_the_folder_is_not_served(tmp_path):
    """Can a symbolic link in the served folder show a notebook from elsewhere? No."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.ipynb").write_text("{}")
    served = tmp_path / "served"
    served.mkdir()
    (served / "page.ipynb").write_text("{}")
    (served / "link.ipynb").symlink_to(tmp_path / "outside" / "secret.ipynb")
    (served / "sub").symlink_to(tmp_path / "outside", target_is_directory=True)
    assert served_page("page.ipynb", served) == "page.ipynb"
    assert served_page("link.ipynb", served) is None
    assert served_page("sub/secret.ipynb", served) is None
    assert served_page(".ipynb_checkpoints/page.ipynb", served) is None


def test_kernels_get_the_cookies_of_their_kind_of_page():
    """Which cookies reach a page's kernel? A couple's, a facilitator's, or none."""
    assert page_kind("02_communicate_openly.ipynb") == "couple"
    assert page_kind("facilitator/dashboard.ipynb") == "facilitator"
    assert page_kind("facilitator/new_workshop.ipynb") == "none"
