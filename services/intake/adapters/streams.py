"""Loading a stream by commit id, one `_id` lookup per commit.

FerretDB (the local and CI store) pushes down only `_id` equality: a query on
`stream_id`, as `CommitStore.load` does, scans the whole collection. Commit ids are
deterministic ("<stream>:<version>"), so probing them one by one costs one indexed
round trip per commit whatever the size of the store.
"""
from __future__ import annotations

from shared.store.commits import Commit, CommitStore, commit_id


def commits_after(store: CommitStore, stream_id: str, version: int = 0) -> list[Commit]:
    out: list[Commit] = []
    while (doc := store.collection.find_one({"_id": commit_id(stream_id, version + 1)})):
        out.append(store.decode(doc))
        version += 1
    return out


def exists(store: CommitStore, stream_id: str, version: int) -> bool:
    return store.collection.find_one({"_id": commit_id(stream_id, version)},
                                     {"_id": 1}) is not None
