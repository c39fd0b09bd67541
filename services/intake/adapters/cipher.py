"""The intake PayloadCipher: the `personal` part of each event, encrypted per person.

On write, `data["personal"]` (a dict) becomes a base64 AES-GCM token under the person's
data key, bound to the stream id; it stays under the key `personal`, which the envelope
never publishes. On read, a destroyed key yields `personal: None` (crypto-shredded):
the event still validates and replays, the data is gone. Streams other than
"person-<id>" carry nothing personal and pass through.
"""
from __future__ import annotations

from typing import Any

from shared.store.keys import KeyStore
from shared import crypto

PREFIX = "person-"


def person_stream(person_id: str) -> str:
    return f"{PREFIX}{person_id}"


class PersonCipher:
    def __init__(self, keys: KeyStore):
        self.keys = keys

    def encrypt(self, stream_id: str, data: dict[str, Any]) -> dict[str, Any]:
        personal = data.get("personal")
        if not stream_id.startswith(PREFIX) or personal is None:
            return data
        key = self.keys.get_or_create(stream_id[len(PREFIX):])
        return {**data, "personal": crypto.encrypt_json(personal, key, stream_id.encode())}

    def decrypt(self, stream_id: str, data: dict[str, Any]) -> dict[str, Any]:
        token = data.get("personal")
        if not isinstance(token, str):
            return data
        key = self.keys.get(stream_id[len(PREFIX):])
        if key is None:
            return {**data, "personal": None}
        return {**data, "personal": crypto.decrypt_json(token, key, stream_id.encode())}
