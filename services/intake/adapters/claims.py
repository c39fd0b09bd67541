"""One file per person and centre: a strong pseudonym is claimed by one active file.

`{_id: pseudonym, person_id}`; inserting is the atomic uniqueness check (a duplicate
key names the existing file), so two agents registering the same national number at
once cannot both succeed. Erasure and transfer out release the claim.
"""
from __future__ import annotations

from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError


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
