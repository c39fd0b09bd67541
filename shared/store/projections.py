"""Idempotent projections: each document remembers the last stream position applied.

`StreamProjection` keeps one document per stream (aggregate). Applying a batch reads the
touched documents by `_id`, folds the new events in Python (FerretDB pushes down only
equality filters and has no rich aggregation), skips anything at or before the stored
`_seq`, and writes each changed document back by `_id` (see `documents.py`: `$in` and
bulk writes scan on FerretDB). State and position live in
the same document, so a redelivered event can never be applied twice.

A document is one stream's by default (`_id` = the event's subject); `key` names another
document for an event (None: not this projection's), e.g. one per referral of an offer's
stream, or one per person file `<centre>:<person id>` of every centre's intake topic.
The documents of one key must come from one ordered stream (one position per document).
`evolve` returns the new state, None when the event changes nothing, or `DROP` to delete
the document (e.g. an erasure: keep the position elsewhere without the id, see
`shared.store.erasure.Tombstones`, and refuse the older events in `may_create`).
"""
from __future__ import annotations

from typing import Any, Callable

from pymongo.collection import Collection

from shared import metrics
from shared.events.envelope import Envelope
from shared.store.documents import delete_many_ids, get_many, put_many


class _Drop:
    def __repr__(self) -> str:
        return "DROP"


DROP: Any = _Drop()
"""What `evolve` returns to delete the document."""

Evolve = Callable[[dict[str, Any] | None, Envelope], dict[str, Any] | None]
Key = Callable[[Envelope], "str | None"]


def by_subject(env: Envelope) -> str:
    return env.subject


class StreamProjection:
    def __init__(self, collection: Collection, evolve: Evolve, group: str = "projection",
                 may_create: Callable[[Envelope, dict[str, Any]], bool] | None = None,
                 key: Key = by_subject):
        self.collection = collection
        self.key = key
        self.evolve = evolve
        self.group = group
        # asked only before a document is created (e.g. "was this person erased?")
        self.may_create = may_create
        self.last_changed: set[str] = set()   # ids written by the last apply()

    def __call__(self, envelopes: list[Envelope]) -> None:
        self.apply(envelopes)

    def apply(self, envelopes: list[Envelope]) -> int:
        keyed = [(k, env) for env in envelopes if (k := self.key(env)) is not None]
        ids = sorted({k for k, _ in keyed})
        docs: dict[str, dict[str, Any] | None] = {i: None for i in ids}
        stored = get_many(self.collection, ids)
        docs.update(stored)
        changed: set[str] = set()
        applied = 0
        for k, env in keyed:
            doc = docs[k]
            if doc is not None and doc.get("_seq", "") >= env.sequence:
                metrics.DUPLICATES.labels(self.group).inc()
                continue
            state = {f: v for f, v in doc.items() if f not in ("_id", "_seq")} if doc else None
            new = self.evolve(state, env)
            if new is DROP:
                if doc is not None:
                    docs[k] = None
                    changed.add(k)
                    applied += 1
                continue
            if new is None or (doc is None and self.may_create is not None
                               and not self.may_create(env, new)):
                continue
            docs[k] = {**new, "_id": k, "_seq": env.sequence}
            changed.add(k)
            applied += 1
        put_many(self.collection, (docs[i] for i in sorted(changed) if docs[i] is not None))
        delete_many_ids(self.collection, (i for i in sorted(changed)
                                          if docs[i] is None and i in stored))
        self.last_changed = changed
        return applied
