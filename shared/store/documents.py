"""Reading and writing several documents by `_id`, the way every backend serves fast.

FerretDB 1.24 pushes down neither `$in` nor multi-statement bulk updates: a
`find({"_id": {"$in": ids}})` or a `bulk_write` of 100 `ReplaceOne` scans the collection
per statement (over 60 s at 20,000 documents), while one `find_one`/`replace_one` by
`_id` is served by an index (≈0.4 ms, whatever the size). So: one indexed round trip
per document. Use these instead of `$in`, `bulk_write`, `update_many` or `delete_many`.
"""
from __future__ import annotations

from typing import Any, Iterable

from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError, OperationFailure


def get_many(collection: Collection, ids: Iterable[Any],
             projection: dict[str, Any] | None = None) -> dict[Any, dict[str, Any]]:
    """The documents that exist among `ids`, keyed by `_id`."""
    out: dict[Any, dict[str, Any]] = {}
    for i in dict.fromkeys(ids):
        doc = collection.find_one({"_id": i}, projection)
        if doc is not None:
            out[i] = doc
    return out


def put(collection: Collection, doc: dict[str, Any]) -> None:
    """Replace (or insert) one document by its `_id`.

    FerretDB's upsert is not atomic: when two processes insert the same new `_id` at once
    (a web process and its worker writing one read-model document), the loser gets a
    duplicate key although the document now exists; its replace is then simply done
    again, as MongoDB would have done it.
    """
    try:
        collection.replace_one({"_id": doc["_id"]}, doc, upsert=True)
    except DuplicateKeyError:
        collection.replace_one({"_id": doc["_id"]}, doc, upsert=True)


def put_many(collection: Collection, docs: Iterable[dict[str, Any]]) -> int:
    """Replace (or insert) each document by its `_id`."""
    n = 0
    for doc in docs:
        put(collection, doc)
        n += 1
    return n


def delete_many_ids(collection: Collection, ids: Iterable[Any]) -> int:
    n = 0
    for i in dict.fromkeys(ids):
        n += collection.delete_one({"_id": i}).deleted_count
    return n


CAS = "cas"
_STALE = "cri-stale-cas"     # the message of the local cluster's guard (shared/infra/postgres.py)


def swap(collection: Collection, current: dict[str, Any] | None, new: dict[str, Any]
         ) -> dict[str, Any] | None:
    """Compare-and-swap by `_id` on the write counter `cas`: insert `new` if `current`
    is None, else replace `current` if its `cas` is still the one read. Returns `new`
    as stored (with its `cas`: a writer may keep it as its next `current`), or None:
    another writer got there first (read again and redo).

    Atomic on MongoDB (the filter) and on the local FerretDB/PostgreSQL, whose guard
    trigger refuses an update that does not raise `cas` (FerretDB alone would let two
    concurrent writers both "match" and the second overwrite the first). A document
    written before it had a counter is swapped from "no counter"."""
    if current is None:
        written = {**new, CAS: 1}
        try:
            collection.insert_one(dict(written))
            return written
        except DuplicateKeyError:
            return None
    seen = current.get(CAS)
    match = {"_id": current["_id"], CAS: seen if seen is not None else {"$exists": False}}
    written = {**new, CAS: (seen or 0) + 1}
    try:
        return written if collection.replace_one(match, written).matched_count == 1 else None
    except OperationFailure as exc:
        if _STALE in str(exc):
            return None
        raise
