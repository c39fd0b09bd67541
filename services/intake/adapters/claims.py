"""One file per person and centre: a strong pseudonym is claimed by one active file.

`{_id: "claim:<pseudonym>", person_id}`; inserting is the atomic uniqueness check (a
duplicate key names the existing file), so two agents registering the same national
number at once cannot both succeed. Erasure and transfer out release the claim.

Why in the key store's collection: a registration writes the new file's claim and its
data key in **one ordered insert** — one round trip and one PostgreSQL transaction
instead of two (measured on FerretDB: two documents cost what one does). The claim comes
first, so a refused claim writes no key; the key exists before the commit that needs it.
Claims written by earlier versions in their own `claims` collection are moved here once
(`adopt`).
"""
from __future__ import annotations

from pymongo.collection import Collection
from pymongo.errors import BulkWriteError, DuplicateKeyError

from shared.errors import ConcurrencyError
from services.intake.adapters.keys import KeyStore

_DUPLICATE = 11000
_ATTEMPTS = 3


def claim_id(pseudonym: str) -> str:
    return f"claim:{pseudonym}"


class PseudonymClaims:
    def __init__(self, keys: KeyStore):
        self.keys = keys
        self.collection = keys.collection

    def claim(self, pseudonym: str, person_id: str) -> str | None:
        """None when claimed for `person_id`, else the person id holding it."""
        return self._insert(pseudonym, person_id, [])

    def claim_with_new_key(self, pseudonym: str, person_id: str) -> str | None:
        """Claim for a new person id and create its data key in the same insert. None
        when both are written, else the holder (and no key was written)."""
        doc, key = self.keys.new_key(person_id)
        try:
            holder = self._insert(pseudonym, person_id, [doc])
        except Exception:
            self.release(pseudonym, person_id)      # the claim may have landed alone
            raise
        if holder is None:
            self.keys.remember(person_id, key)
        return holder

    def _insert(self, pseudonym: str, person_id: str, then: list[dict]) -> str | None:
        for _ in range(_ATTEMPTS):
            try:
                self.collection.insert_many(
                    [{"_id": claim_id(pseudonym), "person_id": person_id}, *then], ordered=True)
                return None
            except BulkWriteError as exc:
                first = exc.details["writeErrors"][0]
                if first["index"] != 0 or first["code"] != _DUPLICATE:
                    raise
            holder = self.holder(pseudonym)
            if holder == person_id:
                if then:
                    self.collection.insert_many(then, ordered=True)
                return None
            if holder is not None:
                return holder
            # released between our insert and our read: claim again
        raise ConcurrencyError("le pseudonyme de cette personne change de dossier en ce "
                               "moment ; réessayez", message_en="this person's claim is "
                               "changing hands; retry")

    def holder(self, pseudonym: str) -> str | None:
        doc = self.collection.find_one({"_id": claim_id(pseudonym)})
        return doc["person_id"] if doc else None

    def release(self, pseudonym: str, person_id: str) -> None:
        if self.holder(pseudonym) == person_id:
            self.collection.delete_one({"_id": claim_id(pseudonym)})

    def adopt(self, legacy: Collection) -> int:
        """Move the claims of a former `claims` collection (`{_id: pseudonym,
        person_id}`) here; idempotent, so every process may run it at start."""
        moved = 0
        for doc in legacy.find({}):
            try:
                self.collection.insert_one({"_id": claim_id(doc["_id"]),
                                            "person_id": doc["person_id"]})
            except DuplicateKeyError:
                pass                                  # moved by another process
            legacy.delete_one({"_id": doc["_id"]})
            moved += 1
        return moved
