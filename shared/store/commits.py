"""The commit store: one document per command, the atomic unit on MongoDB and FerretDB.

`_id = "<stream_id>:<zero-padded version>"` and a unique index on (stream_id, version) give
optimistic concurrency without transactions: whoever inserts a version first wins, the
other gets `ConcurrencyError`. Commits carry a SHA-256 hash chain per stream and are
never updated.

Why commits are insert-only, with a separate small outbox: on FerretDB's SQLite backend
(the local default) only `_id` equality is pushed down, and updates or deletes scan the
whole collection even by `_id` (measured: ~6 µs per stored document per statement). A
`published` flag on each commit would make every relay batch O(store size x batch). So
each append inserts the commit, then a copy into `outbox` (small: only what awaits the
broker); the relay reads and deletes there, and records what it published in the
insert-only `published` log. A commit whose outbox copy was lost (store outage between
the two inserts) is found again by the relay's gap check and start-up sweep.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterator, Protocol

from pymongo import ASCENDING
from pymongo.collection import Collection
from pymongo.errors import AutoReconnect, BulkWriteError, DuplicateKeyError, OperationFailure

from shared.errors import ConcurrencyError, PreconditionFailed
from shared.events.canonical import GENESIS, chain_hash
from shared.events.registry import EventRegistry
from shared.messages import DomainEvent


class PayloadCipher(Protocol):
    """Encrypts the private part of an event's data at rest (intake's per-person keys)."""

    def encrypt(self, stream_id: str, data: dict[str, Any]) -> dict[str, Any]: ...
    def decrypt(self, stream_id: str, data: dict[str, Any]) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Commit:
    stream_id: str
    version: int
    events: list[DomainEvent]
    recorded_at: str
    hash: str
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Stream:
    stream_id: str
    commits: list[Commit]

    @property
    def version(self) -> int:
        return self.commits[-1].version if self.commits else 0

    @property
    def head_hash(self) -> str:
        return self.commits[-1].hash if self.commits else GENESIS

    @property
    def events(self) -> list[DomainEvent]:
        return [e for c in self.commits for e in c.events]


@dataclass(frozen=True)
class Problem:
    stream_id: str
    version: int
    kind: str          # altered | missing | broken-link
    detail: str

    def __str__(self) -> str:
        return f"{self.stream_id} v{self.version}: {self.kind} ({self.detail})"


def commit_id(stream_id: str, version: int) -> str:
    return f"{stream_id}:{version:010d}"


def hashed_body(doc: dict[str, Any]) -> dict[str, Any]:
    """What the hash covers: everything but the hash itself."""
    return {k: doc[k] for k in ("_id", "stream_id", "version", "events", "recorded_at",
                                "meta", "prev_hash")}


class CommitStore:
    def __init__(self, collection: Collection, registry: EventRegistry,
                 cipher: PayloadCipher | None = None, cache_size: int = 20_000):
        self.collection = collection
        db, name = collection.database, collection.name
        self.outbox = db[f"{name}_outbox"]
        self.published = db[f"{name}_published"]
        self.registry = registry
        self.cipher = cipher
        # Raw stored commits of recently loaded streams (ciphertext: erasure still works).
        # Commits are immutable, so a cached prefix stays true; loads probe for newer ones.
        self._cache: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()

    def ensure_indexes(self) -> None:
        self.collection.create_index([("stream_id", ASCENDING), ("version", ASCENDING)],
                                     unique=True, name="stream_version")

    # -- writing ---------------------------------------------------------------
    def append(self, stream_id: str, events: list[DomainEvent], expected_version: int,
               prev_hash: str | None = None, meta: dict[str, Any] | None = None,
               if_match: bool = False) -> Commit:
        """Append one commit at `expected_version + 1`.

        `prev_hash` is the head hash the caller loaded with the stream; without it the
        head is read first (one more round trip). `if_match` makes a conflict a 412.
        """
        if not events:
            raise ValueError("a commit needs at least one event")
        checked = [self.registry.validate_for_write(e) for e in events]
        if prev_hash is None:
            head = self.collection.find_one({"_id": commit_id(stream_id, expected_version)},
                                            {"hash": 1}) if expected_version else None
            if expected_version and head is None:
                raise self._conflict(stream_id, expected_version, if_match)
            prev_hash = head["hash"] if head else GENESIS
        version = expected_version + 1
        stored = [{"type": e.type, "version": e.version,
                   "data": self.cipher.encrypt(stream_id, e.data) if self.cipher else e.data}
                  for e in checked]
        doc: dict[str, Any] = {
            "_id": commit_id(stream_id, version), "stream_id": stream_id, "version": version,
            "events": stored, "recorded_at": datetime.now(timezone.utc).isoformat(),
            "meta": meta or {}, "prev_hash": prev_hash}
        doc["hash"] = chain_hash(prev_hash, hashed_body(doc))
        try:
            self.collection.insert_one(doc)
        except DuplicateKeyError:
            raise self._conflict(stream_id, expected_version, if_match) from None
        self.enqueue(doc)
        return Commit(stream_id, version, checked, doc["recorded_at"], doc["hash"], doc["meta"])

    def enqueue(self, doc: dict[str, Any], attempts: int = 5) -> None:
        """Put a stored commit in the outbox (idempotent).

        An insert that races the relay's rename may fail on FerretDB ("no such table");
        it is retried into the fresh outbox. Should every attempt fail, the commit is
        still stored and the relay's periodic sweep queues it.
        """
        for attempt in range(attempts):
            try:
                self.outbox.insert_one(doc)
                return
            except DuplicateKeyError:
                return  # already queued (sweep and writer raced): one copy is enough
            except (OperationFailure, AutoReconnect):
                if attempt == attempts - 1:
                    return
                time.sleep(0.02 * (attempt + 1))

    @staticmethod
    def _conflict(stream_id: str, expected: int, if_match: bool) -> ConcurrencyError:
        cls = PreconditionFailed if if_match else ConcurrencyError
        return cls(f"le dossier {stream_id} a été modifié entre-temps (version {expected} "
                   "périmée) ; rechargez-le", message_en=f"stream {stream_id} changed since "
                   f"version {expected}; reload it")

    # -- reading ---------------------------------------------------------------
    def load(self, stream_id: str, up_to: int | None = None) -> Stream:
        """The stream's commits in order (up to a version, if given).

        A stream seen before is extended by probing `_id`s after its cached head (one
        indexed lookup when nothing changed); an unknown one is read in one query.
        """
        with self._lock:
            cached = self._cache.get(stream_id)
        if cached is None:
            docs = list(self.collection.find({"stream_id": stream_id}))
            docs.sort(key=lambda d: d["version"])
        else:
            docs = list(cached)
        while (nxt := self.collection.find_one(
                {"_id": commit_id(stream_id, (docs[-1]["version"] if docs else 0) + 1)})):
            docs.append(nxt)
        if docs:
            with self._lock:
                self._cache[stream_id] = docs
                self._cache.move_to_end(stream_id)
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        if up_to is not None:
            docs = [d for d in docs if d["version"] <= up_to]
        return Stream(stream_id, [self._decode(d) for d in docs])

    def _decode(self, doc: dict[str, Any]) -> Commit:
        events = []
        for ev in doc["events"]:
            data = self.cipher.decrypt(doc["stream_id"], ev["data"]) if self.cipher else ev["data"]
            events.append(self.registry.read(ev["type"], ev["version"], data))
        return Commit(doc["stream_id"], doc["version"], events, doc["recorded_at"],
                      doc["hash"], doc.get("meta", {}))

    def stream_ids(self) -> list[str]:
        return sorted(self.collection.distinct("stream_id"))

    def read_all(self, batch_size: int = 1000) -> Iterator[Commit]:
        """Every commit in (stream, version) order: replays and exports."""
        for doc in self.collection.find({}).sort("_id", ASCENDING).batch_size(batch_size):
            yield self._decode(doc)

    # -- outbox ----------------------------------------------------------------
    # The relay drains the outbox by renaming it (atomic, O(1)); writers go on inserting
    # into a fresh `outbox`; the renamed collection is read once, published, then
    # dropped (O(1)). No per-document delete or update: on FerretDB those scan.
    def _drains(self) -> list[str]:
        prefix = f"{self.outbox.name}_draining_"
        return sorted(n for n in self.collection.database.list_collection_names()
                      if n.startswith(prefix))

    def take_outbox(self, skip: set[str] | frozenset[str] = frozenset()
                    ) -> tuple[str, list[dict[str, Any]]] | None:
        """The oldest batch of queued commits (raw, in stream-version order), or None.

        `skip`: drains already handled and kept a moment for late inserts.
        """
        drains = [d for d in self._drains() if d not in skip]
        if not drains:
            if self.outbox.find_one({}, {"_id": 1}) is None:
                return None
            name = f"{self.outbox.name}_draining_{time.time_ns():020d}"
            try:
                self.outbox.rename(name)
            except OperationFailure:
                return None  # emptied or renamed by someone else meanwhile
            drains = [name]
        return drains[0], self.read_drain(drains[0])

    def drain_grew(self, name: str, seen: int) -> bool:
        """Whether more than `seen` documents are in the drain (skip/limit, no count)."""
        coll = self.collection.database[name]
        return next(iter(coll.find({}, {"_id": 1}).skip(seen).limit(1)), None) is not None

    def read_drain(self, name: str) -> list[dict[str, Any]]:
        docs = list(self.collection.database[name].find({}))
        docs.sort(key=lambda d: d["_id"])
        return docs

    def finish_drain(self, name: str) -> None:
        self.collection.database[name].drop()

    def unpublished(self, limit: int | None = None) -> list[dict[str, Any]]:
        """Everything queued (outbox and drains), in stream-version order (inspection)."""
        docs = [d for n in [*self._drains(), self.outbox.name]
                for d in self.collection.database[n].find({})]
        docs.sort(key=lambda d: d["_id"])
        return docs[:limit] if limit else docs

    def mark_published(self, docs: list[dict[str, Any]]) -> None:
        """After the broker's ack: log them as published (insert-only)."""
        if not docs:
            return
        try:
            self.published.insert_many([{"_id": d["_id"], "stream_id": d["stream_id"],
                                         "version": d["version"]} for d in docs],
                                       ordered=False)
        except BulkWriteError as exc:  # already logged by a run that crashed before drop
            if any(e.get("code") != 11000 for e in exc.details.get("writeErrors", [])):
                raise

    def count_unpublished(self) -> int:
        """Commits stored but not yet in the published log."""
        heads = self.published_heads()
        return sum(1 for d in self.collection.find({}, {"stream_id": 1, "version": 1})
                   if d["version"] > heads.get(d["stream_id"], 0))

    def published_heads(self) -> dict[str, int]:
        """Last published version of every stream, from the published log (one scan)."""
        heads: dict[str, int] = {}
        for d in self.published.find({}, {"stream_id": 1, "version": 1}):
            if d["version"] > heads.get(d["stream_id"], 0):
                heads[d["stream_id"]] = d["version"]
        return heads

    def find_commit(self, stream_id: str, version: int) -> dict[str, Any] | None:
        return self.collection.find_one({"_id": commit_id(stream_id, version)})

    def sweep(self, heads: dict[str, int]) -> int:
        """Queue every stored commit that is neither published nor queued (one scan)."""
        queued = {d["_id"] for d in self.unpublished()}
        missing = [d for d in self.collection.find({}, {"_id": 1, "stream_id": 1, "version": 1})
                   if d["version"] > heads.get(d["stream_id"], 0) and d["_id"] not in queued]
        for d in missing:
            doc = self.collection.find_one({"_id": d["_id"]})
            if doc:
                self.enqueue(doc)
        return len(missing)

    # -- audit -----------------------------------------------------------------
    def verify(self, stream_id: str | None = None) -> list[Problem]:
        """Recompute every chain; name each altered, missing or out-of-place commit."""
        query = {"stream_id": stream_id} if stream_id else {}
        problems: list[Problem] = []
        current, expected, prev = None, 1, GENESIS
        for doc in self.collection.find(query).sort("_id", ASCENDING):
            if doc["stream_id"] != current:
                current, expected, prev = doc["stream_id"], 1, GENESIS
            sid, version = doc["stream_id"], doc["version"]
            if doc["_id"] != commit_id(sid, version) or version != expected:
                problems.append(Problem(sid, version, "missing",
                                        f"version {expected} attendue, {version} trouvée"))
            if doc.get("prev_hash") != prev:
                problems.append(Problem(sid, version, "broken-link",
                                        "prev_hash ne suit pas le commit précédent"))
            if chain_hash(doc.get("prev_hash", ""), hashed_body(doc)) != doc.get("hash"):
                problems.append(Problem(sid, version, "altered",
                                        "le contenu ne correspond plus à son empreinte"))
            prev, expected = doc.get("hash"), version + 1
        return problems

    def heads(self) -> dict[str, tuple[int, str]]:
        """Last version and hash of every stream (what an anchor records)."""
        out: dict[str, tuple[int, str]] = {}
        for doc in self.collection.find({}, {"stream_id": 1, "version": 1, "hash": 1}):
            if doc["stream_id"] not in out or out[doc["stream_id"]][0] < doc["version"]:
                out[doc["stream_id"]] = (doc["version"], doc["hash"])
        return out
