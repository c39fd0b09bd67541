"""Erased people, remembered without their id: one tombstone per erased person.

After `PersonErased` a projection drops or blanks what held the person's id or
pseudonym. A redelivered older event must not bring it back, so each projection keeps a
tombstone — under a digest of the id, never the id itself (a person id is a random
UUID: its SHA-256 names nothing to whoever lacks the id) — and checks it only where it
would create a document for someone it does not hold yet (never on the hot path of an
existing document).
"""
from __future__ import annotations

import hashlib

from pymongo.collection import Collection

from shared.store.documents import put


def erased_id(person_id: str) -> str:
    """The id that stands for an erased person: "erased-<32 hex of SHA-256>"."""
    return "erased-" + hashlib.sha256(str(person_id).encode()).hexdigest()[:32]


class Tombstones:
    def __init__(self, collection: Collection):
        self.collection = collection

    def mark(self, person_id: str, **fields) -> str:
        key = erased_id(person_id)
        put(self.collection, {"_id": key, **fields})
        return key

    def __contains__(self, person_id: object) -> bool:
        return self.collection.find_one({"_id": erased_id(str(person_id))}, {"_id": 1}) \
            is not None
