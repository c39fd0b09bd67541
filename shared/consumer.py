"""The consumer loop: at-least-once in, exactly-once effect in the projection.

Poll a batch, decode each record (CloudEvents headers, registry validation and upcast),
hand the good ones to the handler (which writes idempotently), send the bad ones to
`<topic>.dlq` with the error, then commit offsets. An infrastructure failure (store
down) rewinds to the batch's first offsets and retries after a back-off: nothing is
skipped and nothing is dead-lettered for an outage. SIGTERM sets `stop`; the batch in
hand finishes and is committed before the loop returns.
"""
from __future__ import annotations

import json
import logging
import threading
import traceback
from typing import Callable

from kafka import ConsumerRebalanceListener, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.errors import KafkaError
from pymongo.errors import PyMongoError

from shared import metrics
from shared.events import envelope
from shared.events.envelope import Envelope
from shared.events.registry import EventRegistry

log = logging.getLogger(__name__)

Handler = Callable[[list[Envelope]], None]
TRANSIENT = (PyMongoError, KafkaError, ConnectionError, TimeoutError)


class ConsumerLoop:
    def __init__(self, consumer_factory: Callable[[], KafkaConsumer],
                 producer_factory: Callable[[], KafkaProducer], group_id: str,
                 handler: Handler, registry: EventRegistry, *,
                 topics: list[str] | None = None, pattern: str | None = None,
                 poll_timeout_ms: int = 500):
        if not topics and not pattern:
            raise ValueError("a consumer needs topics or a pattern")
        self.consumer_factory = consumer_factory
        self.producer_factory = producer_factory
        self.group_id = group_id
        self.handler = handler
        self.registry = registry
        self.topics = topics
        self.pattern = pattern
        self.poll_timeout_ms = poll_timeout_ms
        self._dlq: KafkaProducer | None = None
        self.consumer: KafkaConsumer | None = None

    def run(self, stop: threading.Event) -> None:
        consumer = self.consumer = self.consumer_factory()
        listener = _CommitOnRevoke(consumer, self.group_id)
        if self.pattern:
            # metadata_max_age_ms (5 s in shared.bus) bounds how soon a new centre's
            # topic is picked up by a pattern subscriber.
            consumer.subscribe(pattern=self.pattern, listener=listener)
        else:
            consumer.subscribe(self.topics, listener=listener)
        backoff = 0.5
        try:
            while not stop.is_set():
                batch = consumer.poll(timeout_ms=self.poll_timeout_ms)
                if not batch:
                    continue
                try:
                    self.process(batch)
                    consumer.commit()
                    backoff = 0.5
                except TRANSIENT as exc:
                    log.warning("consumer %s: transient failure, rewinding: %s",
                                self.group_id, type(exc).__name__)
                    # Only what is still ours: a partition lost in a rebalance meanwhile
                    # is re-read by its new owner from the committed offset.
                    owned = consumer.assignment()
                    for tp, records in batch.items():
                        if tp in owned:
                            consumer.seek(tp, records[0].offset)
                    stop.wait(backoff)
                    backoff = min(backoff * 2, 30.0)
                self._record_lag(consumer, batch)
        finally:
            try:
                consumer.close(autocommit=False)
            finally:
                if self._dlq is not None:
                    self._dlq.close(timeout=5)

    def process(self, batch: dict[TopicPartition, list]) -> None:
        good: list[Envelope] = []
        seen: set[str] = set()
        for tp, records in batch.items():
            for rec in records:
                try:
                    env = envelope.decode(rec.headers, rec.value)
                    upcast = self.registry.read(env.type, env.version, env.data)
                    env = Envelope(env.id, env.source, upcast.type, upcast.version, env.time,
                                   env.subject, env.sequence, upcast.data, env.trace_id)
                except Exception as exc:  # noqa: BLE001 - anything undecodable is poison
                    self.dead_letter(tp.topic, rec, exc)
                    continue
                if env.id in seen:
                    metrics.DUPLICATES.labels(self.group_id).inc()
                    continue
                seen.add(env.id)
                good.append(env)
        if not good:
            return
        try:
            self.handler(good)
        except TRANSIENT:
            raise
        except Exception:  # noqa: BLE001 - find the poison message(s) one by one
            for env in good:
                try:
                    self.handler([env])
                except TRANSIENT:
                    raise
                except Exception as exc:  # noqa: BLE001
                    self.dead_letter(_topic_of(batch, env), _record_of(batch, env), exc)
        metrics.CONSUMED.labels(self.group_id).inc(len(good))

    def dead_letter(self, topic: str, rec, exc: Exception) -> None:
        self._dlq = self._dlq or self.producer_factory()
        headers = list(rec.headers or []) + [
            ("dlq_error", f"{type(exc).__name__}: {exc}"[:2000].encode()),
            ("dlq_group", self.group_id.encode()),
            ("dlq_origin", json.dumps({"topic": topic, "partition": rec.partition,
                                       "offset": rec.offset}).encode()),
        ]
        self._dlq.send(envelope.dlq(topic), key=rec.key, value=rec.value,
                       headers=headers).get(timeout=30)
        metrics.DEAD_LETTERED.labels(self.group_id, topic).inc()
        log.error("consumer %s: message %s/%s@%s dead-lettered: %s", self.group_id, topic,
                  rec.partition, rec.offset, type(exc).__name__)
        log.debug("%s", traceback.format_exc())

    def _record_lag(self, consumer: KafkaConsumer, batch) -> None:
        for tp in batch:
            high = consumer.highwater(tp)
            if high is not None:
                metrics.LAG.labels(self.group_id, tp.topic, str(tp.partition)).set(
                    max(0, high - consumer.position(tp)))

    def lag(self) -> int:
        """Total lag over assigned partitions, from the consumer's last fetches."""
        if self.consumer is None:
            return 0
        total = 0
        for tp in self.consumer.assignment():
            high = self.consumer.highwater(tp)
            if high is not None:
                total += max(0, high - self.consumer.position(tp))
        return total


class _CommitOnRevoke(ConsumerRebalanceListener):
    """Offsets are committed after each batch; on revoke, commit what is in hand anyway so
    the partition's next owner starts exactly where this one stopped."""

    def __init__(self, consumer: KafkaConsumer, group_id: str):
        self.consumer = consumer
        self.group_id = group_id

    def on_partitions_revoked(self, revoked) -> None:
        if revoked:
            try:
                self.consumer.commit()
            except Exception as exc:  # noqa: BLE001 - the new owner re-reads: at-least-once
                log.info("consumer %s: commit on revoke failed: %s", self.group_id,
                         type(exc).__name__)

    def on_partitions_assigned(self, assigned) -> None:
        log.info("consumer %s: %d partition(s) assigned", self.group_id, len(assigned))


def _match(batch, env: Envelope):
    for tp, records in batch.items():
        for rec in records:
            for k, v in rec.headers or []:
                if k == "ce_id" and v.decode() == env.id:
                    return tp, rec
    raise LookupError(env.id)


def _topic_of(batch, env: Envelope) -> str:
    return _match(batch, env)[0].topic


def _record_of(batch, env: Envelope):
    return _match(batch, env)[1]
