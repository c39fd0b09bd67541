"""The centre's directory of files (« répertoire des dossiers »): lists and name search.

One document per person: public facts for filters (status, commune, state), a blind
index of the name (HMAC-keyed search tokens from `domain.privacy`, key derived from
the master key) and a display card (name, birth date) encrypted with the person's data
key. No cleartext name is stored. The search re-checks decrypted candidates, because
trigram sets over-approximate. Erasure removes the document.
"""
from __future__ import annotations

import base64
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pymongo import DESCENDING, ReplaceOne
from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from services.intake.adapters.keys import KeyStore
from services.intake.domain import crypto, privacy
from services.intake.domain.person_state import PersonState


def blind_key(master_key_b64: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"cri-intake",
                info=b"blind-index/v1").derive(base64.b64decode(master_key_b64))


def _aad(person_id: str) -> bytes:
    return f"directory:{person_id}".encode()


class Directory:
    def __init__(self, collection: Collection, keys: KeyStore, master_key_b64: str):
        self.collection = collection
        self.keys = keys
        self._blind = blind_key(master_key_b64)

    def ensure_indexes(self) -> None:
        self.collection.create_index([("state", 1), ("registered_on", DESCENDING)])

    def tokens(self, name: str) -> list[str]:
        return sorted(privacy.blind_index(t, self._blind) for t in privacy.search_tokens(name))

    def record(self, state: PersonState, version: int) -> None:
        """Upsert the person's entry unless a newer version is already there."""
        if state.erased:
            self.collection.delete_one({"_id": state.person_id})
            return
        p = state.personal
        key = self.keys.get_or_create(state.person_id)
        card = {"last_name": p.get("last_name"), "first_names": p.get("first_names"),
                "birth_date": p.get("birth_date")}
        doc = {"_id": state.person_id, "version": version,
               "state": "transferred" if state.transferred_to else "active",
               "status": state.final_status, "commune_nis": state.commune_nis,
               "registered_on": state.registered_on, "sex": state.sex,
               "nationality": state.nationality, "pseudonym": state.pseudonym,
               "pseudonym_strength": state.pseudonym_strength,
               "tokens": self.tokens(f"{card['last_name']} {card['first_names']}"),
               "card": crypto.encrypt_json(card, key, _aad(state.person_id))}
        try:
            self.collection.bulk_write([ReplaceOne(
                {"_id": state.person_id, "version": {"$lt": version}}, doc, upsert=True)])
        except Exception as exc:  # noqa: BLE001 - a newer version won the race: keep it
            if not _duplicate(exc):
                raise

    def with_pseudonym(self, pseudonym: str) -> list[str]:
        """Person ids of this centre's active files with this pseudonym (duplicates)."""
        return [d["_id"] for d in self.collection.find({"pseudonym": pseudonym,
                                                        "state": "active"}, {"_id": 1})]

    def remove(self, person_id: str) -> None:
        self.collection.delete_one({"_id": person_id})

    def search(self, query: str | None, filters: dict[str, Any], page: int,
               page_size: int) -> tuple[list[dict], int]:
        """(items of the page, total); names decrypted for the caller's screen."""
        where: dict[str, Any] = {"state": "active", **filters}
        if query:
            wanted = privacy.query_tokens(query)
            where["tokens"] = {"$all": sorted(privacy.blind_index(t, self._blind)
                                              for t in wanted)}
            docs = [d for d in self._with_cards(list(self.collection.find(where, {"tokens": 0})))
                    if privacy.name_matches(query, f"{d['last_name']} {d['first_names']}")]
            docs.sort(key=lambda d: (privacy.normalise_name(d["last_name"] or ""),
                                     privacy.normalise_name(d["first_names"] or "")))
            return docs[(page - 1) * page_size: page * page_size], len(docs)
        total = self.collection.count_documents(where)
        cursor = (self.collection.find(where, {"tokens": 0})
                  .sort([("registered_on", DESCENDING), ("_id", 1)])
                  .skip((page - 1) * page_size).limit(page_size))
        return self._with_cards(list(cursor)), total

    def _with_cards(self, docs: list[dict]) -> list[dict]:
        keys = self.keys.get_many([d["_id"] for d in docs])
        out = []
        for d in docs:
            key = keys.get(d["_id"])
            if key is None:
                continue                                  # erased meanwhile
            card = crypto.decrypt_json(d.pop("card"), key, _aad(d["_id"]))
            out.append({**{k: v for k, v in d.items() if k != "_id"},
                        "person_id": d["_id"], **card})
        return out


def _duplicate(exc: Exception) -> bool:
    if isinstance(exc, DuplicateKeyError):
        return True
    details = getattr(exc, "details", None) or {}
    return any(e.get("code") == 11000 for e in details.get("writeErrors", []))
