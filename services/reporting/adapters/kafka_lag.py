"""Consumer lag of the projector: messages on the centres' topics not yet committed.

Measured from outside the consumer (committed offsets of its group against the ends of
the partitions), so it needs no access to the consumer thread and still counts topics
the projector has not been assigned yet.
"""
from __future__ import annotations

import re

from kafka import KafkaConsumer, TopicPartition

from shared import bus


class LagGauge:
    def __init__(self, bootstrap: str, group_id: str, pattern: str):
        self.bootstrap = bootstrap
        self.group_id = group_id
        self.pattern = re.compile(pattern)
        self._consumer: KafkaConsumer | None = None

    def measure(self) -> int:
        # Same group id to read its committed offsets; never subscribes, so never joins.
        consumer = self._consumer = self._consumer or bus.consumer(
            self.bootstrap, self.group_id, metadata_max_age_ms=5000)
        partitions = [TopicPartition(topic, p) for topic in sorted(consumer.topics())
                      if self.pattern.match(topic)
                      for p in sorted(consumer.partitions_for_topic(topic) or ())]
        if not partitions:
            return 0
        ends = consumer.end_offsets(partitions)
        lag = 0
        for tp in partitions:
            committed = consumer.committed(tp) or 0
            lag += max(0, ends.get(tp, 0) - committed)
        return lag

    def close(self) -> None:
        if self._consumer is not None:
            self._consumer.close(autocommit=False)
            self._consumer = None
