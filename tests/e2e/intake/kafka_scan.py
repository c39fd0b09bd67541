"""Read every message of some topics from offset 0 (kafka-python), for the e2e checks."""
from __future__ import annotations

import re

from kafka import KafkaConsumer, TopicPartition


def topics_matching(bootstrap: str, pattern: str) -> list[str]:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap)
    try:
        return sorted(t for t in consumer.topics() if re.match(pattern, t))
    finally:
        consumer.close()


def read_all(bootstrap: str, topics: list[str]) -> list:
    """Every record of `topics`, up to the end offsets seen when called."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False,
                             max_poll_records=5000, fetch_max_bytes=64 * 1024 * 1024)
    try:
        parts = [TopicPartition(t, p) for t in topics
                 for p in sorted(consumer.partitions_for_topic(t) or [])]
        if not parts:
            return []
        consumer.assign(parts)
        consumer.seek_to_beginning(*parts)
        ends = consumer.end_offsets(parts)
        records = []
        while any(consumer.position(p) < ends[p] for p in parts):
            for batch in consumer.poll(timeout_ms=1000).values():
                records.extend(batch)
        return records
    finally:
        consumer.close()


def consumed(bootstrap: str, group: str, topic: str) -> bool:
    """True once `group` has committed offsets up to the end of every partition."""
    from kafka import KafkaAdminClient
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    consumer = KafkaConsumer(bootstrap_servers=bootstrap)
    try:
        parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or []]
        ends = consumer.end_offsets(parts)
        done = admin.list_group_offsets({group: None})[group]
        return all(ends[p] == 0 or (p in done and done[p].offset >= ends[p]) for p in parts)
    finally:
        consumer.close()
        admin.close()
