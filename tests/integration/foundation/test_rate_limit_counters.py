"""The public routes' rate-limit counters (`shared.web.rate_limit.StoreCounters`), on
the real store (tests/unit runs the same cases too): counts shared by every process, exact
under concurrency, a new window once the old one ends."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from shared.web.rate_limit import StoreCounters

pytestmark = pytest.mark.infra


@pytest.fixture
def collection(fresh_db):      # the real store (tests/unit has the others)
    return fresh_db["rate_limits"]


class Clock:
    def __init__(self):
        self.t = 1_000_000.0

    def __call__(self):
        return self.t


def test_two_processes_count_against_one_limit(collection):
    clock = Clock()
    a = StoreCounters(collection=lambda: collection, clock=clock)
    b = StoreCounters(collection=lambda: collection, clock=clock)   # another worker
    assert [a.incr("k", 60), b.incr("k", 60), a.incr("k", 60)] == [1, 2, 3]
    assert b.get("k") == 3 and a.get("other") == 0
    assert a.get_expiry("k") == clock.t + 60


def test_the_next_window_starts_from_one(collection):
    clock = Clock()
    counters = StoreCounters(collection=lambda: collection, clock=clock)
    for _ in range(5):
        counters.incr("k", 60)
    clock.t += 61
    assert counters.get("k") == 0                 # the window ended
    assert counters.incr("k", 60) == 1
    assert counters.get_expiry("k") == clock.t + 60
    counters.clear("k")
    assert counters.get("k") == 0 and counters.check()


def test_concurrent_counts_are_exact(fresh_db):     # real store: the unit tests' is not thread-safe
    collection = fresh_db["rate_limits"]
    counters = StoreCounters(collection=lambda: collection)
    with ThreadPoolExecutor(8) as pool:
        seen = sorted(pool.map(lambda _: counters.incr("k", 60), range(80)))
    assert seen == list(range(1, 81))             # each count given once
    assert counters.get("k") == 80
