"""Rebuilding a centre's pathway store from its published events (audit, disaster
recovery, and the replay test).

The topics carry every stored event with its stream id (`ce_subject`), its position
(`ce_sequence` = version.index) and its commit time (`ce_time`): enough to rebuild each
commit document exactly, hash chain included, into an empty store. The centre's events
live on its own pathway topic and — for transfer messages — on cri.region.transfers,
where only those whose `ce_source` is this centre's pathway are ours.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable

from kafka import TopicPartition
from pymongo.collection import Collection

from shared import bus
from shared.events import envelope
from shared.events.canonical import GENESIS, KEYED_CHAIN, chain_hash
from shared.events.envelope import Envelope
from shared.store.commits import commit_id, hashed_body
from shared.store.layout import stored


def read_topics(bootstrap: str, topics: list[str], source: str,
                timeout_ms: int = 1000) -> list[Envelope]:
    """Every message of `topics` from offset 0 to the current end, from `source` only."""
    consumer = bus.consumer(bootstrap, None)
    try:
        tps = [TopicPartition(t, p) for t in topics
               for p in sorted(consumer.partitions_for_topic(t) or ())]
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        end = consumer.end_offsets(tps)
        out: list[Envelope] = []
        while any(consumer.position(tp) < end[tp] for tp in tps):
            for records in consumer.poll(timeout_ms=timeout_ms).values():
                for rec in records:
                    env = envelope.decode(rec.headers, rec.value)
                    if env.source == source:
                        out.append(env)
        return out
    finally:
        consumer.close(autocommit=False)


def commit_documents(envelopes: Iterable[Envelope], audit_key: bytes | None = None
                     ) -> list[dict[str, Any]]:
    """Envelopes (any order, duplicates allowed) -> the commit documents, chained (keyed
    with the centre's `audit_key`, as the live store writes them, when given)."""
    seen: set[str] = set()
    commits: dict[tuple[str, int], dict[int, Envelope]] = defaultdict(dict)
    for env in envelopes:
        if env.id in seen:
            continue  # published twice (relay crash between ack and mark)
        seen.add(env.id)
        version, index = (int(x) for x in env.sequence.split("."))
        commits[(env.subject, version)][index] = env
    docs: list[dict[str, Any]] = []
    prev: dict[str, tuple[int, str]] = {}
    for (stream_id, version) in sorted(commits):
        parts = commits[(stream_id, version)]
        events = [parts[i] for i in sorted(parts)]
        last_version, prev_hash = prev.get(stream_id, (0, GENESIS))
        if version != last_version + 1 or sorted(parts) != list(range(len(parts))):
            raise ValueError(f"{stream_id}: gap before version {version} in the topics")
        first = events[0]
        doc: dict[str, Any] = {
            "_id": commit_id(stream_id, version), "stream_id": stream_id, "version": version,
            "events": [{"type": e.type, "version": e.version, "data": e.data} for e in events],
            "recorded_at": first.time,
            "meta": {"trace_id": first.trace_id} if first.trace_id else {},
            "prev_hash": prev_hash}
        if audit_key:
            doc["chain"] = KEYED_CHAIN
        doc["hash"] = chain_hash(prev_hash, hashed_body(doc), audit_key)
        docs.append(doc)
        prev[stream_id] = (version, doc["hash"])
    return docs


def restore(collection: Collection, docs: list[dict[str, Any]], batch: int = 500) -> int:
    """Insert the rebuilt commits into an empty commit collection (the store's layout)."""
    for i in range(0, len(docs), batch):
        collection.insert_many([stored(d) for d in docs[i:i + batch]], ordered=True)
    return len(docs)
