"""Key pairs for tests that move pathways between centres: per centre an X25519 pair
(sealed boxes) and an Ed25519 pair (signatures), as PEM, and the Config fields that
give a centre's pathway service its own private keys and everyone's public ones."""
from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from shared.signing import generate_pem


def _x25519() -> tuple[str, str]:
    key = X25519PrivateKey.generate()
    return (key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()).decode(),
            key.public_key().public_bytes(serialization.Encoding.PEM,
                                          serialization.PublicFormat.SubjectPublicKeyInfo
                                          ).decode())


def make_keys(centres) -> dict[str, tuple[str, str, str, str]]:
    """centre -> (sealing private, sealing public, signing private, signing public)."""
    return {c: (*_x25519(), *(k.decode() for k in generate_pem())) for c in centres}


def config_fields(keys: dict, centre: str) -> dict:
    return {"centre_private_key": keys[centre][0],
            "centre_public_keys": {c: k[1] for c, k in keys.items()},
            "signing_key": keys[centre][2],
            "signing_public_keys": {c: k[3] for c, k in keys.items()}}
