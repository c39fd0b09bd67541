"""The commit store: append and load streams; one document per command.

`_id = "<stream_id>:<zero-padded version>"` and a unique index on (stream_id, version) give
optimistic concurrency without transactions: whoever inserts a version first wins, the
other gets `ConcurrencyError`. One insert per append is the whole hot path: the commit
document is also the outbox entry (its `bucket` field is what the relay feed reads, see
`shared/store/feed.py`) and carries the per-stream hash chain (`shared/store/audit.py`).
At rest a commit is its queried fields plus one JSON string (`shared/store/layout.py`);
every read gives back the logical commit, whichever layout it was written in.

Loads are one equality query on `stream_id`: on FerretDB/PostgreSQL with the launcher's
GIN mirrors it costs the same at 100,000 commits as at 1,000 (see `bench/`), so there is
no cache and no probing.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterator, Protocol

from pymongo import ASCENDING
from pymongo.collection import Collection
from pymongo.errors import BulkWriteError, DuplicateKeyError

from shared.errors import ConcurrencyError, PayloadTooLarge, PreconditionFailed
from shared.events.canonical import GENESIS, KEYED_CHAIN, canonical_json, chain_hash
from shared.events.registry import EventRegistry
from shared.messages import DomainEvent
from shared.store import feed
from shared.store.layout import beside, is_commit, logical, stored

# Kafka's default message.max.bytes is 1 MiB: a commit's event bigger than this could
# never be published, so it is refused at the door (413) rather than quarantined later.
MAX_EVENT_BYTES = 512 * 1024
_DUPLICATE = 11000


class AlongsideExists(Exception):
    """`alongside[index]` of an append was already stored: the documents before it were
    written, it and the commit were not."""

    def __init__(self, index: int):
        super().__init__(f"document {index} written alongside the commit already exists")
        self.index = index


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


def commit_id(stream_id: str, version: int) -> str:
    return f"{stream_id}:{version:010d}"


def hashed_body(doc: dict[str, Any]) -> dict[str, Any]:
    """What the hash covers: everything but the hash itself and the relay's bucket; the
    scheme's version (`chain`) is covered where the commit has one."""
    return {k: doc[k] for k in ("_id", "stream_id", "version", "events", "recorded_at",
                                "meta", "prev_hash", "chain") if k != "chain" or k in doc}


class CommitStore:
    def __init__(self, collection: Collection, registry: EventRegistry,
                 cipher: PayloadCipher | None = None,
                 clock: Callable[[], float] = time.time, audit_key: bytes | None = None):
        self.collection = collection
        self.registry = registry
        self.cipher = cipher
        self.clock = clock
        self.audit_key = audit_key    # HMAC chain (scheme 2); without it, plain SHA-256

    def ensure_indexes(self) -> None:
        self.collection.create_index([("stream_id", ASCENDING), ("version", ASCENDING)],
                                     unique=True, name="stream_version")
        feed.RelayFeed(self.collection, self.clock).ensure_ready()

    # -- writing ---------------------------------------------------------------
    def append(self, stream_id: str, events: list[DomainEvent], expected_version: int,
               prev_hash: str | None = None, meta: dict[str, Any] | None = None,
               if_match: bool = False, alongside: list[dict[str, Any]] = ()) -> Commit:
        """Append one commit at `expected_version + 1`.

        `prev_hash` is the head hash the caller loaded with the stream; without it the
        head is read first (one more round trip). `if_match` makes a conflict a 412.
        `alongside`: documents kept beside the commits (`layout.beside`) written first,
        in the same ordered insert — one round trip (a registration's claim and data
        key); the first of them already stored raises `AlongsideExists`.
        """
        if not events:
            raise ValueError("a commit needs at least one event")
        checked = [self.registry.validate_for_write(e) for e in events]
        if prev_hash is None:
            head = self.find_commit(stream_id, expected_version) if expected_version else None
            if expected_version and head is None:
                raise self._conflict(stream_id, expected_version, if_match)
            prev_hash = head["hash"] if head else GENESIS
        version = expected_version + 1
        at_rest = [{"type": e.type, "version": e.version,
                    "data": self.cipher.encrypt(stream_id, e.data) if self.cipher else e.data}
                   for e in checked]
        for ev in at_rest:
            if len(canonical_json(ev["data"])) > MAX_EVENT_BYTES:
                raise PayloadTooLarge(
                    f"l'événement {ev['type']} dépasse {MAX_EVENT_BYTES // 1024} Kio ; "
                    "rien n'a été enregistré",
                    message_en=f"event {ev['type']} exceeds {MAX_EVENT_BYTES // 1024} KiB")
        doc: dict[str, Any] = {
            "_id": commit_id(stream_id, version), "stream_id": stream_id, "version": version,
            "events": at_rest, "recorded_at": datetime.now(timezone.utc).isoformat(),
            "meta": meta or {}, "prev_hash": prev_hash}
        if self.audit_key:
            doc["chain"] = KEYED_CHAIN
        doc["hash"] = chain_hash(prev_hash, hashed_body(doc), self.audit_key)
        started = self.clock()
        doc["bucket"] = feed.bucket_of(started)
        try:
            if alongside:
                self.collection.insert_many([*map(beside, alongside), stored(doc)],
                                            ordered=True)
            else:
                self.collection.insert_one(stored(doc))
        except DuplicateKeyError:
            raise self._conflict(stream_id, expected_version, if_match) from None
        except BulkWriteError as exc:
            first = exc.details["writeErrors"][0]
            if first["code"] != _DUPLICATE:
                raise
            if first["index"] < len(alongside):
                raise AlongsideExists(first["index"]) from None
            raise self._conflict(stream_id, expected_version, if_match) from None
        if self.clock() - started > feed.LATE_AFTER:
            # The relay may have closed the bucket meanwhile: tell it directly.
            feed.RelayFeed(self.collection, self.clock).report_late(doc)
        return Commit(stream_id, version, checked, doc["recorded_at"], doc["hash"], doc["meta"])

    @staticmethod
    def _conflict(stream_id: str, expected: int, if_match: bool) -> ConcurrencyError:
        cls = PreconditionFailed if if_match else ConcurrencyError
        return cls(f"le dossier {stream_id} a été modifié entre-temps (version {expected} "
                   "périmée) ; rechargez-le", message_en=f"stream {stream_id} changed since "
                   f"version {expected}; reload it")

    # -- reading ---------------------------------------------------------------
    def load(self, stream_id: str, up_to: int | None = None) -> Stream:
        """The stream's commits in order (up to a version, if given): one query."""
        docs = sorted(map(logical, filter(is_commit, self.collection.find(
            {"stream_id": stream_id}))), key=lambda d: d["version"])
        if up_to is not None:
            docs = [d for d in docs if d["version"] <= up_to]
        return Stream(stream_id, [self.decode(d) for d in docs])

    def find_commit(self, stream_id: str, version: int) -> dict[str, Any] | None:
        """One stored commit as it is at rest (ciphertext, logical layout), by `_id`."""
        doc = self.collection.find_one({"_id": commit_id(stream_id, version)})
        return None if doc is None else logical(doc)

    def decode(self, doc: dict[str, Any]) -> Commit:
        doc = logical(doc)
        events = []
        for ev in doc["events"]:
            data = self.cipher.decrypt(doc["stream_id"], ev["data"]) if self.cipher else ev["data"]
            events.append(self.registry.read(ev["type"], ev["version"], data))
        return Commit(doc["stream_id"], doc["version"], events, doc["recorded_at"],
                      doc["hash"], doc.get("meta", {}))

    def stream_ids(self) -> list[str]:
        return sorted({d["stream_id"] for d in self.collection.find(
            {}, {"stream_id": 1, "version": 1}) if is_commit(d)})

    def read_all(self, batch_size: int = 1000) -> Iterator[Commit]:
        """Every commit in (stream, version) order: replays and exports."""
        for doc in self.collection.find({}).sort("_id", ASCENDING).batch_size(batch_size):
            if is_commit(doc):
                yield self.decode(doc)

    def count(self) -> int:
        """How many commits (the documents kept beside them not counted)."""
        return sum(1 for d in self.collection.find(
            {}, {"stream_id": 1, "version": 1}) if is_commit(d))
