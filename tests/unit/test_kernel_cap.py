"""The kernel cap and the page line: fair, bounded waits; kernels free their place; light pages."""

from __future__ import annotations

import asyncio
import copy
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from voila.tornado.handler import TornadoVoilaHandler
from voila.voila_kernel_manager import voila_kernel_manager_factory

from tests.conftest import make_couple
from trust_widgets.safety import QUESTIONS, save_screen
from trust_widgets.server._room import (
    MIN_KERNELS,
    NO_FIGURES,
    check_preheat,
    default_max_kernels,
    lighter_pages,
)
from trust_widgets.server.app import WorkshopVoila, workshop_config
from trust_widgets.server.kernels import (
    CappedKernelManager,
    RoomBusy,
    Slots,
    SlotsClosed,
)
from trust_widgets.server.page_handler import BUSY, PageHandler
from trust_widgets.steps import STEPS


def _in_thread(coro):
    """Run ``coro`` on its own loop in a new thread: earlier tests may leave a loop running."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def run(coro):
    return _in_thread(asyncio.wait_for(coro, 30))  # bounded, whatever goes wrong


def test_places_are_free_up_to_the_limit():
    """Does a request get a place at once while one is free, and count it?"""

    async def go():
        slots = Slots(2)
        await slots.acquire()
        await slots.acquire(page=False)
        return slots.used

    assert run(go()) == 2


def test_a_page_waits_for_a_place_and_gets_the_next_one():
    """Does a page beyond the limit wait, and start as soon as a place is given back?"""

    async def go():
        slots = Slots(1)
        await slots.acquire()
        waiter = asyncio.create_task(slots.acquire(timeout=10))
        await asyncio.sleep(0.05)
        assert not waiter.done() and slots.waiting == 1
        slots.release()
        await waiter
        return slots.used

    assert run(go()) == 1


def test_a_page_gives_up_after_the_wait_limit_and_leaves_the_queue():
    """Does a page that waited too long get RoomBusy, without keeping a place or a turn?"""

    async def go():
        slots = Slots(1)
        await slots.acquire()
        with pytest.raises(RoomBusy):
            await slots.acquire(timeout=0.05)
        assert slots.waiting == 0
        slots.release()
        return slots.used

    assert run(go()) == 0


def test_a_page_whose_browser_left_gives_up_its_turn():
    """If a waiting page is cancelled (its browser left), does the next one get the place?"""

    async def go():
        slots = Slots(1)
        await slots.acquire()
        gone = asyncio.create_task(slots.acquire(timeout=10))
        nxt = asyncio.create_task(slots.acquire(timeout=10))
        await asyncio.sleep(0.01)
        gone.cancel()
        slots.release()
        await nxt
        return gone.cancelled(), slots.used, slots.waiting

    assert run(go()) == (True, 1, 0)


def test_pages_go_first_come_first_served_and_before_pool_refills():
    """Do waiting pages get places in arrival order, and before an earlier pool refill?"""

    async def go():
        slots, order = Slots(1), []
        await slots.acquire()

        async def want(name: str, page: bool) -> None:
            await slots.acquire(page=page, timeout=None)
            order.append(name)

        tasks = []
        for name, page in [("pool", False), ("page1", True), ("page2", True)]:
            tasks.append(asyncio.create_task(want(name, page)))
            await asyncio.sleep(0.01)
        for _ in range(3):
            slots.release()
            await asyncio.sleep(0.01)
        await asyncio.gather(*tasks)
        return order

    assert run(go()) == ["page1", "page2", "pool"]


def test_no_limit_never_waits():
    """Does a limit of 0 let every request through at once?"""

    async def go():
        slots = Slots(0)
        await asyncio.gather(*(slots.acquire(timeout=0.01) for _ in range(100)))
        return slots.used

    assert run(go()) == 100


def test_closing_fails_the_waiting_and_refuses_new_requests():
    """When the server stops, do waiting pool refills end instead of starting kernels?"""

    async def go():
        slots = Slots(1)
        await slots.acquire()
        waiter = asyncio.create_task(slots.acquire(page=False))
        await asyncio.sleep(0.01)
        slots.close()
        with pytest.raises(SlotsClosed):
            await waiter
        with pytest.raises(SlotsClosed):
            await slots.acquire()

    run(go())


def test_a_negative_limit_is_refused():
    """Is a negative cap a clear error rather than a silent 'no cap'?"""
    with pytest.raises(ValueError, match="0"):
        Slots(-1)
    with pytest.raises(ValueError, match="0 or more"):
        workshop_config("sqlite://", max_kernels=-1)


def test_config_uses_the_capped_manager_with_and_without_preheat():
    """Does the server config install the capped manager, also under Voilà's preheat pool?"""
    c = workshop_config("sqlite://", max_kernels=7, preheat=1)
    assert c.VoilaConfiguration.multi_kernel_manager_class is CappedKernelManager
    assert c.CappedKernelManager.max_kernels == 7
    for preheat in (False, True):
        cls = voila_kernel_manager_factory(CappedKernelManager, preheat, 1)
        assert issubclass(cls, CappedKernelManager)
    # The page handler relies on Voilà 0.5's pool attribute and preheat test hook.
    assert hasattr(TornadoVoilaHandler, "should_use_rendered_notebook")
    assert issubclass(PageHandler, TornadoVoilaHandler) and "reload" in BUSY
    assert WorkshopVoila.init_handlers is not None


def test_real_kernels_wait_for_a_place_and_free_it_on_shutdown(tmp_path):
    """With a cap of 1, does a second real kernel start only after the first stops?"""

    async def go():
        km = CappedKernelManager(max_kernels=1, wait_timeout=60, connection_dir=str(tmp_path))
        try:
            first = await km.start_kernel(kernel_name="python3")
            second = asyncio.create_task(km.start_kernel(kernel_name="python3"))
            await asyncio.sleep(0.5)
            assert not second.done() and km.slots.used == 1
            await km.shutdown_kernel(first)
            other = await second
            assert km.list_kernel_ids() == [other] and km.slots.used == 1
            with pytest.raises(RoomBusy):
                km.wait_timeout = 0.2
                await km.start_kernel(kernel_name="python3")
            await km.shutdown_kernel(other)
            return km.slots.used
        finally:
            await km.shutdown_all()

    assert _in_thread(asyncio.wait_for(go(), 90)) == 0


def test_partner_pages_leave_out_plotlys_extension():
    """Do partner pages skip Plotly's 4.8 MB extension (step 6 included, whose figures tw.js
    draws), and facilitators' pages with figures keep it?"""
    names = ["jupyterlab-plotly", "@jupyter-widgets/jupyterlab-manager"]
    config = {"federated_extensions": [{"name": n} for n in names]}
    for notebook in ("04_consistency.ipynb", "06_patience.ipynb", "07_summary.ipynb"):
        light = lighter_pages(copy.deepcopy(config), notebook_path=notebook)
        assert [e["name"] for e in light["federated_extensions"]] == names[1:]
    for notebook in ("facilitator/dashboard.ipynb", "facilitator/presenter.ipynb"):
        assert lighter_pages(copy.deepcopy(config), notebook_path=notebook) == config


def test_pages_leave_out_extensions_they_do_not_use():
    """Does an extension installed beside the kit (anywidget, a theme) reach the pages? No."""
    names = ["anywidget", "jupyterlab_pygments", "@jupyter-widgets/jupyterlab-manager",
             "@voila-dashboards/widgets-manager8", "jupyterlab-plotly"]  # fmt: skip
    config = {"federated_extensions": [{"name": n} for n in names]}
    pages = (
        ("00_welcome.ipynb", names[2:4]),
        ("06_patience.ipynb", names[2:4]),  # its figures are drawn by tw.js
        ("facilitator/dashboard.ipynb", names[2:]),
    )
    for notebook, kept in pages:
        page = lighter_pages(copy.deepcopy(config), notebook_path=notebook)
        assert [e["name"] for e in page["federated_extensions"]] == kept
    assert {s.notebook for s in STEPS} | {
        "safety_check.ipynb",
        "research_consent.ipynb",
    } == NO_FIGURES


def test_a_preheated_pool_that_would_fill_the_cap_is_refused(tmp_path):
    """Is a pool as large as the cap refused with a clear message, and a smaller one allowed?"""
    for name in ("00_welcome.ipynb", "04_consistency.ipynb", "facilitator/dashboard.ipynb"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("{}")
    with pytest.raises(ValueError, match="--preheat 2 keeps 4 kernels"):
        check_preheat(tmp_path, 2, 4)  # the facilitator's page gets no pool
    check_preheat(tmp_path, 2, 5)
    check_preheat(tmp_path, 2, 0)  # no cap


def test_the_suggested_cap_follows_memory_and_has_a_floor():
    """Does the suggested cap grow with memory per kernel, and never drop below the minimum?"""
    assert default_max_kernels() >= default_max_kernels(mib_per_kernel=160) >= MIN_KERNELS
    assert default_max_kernels(mib_per_kernel=10**9) == MIN_KERNELS


# Builds every figure-free page for a signed-in partner past the safety check, in a fresh
# interpreter, and reports whether plotly got imported.
_BUILD_PAGES = """
import sys
from trust_widgets import pages
for build in ("welcome_page", "roots_page", "communication_page", "boundaries_page",
              "consistency_page", "help_page", "safety_page"):
    getattr(pages, build)()
print("plotly" in sys.modules)
"""


def test_figure_free_pages_do_not_import_plotly(engine, tmp_path):
    """Does any partner page but step 6 import plotly? (It would slow every step.)"""
    couple = make_couple(engine)
    save_screen(engine, couple.a.partner_id, {q.key: "no" for q in QUESTIONS})
    env = os.environ | {
        "TRUST_WIDGETS_DB": engine.url.render_as_string(hide_password=False),
        "HTTP_COOKIE": f"tw_tokens={couple.a_token}; tw_active=0",
    }
    done = subprocess.run(
        [sys.executable, "-c", _BUILD_PAGES], env=env, capture_output=True, text=True,
        timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "False"
