"""File snapshots (« dossiers »): the folded state of each person's stream, one document
per person, so a read is one `_id` lookup instead of a replay.

`{_id: person_id, format, version, head_hash, state: <AES-GCM token under the person's
key> | state_clear (erased: nothing personal left), list fields: status, commune_nis,
registered_on, active}`. The commit store stays the truth: the repository checks that
no newer commit exists before trusting a snapshot, and rebuilds it otherwise.
"""
from __future__ import annotations

from typing import Any

from pymongo.collection import Collection

from services.intake.adapters import state_codec
from services.intake.adapters.keys import KeyStore
from services.intake.domain import crypto
from services.intake.domain.person_state import PersonState


def _aad(person_id: str) -> bytes:
    return f"file:{person_id}".encode()


class FileStore:
    def __init__(self, collection: Collection, keys: KeyStore):
        self.collection = collection
        self.keys = keys

    def get(self, person_id: str) -> tuple[PersonState, int, str] | None:
        doc = self.collection.find_one({"_id": person_id})
        return self._state(doc) if doc else None

    def put(self, state: PersonState, version: int, head_hash: str) -> None:
        data = state_codec.dump(state)
        doc: dict[str, Any] = {
            "_id": state.person_id, "format": state_codec.FORMAT, "version": version,
            "head_hash": head_hash, "active": not (state.erased or state.transferred_to),
            "status": state.final_status, "commune_nis": state.commune_nis,
            "registered_on": state.registered_on}
        if state.erased:
            doc["state_clear"] = data
        else:
            key = self.keys.get_or_create(state.person_id)
            doc["state"] = crypto.encrypt_json(data, key, _aad(state.person_id))
        self.collection.replace_one({"_id": state.person_id}, doc, upsert=True)

    def many(self, person_ids: list[str]) -> list[tuple[PersonState, int]]:
        out = []
        for pid in person_ids:
            got = self.get(pid)
            if got:
                out.append(got[:2])
        return out

    def listing(self, filters: dict[str, Any], page: int, page_size: int
                ) -> tuple[list[tuple[PersonState, int]], int]:
        """Active files, newest registration first (a scan: FerretDB filters in memory)."""
        docs = [d for d in self.collection.find({"active": True, **filters},
                                                {"head_hash": 0})]
        docs.sort(key=lambda d: (d.get("registered_on") or "", d["_id"]), reverse=True)
        chosen = docs[(page - 1) * page_size: page * page_size]
        states = [s for d in chosen if (s := self._state(d))]
        return [(s, v) for s, v, _ in states], len(docs)

    def _state(self, doc: dict) -> tuple[PersonState, int, str] | None:
        if doc.get("format") != state_codec.FORMAT:
            return None                                   # rebuilt from the events
        if "state_clear" in doc:
            data = doc["state_clear"]
        else:
            key = self.keys.get(doc["_id"])
            if key is None:
                return None                               # erased meanwhile: rebuild
            data = crypto.decrypt_json(doc["state"], key, _aad(doc["_id"]))
        return state_codec.load(data), doc["version"], doc["head_hash"]

