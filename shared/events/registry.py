"""The registry of event types: one marshmallow schema per (type, version), plus upcasters.

Writing validates against the newest version's schema (unknown type or invalid payload
raises); reading validates the stored version, then applies `upcast_vN_vN+1` functions
until the payload is at the newest version. Stored events are never rewritten.

Services register their events at import of their `domain/events.py`:

    registry.register("intake.PersonRegistered", 1, PersonRegisteredV1)
    registry.register("intake.PersonRegistered", 2, PersonRegisteredV2,
                      upcast_from_previous=lambda d: {**d, "languages": []})
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import marshmallow as ma

from shared.errors import InvalidEvent, UnknownEventType
from shared.events.canonical import json_types
from shared.events.envelope import PRIVATE_KEY, SEALED_PRIVATE_KEY
from shared.messages import DomainEvent

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass
class _Version:
    schema: ma.Schema
    upcast_from_previous: Upcaster | None


class EventRegistry:
    def __init__(self) -> None:
        self._types: dict[str, dict[int, _Version]] = {}

    def register(self, event_type: str, version: int, schema: type[ma.Schema] | ma.Schema,
                 upcast_from_previous: Upcaster | None = None) -> None:
        versions = self._types.setdefault(event_type, {})
        if version in versions:
            raise ValueError(f"{event_type} v{version} registered twice")
        if version > 1 and version - 1 not in versions:
            raise ValueError(f"{event_type} v{version} registered before v{version - 1}")
        if version > 1 and upcast_from_previous is None:
            raise ValueError(f"{event_type} v{version} needs an upcaster from v{version - 1}")
        inst = schema() if isinstance(schema, type) else schema
        versions[version] = _Version(inst, upcast_from_previous)

    def types(self) -> list[str]:
        return sorted(self._types)

    def latest_version(self, event_type: str) -> int:
        return max(self._versions(event_type))

    def schema(self, event_type: str, version: int | None = None) -> ma.Schema:
        versions = self._versions(event_type)
        return versions[version or max(versions)].schema

    def _versions(self, event_type: str) -> dict[int, _Version]:
        try:
            return self._types[event_type]
        except KeyError:
            raise UnknownEventType(f"type d'événement inconnu : {event_type}",
                                   message_en=f"unknown event type: {event_type}") from None

    def validate_for_write(self, event: DomainEvent) -> DomainEvent:
        """Check a new event against the newest schema; returns it serialised to JSON types."""
        version = self.latest_version(event.type)
        if event.version != version:
            raise InvalidEvent(f"{event.type} doit être écrit en v{version}",
                               message_en=f"{event.type} must be written as v{version}")
        schema = self.schema(event.type, version)
        try:           # one load: the validation, with the schema's defaults filled in
            loaded = schema.load(json_types(event.data))
        except ma.ValidationError as exc:
            errors = exc.messages
            raise InvalidEvent(f"événement {event.type} invalide : {errors}",
                               message_en=f"invalid event {event.type}: {errors}",
                               extra={"errors": errors}) from None
        return DomainEvent(event.type, json_types(loaded), version)

    def read(self, event_type: str, version: int, data: dict[str, Any]) -> DomainEvent:
        """Validate a stored payload at its own version, then upcast to the newest."""
        versions = self._versions(event_type)
        if version not in versions:
            raise UnknownEventType(f"{event_type} v{version} inconnu",
                                   message_en=f"unknown version {event_type} v{version}")
        # what travelled on the bus lacks its `personal` part (the envelope keeps it in the
        # service): a schema that requires it is checked without it; a sealed copy of it
        # (only its service opens it, before this read) is dropped
        if SEALED_PRIVATE_KEY in data:
            data = {k: v for k, v in data.items() if k != SEALED_PRIVATE_KEY}
        errors = versions[version].schema.validate(
            data, partial=() if PRIVATE_KEY in data else (PRIVATE_KEY,))
        if errors:
            raise InvalidEvent(f"événement {event_type} v{version} invalide : {errors}",
                               message_en=f"invalid stored event {event_type} v{version}",
                               extra={"errors": errors})
        latest = max(versions)
        while version < latest:
            version += 1
            upcaster = versions[version].upcast_from_previous
            assert upcaster is not None
            data = upcaster(data)
        return DomainEvent(event_type, data, version)


registry = EventRegistry()
"""The process-wide registry. Services register into it from their domain/events.py."""
