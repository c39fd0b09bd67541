"""The read model's counters when two processes create or move the same counter at once:
the loser of a compare-and-swap reads again and counts on top of the winner."""
from __future__ import annotations

from pymongo.errors import DuplicateKeyError, OperationFailure

from services.pathway.adapters.read_model import ReadModel
from shared.store.memory import memory_database


class RacingCounts:
    """Our first write of a counter loses to another writer's write of the same one."""

    def __init__(self, real, stale_error: bool = False):
        self.real = real
        self.stale_error = stale_error      # FerretDB's guard trigger, else a lost filter
        self.raced = False

    def insert_one(self, doc):
        if not self.raced:
            self.raced = True
            self.real.insert_one({**doc, "n": 1})                  # the other writer
            raise DuplicateKeyError("E11000 duplicate key error")
        return self.real.insert_one(doc)

    def replace_one(self, flt, doc, *a, **k):
        if not self.raced:
            self.raced = True
            self.real.replace_one({"_id": flt["_id"]}, {**doc, "n": doc["n"] + 4,
                                                        "cas": doc["cas"]})  # another +5
            if self.stale_error:
                raise OperationFailure("ERROR: cri-stale-cas: 3 is not above 3 (SQLSTATE 40001)")
        return self.real.replace_one(flt, doc, *a, **k)

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_a_counter_created_by_two_writers_at_once_counts_both():
    rm = ReadModel(memory_database())
    real = rm.counts
    rm.counts = RacingCounts(real)
    rm._count(["k"], 1)
    assert real.find_one({"_id": "k"})["n"] == 2


def test_a_counter_moved_on_meanwhile_is_counted_on_top_of_it():
    for stale_error in (False, True):     # MongoDB's filter misses / FerretDB's guard refuses
        rm = ReadModel(memory_database())
        rm._count(["k"], 1)
        real = rm.counts
        rm.counts = RacingCounts(real, stale_error)
        rm._count(["k"], 1)
        doc = real.find_one({"_id": "k"})
        assert (doc["n"], doc["cas"]) == (1 + 5 + 1, 3), stale_error
