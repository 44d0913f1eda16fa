"""Pages the server refuses: the research notebooks, and new workshops from elsewhere."""

from __future__ import annotations

import pytest

from trust_widgets.server._paths import normalise, refusal


@pytest.mark.parametrize(
    "path",
    [
        "research/03_apim.ipynb",
        "/research/03_apim.ipynb",
        "./research/01_trajectories.ipynb",
        "facilitator/../research/01_trajectories.ipynb",
        "%72esearch/01_trajectories.ipynb",
        "research%2F02_partner_similarity.ipynb",
        "research",
    ],
)
def test_research_notebooks_are_refused_however_spelt(path):
    """Is every spelling of a research notebook's path refused, from anywhere?"""
    assert refusal(path, "127.0.0.1")[0] == 404


@pytest.mark.parametrize(
    "path",
    [
        "facilitator/new_workshop.ipynb",
        "facilitator//new_workshop.ipynb",
        "facilitator/./new_workshop.ipynb",
        "facilitator/../facilitator/new_workshop.ipynb",
        "facilitator%2Fnew_workshop.ipynb",
    ],
)
@pytest.mark.parametrize("client", ["192.0.2.7", "10.0.0.3", "::ffff:192.0.2.7", "", None])
def test_new_workshop_page_refuses_other_computers(path, client):
    """Can a phone on the room's Wi-Fi create a workshop, by any spelling? No: 403."""
    assert refusal(path, client)[0] == 403


@pytest.mark.parametrize("client", ["127.0.0.1", "::1", "127.0.1.1"])
def test_new_workshop_page_opens_on_this_computer(client):
    """Does the server's own computer get the new-workshop page?"""
    assert refusal("facilitator/new_workshop.ipynb", client) is None


def test_other_pages_pass():
    """Are the couples' and facilitators' pages rendered for everyone?"""
    for path in ("02_communicate_openly.ipynb", "facilitator/dashboard.ipynb", "researcher.ipynb"):
        assert refusal(path, "192.0.2.7") is None
    assert normalise("a//b/./c/../d.ipynb") == "a/b/d.ipynb"
