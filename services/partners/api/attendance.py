"""POST /api/v1/attendance: an operator reports hours followed by a person."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import marshmallow as ma
from flask import current_app
from flask_smorest import Blueprint
from marshmallow import fields as f, validate as v

from shared.errors import ConcurrencyError
from shared.web.app import config, principal, with_etag

from services.partners.domain.attendance import RecordAttendance, decide_record_attendance
from services.partners.domain.events import TRAININGS

blp = Blueprint("attendance", __name__, url_prefix="/api/v1/attendance",
                description="Présences aux formations (rapports des opérateurs)")


class AttendanceIn(ma.Schema):
    attendance_id = f.String(required=True, validate=v.Length(min=1, max=100),
                             metadata={"description": "identifiant unique du rapport"})
    person_id = f.String(required=True, validate=v.Length(min=1, max=100))
    training = f.String(required=True, validate=v.OneOf(TRAININGS))
    hours = f.Float(required=True, validate=v.Range(min=0, max=24, min_inclusive=False))
    session_date = f.Date(required=True)


class AttendanceOut(ma.Schema):
    attendance_id = f.String()
    stream_id = f.String()
    version = f.Integer()
    created = f.Boolean()


@blp.route("", methods=["POST"])
@blp.arguments(AttendanceIn)
@blp.response(201, AttendanceOut)
def record(body):
    """Enregistrer une présence (rôle partenaire ou coordination, propre centre)"""
    who = principal()
    who.require("partenaire", "coordination")
    cfg = config()
    who.require_centre(cfg.centre)
    store = current_app.extensions["cri_runtime"].store
    stream_id = f"attendance-{body['attendance_id']}"
    today = datetime.now(ZoneInfo("Europe/Brussels")).date()
    command = RecordAttendance(centre=cfg.centre, operator_id=who.operator_id, **body)
    for _ in range(2):
        stream = store.load(stream_id)
        events = decide_record_attendance(stream.events, command, today)
        if not events:
            return with_etag({"attendance_id": body["attendance_id"], "stream_id": stream_id,
                              "version": stream.version, "created": False},
                             stream.version, 200)
        try:
            commit = store.append(stream_id, events, stream.version, stream.head_hash)
        except ConcurrencyError:
            continue  # the same report raced in: decide again on what is stored
        return with_etag({"attendance_id": body["attendance_id"], "stream_id": stream_id,
                          "version": commit.version, "created": True}, commit.version, 201)
    raise ConcurrencyError("présence enregistrée en parallèle ; réessayez",
                           message_en="attendance recorded concurrently; retry")
