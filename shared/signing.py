"""Ed25519 signatures of what a centre sends to the others (transfer bundles).

A centre signs with its private key; every other centre holds its public key (config /
keys directory). What is signed is the canonical JSON of the named fields, prefixed by
a domain tag, so a signature of one kind of message can never pass for another.
"""
from __future__ import annotations

import base64
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from shared.events.canonical import canonical_json


class SignatureError(Exception):
    """Unsigned, signed by another key, or altered after signing."""


def _message(tag: str, fields: dict[str, Any]) -> bytes:
    return tag.encode("ascii") + b"\x00" + canonical_json(fields)


def sign(tag: str, fields: dict[str, Any], private_pem: str) -> str:
    key = serialization.load_pem_private_key(private_pem.encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise SignatureError("the signing key is not an Ed25519 private key")
    return base64.b64encode(key.sign(_message(tag, fields))).decode("ascii")


def verify(tag: str, fields: dict[str, Any], signature: str | None, public_pem: str) -> None:
    """Raises SignatureError unless `signature` is `public_pem`'s over these fields."""
    if not signature:
        raise SignatureError("unsigned")
    key = serialization.load_pem_public_key(public_pem.encode())
    if not isinstance(key, Ed25519PublicKey):
        raise SignatureError("the sender's key is not an Ed25519 public key")
    try:
        key.verify(base64.b64decode(signature, validate=True), _message(tag, fields))
    except (InvalidSignature, ValueError) as exc:
        raise SignatureError("signature does not match") from exc


def generate_pem() -> tuple[bytes, bytes]:
    """(private PKCS8 PEM, public SubjectPublicKeyInfo PEM) of a new key pair."""
    key = Ed25519PrivateKey.generate()
    return (key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()),
            key.public_key().public_bytes(serialization.Encoding.PEM,
                                          serialization.PublicFormat.SubjectPublicKeyInfo))
