"""Audit of a commit collection: recompute every stream's hash chain, list chain heads.

The chain is computed over what is stored (ciphertext included), so erasing a person's
key never breaks verification; `verify` names each altered, missing or reordered commit.
"""
from __future__ import annotations

from dataclasses import dataclass

from pymongo import ASCENDING
from pymongo.collection import Collection

from shared.events.canonical import GENESIS, chain_hash
from shared.store.commits import commit_id, hashed_body
from shared.store.layout import BODY, TOP_LEVEL, logical


@dataclass(frozen=True)
class Problem:
    stream_id: str
    version: int
    kind: str          # altered | missing | broken-link
    detail: str

    def __str__(self) -> str:
        return f"{self.stream_id} v{self.version}: {self.kind} ({self.detail})"


def verify(collection: Collection, stream_id: str | None = None) -> list[Problem]:
    """Recompute every chain (one ordered pass over the collection)."""
    query = {"stream_id": stream_id} if stream_id else {}
    problems: list[Problem] = []
    current, expected, prev = None, 1, GENESIS
    for raw in collection.find(query).sort("_id", ASCENDING):
        sid, version = raw["stream_id"], raw["version"]
        if sid != current:
            current, expected, prev = sid, 1, GENESIS
        if raw["_id"] != commit_id(sid, version) or version != expected:
            problems.append(Problem(sid, version, "missing",
                                    f"version {expected} attendue, {version} trouvée"))
        try:
            doc = logical(raw)
            body = hashed_body(doc)
        except (ValueError, KeyError, TypeError):   # a body that is no longer a commit
            problems.append(Problem(sid, version, "altered", "le commit est illisible"))
            prev, expected = None, version + 1
            continue
        if doc.get("prev_hash") != prev:
            problems.append(Problem(sid, version, "broken-link",
                                    "prev_hash ne suit pas le commit précédent"))
        extra = sorted(set(raw) - {*TOP_LEVEL, BODY}) if BODY in raw else []
        if extra or chain_hash(doc.get("prev_hash", ""), body) != doc.get("hash"):
            problems.append(Problem(sid, version, "altered",
                                    "le contenu ne correspond plus à son empreinte"))
        prev, expected = doc.get("hash"), version + 1
    return problems


def heads(collection: Collection) -> dict[str, tuple[int, str]]:
    """Last version and hash of every stream (what an anchor records)."""
    out: dict[str, tuple[int, str]] = {}
    for raw in collection.find({}, {"stream_id": 1, "version": 1, "hash": 1, "body": 1}):
        doc = logical(raw)
        if doc["stream_id"] not in out or out[doc["stream_id"]][0] < doc["version"]:
            out[doc["stream_id"]] = (doc["version"], doc["hash"])
    return out
