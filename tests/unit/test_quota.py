"""The kernel book: whose each page kernel is, and how many kernels a client may hold."""

from __future__ import annotations

from trust_widgets.server._quota import WINDOW_SECONDS, KernelBook


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_client_holds_at_most_its_limit_and_a_stopped_kernel_frees_its_place():
    """Is a client refused past its limit, and let in again once a connected kernel stops?"""
    clock = Clock()
    book = KernelBook(limits={"device": 2}, clock=clock)
    a, b = book.reserve({"device": "d"}, "o"), book.reserve({"device": "d"}, "o")
    a.bind("k1")
    b.bind("k2")
    assert book.reserve({"device": "d"}, "o") is None
    assert book.reserve({"device": "other"}, "o") is not None
    book.connected("k1")
    book.stopped("k1")
    assert book.reserve({"device": "d"}, "o") is not None


def test_kernels_nobody_connected_to_count_for_a_minute_after_they_stop():
    """Can a client that never opens its pages start more than its limit a minute? No."""
    clock = Clock()
    book = KernelBook(limits={"address": 1}, clock=clock)
    book.reserve({"address": "a"}, "o").bind("k1")
    book.stopped("k1")  # stopped after CONNECT_SECONDS, never connected
    clock.now += WINDOW_SECONDS - 1
    assert book.reserve({"address": "a"}, "o") is None
    clock.now += 2
    assert book.reserve({"address": "a"}, "o") is not None


def test_a_cancelled_reservation_gives_its_place_back():
    """Does a page that started no kernel keep a place? No."""
    book = KernelBook(limits={"device": 1})
    place = book.reserve({"device": "d"}, "o")
    place.cancel()
    assert book.reserve({"device": "d"}, "o") is not None


def test_owners():
    """Is a kernel's owner the one recorded, and a kernel of no page nobody's?"""
    book = KernelBook()
    book.reserve({}, "alice").bind("k1")
    assert book.is_owner("k1", "alice")
    assert not book.is_owner("k1", "ben")
    assert not book.is_owner("pool-kernel", "alice")
    book.stopped("k1")
    assert not book.is_owner("k1", "alice")


def test_zero_means_no_limit():
    """Does a limit of 0 lift the quota?"""
    book = KernelBook(limits={"device": 0})
    assert all(book.reserve({"device": "d"}, "o") for _ in range(50))


def test_a_page_that_says_it_is_loading_is_noted_until_it_connects():
    """Does the book remember that a kernel's page is loading, only until it connects?"""
    book = KernelBook()
    place = book.reserve({"device": "d"}, owner="o")
    place.bind("k1")
    assert not book.is_loading("k1")
    book.loading("k1")
    book.loading("unknown")  # a kernel of no page: nothing to note
    assert book.is_loading("k1") and not book.is_loading("unknown")
    book.connected("k1")
    assert not book.is_loading("k1")
