"""The pathway's `personal` parts, at rest and on the bus: sealed for the pathway itself.

Art. 9 reasons of suspensions, extensions and absences (`domain/protected.py`) and a
received pathway's whole history (`domain/receiving.py`) sit under an event's
`personal`. The pathway's commit store keeps that part sealed for the pathway's own
X25519 key (`shared.sealed`, the key it opens transfer messages with, which no other
process holds), bound to the stream id, as `personal_sealed`; loading opens it again.
The relay publishes what is stored: the topics carry only that ciphertext, never the
part in clear, and a replay of the topics rebuilds the store exactly, hash chain
included (`adapters/topic_replay.py`). Consumers drop it (`shared.events.registry`).
A pathway started without its key keeps `personal` in clear in its own store and the
envelope drops it from every message (the launcher and the deploy files always give
the key).
"""
from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.hazmat.primitives import serialization

from shared.events.envelope import PRIVATE_KEY, SEALED_PRIVATE_KEY
from shared.sealed import SealError, open_sealed, seal


class SealedPersonal:
    """`shared.store.commits.PayloadCipher` for the pathway store."""

    def __init__(self, private_pem: str):
        self._private = private_pem
        key = serialization.load_pem_private_key(private_pem.encode(), password=None)
        self._public = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode()

    def __repr__(self) -> str:
        return "SealedPersonal(<pathway key>)"

    def encrypt(self, stream_id: str, data: dict[str, Any]) -> dict[str, Any]:
        personal = data.get(PRIVATE_KEY)
        if not isinstance(personal, dict):
            return data
        inner = json.dumps({"stream": stream_id, "personal": personal},
                           ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        box = base64.b64encode(seal(inner.encode(), self._public)).decode("ascii")
        return {**{k: v for k, v in data.items() if k != PRIVATE_KEY}, SEALED_PRIVATE_KEY: box}

    def decrypt(self, stream_id: str, data: dict[str, Any]) -> dict[str, Any]:
        token = data.get(SEALED_PRIVATE_KEY)
        if token is None:
            return data
        inner = json.loads(open_sealed(base64.b64decode(token), self._private))
        if inner.get("stream") != stream_id:
            raise SealError(f"sealed personal part of another stream found in {stream_id}")
        rest = {k: v for k, v in data.items() if k != SEALED_PRIVATE_KEY}
        return {**rest, PRIVATE_KEY: inner["personal"]}
