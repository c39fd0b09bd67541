"""Shared bits of the foundation integration tests."""
from __future__ import annotations

import threading
import time

from kafka import KafkaConsumer

from shared import bus
from shared.consumer import ConsumerLoop
from shared.events import envelope
from shared.messages import DomainEvent
from shared.store.commits import CommitStore
from shared.store.projections import StreamProjection


def fill(store: CommitStore, streams: int, per_stream: int) -> int:
    """Append `per_stream` commits to each of `streams` streams; returns the count.

    Heads are tracked like a repository that loaded its streams (no read per append).
    """
    heads: dict[str, str | None] = {}
    for v in range(per_stream):
        for s in range(streams):
            sid = f"counter-{s:04d}"
            commit = store.append(sid, [DomainEvent("test.CounterIncremented", {"by": v + 1})],
                                  expected_version=v, prev_hash=heads.get(sid))
            heads[sid] = commit.hash
    return streams * per_stream


def counting_projection(collection) -> StreamProjection:
    def evolve(state, env):
        state = state or {"count": 0, "sum": 0, "last_by": 0}
        assert env.data["by"] == state["last_by"] + 1, "events out of order"
        return {"count": state["count"] + 1, "sum": state["sum"] + env.data["by"],
                "last_by": env.data["by"]}
    return StreamProjection(collection, evolve, group="test")


class RunningLoop:
    """A ConsumerLoop in a thread, stopped like SIGTERM would."""

    def __init__(self, infra, topic, handler, registry, group=None, pattern=None):
        bootstrap = infra["kafka_bootstrap_servers"]
        self.loop = ConsumerLoop(lambda: bus.consumer(bootstrap, self.group),
                                 lambda: bus.producer(bootstrap), group or f"g-{topic}",
                                 handler, registry, topics=None if pattern else [topic],
                                 pattern=pattern, poll_timeout_ms=200)
        self.group = self.loop.group_id
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.loop.run, args=(self.stop,), daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=30)
        assert not self.thread.is_alive(), "consumer did not stop on request"


def read_all(bootstrap: str, topic: str, expect: int, timeout: float = 60.0) -> list:
    consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=None,
                             auto_offset_reset="earliest", enable_auto_commit=False,
                             consumer_timeout_ms=3000)
    records, deadline = [], time.time() + timeout
    while time.time() < deadline:
        for rec in consumer:
            records.append(rec)
        if len(records) >= expect:
            break
    consumer.close()
    return records


def caught_up(bootstrap: str, group: str, topic: str) -> bool:
    """Whether `group` has committed offsets at the end of every partition of `topic`:
    what a test waits on instead of sleeping for duplicates to arrive."""
    from kafka import TopicPartition
    # Never subscribes, so it does not join the group: it only reads its offsets.
    probe = KafkaConsumer(bootstrap_servers=bootstrap, group_id=group,
                          enable_auto_commit=False)
    try:
        parts = [TopicPartition(topic, p) for p in probe.partitions_for_topic(topic) or ()]
        ends = probe.end_offsets(parts)
        return bool(parts) and all((probe.committed(tp) or 0) >= ends[tp] for tp in parts)
    finally:
        probe.close(autocommit=False)


def ce(rec, name: str) -> str:
    return dict(rec.headers)[name].decode()


__all__ = ["caught_up", "fill", "counting_projection", "RunningLoop", "read_all", "ce", "envelope"]
