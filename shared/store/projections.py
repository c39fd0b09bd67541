"""Idempotent projections: each document remembers the last stream position applied.

`StreamProjection` keeps one document per stream (aggregate). Applying a batch reads the
touched documents by `_id`, folds the new events in Python (FerretDB pushes down only
equality filters and has no rich aggregation), skips anything at or before the stored
`_seq`, and writes each changed document back by `_id` (see `documents.py`: `$in` and
bulk writes scan on FerretDB). State and position live in
the same document, so a redelivered event can never be applied twice.
"""
from __future__ import annotations

from typing import Any, Callable

from pymongo.collection import Collection

from shared import metrics
from shared.events.envelope import Envelope
from shared.store.documents import get_many, put_many

Evolve = Callable[[dict[str, Any] | None, Envelope], dict[str, Any] | None]


class StreamProjection:
    def __init__(self, collection: Collection, evolve: Evolve, group: str = "projection",
                 may_create: Callable[[Envelope, dict[str, Any]], bool] | None = None):
        self.collection = collection
        self.evolve = evolve
        self.group = group
        # asked only before a document is created (e.g. "was this person erased?")
        self.may_create = may_create
        self.last_changed: set[str] = set()   # ids written by the last apply()

    def __call__(self, envelopes: list[Envelope]) -> None:
        self.apply(envelopes)

    def apply(self, envelopes: list[Envelope]) -> int:
        ids = sorted({e.subject for e in envelopes})
        docs: dict[str, dict[str, Any] | None] = {i: None for i in ids}
        docs.update(get_many(self.collection, ids))
        changed: set[str] = set()
        applied = 0
        for env in envelopes:
            doc = docs[env.subject]
            if doc is not None and doc.get("_seq", "") >= env.sequence:
                metrics.DUPLICATES.labels(self.group).inc()
                continue
            state = {k: v for k, v in doc.items() if k not in ("_id", "_seq")} if doc else None
            new = self.evolve(state, env)
            if new is None or (doc is None and self.may_create is not None
                               and not self.may_create(env, new)):
                continue
            docs[env.subject] = {**new, "_id": env.subject, "_seq": env.sequence}
            changed.add(env.subject)
            applied += 1
        put_many(self.collection, (docs[i] for i in sorted(changed)))
        self.last_changed = changed
        return applied
