"""/api/v1/work-queues: what the coordinators should look at today."""
from __future__ import annotations

from flask_smorest import Blueprint

from services.pathway.api.common import reader, svc
from services.pathway.api.schemas import DeadlineArgs, PageArgs, PageOut
from services.pathway.domain.records import iso
from services.pathway.service_layer.queues import queue_page

blp = Blueprint("work-queues", __name__, url_prefix="/api/v1/work-queues",
                description="Files de travail des coordinateurs")


def _queue(name, args, extra=lambda state: {}):
    """A page in (deadline, person id) order, from the read model's ordered buckets
    (service_layer/queues.py: no scan of the pathways)."""
    reader()
    s = svc()
    return queue_page(s.read_model, name, s.today(), args["page"], args["page_size"], extra)


@blp.route("/interviews-overdue", methods=["GET"])
@blp.arguments(PageArgs, location="query")
@blp.response(200, PageOut)
def interviews_overdue(args):
    """Entretiens d'évaluation en retard (plus de 6 mois)"""
    return _queue("interviews-overdue", args)


@blp.route("/deadlines", methods=["GET"])
@blp.arguments(DeadlineArgs, location="query")
@blp.response(200, PageOut)
def deadlines(args):
    """Échéances dans les 30, 60 ou 90 jours"""
    return _queue(f"deadline-{args['within']}", args)


@blp.route("/non-compliance", methods=["GET"])
@blp.arguments(PageArgs, location="query")
@blp.response(200, PageOut)
def non_compliance(args):
    """Personnes obligées dont l'échéance est dépassée, avec les faits signalés"""
    return _queue("non-compliance", args,
                  lambda st: {"flags": [{"flagged_on": iso(f.flagged_on),
                                         "deadline": iso(f.deadline)} for f in st.flags]})
