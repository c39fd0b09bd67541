"""Sealed boxes for transfer bundles between centres (« dossier scellé »).

Only the receiving centre can open what is sealed for it: an ephemeral X25519 key pair
agrees a secret with the recipient's public key, HKDF-SHA256 derives an AES-256-GCM key
from it (bound to both public keys), and the plaintext is encrypted under a random
nonce. Layout: magic (4) || ephemeral public key (32) || nonce (12) || ciphertext+tag.
The sender cannot open its own box: it keeps no secret beyond the call.
"""
from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"CRS1"
_INFO = b"cri-sealed-box/v1"
_RAW = serialization.Encoding.Raw, serialization.PublicFormat.Raw


class SealError(Exception):
    """Not sealed for this key, truncated or altered: never partial plaintext."""


def _key(shared: bytes, ephemeral_pub: bytes, recipient_pub: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral_pub + recipient_pub,
                info=_INFO).derive(shared)


def _public(pem: str) -> X25519PublicKey:
    key = serialization.load_pem_public_key(pem.encode())
    if not isinstance(key, X25519PublicKey):
        raise SealError("the recipient key is not an X25519 public key")
    return key


def _private(pem: str) -> X25519PrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, X25519PrivateKey):
        raise SealError("the private key is not an X25519 key")
    return key


def seal(plaintext: bytes, recipient_public_pem: str) -> bytes:
    recipient = _public(recipient_public_pem)
    ephemeral = X25519PrivateKey.generate()
    eph_pub = ephemeral.public_key().public_bytes(*_RAW)
    rec_pub = recipient.public_bytes(*_RAW)
    key = _key(ephemeral.exchange(recipient), eph_pub, rec_pub)
    nonce = os.urandom(12)
    return MAGIC + eph_pub + nonce + AESGCM(key).encrypt(nonce, plaintext, MAGIC + eph_pub)


def open_sealed(blob: bytes, private_pem: str) -> bytes:
    if len(blob) < 4 + 32 + 12 + 16 or not blob.startswith(MAGIC):
        raise SealError("not a sealed box")
    private = _private(private_pem)
    eph_pub, nonce, body = blob[4:36], blob[36:48], blob[48:]
    rec_pub = private.public_key().public_bytes(*_RAW)
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(eph_pub))
        return AESGCM(_key(shared, eph_pub, rec_pub)).decrypt(nonce, body, MAGIC + eph_pub)
    except (InvalidTag, ValueError) as exc:
        raise SealError("cannot open the sealed box with this key") from exc
