"""Idempotent projections: each document remembers the last stream position applied.

`StreamProjection` keeps one document per stream (aggregate). Applying a batch reads the
touched documents once, folds the new events in Python (FerretDB pushes down only
equality filters and has no rich aggregation), skips anything at or before the stored
`_seq`, and writes the changed documents in one bulk write. State and position live in
the same document, so a redelivered event can never be applied twice.
"""
from __future__ import annotations

from typing import Any, Callable

from pymongo import ReplaceOne
from pymongo.collection import Collection

from shared import metrics
from shared.events.envelope import Envelope

Evolve = Callable[[dict[str, Any] | None, Envelope], dict[str, Any] | None]


class StreamProjection:
    def __init__(self, collection: Collection, evolve: Evolve, group: str = "projection"):
        self.collection = collection
        self.evolve = evolve
        self.group = group

    def __call__(self, envelopes: list[Envelope]) -> None:
        self.apply(envelopes)

    def apply(self, envelopes: list[Envelope]) -> int:
        ids = sorted({e.subject for e in envelopes})
        docs: dict[str, dict[str, Any] | None] = {i: None for i in ids}
        for chunk in _chunks(ids, 500):
            for doc in self.collection.find({"_id": {"$in": chunk}}):
                docs[doc["_id"]] = doc
        changed: set[str] = set()
        applied = 0
        for env in envelopes:
            doc = docs[env.subject]
            if doc is not None and doc.get("_seq", "") >= env.sequence:
                metrics.DUPLICATES.labels(self.group).inc()
                continue
            state = {k: v for k, v in doc.items() if k not in ("_id", "_seq")} if doc else None
            new = self.evolve(state, env)
            if new is None:
                continue
            docs[env.subject] = {**new, "_id": env.subject, "_seq": env.sequence}
            changed.add(env.subject)
            applied += 1
        if changed:
            self.collection.bulk_write(
                [ReplaceOne({"_id": i}, docs[i], upsert=True) for i in sorted(changed)],
                ordered=False)
        return applied


def _chunks(items: list[str], size: int):
    for i in range(0, len(items), size):
        yield items[i:i + size]
