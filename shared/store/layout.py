"""How a commit is laid out at rest: the queried fields top-level, the rest one JSON string.

FerretDB (on PostgreSQL) turns every field of every document it returns into BSON in
Go, at ≈10 µs of CPU a field: a commit with its events as nested documents cost it
≈190–210 µs to return, the same commit with `_id`, `stream_id`, `version`, `bucket` and
everything else in one JSON string ≈75–110 µs (FerretDB's CPU time per commit read by
bucket, 32 to 500 commits a bucket). So a commit is stored as

    {_id, stream_id, version, bucket, body: '{"events":[...],"recorded_at":...,
                                              "meta":{...},"prev_hash":...,"hash":...}'}

and every reader goes through `logical()`, which gives back the one shape the code
works with (`events`, `recorded_at`, `meta`, `prev_hash`, `hash` as fields). Commits
written before this layout (`events` etc. as fields, no `body`) are already logical:
both shapes load, relay and verify side by side, so there is nothing to migrate. The
hash chain covers the logical commit (`commits.hashed_body`), not the string, so a
commit's hash is the same in either shape.
"""
from __future__ import annotations

import json
from typing import Any

BODY = "body"
TOP_LEVEL = ("_id", "stream_id", "version", "bucket")    # what queries and indexes use
PACKED = ("events", "recorded_at", "meta", "prev_hash", "hash", "chain")   # chain: if keyed

SIDE_VERSION = 0          # a commit's version starts at 1

_decode = json.JSONDecoder().decode


def beside(doc: dict[str, Any]) -> dict[str, Any]:
    """A document kept in a commit collection beside the commits (intake keeps its data
    keys and pseudonym claims there, so that a registration writes them and its first
    commit in one ordered insert). Its `stream_id` is its own `_id` and its `version` 0,
    which no commit has: the (stream_id, version) unique index holds on every backend
    (MongoDB indexes a missing field as null, so two documents without them would
    collide), and every reader of commits skips it (`is_commit`). Idempotent."""
    return {**doc, "stream_id": doc["_id"], "version": SIDE_VERSION}


def is_commit(doc: dict[str, Any]) -> bool:
    """False for a document kept beside the commits (`beside`). Both marks are needed:
    a commit whose version was altered to 0 keeps its `_id` ("<stream>:<version>"),
    so the audit still sees it (and reports it)."""
    return doc.get("version") != SIDE_VERSION or doc.get("stream_id") != doc.get("_id")


def stored(doc: dict[str, Any]) -> dict[str, Any]:
    """A logical commit -> the document written (a commit without `bucket` keeps none:
    it is never relayed, e.g. one rebuilt from the topics)."""
    out = {k: doc[k] for k in TOP_LEVEL if k in doc}
    out[BODY] = json.dumps({k: doc[k] for k in PACKED if k in doc}, separators=(",", ":"),
                           ensure_ascii=False, default=str)
    return out


def logical(doc: dict[str, Any]) -> dict[str, Any]:
    """A stored commit of either layout -> events, recorded_at, meta, prev_hash and hash
    as fields. Idempotent: a logical commit is returned as it is."""
    body = doc.get(BODY)
    if body is None:
        return doc
    out = {k: doc[k] for k in TOP_LEVEL if k in doc}
    out.update(_decode(body))
    return out
