"""Bearer JWTs (RS256): who calls, with which roles, for which centre.

Claims: `sub`, `roles` (list), `centre`, optional `operator_id`, `name`. In production
the tokens come from the OIDC provider (Keycloak); locally from the dev issuer, whose
key pair the launcher creates under var/ (`cri token --role accueil --centre cripel`).
"""
from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
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


def verify(token: str, public_key_pem: str, issuer: str) -> Principal:
    if not public_key_pem:
        raise Unauthorized("aucune clé de vérification configurée",
                           message_en="no token verification key configured")
    try:
        claims = jwt.decode(token, public_key_pem, algorithms=["RS256"], issuer=issuer,
                            options={"require": ["exp", "sub", "iss"]},
                            audience="cri-platform")
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"jeton invalide : {exc}", message_en=f"invalid token: {exc}") from None
    roles = frozenset(r for r in claims.get("roles", []) if r in ROLES)
    return Principal(claims["sub"], roles, claims.get("centre", ""), claims.get("operator_id"),
                     claims)


class DevIssuer:
    """Local token issuer; its key pair lives under var/dev-issuer/."""

    def __init__(self, directory: Path, issuer: str = "cri-dev"):
        self.directory = directory
        self.issuer = issuer

    @property
    def public_key_file(self) -> Path:
        return self.directory / "public.pem"

    def ensure_keys(self) -> None:
        private = self.directory / "private.pem"
        if private.exists():
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        private.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                              serialization.PrivateFormat.PKCS8,
                                              serialization.NoEncryption()))
        private.chmod(0o600)
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
