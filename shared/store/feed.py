"""The relay's feed: which commits await the broker, found by equality on an index.

Why buckets: the commit collection is the outbox, but FerretDB pushes down neither
range filters nor multi-document updates, and a per-commit `update_one` to mark a commit
published costs a round trip each (≈2,500 commits/s, a tenth of a raw producer). So each
commit carries `bucket` = the 200 ms slot in which it was written, and the relay keeps
one checkpoint per open bucket (the ids it has handled) plus a frontier (every bucket
below it is closed: fully published). Reading a bucket is one equality query whose cost
is that bucket's size, whatever the store holds. A bucket is read while young, and
closed `GRACE` seconds after its end once a count shows nothing arrived late. A writer
whose insert took longer than `LATE_AFTER` (it may have missed the close) also reports
its commit in the small `late` collection, which the relay reads every cycle.
"""
from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Any, Callable

from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from shared.store.layout import logical

BUCKET_SECONDS = 0.2
GRACE = 5.0
LATE_AFTER = GRACE / 2
GRACE_BUCKETS = int(GRACE / BUCKET_SECONDS) + 1


def bucket_of(t: float) -> int:
    return int(t / BUCKET_SECONDS)


class RelayFeed:
    def __init__(self, commits: Collection, clock: Callable[[], float] = time.time):
        db = commits.database
        self.commits = commits
        self.clock = clock
        self.checkpoints = db[f"{commits.name}_relay"]
        self.late = db[f"{commits.name}_late"]
        self.quarantine_collection = db[f"{commits.name}_quarantine"]

    def ensure_ready(self) -> None:
        """The bucket index and a frontier just before now (before any append of this
        process, so no commit can fall below it)."""
        self.commits.create_index("bucket", name="relay_bucket")
        try:
            self.checkpoints.insert_one({"_id": "frontier",
                                         "bucket": bucket_of(self.clock()) - 1})
        except DuplicateKeyError:
            pass

    # -- the relay's state ---------------------------------------------------------
    def state(self) -> tuple[int, dict[int, set[str]]]:
        """(frontier, ids handled per bucket). A checkpoint below the frontier is what a
        crash left between closing and deleting: the relay deletes it at its next close."""
        frontier = self.checkpoints.find_one({"_id": "frontier"})
        if frontier is None:
            self.ensure_ready()
            frontier = self.checkpoints.find_one({"_id": "frontier"})
        handled = {doc["bucket"]: set(doc["ids"]) for doc in self.checkpoints.find({})
                   if doc["_id"] != "frontier"}
        return frontier["bucket"], handled

    def read(self, bucket: int) -> list[dict[str, Any]]:
        """The bucket's commits (logical layout), in (stream, version) order."""
        return sorted(map(logical, self.commits.find({"bucket": bucket})),
                      key=lambda d: (d["stream_id"], d["version"]))

    def count(self, bucket: int) -> int:
        return self.commits.count_documents({"bucket": bucket})

    def record(self, bucket: int, ids: set[str]) -> None:
        key = f"b:{bucket}"
        self.checkpoints.replace_one({"_id": key}, {"_id": key, "bucket": bucket,
                                                    "ids": sorted(ids)}, upsert=True)

    def close(self, frontier: int, closed: list[int]) -> None:
        """Every bucket below `frontier` is published; `closed`: their checkpoints."""
        self.checkpoints.replace_one({"_id": "frontier"},
                                     {"_id": "frontier", "bucket": frontier}, upsert=True)
        for b in closed:
            self.checkpoints.delete_one({"_id": f"b:{b}"})

    # -- late inserts --------------------------------------------------------------
    def report_late(self, doc: dict[str, Any]) -> None:
        self.late.replace_one({"_id": doc["_id"]}, {"_id": doc["_id"], "bucket": doc["bucket"]},
                              upsert=True)

    def late_reports(self) -> list[dict[str, Any]]:
        return list(self.late.find({}))

    def clear_late(self, commit_id: str) -> None:
        self.late.delete_one({"_id": commit_id})

    # -- quarantine ----------------------------------------------------------------
    def quarantine(self, doc: dict[str, Any], error: str) -> None:
        self.quarantine_collection.replace_one(
            {"_id": doc["_id"]},
            {"_id": doc["_id"], "stream_id": doc["stream_id"], "version": doc["version"],
             "bucket": doc["bucket"], "error": error[:2000],
             "at": datetime.now(timezone.utc).isoformat()}, upsert=True)

    def quarantined(self) -> list[dict[str, Any]]:
        return sorted(self.quarantine_collection.find({}), key=lambda d: d["_id"])

    # -- inspection ----------------------------------------------------------------
    def backlog(self) -> int:
        """Commits stored and not yet handled (tests, `cri status`, the pending gauge):
        one count per open bucket, so it costs what the open buckets hold."""
        frontier, handled = self.state()
        now = bucket_of(self.clock())
        pending = sum(max(0, self.count(b) - len(handled.get(b, ())))
                      for b in range(frontier, now + 1))
        return pending + sum(1 for r in self.late_reports() if r["bucket"] < frontier)
