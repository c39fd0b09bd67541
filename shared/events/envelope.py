"""CloudEvents 1.0 in Kafka binary mode: value = JSON data, attributes in `ce_*` headers.

Record key = stream id, so one aggregate's events stay ordered in one partition. The
`ce_id` is derived from the stream position, so a message published twice (relay crash
between ack and mark) carries the same id and consumers can drop the duplicate.
The key `personal` of an event's data never leaves the service: it is dropped here,
in the one place every outgoing event passes.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

SPEC_VERSION = "1.0"
PRIVATE_KEY = "personal"
# a service's own sealed copy of `personal` (ciphertext only it opens; pathway): travels,
# so a replay of the topics rebuilds the store; every reader drops it
SEALED_PRIVATE_KEY = "personal_sealed"


def ce_type(event_type: str, version: int) -> str:
    """"intake.PersonRegistered", 1 -> "be.wallonie.cri.intake.PersonRegistered.v1"."""
    return f"be.wallonie.cri.{event_type}.v{version}"


def parse_ce_type(value: str) -> tuple[str, int]:
    prefix = "be.wallonie.cri."
    if not value.startswith(prefix) or ".v" not in value:
        raise ValueError(f"not a CRI event type: {value!r}")
    body, _, ver = value[len(prefix):].rpartition(".v")
    return body, int(ver)


def sequence(version: int, index: int) -> str:
    """Zero-padded so that string order is stream order."""
    return f"{version:010d}.{index:03d}"


@dataclass(frozen=True)
class Envelope:
    id: str
    source: str
    type: str            # short type, e.g. "intake.PersonRegistered"
    version: int         # schema version of `data` as published
    time: str
    subject: str         # stream id: never personal data
    sequence: str
    data: dict[str, Any]
    trace_id: str | None = None

    @property
    def centre(self) -> str:
        return self.source.split("/")[2]

    @property
    def service(self) -> str:
        return self.source.split("/")[3]


def public_data(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != PRIVATE_KEY}


_SPEC = ("ce_specversion", SPEC_VERSION.encode())
_CONTENT_TYPE = ("content-type", b"application/json")
_dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


class Encoder:
    """Stored events of one source -> (key, value, headers) for kafka-python's producer.

    The relay's hot path: the constant headers are built once, and a type's `ce_type`
    once per type, not once per message."""

    def __init__(self, source: str):
        self._source = ("ce_source", source.encode())
        self._types: dict[tuple[str, int], tuple[str, bytes]] = {}

    def encode(self, stream_id: str, version: int, index: int, recorded_at: str,
               event: dict[str, Any], trace_id: str | None = None
               ) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
        seq = sequence(version, index)
        kind = (event["type"], event["version"])
        typ = self._types.get(kind)
        if typ is None:
            typ = self._types[kind] = ("ce_type", ce_type(*kind).encode())
        key = stream_id.encode()
        headers = [_SPEC, ("ce_id", f"{stream_id}:{seq}".encode()), self._source, typ,
                   ("ce_time", recorded_at.encode()), ("ce_subject", key),
                   ("ce_sequence", seq.encode()), _CONTENT_TYPE]
        if trace_id:
            headers.append(("ce_traceid", trace_id.encode()))
        data = event["data"]
        if PRIVATE_KEY in data:
            data = public_data(data)
        return key, _dumps(data).encode("utf-8"), headers


def encode(source: str, stream_id: str, version: int, index: int, recorded_at: str,
           event: dict[str, Any], trace_id: str | None = None
           ) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    """A stored event -> (key, value, headers) for kafka-python's producer."""
    return Encoder(source).encode(stream_id, version, index, recorded_at, event, trace_id)


def decode(headers: list[tuple[str, bytes]] | None, value: bytes) -> Envelope:
    """Kafka record -> Envelope. Raises ValueError on anything malformed."""
    h = {k: v.decode() for k, v in (headers or [])}
    missing = [k for k in ("ce_id", "ce_source", "ce_type", "ce_subject", "ce_sequence")
               if k not in h]
    if missing:
        raise ValueError(f"missing CloudEvents headers: {missing}")
    if h.get("ce_specversion") != SPEC_VERSION:
        raise ValueError(f"unsupported specversion {h.get('ce_specversion')!r}")
    event_type, version = parse_ce_type(h["ce_type"])
    data = json.loads(value)
    if not isinstance(data, dict):
        raise ValueError("event data must be a JSON object")
    return Envelope(h["ce_id"], h["ce_source"], event_type, version, h.get("ce_time", ""),
                    h["ce_subject"], h["ce_sequence"], data, h.get("ce_traceid"))


def source(centre: str, service: str) -> str:
    return f"/cri/{centre}/{service}"


def topic(centre: str, service: str) -> str:
    return f"cri.{centre}.{service}.events"


REGION_TRANSFERS = "cri.region.transfers"
REGION_ANCHORS = "cri.region.anchors"


def dlq(topic_name: str) -> str:
    return f"{topic_name}.dlq"
