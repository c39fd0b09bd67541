"""End-to-end probe ("sonde"): a trivial command every service accepts.

POST /api/v1/probes writes `<service>.ProbeRecorded` to the service's own store; the
relay publishes it; the regional reporting service counts it. `cri up` and the tests
use it to prove the wiring before any domain work.
"""
from __future__ import annotations

import uuid

import marshmallow as ma
from flask.views import MethodView
from flask_smorest import Blueprint

from shared.messages import DomainEvent
from shared.web.app import allow, config
from shared.web.schema import RequestSchema

STAFF = ("accueil", "coordination", "dpo", "auditeur")   # not partners: a probe writes

class ProbeIn(RequestSchema):
    note = ma.fields.String(load_default="", metadata={"description": "Texte libre de diagnostic"})


class ProbeOut(ma.Schema):
    probe_id = ma.fields.String()
    stream_id = ma.fields.String()
    version = ma.fields.Integer()


def make_blueprint(runtime_getter) -> Blueprint:
    blp = Blueprint("probes", __name__, url_prefix="/api/v1/probes",
                    description="Sonde de bout en bout (diagnostic)")

    @blp.route("")
    class Probes(MethodView):
        @allow(*STAFF)     # staff of this centre (the app checked the centre first)
        @blp.arguments(ProbeIn, required=False)  # the note is optional, so is the body
        @blp.response(201, ProbeOut)
        def post(self, body):
            cfg = config()
            probe_id = str(uuid.uuid4())
            stream = f"probe-{probe_id}"
            commit = runtime_getter().store.append(stream, [DomainEvent(
                f"{cfg.service}.ProbeRecorded",
                {"probe_id": probe_id, "centre": cfg.centre, "service": cfg.service,
                 "note": body["note"]})], expected_version=0)
            return {"probe_id": probe_id, "stream_id": stream, "version": commit.version}

    return blp
