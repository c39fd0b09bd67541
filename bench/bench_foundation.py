"""Foundation benchmarks, each against a baseline measured in the same run.

1. commit appends/s (CommitStore.append: validation, keyed hash chain, insert) vs raw
   pymongo insert_one of the same documents — target ratio >= 0.7
2. relay events/s (bucket reads, envelope, idempotent acks=all producer, checkpoints)
   vs a raw kafka-python producer loop of the same messages — target >= 0.5
3. consumer-loop events/s (envelope decoding, registry, dedupe, offset commits) into an
   in-memory projection vs a raw poll loop over the same topic — target >= 0.5
4. consumer-loop events/s into a FerretDB projection (StreamProjection, writes by _id):
   reported against the in-memory figure.
5. scale: append latency and stream-load latency with 100,000 commits stored vs with
   1,000 stored (same store, same run) — target <= 1.5 (nothing on the hot path scans).
Rounds alternate subject and baseline; the median ratio of the rounds is reported.
Run from the repo root: python bench/bench_foundation.py [--events N] [--rounds R]
"""
from __future__ import annotations

import argparse
import os
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pymongo  # noqa: E402
from kafka import KafkaConsumer  # noqa: E402

from bench.common import infrastructure, median, report, timed  # noqa: E402
from shared import bus  # noqa: E402
from shared.consumer import ConsumerLoop  # noqa: E402
from shared.events import envelope  # noqa: E402
from shared.events.canonical import GENESIS, KEYED_CHAIN, chain_hash  # noqa: E402
from shared.messages import DomainEvent  # noqa: E402
from shared.relay import Relay, drain  # noqa: E402
from shared.store.commits import CommitStore, commit_id, hashed_body  # noqa: E402
from shared.store.feed import bucket_of  # noqa: E402
from shared.store.layout import logical, stored  # noqa: E402
from shared.store.projections import StreamProjection  # noqa: E402
from tests.integration.foundation.events_fixture import registry  # noqa: E402

STREAMS = 100
AUDIT_KEY = os.urandom(32)


def bench_appends(db, n: int, audit_key: bytes | None = AUDIT_KEY) -> tuple[float, float]:
    """With the audit key (the keyed chain, as the services run) unless told otherwise."""
    reg = registry()
    store = CommitStore(db[f"c_{uuid.uuid4().hex[:6]}"], reg, audit_key=audit_key)
    store.ensure_indexes()
    heads = {f"s{i}": (0, GENESIS) for i in range(STREAMS)}

    def subject():
        for k in range(n):
            sid = f"s{k % STREAMS}"
            version, head = heads[sid]
            c = store.append(sid, [DomainEvent("test.CounterIncremented", {"by": k})],
                             expected_version=version, prev_hash=head)
            heads[sid] = (c.version, c.hash)

    raw = db[f"r_{uuid.uuid4().hex[:6]}"]
    raw.create_index([("stream_id", 1), ("version", 1)], unique=True)
    raw.create_index([("bucket", 1)])
    docs = []
    for k in range(n):  # the same document shapes, built before the clock starts
        sid, version = f"s{k % STREAMS}", k // STREAMS + 1
        doc = {"_id": commit_id(sid, version), "stream_id": sid, "version": version,
               "events": [{"type": "test.CounterIncremented", "version": 1, "data": {"by": k}}],
               "recorded_at": "2026-01-01T00:00:00+00:00", "meta": {}, "prev_hash": GENESIS}
        if audit_key:
            doc["chain"] = KEYED_CHAIN
        doc["hash"] = chain_hash(GENESIS, hashed_body(doc), audit_key)
        doc["bucket"] = bucket_of(time.time())
        docs.append(stored(doc))          # the store's layout: queried fields + JSON body

    def baseline():
        for d in docs:
            raw.insert_one(d)

    t_base, _ = timed(baseline)
    t_subj, _ = timed(subject)
    return n / t_subj, n / t_base


def bench_relay(db, bootstrap: str, n: int) -> tuple[float, float, str]:
    reg = registry()
    store = CommitStore(db[f"o_{uuid.uuid4().hex[:6]}"], reg)
    store.ensure_indexes()
    for k in range(n):
        store.append(f"s{k % STREAMS}", [DomainEvent("test.CounterIncremented", {"by": k})],
                     expected_version=k // STREAMS)
    topic = f"bench.{uuid.uuid4().hex[:8]}.events"
    base_topic = topic + ".raw"
    bus.ensure_topics(bootstrap, [topic, base_topic])
    msgs = [envelope.encode("/cri/bench/x", d["stream_id"], d["version"], 0, d["recorded_at"],
                            d["events"][0]) for d in map(logical, store.collection.find({}))]
    producer = bus.producer(bootstrap)

    def baseline():
        for key, value, headers in msgs:
            producer.send(base_topic, key=key, value=value, headers=headers)
        producer.flush()

    relay = Relay(store, lambda: bus.producer(bootstrap), topic, "/cri/bench/x", batch_size=2000)

    def subject():
        handled = 0
        while handled < n:
            handled += relay.publish_batch()
    t_base, _ = timed(baseline)
    t_subj, _ = timed(subject)
    drain(relay, timeout=600)   # untimed: nothing left behind
    producer.close()
    relay._reset_producer()
    return n / t_subj, n / t_base, topic


def bench_consumer(bootstrap: str, topic: str, n: int, db) -> tuple[float, float, float]:
    def raw():
        import json
        c = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=f"raw-{uuid.uuid4().hex[:6]}",
                          auto_offset_reset="earliest", enable_auto_commit=False,
                          max_poll_records=1000)
        got, state = 0, {}
        while got < n:
            for tp, recs in c.poll(timeout_ms=500).items():
                for r in recs:
                    state[r.key] = json.loads(r.value)
                    got += 1
        c.close()

    def loop_into(handler):
        done = threading.Event()
        count = {"n": 0}

        def wrapped(envs):
            handler(envs)
            count["n"] += len(envs)
            if count["n"] >= n:
                done.set()

        loop = ConsumerLoop(lambda: bus.consumer(bootstrap, f"loop-{uuid.uuid4().hex[:6]}"),
                            lambda: bus.producer(bootstrap), "bench", wrapped, registry(),
                            topics=[topic])
        t = threading.Thread(target=loop.run, args=(done,), daemon=True)
        t0 = time.perf_counter()
        t.start()
        done.wait(600)
        elapsed = time.perf_counter() - t0
        t.join(30)
        return elapsed

    memory: dict[str, tuple[str, int]] = {}

    def in_memory(envs):
        for e in envs:
            last = memory.get(e.subject)
            if last is None or last[0] < e.sequence:
                memory[e.subject] = (e.sequence, e.data["by"])

    def evolve(state, env):
        return {"count": (state or {}).get("count", 0) + 1, "by": env.data["by"]}

    t_raw, _ = timed(raw)
    t_mem = loop_into(in_memory)
    t_db = loop_into(StreamProjection(db[f"p_{uuid.uuid4().hex[:6]}"], evolve))
    return n / t_mem, n / t_raw, n / t_db


def _raw_commits(start: int, count: int) -> list[dict]:
    """Commit documents of the store's own layout (one event, 200 bytes of data each)."""
    docs = []
    b = bucket_of(time.time()) - 10_000      # old, closed buckets: the relay ignores them
    for k in range(start, start + count):
        sid = f"filler-{k}"
        doc = {"_id": commit_id(sid, 1), "stream_id": sid, "version": 1,
               "events": [{"type": "test.NoteWritten", "version": 1,
                           "data": {"text": "x" * 200}}],
               "recorded_at": "2026-01-01T00:00:00+00:00", "meta": {}, "prev_hash": GENESIS}
        doc["hash"] = chain_hash(GENESIS, hashed_body(doc))
        doc["bucket"] = b
        docs.append(stored(doc))
    return docs


def bench_scale(db, small: int = 1_000, large: int = 100_000, ops: int = 300) -> dict:
    """Latency of append and load at `small` then `large` commits in the same collection."""
    store = CommitStore(db[f"scale_{uuid.uuid4().hex[:6]}"], registry())
    store.ensure_indexes()
    streams = [f"hot-{i}" for i in range(ops)]
    heads = {s: (0, GENESIS) for s in streams}

    def measure() -> tuple[float, float]:
        t_append = t_load = 0.0
        for s in streams:
            version, head = heads[s]
            t0 = time.perf_counter()
            c = store.append(s, [DomainEvent("test.CounterIncremented", {"by": 1})],
                             expected_version=version, prev_hash=head)
            t1 = time.perf_counter()
            store.load(s)
            t_load += time.perf_counter() - t1
            t_append += t1 - t0
            heads[s] = (c.version, c.hash)
        return t_append / ops, t_load / ops

    def grow(to: int) -> None:
        have = store.collection.estimated_document_count()
        for start in range(have, to, 5_000):
            store.collection.insert_many(_raw_commits(start, min(5_000, to - start)))

    grow(small)
    measure()                                  # warm-up: connections, plans, caches
    a_small, l_small = measure()
    grow(large)
    measure()
    a_large, l_large = measure()
    return {"append": (a_small, a_large), "load": (l_small, l_large)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    with infrastructure() as infra:
        client = pymongo.MongoClient(infra["mongodb_uri"])
        db = client[f"bench_{uuid.uuid4().hex[:6]}"]
        bootstrap = infra["kafka_bootstrap_servers"]
        rows = {"append": [], "relay": [], "consumer": [], "projection": []}
        for r in range(args.rounds):
            print(f"-- round {r + 1}/{args.rounds} ({args.events} events)", flush=True)
            rows["append"].append(bench_appends(db, args.events))
            s, b, topic = bench_relay(db, bootstrap, args.events)
            rows["relay"].append((s, b))
            mem, raw, fdb = bench_consumer(bootstrap, topic, args.events, db)
            rows["consumer"].append((mem, raw))
            rows["projection"].append((fdb, mem))
        print("== foundation benchmarks (median of rounds) ==")
        for key, name, target in (
                ("append", "commit appends (CommitStore vs raw insert_one)", 0.7),
                ("relay", "relay events (commit store->Kafka vs raw producer loop)", 0.5),
                ("consumer", "consumer loop into memory (vs raw poll loop)", 0.5),
                ("projection", "consumer loop into FerretDB projection (vs into memory)", None)):
            ratios = [s / b for s, b in rows[key]]
            mid = sorted(range(len(ratios)), key=lambda i: ratios[i])[len(ratios) // 2]
            report(name, rows[key][mid][0], rows[key][mid][1], target)
            print(f"   ratios per round: {', '.join(f'{x:.2f}' for x in ratios)}; "
                  f"median {median(ratios):.2f}")
        print(f"-- scale: 1,000 then 100,000 commits stored", flush=True)
        scale = bench_scale(db)
        for key, name in (("append", "append latency"), ("load", "stream-load latency")):
            small, large = scale[key]
            ratio = large / small
            print(f"{name} at 100,000 commits vs at 1,000: {large * 1000:.2f} ms vs "
                  f"{small * 1000:.2f} ms -> ratio {ratio:.2f} (target <= 1.5)"
                  f"{'  OK' if ratio <= 1.5 else '  ABOVE TARGET'}", flush=True)
        client.drop_database(db.name)


if __name__ == "__main__":
    main()
