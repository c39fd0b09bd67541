"""An in-memory commit collection for unit tests: mongomock behind the same CommitStore.

The store code is the same; only the collection differs, and it runs the same contract
suite as FerretDB and MongoDB (tests/integration/foundation/test_commit_store_contract.py).
"""
from __future__ import annotations

import uuid

from pymongo.collection import Collection


def memory_database(name: str | None = None):
    import mongomock  # test dependency: never needed by a running service
    return mongomock.MongoClient(tz_aware=True)[name or f"mem_{uuid.uuid4().hex[:8]}"]


def memory_collection(name: str = "commits") -> Collection:
    return memory_database()[name]
