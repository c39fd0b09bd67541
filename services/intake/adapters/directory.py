"""The centre's directory of files (« répertoire des dossiers »): lists and name search.

One document per person, maintained by the worker after each event (the web answers
writes without waiting for it): public facts for filters, a blind index of the name
(HMAC-keyed search tokens from `domain.privacy`, key derived from the master key) and a
display card (name, birth date) encrypted with the person's data key. No cleartext
name is stored. Search re-checks decrypted candidates, since trigrams over-approximate.
Erasure and transfer out remove the document.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pymongo import DESCENDING
from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

from shared.store.keys import KeyStore
from shared import crypto
from services.intake.domain import privacy
from services.intake.domain.person_state import PersonState
from shared.store.documents import put


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
        self.collection.create_index("tokens")
        self.collection.create_index([("status", 1), ("registered_on", DESCENDING)])

    def _tokens(self, tokens: set[str]) -> list[str]:
        return sorted(privacy.blind_index(t, self._blind) for t in tokens)

    def record(self, state: PersonState, version: int) -> None:
        """Insert, replace or drop the person's entry; writes only what changed.

        On FerretDB an insert costs the same whatever the collection's size but a
        replace or delete scans it, so an entry whose content did not change (most
        events touch neither name, status nor commune) is left alone."""
        current = self.collection.find_one({"_id": state.person_id},
                                           {"version": 1, "digest": 1})
        if current and current["version"] >= version:
            return
        if state.erased or state.transferred_to or state.person_id is None:
            if current:
                self.collection.delete_one({"_id": state.person_id})
            return
        p = state.personal
        card = {"last_name": p.get("last_name"), "first_names": p.get("first_names"),
                "birth_date": p.get("birth_date")}
        public = {"status": state.final_status, "commune_nis": state.commune_nis,
                  "registered_on": state.registered_on, "sex": state.sex,
                  "nationality": state.nationality}
        digest = hmac.new(self._blind, json.dumps([card, public], sort_keys=True).encode(),
                          hashlib.sha256).hexdigest()
        if current and current.get("digest") == digest:
            return
        key = self.keys.get_or_create(state.person_id)
        doc = {"_id": state.person_id, "version": version, **public, "digest": digest,
               "tokens": self._tokens(privacy.search_tokens(_name(card))),
               "card": crypto.encrypt_json(card, key, _aad(state.person_id))}
        if current is None:
            try:
                self.collection.insert_one(doc)
                return
            except DuplicateKeyError:
                pass
        put(self.collection, {**doc, "_id": state.person_id})

    def remove(self, person_id: str) -> None:
        self.collection.delete_one({"_id": person_id})

    def search(self, query: str | None, filters: dict[str, Any], page: int,
               page_size: int) -> tuple[list[dict], int]:
        """(items of the page, total); names decrypted for the caller's screen."""
        where: dict[str, Any] = dict(filters)
        if not query:
            total = self.collection.count_documents(where)
            cursor = (self.collection.find(where, {"tokens": 0})
                      .sort([("registered_on", DESCENDING), ("_id", 1)])
                      .skip((page - 1) * page_size).limit(page_size))
            return self._with_cards(list(cursor)), total
        where["tokens"] = {"$all": self._tokens(privacy.query_tokens(query))}
        docs = [d for d in self._with_cards(list(self.collection.find(where, {"tokens": 0})))
                if privacy.name_matches(query, _name(d))]
        docs.sort(key=lambda d: (privacy.normalise_name(d["last_name"] or ""),
                                 privacy.normalise_name(d["first_names"] or "")))
        return docs[(page - 1) * page_size: page * page_size], len(docs)

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


def _name(card: dict) -> str:
    return f"{card.get('last_name') or ''} {card.get('first_names') or ''}"
