"""The read model's counters when two processes create the same counter at once."""
from __future__ import annotations

from pymongo.errors import DuplicateKeyError

from services.pathway.adapters.read_model import ReadModel
from shared.store.memory import memory_database


class RacingCounts:
    """The first upsert loses to another writer's insert of the same counter."""

    def __init__(self, real):
        self.real = real
        self.raced = False

    def update_one(self, flt, update, upsert=False):
        if not self.raced:
            self.raced = True
            self.real.update_one(flt, update, upsert=True)      # the other writer
            raise DuplicateKeyError("E11000 duplicate key error")
        return self.real.update_one(flt, update, upsert=upsert)

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_a_counter_created_by_two_writers_at_once_counts_both():
    rm = ReadModel(memory_database())
    real = rm.counts
    rm.counts = RacingCounts(real)
    rm._count(["k"], 1)
    assert real.find_one({"_id": "k"})["n"] == 2
