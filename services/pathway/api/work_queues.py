"""/api/v1/work-queues: what the coordinators should look at today."""
from __future__ import annotations

from flask_smorest import Blueprint

from services.pathway.api.common import reader, svc
from services.pathway.api.schemas import DeadlineArgs, PageArgs, PageOut
from services.pathway.domain import deadline_within, interview_overdue, past_deadline
from services.pathway.domain.records import iso
from services.pathway.service_layer.views import page, summary

blp = Blueprint("work-queues", __name__, url_prefix="/api/v1/work-queues",
                description="Files de travail des coordinateurs")


def _queue(keep, args, extra=lambda state: {}):
    reader()
    s = svc()
    today = s.today()
    items = ({**summary(doc["person_id"], state, today), **extra(state)}
             for doc, state in s.read_model.states(status="open") if keep(state, today))
    return page(sorted(items, key=lambda i: (i["deadline"] or "9999", i["person_id"])),
                args["page"], args["page_size"])


@blp.route("/interviews-overdue", methods=["GET"])
@blp.arguments(PageArgs, location="query")
@blp.response(200, PageOut)
def interviews_overdue(args):
    """Entretiens d'évaluation en retard (plus de 6 mois)"""
    return _queue(interview_overdue, args)


@blp.route("/deadlines", methods=["GET"])
@blp.arguments(DeadlineArgs, location="query")
@blp.response(200, PageOut)
def deadlines(args):
    """Échéances dans les 30, 60 ou 90 jours"""
    return _queue(lambda st, today: deadline_within(st, today, args["within"]), args)


@blp.route("/non-compliance", methods=["GET"])
@blp.arguments(PageArgs, location="query")
@blp.response(200, PageOut)
def non_compliance(args):
    """Personnes obligées dont l'échéance est dépassée, avec les faits signalés"""
    return _queue(lambda st, today: st.eligibility_status == "obligated"
                  and past_deadline(st, today), args,
                  lambda st: {"flags": [{"flagged_on": iso(f.flagged_on),
                                         "deadline": iso(f.deadline)} for f in st.flags]})
