"""Canonical JSON and the per-stream hash chain.

Two schemes, named by the commit's `chain` field (part of what is hashed):
- 1 (no field: commits written before the key existed): sha256(prev_hash || body);
- 2: HMAC-SHA256(audit key, prev_hash || body), the centre's audit key: whoever can
  write to the store cannot recompute a chain without it.
`body` is the canonical JSON of the commit without its hash, over what is stored
(ciphertext included), so destroying a person's key never breaks verification.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

GENESIS = "0" * 64
PLAIN_CHAIN, KEYED_CHAIN = 1, 2


class MissingAuditKey(Exception):
    """A keyed commit cannot be hashed (nor verified) without the centre's audit key."""


def canonical_json(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=str).encode("utf-8")


def chain_hash(prev_hash: str, body: dict[str, Any], key: bytes | None = None) -> str:
    """The hash of `body` under the scheme its `chain` field names."""
    message = prev_hash.encode("ascii") + canonical_json(body)
    if body.get("chain", PLAIN_CHAIN) == PLAIN_CHAIN:
        return hashlib.sha256(message).hexdigest()
    if not key:
        raise MissingAuditKey("audit key required for a keyed hash chain")
    return hmac.new(key, message, hashlib.sha256).hexdigest()
