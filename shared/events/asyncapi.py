"""The AsyncAPI 3 document of every channel and message, generated from the registry.

`cri asyncapi` prints it; the README links the committed copy (docs/asyncapi.json),
and a test checks that the committed copy is up to date.
"""
from __future__ import annotations

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from shared.events.envelope import REGION_ANCHORS, REGION_TRANSFERS, ce_type
from shared.events.registry import EventRegistry

_HEADERS = {
    "type": "object",
    "required": ["ce_specversion", "ce_id", "ce_source", "ce_type", "ce_subject",
                 "ce_sequence", "ce_time"],
    "properties": {
        "ce_specversion": {"const": "1.0"},
        "ce_id": {"type": "string", "description": "<stream id>:<sequence>; same id on redelivery"},
        "ce_source": {"type": "string", "description": "/cri/<centre>/<service>"},
        "ce_type": {"type": "string"},
        "ce_time": {"type": "string", "format": "date-time"},
        "ce_subject": {"type": "string", "description": "stream id (never personal data)"},
        "ce_sequence": {"type": "string", "description": "zero-padded <version>.<index>"},
        "ce_traceid": {"type": "string"},
        "content-type": {"const": "application/json"},
    },
}


def _payload_schemas(registry: EventRegistry) -> dict:
    import warnings
    warnings.filterwarnings("ignore", message=".*has already been added to the spec.*")
    spec = APISpec("events", "1", "3.0.3", plugins=[MarshmallowPlugin()])
    for t in registry.types():
        v = registry.latest_version(t)
        spec.components.schema(f"{t}.v{v}", schema=registry.schema(t, v))
    return spec.to_dict()["components"]["schemas"]


_REGION_CHANNELS = {
    "regionTransfers": (REGION_TRANSFERS, "Transfer messages between centres"),
    "regionAnchors": (REGION_ANCHORS, "Hash-chain heads of every store, anchored "
                                      "periodically by each centre's workers"),
}


def document(registry: EventRegistry, region_types: set[str] | None = None) -> dict:
    schemas = _payload_schemas(registry)
    region_types = region_types or set()
    messages, by_service = {}, {}
    for t in registry.types():
        v = registry.latest_version(t)
        name = f"{t}.v{v}".replace(".", "_")
        payload = dict(schemas[f"{t}.v{v}"])
        payload.setdefault("properties", {}).pop("personal", None)  # never published
        messages[name] = {"name": ce_type(t, v), "title": t, "contentType": "application/json",
                          "headers": _HEADERS, "payload": payload}
        channel = "regionTransfers" if t in region_types else t.split(".")[0]
        channel = "regionAnchors" if channel == "audit" else channel
        by_service.setdefault(channel, []).append(name)
    channels = {}
    for service, names in sorted(by_service.items()):
        if service in _REGION_CHANNELS:
            address, description = _REGION_CHANNELS[service]
            channels[service] = {"address": address, "description": description,
                                 "messages": {n: {"$ref": f"#/components/messages/{n}"}
                                              for n in names}}
            continue
        channels[f"{service}Events"] = {
            "address": f"cri.{{centre}}.{service}.events",
            "description": f"Every event of a centre's {service} service; retention "
                           "infinite (audit log); key = stream id",
            "parameters": {"centre": {"description": "centre id, e.g. cripel"}},
            "messages": {n: {"$ref": f"#/components/messages/{n}"} for n in names}}
        channels[f"{service}DeadLetters"] = {
            "address": f"cri.{{centre}}.{service}.events.dlq",
            "description": "Messages a consumer could not process, with dlq_error header",
            "parameters": {"centre": {"description": "centre id"}}}
    return {"asyncapi": "3.0.0",
            "info": {"title": "CRI platform events", "version": "1.0.0",
                     "description": "CloudEvents 1.0, Kafka binary mode. Personal data "
                                    "never appears in these messages."},
            "defaultContentType": "application/json",
            "channels": channels,
            "components": {"messages": messages, "schemas": schemas}}
