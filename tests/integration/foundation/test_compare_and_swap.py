"""Compare-and-swap by `_id` (`shared.store.documents.swap`) holds under concurrency on
the real store (tests/unit runs the single-threaded cases too): FerretDB alone lets two
concurrent writers of a document both "match" (it applies updates to what it read), so
the local cluster's guard trigger refuses an update that does not raise `cas`. The pathway read model's
counters, written by several threads and processes at once, count every change once."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from services.pathway.adapters.read_model import TREE_DOC, ReadModel, tree_counts_of
from shared.store.documents import swap

pytestmark = pytest.mark.infra
WRITERS, EACH = 8, 25


@pytest.fixture
def db(fresh_db):      # the real store (tests/unit has the others)
    return fresh_db


def _add_one(coll) -> int:
    tries = 0
    while True:
        tries += 1
        doc = coll.find_one({"_id": "k"})
        if swap(coll, doc, {"_id": "k", "n": (doc["n"] if doc else 0) + 1}):
            return tries


# The concurrent cases run on the real store only: the unit tests' store is not
# thread-safe itself.
def test_concurrent_swaps_each_count_once(fresh_db):
    coll = fresh_db["counters"]
    with ThreadPoolExecutor(WRITERS) as pool:
        tries = list(pool.map(lambda _: _add_one(coll), range(WRITERS * EACH)))
    doc = coll.find_one({"_id": "k"})
    assert doc["n"] == WRITERS * EACH and doc["cas"] == WRITERS * EACH
    assert sum(tries) >= WRITERS * EACH


def test_a_document_written_before_it_had_a_counter_is_swapped_once(db):
    coll = db["legacy"]
    coll.insert_one({"_id": "k", "n": 10})
    old = coll.find_one({"_id": "k"})
    assert swap(coll, old, {"_id": "k", "n": 11})
    assert not swap(coll, old, {"_id": "k", "n": 11})      # stale: the counter moved
    assert coll.find_one({"_id": "k"}) == {"_id": "k", "n": 11, "cas": 1}


def test_the_read_models_counters_under_concurrent_writers(fresh_db):
    rm = ReadModel(fresh_db)
    rm.ensure_indexes()
    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(lambda i: rm._count(["dq:2026", "st:open"], 1 if i % 4 else -1),
                      range(WRITERS * EACH)))
    expected = WRITERS * EACH // 4 * 3 - WRITERS * EACH // 4
    assert tree_counts_of(rm.counts.find_one({"_id": TREE_DOC + "dq"})) == {"dq:2026": expected}
    assert rm.counts.find_one({"_id": "st:open"})["n"] == expected
