"""Chain heads anchored on the region topic (`audit.AuditHeadsAnchored` on cri.region.anchors).

Each writer's worker (intake, pathway, partners of every centre) publishes, every
`interval` seconds, the head (version, hash) of every stream of its store that moved
since the last anchor. The heads are found by equality on the relay's `bucket` index
(cost = the commits of those buckets, whatever the store holds); the first anchor of a
store reads every head once. The region topic keeps everything, and a centre cannot
rewrite it: `cri audit verify` reads it back and names a stream that was deleted, cut
short or rewritten since it was anchored (`shared.store.audit.verify(anchored=...)`).

The `ce_id` of an anchor is derived from its bucket range, so a re-sent anchor (crash
between the broker's ack and the cursor write) is the same message. An anchor carries an
HMAC under the centre's audit key (`mac`): every centre may write the region topic, but
none can forge another's anchors (the reader drops an anchor whose mac does not match).
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import time
from datetime import datetime, timezone
from typing import Callable, Iterator

import marshmallow as ma
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.errors import KafkaError
from pymongo.errors import PyMongoError

from shared import metrics
from shared.events import envelope
from shared.events.canonical import canonical_json
from shared.events.registry import EventRegistry
from shared.messages import DomainEvent
from shared.store import audit
from shared.store.layout import logical
from shared.store.commits import CommitStore
from shared.store.feed import GRACE_BUCKETS, bucket_of

log = logging.getLogger(__name__)

EVENT_TYPE = "audit.AuditHeadsAnchored"
CHUNK = 2000                   # heads per message: far below the 512 KiB event limit
MAX_BUCKETS_PER_CYCLE = 5000   # a catch-up after downtime returns to the loop regularly


class Head(ma.Schema):
    stream_id = ma.fields.String(required=True)
    version = ma.fields.Integer(required=True, validate=ma.validate.Range(min=1))
    hash = ma.fields.String(required=True, validate=ma.validate.Length(equal=64))


class AuditHeadsAnchoredV1(ma.Schema):
    """Heads of the streams of one store that changed in a range of buckets."""

    store = ma.fields.String(required=True)          # database name, e.g. cri_cripel_intake
    from_bucket = ma.fields.Integer(required=True)   # -1: every head of the store
    to_bucket = ma.fields.Integer(required=True)     # exclusive
    anchored_at = ma.fields.String(required=True)
    heads = ma.fields.List(ma.fields.Nested(Head), required=True)
    mac = ma.fields.String(load_default=None, allow_none=True)   # HMAC-SHA256, audit key


def mac(data: dict, key: bytes) -> str:
    body = {k: v for k, v in data.items() if k != "mac"}
    return hmac.new(key, b"cri-anchor/1\x00" + canonical_json(body), hashlib.sha256).hexdigest()


def register(registry: EventRegistry) -> None:
    registry.register(EVENT_TYPE, 1, AuditHeadsAnchoredV1)


class Anchorer:
    """A worker component: `run(stop)` anchors every `interval` seconds until `stop`."""

    def __init__(self, store: CommitStore, store_name: str, source: str,
                 producer_factory: Callable[[], KafkaProducer], interval: float = 30.0,
                 clock: Callable[[], float] = time.time):
        self.store = store
        self.store_name = store_name
        self.source = source
        self.producer_factory = producer_factory
        self.interval = interval
        self.clock = clock
        self.cursor = store.collection.database[f"{store.collection.name}_anchor"]
        self._producer: KafkaProducer | None = None

    def run(self, stop: threading.Event) -> None:
        try:
            while not stop.wait(self.interval):
                try:
                    self.anchor_once()
                except (PyMongoError, KafkaError, ConnectionError, TimeoutError) as exc:
                    # An outage only delays the anchor (the cursor did not move): the
                    # relay and the consumers of this worker go on.
                    log.warning("anchor of %s delayed: %s", self.store_name, type(exc).__name__)
                    self._drop_producer()
        finally:
            self._drop_producer()

    def _drop_producer(self) -> None:
        if self._producer is not None:
            try:
                self._producer.close(timeout=5)
            finally:
                self._producer = None

    def anchor_once(self) -> int:
        """Publish the heads that moved since the last anchor; returns how many."""
        state = self.cursor.find_one({"_id": "cursor"})
        up_to = bucket_of(self.clock()) - GRACE_BUCKETS   # closed to on-time writers
        if state is None:
            start, found = -1, audit.heads(self.store.collection)
        else:
            start = state["bucket"]
            up_to = min(up_to, start + MAX_BUCKETS_PER_CYCLE)
            if up_to <= start:
                return 0
            found = audit.heads(self.store.collection, self._docs(start, up_to))
        heads = [{"stream_id": s, "version": v, "hash": h} for s, (v, h) in sorted(found.items())]
        self._publish(start, up_to, heads)
        self.cursor.replace_one({"_id": "cursor"}, {"_id": "cursor", "bucket": up_to},
                                upsert=True)
        return len(heads)

    def _docs(self, start: int, end: int) -> Iterator[dict]:
        for b in range(start, end):
            yield from map(logical, self.store.collection.find(
                {"bucket": b}, {"stream_id": 1, "version": 1, "hash": 1, "body": 1}))

    def _publish(self, start: int, end: int, heads: list[dict]) -> None:
        if not heads:
            return
        self._producer = self._producer or self.producer_factory()
        now = datetime.now(timezone.utc).isoformat()
        subject = f"anchors-{self.store_name}"
        futures = []
        for index, offset in enumerate(range(0, len(heads), CHUNK)):
            data = {"store": self.store_name, "from_bucket": start, "to_bucket": end,
                    "anchored_at": now, "heads": heads[offset:offset + CHUNK]}
            if self.store.audit_key:
                data["mac"] = mac(data, self.store.audit_key)
            checked = self.store.registry.validate_for_write(DomainEvent(EVENT_TYPE, data))
            key, value, headers = envelope.encode(
                self.source, subject, max(end, 0), index, now,
                {"type": checked.type, "version": checked.version, "data": checked.data})
            futures.append(self._producer.send(envelope.REGION_ANCHORS, key=key, value=value,
                                               headers=headers))
        for f in futures:
            f.get(timeout=30)
        metrics.ANCHORS_PUBLISHED.labels(self.store_name).inc(len(futures))
        log.info("anchored %d stream heads of %s", len(heads), self.store_name)


def read_anchored(consumer: KafkaConsumer, keys: dict[str, bytes]
                  ) -> dict[str, audit.Heads]:
    """Every anchor on the region topic -> {source: {stream: (version, hash)}}, the
    latest version per stream. `keys`: centre -> audit key; an anchor of a centre with a
    key counts only if its mac matches."""
    parts = [TopicPartition(envelope.REGION_ANCHORS, p)
             for p in sorted(consumer.partitions_for_topic(envelope.REGION_ANCHORS) or [])]
    out: dict[str, audit.Heads] = {}
    if not parts:
        return out
    consumer.assign(parts)
    consumer.seek_to_beginning(*parts)
    ends = consumer.end_offsets(parts)
    while any(consumer.position(p) < ends[p] for p in parts):
        for records in consumer.poll(timeout_ms=1000).values():
            for rec in records:
                _record(rec, keys, out)
    return out


def _record(rec, keys: dict[str, bytes], out: dict[str, audit.Heads]) -> None:
    try:
        env = envelope.decode(rec.headers, rec.value)
    except ValueError:
        return
    key = keys.get(env.centre)
    if env.type != EVENT_TYPE or (key and not hmac.compare_digest(
            str(env.data.get("mac")), mac(env.data, key))):
        log.warning("anchor %s from %s ignored: not a valid anchor", env.id, env.source)
        return
    heads = out.setdefault(env.source, {})
    for h in env.data.get("heads", []):
        if h["stream_id"] not in heads or heads[h["stream_id"]][0] < h["version"]:
            heads[h["stream_id"]] = (h["version"], h["hash"])
