"""The partners service's event types ("partners.<EventName>", version 1).

`register_events(registry)` registers them; nothing registers at import time.
"""
from __future__ import annotations

import marshmallow as ma
from marshmallow import fields as f, validate as v

from shared.events.registry import EventRegistry

ATTENDANCE_RECORDED = "partners.AttendanceRecorded"
TRAININGS = ("citizenship", "french", "osp")   # FIC, FLE, OSP: the pathway's codes


class AttendanceRecordedV1(ma.Schema):
    """One attendance report ("présence"): hours a person followed in one session."""

    attendance_id = f.String(required=True, validate=v.Length(min=1, max=100))
    person_id = f.String(required=True, validate=v.Length(min=1, max=100))
    centre = f.String(required=True, validate=v.Regexp(r"^[a-z][a-z0-9_-]{1,31}$"))
    training = f.String(required=True, validate=v.OneOf(TRAININGS))
    hours = f.Float(required=True, validate=v.Range(min=0, max=24, min_inclusive=False))
    session_date = f.Date(required=True)
    operator_id = f.String(required=True, allow_none=True)
    recorded_on = f.Date(required=True)


EVENT_SCHEMAS: dict[str, type[ma.Schema]] = {ATTENDANCE_RECORDED: AttendanceRecordedV1}


def register_events(registry: EventRegistry) -> None:
    for event_type, schema in EVENT_SCHEMAS.items():
        registry.register(event_type, 1, schema)
