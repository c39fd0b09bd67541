"""Cryptographic primitives for personal data at rest (« chiffrement par personne »).

Each person has a random AES-256 data key; their `personal` payloads are AES-GCM
encrypted with it, bound by associated data (e.g. person id and event id) so a
ciphertext moved to another record fails to decrypt. The data key is stored wrapped
by the centre master key (AES key wrap, RFC 3394). Destroying the wrapped key erases
the person (crypto-shredding). Pure functions: storing keys is the caller's job.
"""
from __future__ import annotations

import base64
import binascii
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.keywrap import InvalidUnwrap, aes_key_unwrap, aes_key_wrap

NONCE_BYTES = 12   # the GCM standard size; random nonces are safe far beyond one person's events


class CryptoError(Exception):
    """Wrong key, wrong associated data or altered ciphertext: never partial data."""


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def wrap_key(data_key: bytes, master_key: bytes) -> str:
    """Base64 of the RFC 3394 wrap of `data_key` under `master_key` (16/24/32 bytes)."""
    return base64.b64encode(aes_key_wrap(master_key, data_key)).decode("ascii")


def unwrap_key(wrapped: str, master_key: bytes) -> bytes:
    try:
        return aes_key_unwrap(master_key, base64.b64decode(wrapped, validate=True))
    except (InvalidUnwrap, binascii.Error, ValueError) as exc:
        raise CryptoError("cannot unwrap data key") from exc


def encrypt_json(obj: Any, data_key: bytes, aad: bytes) -> str:
    """Base64 of nonce || AES-GCM(canonical JSON of `obj`) with `aad` authenticated."""
    plaintext = json.dumps(obj, sort_keys=True, separators=(",", ":"),
                           ensure_ascii=False).encode("utf-8")
    nonce = os.urandom(NONCE_BYTES)
    return base64.b64encode(nonce + AESGCM(data_key).encrypt(nonce, plaintext, aad)).decode("ascii")


def decrypt_json(token: str, data_key: bytes, aad: bytes) -> Any:
    try:
        raw = base64.b64decode(token, validate=True)
        if len(raw) < NONCE_BYTES + 16:
            raise ValueError("ciphertext too short")
        plaintext = AESGCM(data_key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad)
    except (InvalidTag, binascii.Error, ValueError) as exc:
        raise CryptoError("cannot decrypt personal data") from exc
    return json.loads(plaintext.decode("utf-8"))
