"""A commit store whose outbox stays cheap on FerretDB.

The shared relay asks `unpublished()` (a query on `published: false`, sorted by `_id`)
and `mark_published()` (an `$in` update) for every batch. FerretDB pushes neither down,
so both scan the whole commit collection, and an idle relay polling every 50 ms keeps
the database busy in proportion to its size. Here every append first drops a marker
(`{_id: commit id}`) into a small `pending` collection; the relay reads the markers and
fetches and flags commits by `_id`. The `published` flag stays the truth: a full scan
still runs every `sweep_every` seconds as a backstop, and a marker whose commit never
appeared (a lost race or a failed write) is dropped once old.
"""
from __future__ import annotations

import time
from typing import Any

from pymongo import DeleteOne, UpdateOne
from pymongo.collection import Collection

from shared.store.commits import Commit, CommitStore, commit_id

ORPHAN_AFTER = 60.0


class OutboxCommitStore(CommitStore):
    def __init__(self, collection: Collection, registry, cipher, pending: Collection,
                 sweep_every: float = 60.0):
        super().__init__(collection, registry, cipher)
        self.pending = pending
        self.sweep_every = sweep_every
        self._last_sweep = time.monotonic()

    def append(self, stream_id: str, events, expected_version: int, prev_hash=None,
               meta=None, if_match: bool = False) -> Commit:
        # Marker first: a crash after the commit's insert can never hide it. A loser of
        # a race leaves the winner's marker (same id) in place on purpose.
        cid = commit_id(stream_id, expected_version + 1)
        self.pending.replace_one({"_id": cid}, {"_id": cid, "at": time.time()}, upsert=True)
        return super().append(stream_id, events, expected_version, prev_hash, meta, if_match)

    def unpublished(self, limit: int) -> list[dict[str, Any]]:
        if time.monotonic() - self._last_sweep > self.sweep_every:
            self._last_sweep = time.monotonic()
            return super().unpublished(limit)
        markers = sorted(self.pending.find({}), key=lambda m: m["_id"])
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
            self.pending.bulk_write([DeleteOne({"_id": i}) for i in done], ordered=False)
        return docs

    def mark_published(self, ids: list[str]) -> None:
        if ids:
            self.collection.bulk_write([UpdateOne({"_id": i}, {"$set": {"published": True}})
                                        for i in ids], ordered=False)
            self.pending.bulk_write([DeleteOne({"_id": i}) for i in ids], ordered=False)
