"""The outbox relay: unpublished commits -> Kafka, in stream order, never dropped.

One drain at a time: take the queued commits (the outbox, renamed atomically), send
their events, wait for the broker's ack of all of them (acks=all, idempotent producer),
log them as published, then drop the drained collection. A crash between ack and log publishes the batch again
with the same `ce_id`s; consumers drop the duplicates. A broker outage only delays: the
producer is rebuilt and the batch retried with exponential back-off.

Order per stream is kept by construction: the relay knows the last published version of
every stream (read once from the published log at start), publishes a commit only if it
is the next one, and fetches a missing predecessor from the store itself. At start it
also sweeps the store for commits that never reached the outbox. One relay per store.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from kafka import KafkaProducer

from shared import metrics
from shared.events import envelope
from shared.store.commits import CommitStore

log = logging.getLogger(__name__)


class Relay:
    def __init__(self, store: CommitStore, producer_factory: Callable[[], KafkaProducer],
                 topic: str, source: str, batch_size: int = 1000,
                 max_backoff: float = 30.0, routes: dict[str, str] | None = None):
        self.store = store
        self.producer_factory = producer_factory
        self.topic = topic
        self.source = source
        self.batch_size = batch_size
        self.max_backoff = max_backoff
        # Event types that go to another topic than the service's own, e.g. transfer
        # messages to cri.region.transfers: same store, same chain, same guarantees.
        self.routes = routes or {}
        self._producer: KafkaProducer | None = None
        self._heads: dict[str, int] | None = None
        # Drains already published, kept `grace` seconds: an insert that raced the
        # rename can still land in them (seen on FerretDB); they are read once more,
        # then dropped.
        self._drained: dict[str, tuple[float, int]] = {}
        self.grace = 2.0

    def recover(self) -> int:
        """Load the published heads and queue whatever the outbox lost; returns that count."""
        self._heads = self.store.published_heads()
        return self.store.sweep(self._heads)

    def _in_order(self, docs: list[dict]) -> tuple[list[dict], list[dict]]:
        """Split a drain into what can go now (each stream's next versions) and what
        waits: a commit whose predecessor is not published yet is put back in the outbox
        after that predecessor, which is fetched from the store and queued too."""
        assert self._heads is not None
        nxt: dict[str, int] = {}
        ready, later, blocked = [], [], set()
        for doc in docs:
            sid, version = doc["stream_id"], doc["version"]
            expected = nxt.get(sid, self._heads.get(sid, 0) + 1)
            if version < expected:
                continue                      # published already (crash before drop)
            if version == expected and sid not in blocked:
                ready.append(doc)
                nxt[sid] = version + 1
                continue
            if sid not in blocked:
                blocked.add(sid)              # a predecessor never reached the outbox
                missing = self.store.find_commit(sid, expected)
                if missing is not None:
                    later.append(missing)
            later.append(doc)
        return ready, later

    def publish_batch(self) -> int:
        """Publish one drained batch; returns how many queued commits it handled."""
        if self._heads is None:
            self.recover()
        handled = 0
        now = time.monotonic()
        for name, (done_at, seen) in sorted(self._drained.items()):
            if now - done_at >= self.grace:
                if self.store.drain_grew(name, seen):  # a late insert landed: read again
                    handled += self._handle(self.store.read_drain(name))
                self.store.finish_drain(name)
                del self._drained[name]
        taken = self.store.take_outbox(skip=set(self._drained))
        if taken is None:
            return handled
        name, docs = taken
        handled += self._handle(docs)  # raises on a broker failure: the drain stays
        self._drained[name] = (time.monotonic(), len(docs))
        return handled

    def _handle(self, docs: list[dict]) -> int:
        ready, later = self._in_order(docs)
        for i in range(0, len(ready), self.batch_size):
            self._publish(ready[i:i + self.batch_size])
        for doc in later:
            self.store.enqueue(doc)           # back in the outbox, after its predecessor
        return len(ready) + len(later)

    def _publish(self, docs: list[dict]) -> None:
        producer = self._producer = self._producer or self.producer_factory()
        futures = []
        for doc in docs:
            for index, event in enumerate(doc["events"]):
                key, value, headers = envelope.encode(
                    self.source, doc["stream_id"], doc["version"], index, doc["recorded_at"],
                    event, doc.get("meta", {}).get("trace_id"))
                futures.append(producer.send(self.routes.get(event["type"], self.topic),
                                             key=key, value=value, headers=headers))
        producer.flush()
        for f in futures:
            f.get(timeout=0)  # raises the delivery error, if any: nothing is logged
        self.store.mark_published(docs)
        for d in docs:
            self._heads[d["stream_id"]] = d["version"]
        metrics.RELAY_PUBLISHED.labels(self.topic).inc(len(futures))

    def run(self, stop: threading.Event, idle_sleep: float = 0.05,
            max_idle_sleep: float = 1.0, sweep_every: float = 60.0) -> None:
        # On FerretDB's SQLite backend only `_id` equality is pushed down, so the outbox
        # query scans the collection: poll fast while there is work, slow down when idle.
        backoff, idle = 0.5, idle_sleep
        last_sweep = time.monotonic()
        while not stop.is_set():
            try:
                if time.monotonic() - last_sweep > sweep_every:
                    self.recover()  # the safety net: anything stored and never queued
                    last_sweep = time.monotonic()
                if self.publish_batch() == 0:
                    stop.wait(idle)
                    idle = min(idle * 2, max_idle_sleep)
                else:
                    idle = idle_sleep
                backoff = 0.5
            except Exception as exc:  # noqa: BLE001 - broker or store down: retry, never drop
                metrics.RELAY_ERRORS.labels(self.topic).inc()
                log.warning("relay batch failed, retrying in %.1fs: %s", backoff,
                            type(exc).__name__)
                self._reset_producer()
                stop.wait(backoff)
                backoff = min(backoff * 2, self.max_backoff)
        self._reset_producer()

    def _reset_producer(self) -> None:
        if self._producer is not None:
            try:
                self._producer.close(timeout=2)
            except Exception:  # noqa: BLE001 - closing a broken producer may fail too
                pass
            self._producer = None


def drain(relay: Relay, timeout: float = 60.0) -> None:
    """Publish until the outbox is empty (tests, CLI); drops the drains at once."""
    deadline = time.time() + timeout
    relay.grace = 0.0
    while relay.publish_batch() or relay._drained:
        if time.time() > deadline:
            raise TimeoutError("outbox not drained in time")
