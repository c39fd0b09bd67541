"""The outbox relay: stored commits -> Kafka, in stream order, never dropped, never stuck.

Each cycle reads the young buckets of the feed (`shared/store/feed.py`), sends each
bucket's commits it has not handled yet as soon as the bucket is read (reader threads
fetch the next ones meanwhile), and every `batch_size` commits waits for the broker's ack
of every one (acks=all, idempotent producer), then moves the persisted frontier up to
the first closed bucket not all sent (one write, however many buckets a catch-up
closes) and records the open buckets' ids in their checkpoints (one write per bucket,
not per commit). A crash between ack and checkpoint publishes them again with
the same `ce_id`s; consumers drop the duplicates. A broker outage only delays: the
producer is rebuilt and the batch retried with exponential back-off.

A commit the broker can never take (too large, unencodable) goes to the quarantine
collection with a metric and an error log, counts as handled, and the commits behind it
go on. Per stream order: buckets are read in order and sorted by (stream, version); a
commit whose predecessor is neither in a closed bucket nor handled (clock skew between
writers) has that predecessor sent first. One relay per store (the worker process).
"""
from __future__ import annotations

import logging
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from typing import Any, Callable, Iterator

from kafka import KafkaProducer
from kafka import errors as kafka_errors

from shared import metrics
from shared.events import envelope
from shared.store.commits import CommitStore
from shared.store.feed import GRACE_BUCKETS, RelayFeed, bucket_of

log = logging.getLogger(__name__)

# Broker answers that no retry will ever change: the commit is quarantined.
NEVER_ACCEPTED = tuple(getattr(kafka_errors, n) for n in (
    "MessageSizeTooLargeError", "RecordTooLargeError", "InvalidRecordError",
    "CorruptRecordError", "CorruptRecordException", "InvalidTopicError")
    if hasattr(kafka_errors, n))
MAX_BUCKETS_PER_CYCLE = 500   # a catch-up after downtime returns to the loop regularly
FLUSH_TIMEOUT = 30.0
READERS = 3                   # bucket reads in flight while a bucket is sent


class Relay:
    def __init__(self, store: CommitStore, producer_factory: Callable[[], KafkaProducer],
                 topic: str, source: str, batch_size: int = 1000,
                 max_backoff: float = 30.0, routes: dict[str, str] | None = None,
                 clock: Callable[[], float] | None = None):
        self.store = store
        self.clock = clock or store.clock
        self.feed = RelayFeed(store.collection, self.clock)
        self.producer_factory = producer_factory
        self.topic = topic
        self.source = source
        self.batch_size = batch_size
        self.max_backoff = max_backoff
        # Event types that go to another topic than the service's own, e.g. transfer
        # messages to cri.region.transfers: same store, same chain, same guarantees.
        self.routes = routes or {}
        self._producer: KafkaProducer | None = None
        self._frontier: int | None = None
        self._handled: dict[int, set[str]] = {}
        self._read_up_to = 0          # buckets in [frontier, read_up_to) were read once
        self._persisted = 0           # the frontier as stored
        self._recorded: set[int] = set()   # buckets that have a checkpoint document
        self._unsent: int | None = None    # the first bucket of this cycle not all sent
        self._heads: dict[str, int] = {}   # last handled (or sent) version per stream
        self._pending: list[tuple[dict[str, Any], list, str | None]] = []  # sent, no ack yet
        self._queued: set[str] = set()     # their ids
        self._encode = envelope.Encoder(source).encode

    # -- one cycle -----------------------------------------------------------------
    def publish_batch(self) -> int:
        """One pass over the late reports and the open buckets; returns commits handled."""
        if self._frontier is None:
            self._frontier, self._handled = self.feed.state()
            self._read_up_to = self._persisted = self._frontier
            self._recorded = set(self._handled)
        handled = self._late()
        now = bucket_of(self.clock())
        closable = now - GRACE_BUCKETS           # buckets below this may close
        reads: list[int] = []                    # this cycle's buckets, in order
        # Buckets read while young: close them once a count shows nothing came late.
        while self._frontier < min(self._read_up_to, closable):
            b = self._frontier
            if self.feed.count(b) > len(self._handled.get(b, ())):
                reads.append(b)
            self._close(b)
        # Fresh reads, the last bucket read again (it was still filling).
        first = max(self._frontier, self._read_up_to - 1)
        last = min(now, first + MAX_BUCKETS_PER_CYCLE)
        for b in range(first, last + 1):
            reads.append(b)
            if b == self._frontier and b < closable:
                self._close(b)                   # old already: this read was the last
        # Closed in memory only: persisted as soon as everything below is acknowledged.
        handled += self._send_buckets(reads)
        self._read_up_to = last + 1
        self._advance(self._frontier)
        return handled + (1 if last < now else 0)   # more to catch up: no idle sleep

    def _send_buckets(self, buckets: list[int]) -> int:
        """Send the buckets' commits in order as soon as each bucket is read, and settle
        (flush, acks, checkpoints) every `batch_size` commits."""
        handled, chunks = 0, self._read_ahead(buckets)
        try:
            for b, docs in chunks:
                self._unsent = b
                handled += self._send(docs)
            self._unsent = None
            return handled + self._settle()
        except BaseException:
            self._forget_pending()
            raise
        finally:
            self._unsent = None
            chunks.close()          # the reads still in flight are waited for, or cancelled

    def _read_ahead(self, buckets: list[int]) -> Iterator[tuple[int, list[dict[str, Any]]]]:
        """(bucket, commits) in order. Reader threads fetch the next buckets while one is
        sent: FerretDB decodes them in its own process while the producer works in ours,
        so the two costs overlap instead of adding up, and several reads in flight hide
        the round trips (a bucket of a slow or loaded writer holds few commits)."""
        if len(buckets) <= 1:
            yield from ((b, self.feed.read(b)) for b in buckets)
            return
        with ThreadPoolExecutor(READERS, thread_name_prefix="relay-read") as reader:
            ahead = deque((b, reader.submit(self.feed.read, b)) for b in buckets[:READERS * 2])
            rest = iter(buckets[READERS * 2:])
            try:
                while ahead:
                    b, chunk = ahead.popleft()
                    for nxt in islice(rest, 1):
                        ahead.append((nxt, reader.submit(self.feed.read, nxt)))
                    yield b, chunk.result()
            finally:
                for _, f in ahead:
                    f.cancel()

    def _close(self, b: int) -> None:
        self._frontier = b + 1

    def _late(self) -> int:
        handled = 0
        for report in self.feed.late_reports():
            sid, _, version = report["_id"].rpartition(":")
            doc = self.store.find_commit(sid, int(version))
            if doc is not None:
                handled += self._handle([doc])
            self.feed.clear_late(report["_id"])
        return handled

    # -- publishing ----------------------------------------------------------------
    def _is_handled(self, doc: dict[str, Any]) -> bool:
        assert self._frontier is not None
        b = doc.get("bucket")     # none: written before the relay had buckets, published then
        # Below the persisted frontier, not the one in memory: a bucket closed in memory
        # this cycle may not have been sent yet (a predecessor of a skewed writer).
        return b is None or b < self._persisted or doc["_id"] in self._handled.get(b, ())

    def _predecessors(self, doc: dict[str, Any]) -> list[dict[str, Any]]:
        """Unhandled earlier commits of the stream, oldest first (rare: clock skew)."""
        out: list[dict[str, Any]] = []
        sid, v = doc["stream_id"], doc["version"] - 1
        while v > self._heads.get(sid, 0):
            prev = self.store.find_commit(sid, v)
            if prev is None or self._is_handled(prev):
                break
            out.append(prev)
            v -= 1
        self._heads[sid] = max(self._heads.get(sid, 0), v)
        return out[::-1]

    def _handle(self, docs: list[dict[str, Any]]) -> int:
        """Send `docs` (and any unhandled predecessor), wait for every ack, record them."""
        return self._send(docs) + self._settle()

    def _send(self, docs: list[dict[str, Any]]) -> int:
        """Hand the commits not handled yet to the producer; returns how many were settled
        meanwhile (a single huge bucket is settled every `batch_size` commits)."""
        settled = 0
        try:
            producer = self._producer = self._producer or self.producer_factory()
            for doc in docs:
                if doc["_id"] in self._queued or doc["_id"] in self._handled.get(doc["bucket"], ()):
                    continue
                for d in [*self._predecessors(doc), doc]:
                    if d["_id"] not in self._queued:
                        self._queued.add(d["_id"])
                        self._heads[d["stream_id"]] = max(self._heads.get(d["stream_id"], 0),
                                                          d["version"])
                        self._pending.append(self._send_one(producer, d))
                if len(self._pending) >= self.batch_size:
                    settled += self._settle()
        except BaseException:
            self._forget_pending()
            raise
        return settled

    def _send_one(self, producer: KafkaProducer, doc: dict[str, Any]
                  ) -> tuple[dict[str, Any], list, str | None]:
        futures = []
        try:
            for index, event in enumerate(doc["events"]):
                key, value, headers = self._encode(
                    doc["stream_id"], doc["version"], index, doc["recorded_at"], event,
                    doc.get("meta", {}).get("trace_id"))
                futures.append(producer.send(self.routes.get(event["type"], self.topic),
                                             key=key, value=value, headers=headers))
        except NEVER_ACCEPTED + (ValueError, TypeError, UnicodeError) as exc:
            return doc, futures, f"{type(exc).__name__}: {exc}"
        return doc, futures, None

    def _forget_pending(self) -> None:
        """Sent but not acknowledged: nothing is recorded, the next cycle re-reads them
        (and, with no cached heads, checks every predecessor again)."""
        self._pending, self._queued = [], set()
        self._heads.clear()

    def _settle(self) -> int:
        """Wait for the ack of everything sent, quarantine what the broker can never take,
        record the rest in the buckets' checkpoints."""
        if not self._pending:
            return 0
        sent = self._pending
        try:
            self._producer.flush(timeout=FLUSH_TIMEOUT)   # a dead broker: KafkaTimeoutError
            rejected: dict[str, str] = {}
            for doc, futures, error in sent:
                if error:
                    rejected[doc["_id"]] = error
                for f in futures:
                    try:
                        f.get(timeout=0)
                    except NEVER_ACCEPTED as exc:
                        rejected.setdefault(doc["_id"], f"{type(exc).__name__}: {exc}")
                    # any other error raises: nothing recorded, the batch is retried
            self._record(sent, rejected)
        except BaseException:
            self._forget_pending()
            raise
        self._pending, self._queued = [], set()
        return len(sent)

    def _record(self, sent: list[tuple[dict[str, Any], list, str | None]],
                rejected: dict[str, str]) -> None:
        """Quarantine the rejected; then the frontier moves up to the first bucket not
        all sent (one write covers every closed bucket below it: no checkpoint for them,
        the case of a catch-up), and the open buckets get their checkpoints."""
        by_bucket: dict[int, set[str]] = {}
        events = 0
        for doc, futures, _ in sent:
            if doc["_id"] in rejected:
                self.feed.quarantine(doc, rejected[doc["_id"]])
                metrics.RELAY_QUARANTINED.labels(self.topic).inc()
                log.error("commit %s quarantined: the broker can never take it (%s)",
                          doc["_id"], rejected[doc["_id"]].split(":")[0])
            else:
                events += len(futures)
            by_bucket.setdefault(doc["bucket"], set()).add(doc["_id"])
        self._advance(self._frontier if self._unsent is None
                      else min(self._frontier, self._unsent))
        for b, ids in by_bucket.items():
            if b < self._persisted:
                continue          # below the frontier (or a late commit): nothing to record
            known = self._handled.setdefault(b, set())
            known |= ids
            self.feed.record(b, known)
            self._recorded.add(b)
        metrics.RELAY_PUBLISHED.labels(self.topic).inc(events)

    def _advance(self, frontier: int) -> None:
        """Persist the frontier (every bucket below it is closed and acknowledged) and
        delete the checkpoints below it, leftovers of a crash included."""
        if frontier <= self._persisted:
            return
        closed = sorted(b for b in self._recorded if b < frontier)
        self.feed.close(frontier, closed)
        self._persisted = frontier
        self._recorded.difference_update(closed)
        for b in [b for b in self._handled if b < frontier]:
            del self._handled[b]

    # -- the loop ------------------------------------------------------------------
    def run(self, stop: threading.Event, idle_sleep: float = 0.02,
            max_idle_sleep: float = 0.5) -> None:
        backoff, idle = 0.5, idle_sleep
        while not stop.is_set():
            try:
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
                self._frontier = None        # re-read the state: nothing is assumed
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
    """Publish until nothing stored is left unhandled (tests, CLI)."""
    deadline = time.time() + timeout
    while True:
        relay.publish_batch()
        if relay.feed.backlog() == 0:
            return
        if time.time() > deadline:
            raise TimeoutError("relay backlog not drained in time")
