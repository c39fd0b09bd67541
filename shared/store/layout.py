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

_decode = json.JSONDecoder().decode


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
