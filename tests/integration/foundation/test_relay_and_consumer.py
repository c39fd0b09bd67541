"""Relay and consumer loop on the real Kafka and FerretDB."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid

import pytest
from kafka import KafkaProducer
from pymongo.errors import AutoReconnect

from shared import bus
from shared.events import envelope
from shared.messages import DomainEvent
from shared.relay import Relay, drain
from shared.store import commits as commits_module
from shared.store.commits import CommitStore
from shared.store.feed import RelayFeed, bucket_of
from tests.api_client import eventually
from tests.integration.foundation.events_fixture import registry
from tests.integration.foundation.helpers import (RunningLoop, caught_up, ce,
                                                  counting_projection, fill, read_all)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))


@pytest.fixture
def store(fresh_db):
    s = CommitStore(fresh_db["commits"], registry())
    s.ensure_indexes()
    return s


@pytest.fixture
def topic(infra, topic_name):
    bus.ensure_topics(infra["kafka_bootstrap_servers"], [topic_name, envelope.dlq(topic_name)])
    return topic_name


def relay_for(store, infra, topic, **kw):
    return Relay(store, lambda: bus.producer(infra["kafka_bootstrap_servers"]), topic,
                 "/cri/test/relay", **kw)


def test_relay_publishes_cloudevents_in_stream_order_then_marks_them(store, infra, topic):
    fill(store, streams=5, per_stream=4)
    feed = RelayFeed(store.collection)
    assert feed.backlog() == 20
    drain(relay_for(store, infra, topic, batch_size=7))
    assert feed.backlog() == 0
    records = read_all(infra["kafka_bootstrap_servers"], topic, expect=20)
    assert len(records) == 20
    by_stream: dict[str, list[str]] = {}
    for rec in records:
        assert rec.key.decode() == ce(rec, "ce_subject")
        assert ce(rec, "ce_type") == "be.wallonie.cri.test.CounterIncremented.v1"
        assert ce(rec, "ce_source") == "/cri/test/relay"
        assert ce(rec, "ce_specversion") == "1.0"
        by_stream.setdefault(ce(rec, "ce_subject"), []).append(ce(rec, "ce_sequence"))
    assert all(seqs == sorted(seqs) and len(seqs) == 4 for seqs in by_stream.values())


def test_redelivered_events_are_applied_once(store, infra, topic, fresh_db):
    fill(store, streams=10, per_stream=5)
    relay = relay_for(store, infra, topic)
    drain(relay)
    # A relay crash after the ack but before its checkpoints publishes it all again.
    feed = RelayFeed(store.collection)
    first = min(d["bucket"] for d in store.collection.find({}))
    feed.checkpoints.delete_many({})
    feed.checkpoints.insert_one({"_id": "frontier", "bucket": first})
    assert feed.backlog() == 50
    drain(relay_for(store, infra, topic))
    assert len(read_all(infra["kafka_bootstrap_servers"], topic, expect=100)) == 100
    projection = counting_projection(fresh_db["counts"])
    with RunningLoop(infra, topic, projection, registry()) as loop:
        eventually(lambda: caught_up(infra["kafka_bootstrap_servers"], loop.group, topic), 60)
    docs = list(fresh_db["counts"].find())
    assert len(docs) == 10 and all(d["count"] == 5 and d["sum"] == 15 for d in docs)


def test_commits_of_a_skewed_writer_are_published_in_stream_order(store, infra, topic):
    """A writer whose clock runs behind puts version 2 in an earlier bucket than version
    1: the relay sends the predecessor first, each stream stays in version order."""
    now = [1_000_000.0]
    skewed = CommitStore(store.collection, registry(), clock=lambda: now[0])
    skewed.ensure_indexes()
    store.append("s-a", [DomainEvent("test.CounterIncremented", {"by": 1})], 0)
    now[0] = __import__("time").time() - 1.0     # behind, but above the frontier
    RelayFeed(store.collection).checkpoints.update_one(
        {"_id": "frontier"}, {"$set": {"bucket": bucket_of(now[0]) - 1}})
    skewed.append("s-a", [DomainEvent("test.CounterIncremented", {"by": 2})], 1)
    v1, v2 = (store.find_commit("s-a", v)["bucket"] for v in (1, 2))
    assert v2 < v1
    drain(relay_for(store, infra, topic))
    records = read_all(infra["kafka_bootstrap_servers"], topic, expect=2)
    assert [ce(r, "ce_sequence") for r in records] == ["0000000001.000", "0000000002.000"]


def test_a_late_insert_into_a_closed_bucket_is_still_published(store, infra, topic):
    """An insert that took longer than the relay's grace (the writer reports it late)."""
    relay = relay_for(store, infra, topic)
    fill(store, streams=1, per_stream=1)
    drain(relay)
    feed = RelayFeed(store.collection)
    old = bucket_of(time.time()) - 1000           # far below the frontier: closed
    doc = store.find_commit("counter-0000", 1)
    late = {**doc, "_id": "late:0000000001", "stream_id": "late", "bucket": old}
    store.collection.insert_one(late)
    assert feed.backlog() == 0                    # invisible to the bucket reads...
    feed.report_late(late)
    assert feed.backlog() == 1                    # ...but reported
    drain(relay)
    subjects = [ce(r, "ce_subject") for r in
                read_all(infra["kafka_bootstrap_servers"], topic, expect=2)]
    assert sorted(subjects) == ["counter-0000", "late"]


def test_a_commit_the_broker_refuses_is_quarantined_and_blocks_nothing(
        store, infra, topic, monkeypatch):
    """Before: one 2 MB field stalled every later commit of the service for good."""
    monkeypatch.setattr(commits_module, "MAX_EVENT_BYTES", 10 * 1024 * 1024)
    store.append("big", [DomainEvent("test.CounterIncremented", {"by": 1})], 0)
    big = store.append("big", [DomainEvent("test.NoteWritten", {"text": "x" * 2_000_000})], 1)
    store.append("big", [DomainEvent("test.CounterIncremented", {"by": 2})], 2)
    fill(store, streams=3, per_stream=2)
    relay = relay_for(store, infra, topic)
    drain(relay)
    feed = RelayFeed(store.collection)
    assert feed.backlog() == 0
    assert [q["_id"] for q in feed.quarantined()] == [f"big:{big.version:010d}"]
    assert "MessageSizeTooLarge" in feed.quarantined()[0]["error"]
    records = read_all(infra["kafka_bootstrap_servers"], topic, expect=8)
    seqs = sorted(ce(r, "ce_sequence") for r in records if ce(r, "ce_subject") == "big")
    assert len(records) == 8 and seqs == ["0000000001.000", "0000000003.000"]


def test_poison_messages_go_to_the_dlq_with_the_error_and_the_loop_continues(
        store, infra, topic, fresh_db):
    raw = KafkaProducer(bootstrap_servers=infra["kafka_bootstrap_servers"])
    raw.send(topic, key=b"x", value=b"not json at all")
    key, value, headers = envelope.encode("/cri/test/x", "counter-p", 1, 0, "t",
                                          {"type": "test.Unknown", "version": 1, "data": {}})
    raw.send(topic, key=key, value=value, headers=headers)
    key, value, headers = envelope.encode("/cri/test/x", "counter-q", 1, 0, "t",
                                          {"type": "test.CounterIncremented", "version": 1,
                                           "data": {"by": "three"}})
    raw.send(topic, key=key, value=value, headers=headers)
    raw.flush()
    raw.close()
    fill(store, streams=3, per_stream=2)
    drain(relay_for(store, infra, topic))
    with RunningLoop(infra, topic, counting_projection(fresh_db["counts"]), registry()):
        eventually(lambda: sum(d["count"] for d in fresh_db["counts"].find()) == 6, 150)
    dead = read_all(infra["kafka_bootstrap_servers"], envelope.dlq(topic), expect=3)
    assert len(dead) == 3
    errors = sorted(dict(r.headers)["dlq_error"].decode().split(":")[0] for r in dead)
    assert errors == ["InvalidEvent", "UnknownEventType", "ValueError"]
    assert {r.value for r in dead} >= {b"not json at all"}


def test_a_transient_store_failure_rewinds_and_loses_nothing(store, infra, topic, fresh_db):
    fill(store, streams=4, per_stream=3)
    drain(relay_for(store, infra, topic))
    projection = counting_projection(fresh_db["counts"])
    failures = {"left": 2}

    def flaky(envs):
        if failures["left"]:
            failures["left"] -= 1
            raise AutoReconnect("store away")
        projection(envs)

    with RunningLoop(infra, topic, flaky, registry()):
        eventually(lambda: sum(d["count"] for d in fresh_db["counts"].find()) == 12, 60)
    assert failures["left"] == 0
    assert read_all(infra["kafka_bootstrap_servers"], envelope.dlq(topic), expect=1,
                    timeout=3) == []


def test_consumer_stops_on_request_and_resumes_after_its_committed_offsets(
        store, infra, topic):
    seen: list[str] = []
    group = f"g-{uuid.uuid4().hex[:6]}"
    fill(store, streams=2, per_stream=3)
    drain(relay_for(store, infra, topic))
    with RunningLoop(infra, topic, lambda envs: seen.extend(e.id for e in envs), registry(),
                     group=group):
        eventually(lambda: len(seen) == 6, 60)
    store.append("counter-0000", [DomainEvent("test.CounterIncremented", {"by": 4})],
                 expected_version=3)
    drain(relay_for(store, infra, topic))
    with RunningLoop(infra, topic, lambda envs: seen.extend(e.id for e in envs), registry(),
                     group=group):
        eventually(lambda: len(seen) == 7, 60)
        eventually(lambda: caught_up(infra["kafka_bootstrap_servers"], group, topic), 30)
    assert len(seen) == 7 and len(set(seen)) == 7


def test_a_pattern_subscriber_picks_up_a_new_centres_topic_within_seconds(
        store, infra, topic):
    """Reporting subscribes to every centre's topics by pattern: a centre that joins later
    (its topic created after the subscription) is consumed without a restart."""
    prefix = f"cri.p{uuid.uuid4().hex[:8]}"
    seen: list[str] = []
    with RunningLoop(infra, topic, lambda envs: seen.extend(e.subject for e in envs),
                     registry(), group=f"g-{prefix}", pattern=rf"^{prefix}\..*\.events$"):
        fill(store, streams=1, per_stream=1)
        newcomer = f"{prefix}.newcentre.intake.events"
        bus.ensure_topics(infra["kafka_bootstrap_servers"], [newcomer])
        drain(relay_for(store, infra, newcomer))
        # within seconds: metadata_max_age_ms is 5 s in shared.bus
        eventually(lambda: seen == ["counter-0000"], 20, 0.2)


def test_relay_retries_while_the_broker_is_unreachable_and_drops_nothing(store, infra, topic):
    from shared.infra.processes import free_port
    fill(store, streams=3, per_stream=3)
    attempts = {"n": 0}
    dead = f"127.0.0.1:{free_port()}"

    def factory():
        attempts["n"] += 1
        if attempts["n"] <= 2:  # the first producers point at a broker that is down
            return bus.producer(dead, max_block_ms=500, request_timeout_ms=500,
                                delivery_timeout_ms=1000, bootstrap_timeout_ms=1000)
        return bus.producer(infra["kafka_bootstrap_servers"])

    relay = Relay(store, factory, topic, "/cri/test/relay", max_backoff=0.5)
    stop = threading.Event()
    t = threading.Thread(target=relay.run, args=(stop,), daemon=True)
    t.start()
    eventually(lambda: RelayFeed(store.collection).backlog() == 0, 90)
    stop.set()
    t.join(10)
    assert attempts["n"] >= 3
    assert len(read_all(infra["kafka_bootstrap_servers"], topic, expect=9)) == 9


def test_a_commit_of_the_former_layout_is_published_like_the_others(store, infra, topic):
    """Commits stored before the JSON body (every field a field) still go out."""
    from tests.integration.foundation.test_commit_store_contract import former_layout
    old = former_layout("old", 1, commits_module.GENESIS, 7, bucket_of(time.time()))
    store.collection.insert_one(old)
    store.append("old", [DomainEvent("test.CounterIncremented", {"by": 8})], 1,
                 prev_hash=old["hash"])
    drain(relay_for(store, infra, topic))
    records = read_all(infra["kafka_bootstrap_servers"], topic, expect=2)
    assert [(ce(r, "ce_id"), r.value) for r in records] == [
        ("old:0000000001.000", b'{"by":7}'), ("old:0000000002.000", b'{"by":8}')]
    assert ce(records[0], "ce_time") == old["recorded_at"]


def test_a_send_failure_mid_cycle_records_only_what_was_acknowledged(store, infra, topic):
    """The relay sends bucket after bucket and settles every batch_size commits: a
    failure in between must leave unrecorded everything not acknowledged, and the
    next cycles publish all of it, each stream in order."""
    from kafka.errors import KafkaTimeoutError
    t = [time.time() - 3.0]
    RelayFeed(store.collection).checkpoints.update_one(
        {"_id": "frontier"}, {"$set": {"bucket": bucket_of(t[0]) - 1}})
    writer = CommitStore(store.collection, registry(), clock=lambda: t[0])
    for k in range(60):                      # 4 commits per bucket, 15 buckets
        writer.append(f"s{k % 6}", [DomainEvent("test.CounterIncremented", {"by": k})], k // 6)
        t[0] += 0.05
    made = []

    def factory():
        producer = bus.producer(infra["kafka_bootstrap_servers"])
        if not made:                         # the first producer fails at its 25th send
            real, count = producer.send, iter(range(1, 10**6))

            def send(*args, **kwargs):
                if next(count) == 25:
                    raise KafkaTimeoutError("test: the broker went away")
                return real(*args, **kwargs)
            producer.send = send
        made.append(producer)
        return producer

    relay = Relay(store, factory, topic, "/cri/test/relay", batch_size=10, max_backoff=0.2)
    with pytest.raises(KafkaTimeoutError):
        relay.publish_batch()
    feed = RelayFeed(store.collection)
    recorded = {i for ids in feed.state()[1].values() for i in ids}
    assert 0 < len(recorded) < 25 and feed.backlog() == 60 - len(recorded)
    on_topic = {ce(r, "ce_id").rsplit(".", 1)[0]
                for r in read_all(infra["kafka_bootstrap_servers"], topic, expect=len(recorded))}
    assert recorded <= on_topic              # recorded = acknowledged
    stop = threading.Event()
    runner = threading.Thread(target=relay.run, args=(stop,), daemon=True)
    relay._reset_producer()
    relay._frontier = None                   # what run() does after a failed cycle
    runner.start()
    eventually(lambda: feed.backlog() == 0, 90)
    stop.set()
    runner.join(10)
    records = read_all(infra["kafka_bootstrap_servers"], topic, expect=60)
    first_seen: dict[str, list[str]] = {}
    for r in records:
        seqs = first_seen.setdefault(ce(r, "ce_subject"), [])
        if ce(r, "ce_sequence") not in seqs:
            seqs.append(ce(r, "ce_sequence"))
    assert {len(v) for v in first_seen.values()} == {10} and len(first_seen) == 6
    assert all(v == sorted(v) for v in first_seen.values())


@pytest.mark.slow
def test_relay_killed_with_sigkill_mid_publish_loses_nothing(store, infra, topic, fresh_db):
    """10,000 commits; SIGKILL the relay process mid-way; restart; the projection counts
    exactly 10,000 (duplicates on the topic are dropped by the consumer)."""
    t0 = time.time()
    total = fill(store, streams=100, per_stream=100)
    assert total == 10_000
    print(f"\n[kill -9] 10,000 commits stored in {time.time() - t0:.0f}s", flush=True)
    argv = [sys.executable, "-m", "tests.integration.foundation.relay_process",
            _uri(store), store.collection.database.name, infra["kafka_bootstrap_servers"],
            topic, "20"]
    feed = RelayFeed(store.collection)
    first = subprocess.Popen(argv, cwd=ROOT)
    # small batches (one flush each) so that the kill lands while the relay works
    eventually(lambda: feed.backlog() <= total - 500, 120, 0.05)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    left = feed.backlog()
    assert 0 < left < total, "the kill must land mid-publish"
    second = subprocess.Popen(argv, cwd=ROOT)
    try:
        eventually(lambda: feed.backlog() == 0, 300, 0.5)
    finally:
        second.terminate()
        second.wait(10)
    with RunningLoop(infra, topic, counting_projection(fresh_db["counts"]), registry()) as loop:
        eventually(lambda: caught_up(infra["kafka_bootstrap_servers"], loop.group, topic),
                   300, 1)
    docs = list(fresh_db["counts"].find())
    assert len(docs) == 100
    assert sum(d["count"] for d in docs) == total
    assert all(d["sum"] == sum(range(1, 101)) for d in docs)
    print(f"\n[kill -9] unpublished at kill: {left}; projection: {total} events, 100 streams")


def _uri(store: CommitStore) -> str:
    host, port = store.collection.database.client.address
    return f"mongodb://{host}:{port}/"
