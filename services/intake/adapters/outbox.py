"""A commit store whose outbox stays cheap on FerretDB.

The shared relay asks `unpublished()` (a query on `published: false`, sorted by `_id`)
for every batch, every 50 ms when idle. FerretDB cannot push it down, so it scans the
whole commit collection and keeps the database busy in proportion to its size. Here
every append first inserts a marker (`{_id: commit id}`) into a small `pending`
collection; the relay reads the markers and fetches the commits by `_id` (the only
lookup FerretDB serves without a scan), and waits up to `gather` seconds for a batch to
form, because flagging a batch published (`$in` update) is one scan whatever its size.
The `published` flag stays the truth: a full scan still runs every `sweep_every`
seconds as a backstop, and a marker whose commit never appeared (a lost race or a
failed write) is dropped once old.
"""
from __future__ import annotations

import time
from typing import Any

from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from shared.store.commits import Commit, CommitStore, commit_id

ORPHAN_AFTER = 60.0


class OutboxCommitStore(CommitStore):
    def __init__(self, collection: Collection, registry, cipher, pending: Collection,
                 sweep_every: float = 60.0, gather: float = 0.2):
        super().__init__(collection, registry, cipher)
        self.pending = pending
        self.sweep_every = sweep_every
        self.gather = gather
        self._last_sweep = time.monotonic()

    def append(self, stream_id: str, events, expected_version: int, prev_hash=None,
               meta=None, if_match: bool = False) -> Commit:
        # Marker first: a crash after the commit's insert can never hide it. A loser of
        # a race leaves the winner's marker (same id) in place on purpose.
        cid = commit_id(stream_id, expected_version + 1)
        try:
            self.pending.insert_one({"_id": cid, "at": time.time()})
        except DuplicateKeyError:
            pass
        return super().append(stream_id, events, expected_version, prev_hash, meta, if_match)

    def unpublished(self, limit: int) -> list[dict[str, Any]]:
        if time.monotonic() - self._last_sweep > self.sweep_every:
            self._last_sweep = time.monotonic()
            return super().unpublished(limit)
        markers = sorted(self.pending.find({}), key=lambda m: m["_id"])
        if markers and len(markers) < limit and \
                time.time() - min(m.get("at", 0) for m in markers) < self.gather:
            return []     # let a batch gather: flagging it published scans the store
        docs, done = [], []
        for marker in markers:
            if len(docs) >= limit:
                break
            doc = self.collection.find_one({"_id": marker["_id"]})
            if doc is None:
                if time.time() - marker.get("at", 0) > ORPHAN_AFTER:
                    done.append(marker["_id"])
                continue
            if doc.get("published"):
                done.append(doc["_id"])
                continue
            docs.append(doc)
        if done:
            self.pending.delete_many({"_id": {"$in": done}})
        return docs

    def mark_published(self, ids: list[str]) -> None:
        # One `$in` update per batch (FerretDB updates scan the collection whatever the
        # filter, so one statement beats one per commit), then the markers go.
        super().mark_published(ids)
        if ids:
            self.pending.delete_many({"_id": {"$in": ids}})
