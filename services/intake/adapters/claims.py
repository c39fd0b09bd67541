"""One file per person and centre: a strong pseudonym is claimed by one active file.

`{_id: pseudonym, person_id}`; inserting is the atomic uniqueness check (a duplicate
key names the existing file), so two agents registering the same national number at
once cannot both succeed. Erasure and transfer out release the claim.

Weak pseudonyms (normalised names + birth date + nationality, every registration):
`{_id: "weak:<pseudonym>", person_ids: [...]}`, several files when the agent confirmed
homonyms. Nothing releases them: the caller keeps only the files still active here
(`still` below), so an erased or transferred file never blocks a registration.
"""
from __future__ import annotations

from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from shared.store.documents import put


class PseudonymClaims:
    def __init__(self, collection: Collection):
        self.collection = collection

    def claim(self, pseudonym: str, person_id: str) -> str | None:
        """None when claimed for `person_id`, else the person id holding it."""
        try:
            self.collection.insert_one({"_id": pseudonym, "person_id": person_id})
            return None
        except DuplicateKeyError:
            doc = self.collection.find_one({"_id": pseudonym}) or {}
            holder = doc.get("person_id")
            return None if holder in (None, person_id) else holder

    def holder(self, pseudonym: str) -> str | None:
        doc = self.collection.find_one({"_id": pseudonym})
        return doc["person_id"] if doc else None

    def release(self, pseudonym: str, person_id: str) -> None:
        doc = self.collection.find_one({"_id": pseudonym})
        if doc and doc.get("person_id") == person_id:
            self.collection.delete_one({"_id": pseudonym})

    def claim_weak(self, pseudonym: str, person_id: str) -> list[str]:
        """[] when `person_id` is the first file with this weak pseudonym (one insert),
        else the person ids of the files already holding it (nothing written)."""
        key = f"weak:{pseudonym}"
        try:
            self.collection.insert_one({"_id": key, "person_ids": [person_id]})
            return []
        except DuplicateKeyError:
            doc = self.collection.find_one({"_id": key}) or {}
            return [p for p in doc.get("person_ids", []) if p != person_id]

    def add_weak(self, pseudonym: str, person_id: str) -> None:
        """`person_id` holds the weak pseudonym too (a file received by transfer)."""
        holders = self.claim_weak(pseudonym, person_id)
        if holders:
            self.share_weak(pseudonym, [*holders, person_id])

    def share_weak(self, pseudonym: str, person_ids: list[str]) -> None:
        """The files holding a weak pseudonym after a confirmed homonym (or a release)."""
        key = f"weak:{pseudonym}"
        if person_ids:
            put(self.collection, {"_id": key, "person_ids": person_ids})
        else:
            self.collection.delete_one({"_id": key})
