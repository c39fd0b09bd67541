"""One file per person and centre: a strong pseudonym is claimed by one active file.

`{_id: "claim:<pseudonym>", person_id}`; inserting is the atomic uniqueness check (a
duplicate key names the existing file), so two agents registering the same national
number at once cannot both succeed. Erasure and transfer out release the claim.

Why in the commit collection (beside the commits, `shared.store.layout.beside`, with the
data keys): a registration writes the new file's claim, its data key and its first
commit in **one ordered insert** (`open_file`) — one round trip and one PostgreSQL
transaction instead of two. The claim comes first, so a refused claim writes neither key
nor commit; the key is written before the commit that needs it. Claims and keys written
by earlier versions in `keys` (and before that in `claims`) are moved here once
(`KeyStore.adopt`, `adopt`).

The same insert records the pseudonym's **sighting** (`{_id: "seen:<digest>"}`),
which the regional pseudonym index also writes before its first entry from another
centre. So when the sighting is new, no other centre's file of that person has reached
the index yet and asking it ("also followed in?") is skipped: one lookup fewer on most
registrations, with the same answer the index would give. A sighting already there
stops the insert before the commit, which is then written alone (a second round trip,
only for a person sighted before). An index written before sightings existed is
backfilled by the worker at start; until then every registration asks the index.

Weak pseudonyms (normalised names + birth date + nationality, every registration; in the
same insert, after the key):
`{_id: "weak:<pseudonym>", person_ids: [...]}`, several files when the agent confirmed
homonyms. Nothing releases them: the caller keeps only the files still active here
(`still` below), so an erased or transferred file never blocks a registration.
"""
from __future__ import annotations

import hashlib
import time
from typing import Callable, TypeVar

from pymongo.collection import Collection
from pymongo.errors import BulkWriteError, DuplicateKeyError

from shared.errors import ConcurrencyError
from shared.store.commits import AlongsideExists
from shared.store.documents import put
from shared.store.keys import KeyStore
from shared.store.layout import beside

_DUPLICATE = 11000
_ATTEMPTS = 3
_RECHECK_SECONDS = 30.0
SIGHTINGS_COMPLETE = "seen:complete"
T = TypeVar("T")


def claim_id(pseudonym: str) -> str:
    return f"claim:{pseudonym}"


def seen_id(pseudonym: str) -> str:
    """A sighting names a digest of the pseudonym, never the pseudonym itself: it
    outlives an erasure (the pseudonym was sighted here before) without keeping it."""
    return f"seen:{hashlib.sha256(pseudonym.encode()).hexdigest()[:40]}"


def _changing_hands() -> ConcurrencyError:
    return ConcurrencyError("le pseudonyme de cette personne change de dossier en ce moment ; "
                            "réessayez", message_en="this person's claim is changing hands; retry")


class PseudonymClaims:
    def __init__(self, keys: KeyStore, index: Collection):
        self.keys = keys
        self.collection = keys.collection
        self.index = index                      # the regional pseudonym index
        self._complete = False
        self._checked_at = float("-inf")        # when sightings were last found incomplete

    def claim(self, pseudonym: str, person_id: str) -> str | None:
        """None when claimed for `person_id`, else the person id holding it."""
        for _ in range(_ATTEMPTS):
            if self._insert([beside({"_id": claim_id(pseudonym),
                                     "person_id": person_id})]) is None:
                return None
            holder = self.holder(pseudonym)
            if holder is not None:
                return None if holder == person_id else holder
            # released between our insert and our read: claim again
        raise _changing_hands()

    def open_file(self, pseudonym: str, person_id: str, strong: bool, weak: str | None,
                  commit: Callable[[list[dict], list[str]], T]
                  ) -> tuple[str | None, bool, T | None]:
        """A new file: its claim (strong pseudonyms), data key, weak pseudonym's claim and
        the pseudonym's sighting, written by `commit(alongside, homonyms)` in the insert
        of its first commit (`CommitStore.append(alongside=...)`).

        `homonyms`: the other files holding the weak pseudonym, when it is held (then
        `commit` is called again with what the insert had not written yet: it decides
        whether the files are the same person). Returns (holder, seen, saved): `holder`
        names the file already holding the claim (then nothing was written and `saved`
        is None); `seen` is False when the pseudonym was never sighted, so the regional
        index cannot know it and need not be asked; `saved`, what `commit` returned."""
        key_doc, key = self.keys.new_key(person_id)
        sighting = beside({"_id": seen_id(pseudonym)})
        weak_doc = beside({"_id": f"weak:{weak}", "person_ids": [person_id]}) if weak else None
        docs = ([beside({"_id": claim_id(pseudonym), "person_id": person_id})]
                if strong else []) + [key_doc] + ([weak_doc] if weak_doc else []) + [sighting]
        self.keys.remember(person_id, key)     # the commit is encrypted before its insert
        seen, homonyms = False, []
        try:
            for _ in range(_ATTEMPTS + 2):     # + the weak claim and the sighting, once each
                try:
                    saved = commit(docs, homonyms)
                    return None, seen or not self.sightings_complete(), saved
                except AlongsideExists as exc:
                    there, rest = docs[exc.index], docs[exc.index + 1:]
                if there is sighting:
                    seen, docs = True, rest
                elif there is weak_doc:                 # a homonym candidate (rare)
                    homonyms, docs = self._weak_holders(weak, person_id), rest
                elif there is key_doc:
                    raise RuntimeError(f"person id {person_id} already has a key")
                else:
                    holder = self.holder(pseudonym)
                    if holder is not None and holder != person_id:
                        return holder, True, None
                    # released between our insert and our read: claim again
        except Exception:
            if strong:
                self.release(pseudonym, person_id)   # the claim may have landed alone
            raise
        raise _changing_hands()

    def mark_seen(self, pseudonym: str) -> None:
        """Record a sighting (the index calls it before another centre's first entry)."""
        self._insert([beside({"_id": seen_id(pseudonym)})])

    def sightings_complete(self) -> bool:
        """True once every pseudonym in the index is known to have its sighting: the
        index was empty when first checked, or `backfill` ran (a store written before
        sightings existed). Rechecked every 30 s until then."""
        if self._complete or time.monotonic() - self._checked_at < _RECHECK_SECONDS:
            return self._complete
        if self.collection.find_one({"_id": SIGHTINGS_COMPLETE}) is None:
            if self.index.find_one({}, {"_id": 1}) is not None:
                self._checked_at = time.monotonic()
                return False
            self._insert([beside({"_id": SIGHTINGS_COMPLETE})])
        self._complete = True
        return True

    def backfill(self) -> int:
        """A sighting for every pseudonym already in the index, then the mark that
        sightings are complete (the worker runs it at start; idempotent)."""
        if self.collection.find_one({"_id": SIGHTINGS_COMPLETE}) is not None:
            return 0
        marked = 0
        for pseudonym in dict.fromkeys(d["pseudonym"] for d in
                                       self.index.find({}, {"pseudonym": 1})):
            self.mark_seen(pseudonym)
            marked += 1
        self._insert([beside({"_id": SIGHTINGS_COMPLETE})])
        return marked

    def _insert(self, docs: list[dict]) -> int | None:
        """Ordered insert: the index of the first document already there, else None."""
        try:
            self.collection.insert_many(docs, ordered=True)
            return None
        except BulkWriteError as exc:
            first = exc.details["writeErrors"][0]
            if first["code"] != _DUPLICATE:
                raise
            return first["index"]

    def holder(self, pseudonym: str) -> str | None:
        doc = self.collection.find_one({"_id": claim_id(pseudonym)})
        return doc["person_id"] if doc else None

    def release(self, pseudonym: str, person_id: str) -> None:
        if self.holder(pseudonym) == person_id:
            self.collection.delete_one({"_id": claim_id(pseudonym)})

    def forget(self, weak: str | None, person_id: str) -> None:
        """Erasure: this file's place under its weak pseudonym goes too (the sighting
        stays: it names only a digest of the pseudonym, see `seen_id`)."""
        if weak:
            doc = self.collection.find_one({"_id": f"weak:{weak}"}) or {}
            self.share_weak(weak, [p for p in doc.get("person_ids", []) if p != person_id])

    def adopt(self, legacy: Collection) -> int:
        """Move the claims of a former `claims` collection (`{_id: pseudonym,
        person_id}`) here; idempotent, so every process may run it at start."""
        moved = 0
        for doc in legacy.find({}):
            try:
                self.collection.insert_one(beside({"_id": claim_id(doc["_id"]),
                                                   "person_id": doc["person_id"]}))
            except DuplicateKeyError:
                pass                                  # moved by another process
            legacy.delete_one({"_id": doc["_id"]})
            moved += 1
        return moved

    def claim_weak(self, pseudonym: str, person_id: str) -> list[str]:
        """[] when `person_id` is the first file with this weak pseudonym (one insert),
        else the person ids of the files already holding it (nothing written)."""
        try:
            self.collection.insert_one(beside({"_id": f"weak:{pseudonym}",
                                               "person_ids": [person_id]}))
            return []
        except DuplicateKeyError:
            return self._weak_holders(pseudonym, person_id)

    def _weak_holders(self, pseudonym: str, person_id: str) -> list[str]:
        doc = self.collection.find_one({"_id": f"weak:{pseudonym}"}) or {}
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
            put(self.collection, beside({"_id": key, "person_ids": person_ids}))
        else:
            self.collection.delete_one({"_id": key})
