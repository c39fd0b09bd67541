"""POST /api/v1/attendance: an operator reports hours followed by a person."""
from __future__ import annotations

import marshmallow as ma
from flask_smorest import Blueprint
from marshmallow import fields as f, validate as v

from shared.web.app import allow, with_etag
from shared.web.schema import (RequestSchema, person_id as person_id_field,
                               record_id as record_id_field)

from services.partners.adapters.streams import attendance_stream
from services.partners.api import common
from services.partners.domain.events import TRAININGS
from services.partners.service_layer import attendance

blp = Blueprint("attendance", __name__, url_prefix="/api/v1/attendance",
                description="Présences aux formations (rapports des opérateurs)")


class AttendanceIn(RequestSchema):
    attendance_id = record_id_field(required=True)   # the operator's own report number
    person_id = person_id_field(required=True)
    training = f.String(required=True, validate=v.OneOf(TRAININGS))
    hours = f.Float(required=True, validate=v.Range(min=0, max=24, min_inclusive=False))
    session_date = f.Date(required=True)


class AttendanceOut(ma.Schema):
    attendance_id = f.String()
    stream_id = f.String()
    version = f.Integer()
    created = f.Boolean()


@blp.route("", methods=["POST"])
@allow(*common.WRITERS)            # 403 before the body is read
@blp.arguments(AttendanceIn)
@blp.response(201, AttendanceOut)
def record(body):
    """Enregistrer une présence (rôle partenaire ou coordination, propre centre)"""
    loaded, created = attendance.record(common.svc(), common.writer(), body)
    return with_etag({"attendance_id": body["attendance_id"],
                      "stream_id": attendance_stream(body["attendance_id"]),
                      "version": loaded.version, "created": created},
                     loaded.version, 201 if created else 200)
