"""Development secrets, created once under var/secrets/ (production injects its own).

- regional secret (pseudonyms; one for the whole region),
- one master key per centre (wraps the per-person data keys),
- one X25519 key pair per centre and service (intake's transfer bundles, pathway's
  transfer messages are sealed for the receiving centre's same service),
- one Ed25519 key pair per centre and service (the sender signs what it transfers),
- one audit key per centre (HMAC of the commit hash chain).

Each file is created atomically with mode 0600 (`O_CREAT | O_EXCL`): it never exists,
even for an instant, with wider rights or half written, and two launchers racing to
create it keep one value. Processes get the paths (`*_FILE` variables), never the values.
"""
from __future__ import annotations

import base64
import os
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from shared.signing import generate_pem


def write_new(path: Path, content: bytes) -> bool:
    """Create `path` with mode 0600 holding `content`; False if it already exists."""
    for directory in reversed([path.parent, *path.parent.parents]):
        if not directory.exists():   # directories this creates: owner only
            directory.mkdir(mode=0o700, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as f:
        f.write(content)
        f.flush()
        os.fsync(f.fileno())
    return True


def _secret_file(path: Path, nbytes: int = 32) -> Path:
    write_new(path, base64.b64encode(os.urandom(nbytes)))
    return path


def regional_secret_file(home: Path) -> Path:
    return _secret_file(home / "secrets" / "regional_secret")


def master_key_file(home: Path, centre: str, service: str = "intake") -> Path:
    """A service's own master key (intake's wraps the people's keys; partners' wraps the
    keys of what people consented to share with an operator): never the same file."""
    name = "master_key" if service == "intake" else f"{service}_master_key"
    return _secret_file(home / "secrets" / centre / name)


def master_key(home: Path, centre: str) -> str:
    return master_key_file(home, centre).read_text().strip()


def _prefix(service: str) -> str:
    return "" if service == "intake" else f"{service}_"


def _pubdir(home: Path, name: str, service: str) -> Path:
    return home / "secrets" / (name if service == "intake" else f"{service}-{name}")


def centre_keypair(home: Path, centre: str, service: str = "intake") -> tuple[Path, Path]:
    """(private key file, public keys directory) for a centre's `service`: intake seals
    its file bundles, pathway its transfer messages, each with its own pair (pathway's
    under `<centre>/pathway_transfer.pem` and `pathway-public/`)."""
    priv = home / "secrets" / centre / f"{_prefix(service)}transfer.pem"
    pubdir = _pubdir(home, "public", service)
    pub = pubdir / f"{centre}.pub.pem"
    if not priv.exists():
        write_new(priv, X25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
    if not pub.exists():   # derived from the private key: a crash in between heals
        key = serialization.load_pem_private_key(priv.read_bytes(), password=None)
        pubdir.mkdir(parents=True, exist_ok=True)
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


def signing_keypair(home: Path, centre: str, service: str = "intake") -> tuple[Path, Path]:
    """(Ed25519 private key file, directory of every centre's signing public key) of a
    centre's `service` (pathway's: `<centre>/pathway_signing.pem`, `pathway-signing-public/`)."""
    priv = home / "secrets" / centre / f"{_prefix(service)}signing.pem"
    pubdir = _pubdir(home, "signing-public", service)
    pub = pubdir / f"{centre}.pub.pem"
    if not priv.exists():
        write_new(priv, generate_pem()[0])      # atomically, mode 0600
    if not pub.exists():   # derived from the private key: a crash in between heals
        key = serialization.load_pem_private_key(priv.read_bytes(), password=None)
        pubdir.mkdir(parents=True, exist_ok=True)
        pub.write_bytes(key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    return priv, pubdir


def oidc_client_secret_file(home: Path, centre: str) -> Path:
    """The centre portal's client secret at the dev OpenID Connect provider."""
    return _secret_file(home / "secrets" / centre / "oidc_client_secret")


def oidc_client_secret(home: Path, centre: str) -> str:
    return oidc_client_secret_file(home, centre).read_text().strip()


def portal_secret_key_file(home: Path, centre: str) -> Path:
    """The key that signs the centre portal's session cookies (and encrypts what a
    sign-in interrupted keeps of a form)."""
    return _secret_file(home / "secrets" / centre / "portal_secret_key")
