"""Who a registered practitioner is (name, organisation, role: personal data of a
professional), sealed with a data key of the registration's own (`shared.store.keys`,
wrapped by this service's master key) and bound to the registration. The sealed text
stays in this service's store and read model (under `personal`, dropped from the bus);
destroying the key (`forget`) erases the practitioner while the counts remain."""
from __future__ import annotations

from typing import Any

from shared import crypto
from shared.store.keys import KeyStore


def key_id(registration_id: str) -> str:
    return f"practitioner-{registration_id}"


def _aad(training_id: str, registration_id: str) -> bytes:
    return f"practitioner:{training_id}:{registration_id}".encode()


class Practitioners:
    def __init__(self, keys: KeyStore):
        self.keys = keys

    def seal(self, training_id: str, registration_id: str, who: dict[str, Any]) -> str:
        key = self.keys.get_or_create(key_id(registration_id))
        return crypto.encrypt_json(who, key, _aad(training_id, registration_id))

    def open(self, training_id: str, registration_id: str, sealed: str | None
             ) -> dict[str, Any] | None:
        """The practitioner, or None (erased, or never sealed)."""
        key = self.keys.get(key_id(registration_id)) if sealed else None
        if key is None:
            return None
        try:
            return crypto.decrypt_json(sealed, key, _aad(training_id, registration_id))
        except crypto.CryptoError:
            return None

    def forget(self, registration_id: str) -> bool:
        return self.keys.destroy(key_id(registration_id))
