"""Development secrets, created once under var/secrets/ (production injects its own).

- regional secret (pseudonyms; one for the whole region),
- one master key per centre (wraps the per-person data keys),
- one X25519 key pair per centre (transfer bundles are sealed for the receiving centre),
- one Ed25519 key pair per centre (the sender signs its transfer bundles),
- one audit key per centre (HMAC of the commit hash chain).
Private files are mode 0600.
"""
from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from shared.signing import generate_pem


def _secret_file(path: Path, nbytes: int = 32) -> str:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(base64.b64encode(os.urandom(nbytes)).decode())
        path.chmod(0o600)
    return path.read_text().strip()


def regional_secret(home: Path) -> str:
    return _secret_file(home / "secrets" / "regional_secret")


def master_key(home: Path, centre: str) -> str:
    return _secret_file(home / "secrets" / centre / "master_key")


def centre_keypair(home: Path, centre: str) -> tuple[Path, Path]:
    """(private key file, public keys directory) for a centre."""
    priv = home / "secrets" / centre / "transfer.pem"
    pubdir = home / "secrets" / "public"
    pub = pubdir / f"{centre}.pub.pem"
    if not priv.exists():
        priv.parent.mkdir(parents=True, exist_ok=True)
        pubdir.mkdir(parents=True, exist_ok=True)
        key = X25519PrivateKey.generate()
        priv.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
        priv.chmod(0o600)
        pub.write_bytes(key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return priv, pubdir


def audit_key_file(home: Path, centre: str) -> Path:
    """The file of the centre's audit key (base64; HMAC of the hash chains of its stores)."""
    path = home / "secrets" / centre / "audit_key"
    _secret_file(path)
    return path


def audit_key(home: Path, centre: str) -> bytes:
    return base64.b64decode(audit_key_file(home, centre).read_text().strip())


def signing_keypair(home: Path, centre: str) -> tuple[Path, Path]:
    """(Ed25519 private key file, directory of every centre's signing public key)."""
    priv = home / "secrets" / centre / "signing.pem"
    pubdir = home / "secrets" / "signing-public"
    if not priv.exists():
        priv.parent.mkdir(parents=True, exist_ok=True)
        pubdir.mkdir(parents=True, exist_ok=True)
        private_pem, public_pem = generate_pem()
        tmp = priv.with_suffix(".tmp")
        tmp.touch(mode=0o600)
        tmp.write_bytes(private_pem)
        tmp.replace(priv)
        (pubdir / f"{centre}.pub.pem").write_bytes(public_pem)
    return priv, pubdir
