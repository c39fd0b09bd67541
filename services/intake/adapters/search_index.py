"""Name search over a blind index (« recherche par nom »), names never stored in clear.

Search tokens of the name (`domain.privacy`: trigrams, prefixes, words) are HMAC'd with
a key derived from the centre master key. Postings `{_id: blind token, ids: [...]}`
answer a query by `_id` lookups only (FerretDB pushes nothing else down); a per-person
document `{_id: "p:<person_id>", tokens}` lets erasure and transfer remove every trace.
Candidates are re-checked on the decrypted name by the caller (trigram sets
over-approximate).
"""
from __future__ import annotations

import base64

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pymongo import UpdateOne
from pymongo.collection import Collection

from services.intake.domain import privacy


def blind_key(master_key_b64: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"cri-intake",
                info=b"blind-index/v1").derive(base64.b64decode(master_key_b64))


class SearchIndex:
    def __init__(self, collection: Collection, master_key_b64: str):
        self.collection = collection
        self._key = blind_key(master_key_b64)

    def _blind(self, tokens: set[str]) -> list[str]:
        return sorted(privacy.blind_index(t, self._key) for t in tokens)

    def index(self, person_id: str, name: str) -> None:
        """(Re)index a person's name; idempotent."""
        self.remove(person_id)
        tokens = self._blind(privacy.search_tokens(name))
        ops = [UpdateOne({"_id": t}, {"$addToSet": {"ids": person_id}}, upsert=True)
               for t in tokens]
        ops.append(UpdateOne({"_id": f"p:{person_id}"}, {"$set": {"tokens": tokens}},
                             upsert=True))
        self.collection.bulk_write(ops, ordered=False)

    def remove(self, person_id: str) -> None:
        doc = self.collection.find_one({"_id": f"p:{person_id}"})
        if not doc:
            return
        ops = [UpdateOne({"_id": t}, {"$pull": {"ids": person_id}}) for t in doc["tokens"]]
        self.collection.bulk_write(ops, ordered=False)
        self.collection.delete_one({"_id": f"p:{person_id}"})

    def candidates(self, query: str) -> set[str]:
        wanted = self._blind(privacy.query_tokens(query))
        found: set[str] | None = None
        for token in wanted:
            doc = self.collection.find_one({"_id": token}) or {"ids": []}
            found = set(doc["ids"]) if found is None else found & set(doc["ids"])
            if not found:
                return set()
        return found or set()
