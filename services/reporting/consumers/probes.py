"""Counts end-to-end probes per centre and service (the wiring check)."""
from __future__ import annotations

from shared.events.envelope import Envelope
from shared.store.projections import StreamProjection


def evolve(state: dict | None, env: Envelope) -> dict | None:
    if not env.type.endswith(".ProbeRecorded"):
        return None
    return {"centre": env.centre, "service": env.service, "probe_id": env.data["probe_id"],
            "received": (state or {}).get("received", 0) + 1}


def projection(db) -> StreamProjection:
    return StreamProjection(db["probes"], evolve, group="reporting-probes")
