"""Audit of a commit collection: recompute every stream's hash chain, list chain heads,
compare with the heads anchored on the region topic.

The chain is computed over what is stored (ciphertext included), so erasing a person's
key never breaks verification. Commits of scheme 2 (`chain: 2`) are HMACs under the
centre's audit key; older ones (no `chain`) plain SHA-256 and still verify. `verify`
names each altered, missing or reordered commit, a stream that falls back to the plain
scheme after a keyed commit (downgraded), and, given the anchored heads, every stream
that was deleted or cut short since it was anchored.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from pymongo import ASCENDING
from pymongo.collection import Collection

from shared.events.canonical import GENESIS, KEYED_CHAIN, MissingAuditKey, chain_hash
from shared.store.commits import commit_id, hashed_body
from shared.store.layout import BODY, TOP_LEVEL, is_commit, logical

Heads = dict[str, tuple[int, str]]   # stream id -> (version, hash)


@dataclass(frozen=True)
class Problem:
    stream_id: str
    version: int
    kind: str    # altered | missing | broken-link | downgraded | no-key | deleted | truncated
    detail: str

    def __str__(self) -> str:
        return f"{self.stream_id} v{self.version}: {self.kind} ({self.detail})"


def verify(collection: Collection, stream_id: str | None = None, key: bytes | None = None,
           anchored: Heads | None = None) -> list[Problem]:
    """Recompute every chain (one ordered pass over the collection); with `anchored`,
    also check that each anchored head is still there, unchanged."""
    query = {"stream_id": stream_id} if stream_id else {}
    anchored = {s: h for s, h in (anchored or {}).items() if not stream_id or s == stream_id}
    problems: list[Problem] = []
    last: Heads = {}
    current, expected, prev, keyed = None, 1, GENESIS, False
    for raw in collection.find(query).sort("_id", ASCENDING):
        if not is_commit(raw):       # a data key or a claim kept beside the commits
            continue
        sid, version = raw["stream_id"], raw["version"]
        if sid != current:
            current, expected, prev, keyed = sid, 1, GENESIS, False
        if raw["_id"] != commit_id(sid, version) or version != expected:
            problems.append(Problem(sid, version, "missing",
                                    f"version {expected} attendue, {version} trouvée"))
        try:
            doc = logical(raw)
            body = hashed_body(doc)
        except (ValueError, KeyError, TypeError):   # a body that is no longer a commit
            problems.append(Problem(sid, version, "altered", "le commit est illisible"))
            prev, expected = None, version + 1
            last[sid] = (version, None)
            continue
        if doc.get("prev_hash") != prev:
            problems.append(Problem(sid, version, "broken-link",
                                    "prev_hash ne suit pas le commit précédent"))
        if keyed and doc.get("chain") != KEYED_CHAIN:
            problems.append(Problem(sid, version, "downgraded",
                                    "empreinte non signée après un commit signé"))
        keyed = keyed or doc.get("chain") == KEYED_CHAIN
        extra = sorted(set(raw) - {*TOP_LEVEL, BODY}) if BODY in raw else []
        try:
            if extra or chain_hash(doc.get("prev_hash", ""), body, key) != doc.get("hash"):
                problems.append(Problem(sid, version, "altered",
                                        "le contenu ne correspond plus à son empreinte"))
        except MissingAuditKey:
            problems.append(Problem(sid, version, "no-key",
                                    "clé d'audit du centre absente : empreinte invérifiable"))
        if sid in anchored and version == anchored[sid][0] and doc.get("hash") != anchored[sid][1]:
            problems.append(Problem(sid, version, "altered",
                                    "l'empreinte diffère de celle ancrée sur le topic régional"))
        prev, expected = doc.get("hash"), version + 1
        last[sid] = (version, doc.get("hash"))
    for sid, (version, _) in sorted(anchored.items()):
        if sid not in last:
            problems.append(Problem(sid, version, "deleted",
                                    f"flux supprimé : ancré jusqu'à la version {version}"))
        elif last[sid][0] < version:
            problems.append(Problem(sid, version, "truncated",
                                    f"ancré jusqu'à la version {version}, il s'arrête à "
                                    f"la version {last[sid][0]}"))
    return problems


def heads(collection: Collection, docs: Iterable[dict] | None = None) -> Heads:
    """Last version and hash of every stream (what an anchor records); of `docs` if
    given (the commits of a few buckets), else of the whole collection."""
    out: Heads = {}
    if docs is None:
        docs = collection.find({}, {"stream_id": 1, "version": 1, "hash": 1, BODY: 1})
    for doc in map(logical, filter(is_commit, docs)):
        if doc["stream_id"] not in out or out[doc["stream_id"]][0] < doc["version"]:
            out[doc["stream_id"]] = (doc["version"], doc["hash"])
    return out
