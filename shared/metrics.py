"""Prometheus metrics shared by every service (one registry per process)."""
from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

EVENTS_APPENDED = Counter("cri_events_appended_total", "Events committed to the store",
                          ["service"])
RELAY_PUBLISHED = Counter("cri_relay_published_total", "Events acknowledged by Kafka",
                          ["topic"])
RELAY_ERRORS = Counter("cri_relay_errors_total", "Relay batches that failed and will retry",
                       ["topic"])
OUTBOX_PENDING = Gauge("cri_outbox_pending", "Commits not yet published", ["service"])
CONSUMED = Counter("cri_consumer_events_total", "Events applied by a consumer", ["group"])
DUPLICATES = Counter("cri_consumer_duplicates_total", "Events dropped as already applied",
                     ["group"])
DEAD_LETTERED = Counter("cri_consumer_dead_lettered_total", "Messages sent to a DLQ",
                        ["group", "topic"])
LAG = Gauge("cri_consumer_lag", "Messages behind the partition's end", ["group", "topic",
                                                                          "partition"])
HTTP_LATENCY = Histogram("cri_http_request_seconds", "HTTP request latency",
                         ["method", "endpoint", "status"])
RELAY_QUARANTINED = Counter("cri_relay_quarantined_total",
                            "Commits the broker can never take, set aside in quarantine",
                            ["topic"])
BUNDLES_REFUSED = Counter("cri_transfer_bundles_refused_total",
                          "Transfer bundles refused on receipt (unsigned, forged, misattributed)",
                          ["reason"])
TRANSFER_MESSAGES_REFUSED = Counter(
    "cri_transfer_messages_refused_total",
    "Sealed pathway transfer messages refused on receipt (unsigned, forged, misattributed, "
    "unreadable)", ["reason"])
ANCHORS_PUBLISHED = Counter("cri_audit_anchors_total",
                            "Chain-head anchors published on the region topic", ["store"])
