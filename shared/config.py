"""One typed configuration object per process, read from environment variables.

Secrets (`CRI_MASTER_KEY`, `CRI_REGIONAL_SECRET`) are read from `<NAME>_FILE` when it is
set (a mounted secret file), else from `<NAME>`; they never appear in the config's repr.
A process receives only the secrets it uses (intake alone holds them).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field


def _env(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise RuntimeError(f"missing environment variable {name}")
    return value


@dataclass(frozen=True)
class Config:
    service: str                      # intake | pathway | partners | reporting
    centre: str                       # centre id, or "region" for reporting
    kafka_bootstrap_servers: str
    mongodb_uri: str
    mongodb_db: str
    jwt_public_key: str = ""          # PEM; empty disables nothing: every call is refused
    jwt_issuer: str = "cri-dev"
    master_key: str = field(default="", repr=False)       # base64, wraps per-person keys (intake)
    regional_secret: str = field(default="", repr=False)  # base64, pseudonyms (intake, every centre)
    centre_private_key: str = field(default="", repr=False)  # PEM X25519, opens bundles for us
    centre_public_keys: dict[str, str] = field(default_factory=dict)  # centre -> PEM
    signing_key: str = field(default="", repr=False)   # PEM Ed25519, signs our bundles
    signing_public_keys: dict[str, str] = field(default_factory=dict)  # centre -> PEM
    audit_key: str = field(default="", repr=False)     # base64, HMAC of our hash chains
    mongodb_username: str = ""        # production: each service logs in to its own database
    mongodb_password: str = field(default="", repr=False)
    public_base_url: str = ""
    pathway_url: str = ""             # intake: the centre's pathway service (access export)
    metrics_port: int = 0
    relay_batch: int = 1000
    public_rate_limit: str = "30 per minute"   # per client address, public pages
    directory_rate_limit: str = "120 per minute"   # per client address, public directory
    anchor_seconds: float = 30.0      # chain heads anchored on the region topic this often
    extra: dict[str, str] = field(default_factory=dict)

    @staticmethod
    def from_env(service: str | None = None) -> "Config":
        service = service or _env("CRI_SERVICE")
        centre = _env("CRI_CENTRE", "region" if service == "reporting" else None)
        keys = {}
        for item in filter(None, os.environ.get("CRI_CENTRE_PUBLIC_KEYS_DIR", "").split(",")):
            keys.update(_read_public_keys(item))
        signing = {}
        for item in filter(None, os.environ.get("CRI_SIGNING_PUBLIC_KEYS_DIR", "").split(",")):
            signing.update(_read_public_keys(item))
        return Config(
            service=service, centre=centre,
            kafka_bootstrap_servers=_env("KAFKA_BOOTSTRAP_SERVERS"),
            mongodb_uri=_env("MONGODB_URI"),
            mongodb_db=os.environ.get("MONGODB_DB", f"cri_{centre}_{service}"),
            jwt_public_key=_read(os.environ.get("CRI_JWT_PUBLIC_KEY_FILE")),
            jwt_issuer=os.environ.get("CRI_JWT_ISSUER", "cri-dev"),
            master_key=secret("CRI_MASTER_KEY"),
            regional_secret=secret("CRI_REGIONAL_SECRET"),
            centre_private_key=_read(os.environ.get("CRI_CENTRE_PRIVATE_KEY_FILE")),
            centre_public_keys=keys,
            signing_key=_read(os.environ.get("CRI_SIGNING_KEY_FILE")),
            signing_public_keys=signing,
            audit_key=os.environ.get("CRI_AUDIT_KEY") or _read(
                os.environ.get("CRI_AUDIT_KEY_FILE")).strip(),
            mongodb_username=os.environ.get("MONGODB_USERNAME", ""),
            mongodb_password=_read(os.environ.get("MONGODB_PASSWORD_FILE")).strip(),
            public_base_url=os.environ.get("CRI_PUBLIC_BASE_URL", ""),
            pathway_url=os.environ.get("CRI_PATHWAY_URL", ""),
            metrics_port=int(os.environ.get("CRI_METRICS_PORT", "0")),
            relay_batch=int(os.environ.get("CRI_RELAY_BATCH", "1000")),
            public_rate_limit=os.environ.get("CRI_PUBLIC_RATE_LIMIT", "30 per minute"),
            directory_rate_limit=os.environ.get("CRI_DIRECTORY_RATE_LIMIT", "120 per minute"),
            anchor_seconds=float(os.environ.get("CRI_AUDIT_ANCHOR_SECONDS", "30")),
        )

    @property
    def source(self) -> str:
        return f"/cri/{self.centre}/{self.service}"


def secret(name: str) -> str:
    """`<name>_FILE`'s content (stripped) when set, else `<name>`, else ""."""
    path = os.environ.get(f"{name}_FILE")
    return _read(path).strip() if path else os.environ.get(name, "")


def kafka_security() -> dict[str, str]:
    """kafka-python's security settings from the environment; empty (PLAINTEXT) locally.

    Production (deploy/): KAFKA_SECURITY_PROTOCOL=SSL with a client certificate per
    centre (KAFKA_SSL_CERTFILE, KAFKA_SSL_KEYFILE; its CN is the principal the ACLs of
    deploy/kafka/acls.sh name) and KAFKA_SSL_CAFILE; or SASL_SSL with
    KAFKA_SASL_MECHANISM (default SCRAM-SHA-512), KAFKA_SASL_USERNAME and
    KAFKA_SASL_PASSWORD_FILE (or KAFKA_SASL_PASSWORD)."""
    protocol = os.environ.get("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT")
    if protocol == "PLAINTEXT":
        return {}
    out = {"security_protocol": protocol}
    if protocol.startswith("SASL"):
        out.update(sasl_mechanism=os.environ.get("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"),
                   sasl_plain_username=_env("KAFKA_SASL_USERNAME"),
                   sasl_plain_password=os.environ.get("KAFKA_SASL_PASSWORD") or _read(
                       _env("KAFKA_SASL_PASSWORD_FILE")).strip())
    for name in ("cafile", "certfile", "keyfile"):
        if os.environ.get(f"KAFKA_SSL_{name.upper()}"):
            out[f"ssl_{name}"] = os.environ[f"KAFKA_SSL_{name.upper()}"]
    return out


def _read(path: str | None) -> str:
    if not path:
        return ""
    with open(path) as f:
        return f.read()


def _read_public_keys(directory: str) -> dict[str, str]:
    """<dir>/<centre>.pub.pem files -> {centre: pem}."""
    out = {}
    if os.path.isdir(directory):
        for name in os.listdir(directory):
            if name.endswith(".pub.pem"):
                out[name[: -len(".pub.pem")]] = _read(os.path.join(directory, name))
    return out
