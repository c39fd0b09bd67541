"""Every event type of the platform, in one registry (services, reporting, AsyncAPI)."""
from __future__ import annotations

import marshmallow as ma

from shared import anchors
from shared.events.registry import EventRegistry

SERVICES = ("intake", "pathway", "partners")


class ProbeRecorded(ma.Schema):
    """An end-to-end probe ("sonde"): proves store -> relay -> Kafka -> consumer wiring."""

    probe_id = ma.fields.String(required=True)
    centre = ma.fields.String(required=True)
    service = ma.fields.String(required=True)
    note = ma.fields.String(load_default="")


def build_registry() -> EventRegistry:
    registry = EventRegistry()
    for service in SERVICES:
        registry.register(f"{service}.ProbeRecorded", 1, ProbeRecorded)
    anchors.register(registry)
    _register_domains(registry)
    return registry


def _register_domains(registry: EventRegistry) -> None:
    # Imported here, not at module level: shared/ must not depend on services at import.
    import importlib
    for service in SERVICES:
        try:
            module = importlib.import_module(f"services.{service}.domain.events")
        except ModuleNotFoundError:
            continue
        module.register_events(registry)
