"""Per-person data keys (« clés par personne »), wrapped by the centre master key.

`{_id: person_id, wrapped: <base64 RFC 3394 wrap>, created_at, destroyed_at}`, every
document shaped by `layout.beside` (its own `_id` as `stream_id`, version 0), so that
the collection may be a commit collection: intake keeps its keys and pseudonym claims in
its commit collection (`adapters/claims.py`: a registration writes them with its first
commit in one insert); partners keep theirs in a collection of their own.
Erasure replaces the document by a tombstone under the digest of the id
(`shared.store.erasure.erased_id`: the id itself is gone from the collection), so a key
is never silently re-created for an erased person. Unwrapped keys are cached
briefly per process; erasure evicts locally, and the file's own state (PersonErased)
already refuses reads everywhere else.
"""
from __future__ import annotations

import base64
import threading
import time
from datetime import datetime, timezone

from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from shared.errors import DomainRuleViolation
from shared import crypto
from shared.store.erasure import erased_id
from shared.store.documents import put
from shared.store.layout import beside

CACHE_SECONDS = 30.0


def master_key_bytes(master_key_b64: str) -> bytes:
    if not master_key_b64:
        raise RuntimeError("CRI_MASTER_KEY is not configured: this service cannot protect personal data")
    key = base64.b64decode(master_key_b64)
    if len(key) not in (16, 24, 32):
        raise RuntimeError("CRI_MASTER_KEY must be 16, 24 or 32 bytes (base64)")
    return key


class KeyStore:
    def __init__(self, collection: Collection, master_key_b64: str):
        self.collection = collection
        self._master = master_key_bytes(master_key_b64)
        self._cache: dict[str, tuple[float, bytes | None]] = {}
        self._lock = threading.Lock()

    def get(self, person_id: str) -> bytes | None:
        """The data key, or None when there is none (destroyed or never created)."""
        now = time.monotonic()
        hit = self._cache.get(person_id)
        if hit and hit[0] > now:
            return hit[1]
        doc = self.collection.find_one({"_id": person_id})
        key = crypto.unwrap_key(doc["wrapped"], self._master) if doc and doc.get("wrapped") \
            else None
        if key is not None:
            self.remember(person_id, key)
        return key

    def get_many(self, person_ids: list[str]) -> dict[str, bytes]:
        """One `_id` lookup per key not cached (`$in` scans on FerretDB)."""
        return {p: k for p in person_ids if (k := self.get(p)) is not None}

    def new_key(self, person_id: str) -> tuple[dict, bytes]:
        """A fresh data key and the document that stores it wrapped (not written yet)."""
        key = crypto.new_data_key()
        return beside({"_id": person_id, "wrapped": crypto.wrap_key(key, self._master),
                       "created_at": datetime.now(timezone.utc), "destroyed_at": None}), key

    def create(self, person_id: str) -> bytes:
        """A key for a new person id (one insert, no lookup); DuplicateKeyError if any."""
        doc, key = self.new_key(person_id)
        self.collection.insert_one(doc)
        self.remember(person_id, key)
        return key

    def get_or_create(self, person_id: str) -> bytes:
        key = self.get(person_id)
        if key is not None:
            return key
        if self.collection.find_one({"_id": erased_id(person_id)}, {"_id": 1}):
            raise _erased_here()
        doc, key = self.new_key(person_id)
        try:
            self.collection.insert_one(doc)
        except DuplicateKeyError:
            existing = self.get(person_id)
            if existing is None:
                raise _erased_here() from None
            return existing
        self.remember(person_id, key)
        return key

    def destroy(self, person_id: str) -> bool:
        """Crypto-shred: the wrapped key is gone for good. True if a key was destroyed.

        Read and rewritten by `_id` (a `$ne` filter is not pushed down on FerretDB). Two
        erasures racing may both answer True; the key is gone either way."""
        with self._lock:
            self._cache.pop(person_id, None)
        doc = self.collection.find_one({"_id": person_id})
        if doc is None:
            return False
        destroyed = doc.get("destroyed_at") or datetime.now(timezone.utc)
        if doc.get("wrapped") is not None:   # unreadable first, then re-keyed
            self.collection.replace_one({"_id": person_id}, beside({
                **doc, "wrapped": None, "destroyed_at": destroyed}))
        put(self.collection, beside({"_id": erased_id(person_id), "wrapped": None,
                                     "created_at": doc["created_at"],
                                     "destroyed_at": destroyed}))
        self.collection.delete_one({"_id": person_id})
        return doc.get("wrapped") is not None

    def status(self, person_id: str) -> dict | None:
        doc = self.collection.find_one({"_id": person_id}, {"wrapped": 0}) or \
            self.collection.find_one({"_id": erased_id(person_id)}, {"wrapped": 0})
        return doc and {"created_at": doc["created_at"], "destroyed_at": doc.get("destroyed_at")}

    def adopt(self, legacy: Collection) -> int:
        """Move every document of a former collection here (intake kept its keys and
        claims in `keys` until its commit collection held them); idempotent, so every
        process runs it before its first use of a key. A document is copied before it is
        deleted, so no process ever finds a key in neither place."""
        moved = 0
        for doc in legacy.find({}):
            if self.collection.find_one({"_id": erased_id(str(doc["_id"]))}, {"_id": 1}):
                legacy.delete_one({"_id": doc["_id"]})   # erased meanwhile: not again
                continue
            try:
                self.collection.insert_one(beside(doc))
            except DuplicateKeyError:
                pass                                  # moved by another process
            legacy.delete_one({"_id": doc["_id"]})
            moved += 1
        return moved

    def remember(self, person_id: str, key: bytes) -> None:
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[person_id] = (time.monotonic() + CACHE_SECONDS, key)


def _erased_here() -> DomainRuleViolation:
    return DomainRuleViolation("Les données de cette personne ont été effacées ici.",
                               message_en="This person's data was erased here.")
