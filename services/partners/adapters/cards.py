"""What a person consented to share with an operator (« données partagées »): a first
name and a contact at most, encrypted with the person's data key (`shared.store.keys`,
wrapped by this service's master key) and bound to the referral. Erasing the person
destroys the key: every card of theirs becomes unreadable (crypto-shredding)."""
from __future__ import annotations

from typing import Any

from shared import crypto
from shared.store.keys import KeyStore


def _aad(referral_id: str) -> bytes:
    return f"referral-card:{referral_id}".encode()


class Cards:
    def __init__(self, keys: KeyStore):
        self.keys = keys

    def seal(self, person_id: str, referral_id: str, card: dict[str, Any]) -> str:
        return crypto.encrypt_json(card, self.keys.get_or_create(person_id), _aad(referral_id))

    def open(self, person_id: str, referral_id: str, sealed: str | None) -> dict | None:
        """The card, or None (no consent, or the person was erased)."""
        key = self.keys.get(person_id) if sealed else None
        if key is None:
            return None
        try:
            return crypto.decrypt_json(sealed, key, _aad(referral_id))
        except crypto.CryptoError:
            return None
