"""Kafka clients (kafka-python), created on demand — never at import time, never before fork."""
from __future__ import annotations

import logging

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from shared.config import kafka_security

log = logging.getLogger(__name__)


def producer(bootstrap: str, **overrides) -> KafkaProducer:
    """Idempotent, acks=all: a send acknowledged is on every in-sync replica, once."""
    settings = dict(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True,
                    retries=2**31 - 1, max_in_flight_requests_per_connection=5,
                    linger_ms=5, batch_size=256 * 1024, compression_type=None,
                    request_timeout_ms=15000, max_block_ms=15000, delivery_timeout_ms=60000,
                    bootstrap_timeout_ms=10000, **kafka_security())
    settings.update(overrides)
    return KafkaProducer(**settings)


def consumer(bootstrap: str, group_id: str | None, **overrides) -> KafkaConsumer:
    settings = dict(bootstrap_servers=bootstrap, group_id=group_id,
                    enable_auto_commit=False, auto_offset_reset="earliest",
                    max_poll_records=1000, metadata_max_age_ms=5000,
                    session_timeout_ms=10000, heartbeat_interval_ms=3000, **kafka_security())
    settings.update(overrides)
    return KafkaConsumer(**settings)


def ensure_topics(bootstrap: str, names: list[str], partitions: int = 3,
                  replication: int | None = None) -> None:
    """Create the topics if missing; event topics keep everything (they are the audit log).

    Replication comes from CRI_TOPIC_REPLICATION (1 locally, 3 in the region cluster).
    """
    import os
    replication = replication or int(os.environ.get("CRI_TOPIC_REPLICATION", "1"))
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, **kafka_security())
    try:
        existing = set(admin.list_topics())
        new = [NewTopic(n, partitions, replication, topic_configs={"retention.ms": "-1"})
               for n in names if n not in existing]
        if new:
            try:
                admin.create_topics(new)
            except TopicAlreadyExistsError:
                pass  # a sibling process won the race
    finally:
        admin.close()
