"""A small event vocabulary for the foundation tests (not a domain of the platform)."""
from __future__ import annotations

import marshmallow as ma

from shared.events.registry import EventRegistry


class CounterIncremented(ma.Schema):
    by = ma.fields.Integer(required=True)


class CounterIncrementedV2(ma.Schema):
    by = ma.fields.Integer(required=True)
    reason = ma.fields.String(required=True)


class NoteWritten(ma.Schema):
    text = ma.fields.String(required=True)
    personal = ma.fields.Dict(allow_none=True)


def registry(with_v2: bool = False) -> EventRegistry:
    r = EventRegistry()
    r.register("test.CounterIncremented", 1, CounterIncremented)
    if with_v2:
        r.register("test.CounterIncremented", 2, CounterIncrementedV2,
                   upcast_from_previous=lambda d: {**d, "reason": "inconnue"})
    r.register("test.NoteWritten", 1, NoteWritten)
    return r
