"""Bearer JWTs (RS256): who calls, with which roles, for which centre.

Claims: `sub`, `roles` (list), `centre`, optional `operator_id`, `name`. In production
the tokens come from the OIDC provider (Keycloak); locally from the dev issuer, whose
key pair the launcher creates under var/ (`cri token --role accueil --centre cripel`).
"""
from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from shared.errors import Forbidden, Unauthorized

ROLES = {
    "accueil": "agent d'accueil",
    "coordination": "coordinateur de parcours",
    "partenaire": "opérateur partenaire",
    "analyste": "analyste régional",
    "auditeur": "auditeur",
    "dpo": "délégué à la protection des données",
}


@dataclass(frozen=True)
class Principal:
    subject: str
    roles: frozenset[str]
    centre: str
    operator_id: str | None = None
    claims: dict = field(default_factory=dict, compare=False)

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def require(self, *roles: str) -> None:
        if not self.has(*roles):
            raise Forbidden(f"rôle requis : {', '.join(roles)}",
                            message_en=f"role required: {', '.join(roles)}")

    def require_centre(self, centre: str) -> None:
        """A user of one centre never touches another centre's records; a `region`
        token is no centre's (reporting's read roles are checked there, not here)."""
        if self.centre != centre:
            raise Forbidden(f"accès réservé aux agents du centre {centre} ; ce jeton relève "
                            f"d'un autre centre ({self.centre or 'aucun'})",
                            message_en=f"access is for staff of centre {centre} only; this "
                                       f"token belongs to another centre ({self.centre})")

    def require_operator(self) -> str | None:
        """A `partenaire` acts for one operator: without an operator id, 403. Other
        roles act for the centre (None)."""
        if not self.has("partenaire"):
            return None
        if not self.operator_id:
            raise Forbidden("jeton d'opérateur partenaire sans identifiant d'opérateur "
                            "(operator_id)",
                            message_en="partner token without an operator id (operator_id)")
        return self.operator_id


@lru_cache(maxsize=8)
def _public_key(public_key_pem: str):
    """The PEM parsed once per process (PyJWT would parse it again for every token)."""
    return serialization.load_pem_public_key(public_key_pem.encode())


_VERIFIED: dict[tuple[str, str, str], Principal] = {}
_MAX_VERIFIED = 4096


def verify(token: str, public_key_pem: str, issuer: str) -> Principal:
    """The caller of a valid token, or 401. A token already verified with the same key
    and issuer is answered from memory until its `exp` (the same bytes verify the same
    way; only time changes the verdict, and `exp` is checked again on every hit)."""
    if not public_key_pem:
        raise Unauthorized("aucune clé de vérification configurée",
                           message_en="no token verification key configured")
    cache_key = (token, public_key_pem, issuer)
    hit = _VERIFIED.get(cache_key)
    if hit is not None and hit.claims["exp"] > time.time():
        return hit
    try:
        claims = jwt.decode(token, _public_key(public_key_pem), algorithms=["RS256"],
                            issuer=issuer, options={"require": ["exp", "sub", "iss"]},
                            audience="cri-platform")
    except (jwt.PyJWTError, ValueError, TypeError) as exc:   # a bad key file too: 401
        raise Unauthorized(f"jeton invalide : {exc}", message_en=f"invalid token: {exc}") from None
    roles = frozenset(r for r in claims.get("roles", []) if r in ROLES)
    who = Principal(claims["sub"], roles, claims.get("centre", ""), claims.get("operator_id"),
                    claims)
    if len(_VERIFIED) >= _MAX_VERIFIED:
        _VERIFIED.clear()
    _VERIFIED[cache_key] = who
    return who


class DevIssuer:
    """Local token issuer; its key pair lives under var/dev-issuer/."""

    def __init__(self, directory: Path, issuer: str = "cri-dev"):
        self.directory = directory
        self.issuer = issuer

    @property
    def public_key_file(self) -> Path:
        return self.directory / "public.pem"

    def ensure_keys(self) -> None:
        """The key pair, created once: the private key atomically with mode 0600."""
        from shared.infra.secrets import write_new
        private = self.directory / "private.pem"
        if self.public_key_file.exists():
            return
        if not private.exists():
            write_new(private, rsa.generate_private_key(
                public_exponent=65537, key_size=2048).private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption()))
        key = serialization.load_pem_private_key(private.read_bytes(), password=None)
        self.public_key_file.write_bytes(key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))

    def token(self, roles: list[str], centre: str, subject: str | None = None,
              operator_id: str | None = None, ttl: int = 8 * 3600, name: str = "") -> str:
        self.ensure_keys()
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": "cri-platform",
                  "sub": subject or f"dev-{roles[0]}-{centre}-{uuid.uuid4().hex[:6]}",
                  "roles": roles, "centre": centre, "iat": now, "exp": now + ttl}
        if operator_id:
            claims["operator_id"] = operator_id
        if name:
            claims["name"] = name
        return jwt.encode(claims, (self.directory / "private.pem").read_bytes(),
                          algorithm="RS256")
