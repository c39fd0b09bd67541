"""/api/v1/trainings: practitioner trainings, registrations, attendance, evaluations and
the training certificate (PDF)."""
from __future__ import annotations

from flask import Response
from flask.views import MethodView

from shared.web.app import caller, with_etag
from shared.web.blueprint import Blueprint

from services.partners.api import common
from services.partners.api.local_schemas import (EvaluationIn, RegistrationIn,
                                                 TrainingAttendanceIn, TrainingIn)
from services.partners.api.schemas import PageArgs, PageOut
from services.partners.service_layer import trainings as svc_trainings
from services.partners.service_layer.access import scope

blp = Blueprint("trainings", __name__, url_prefix="/api/v1",
                description="Formations des intervenants : sessions, inscriptions, "
                            "présences, évaluations, attestations")


def _out(loaded) -> dict:
    s = loaded.state
    return {**s.training, "registered": s.registered,
            "places_left": max(0, s.training["capacity"] - s.registered),
            "version": loaded.version}



@blp.route("/trainings")
class Trainings(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, PageOut)
    def get(self, args):
        """Catalogue des formations du centre"""
        common.who()
        docs = common.svc().read_model.find("trainings")
        docs.sort(key=lambda d: (d["sessions"][0]["date"], d["_id"]))
        return common.page([common.strip(d) for d in docs], args)

    @blp.arguments(TrainingIn)
    @blp.response(201)
    def post(self, body):
        """Programmer une formation (coordination)"""
        loaded = svc_trainings.schedule(common.svc(), common.writer(), body)
        return with_etag(_out(loaded), loaded.version, 201)


@blp.route("/trainings/<training_id>", methods=["GET"])
@blp.response(200)
def training(training_id):
    """Une formation : séances, places, inscrits"""
    loaded = svc_trainings.training(common.svc(), common.who(), training_id)
    return with_etag(_out(loaded), loaded.version)


@blp.route("/trainings/<training_id>/registrations")
class Registrations(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, PageOut)
    def get(self, args, training_id):
        """Inscriptions (un partenaire : celles de son opérateur), avec les noms"""
        who, s = common.who(), common.svc()
        svc_trainings.training(s, who, training_id)
        limit = scope(who)
        docs = s.read_model.find("registrations", training_id=training_id)
        docs = [d for d in docs if limit is None or d.get("operator_id") == limit]
        docs.sort(key=lambda d: (d["registered_on"], d["_id"]))
        out = common.page(docs, args)
        out["items"] = [svc_trainings.registration(s, who, training_id, d["_id"])
                        for d in out["items"]]
        return out

    @blp.arguments(RegistrationIn)
    @blp.response(201)
    def post(self, body, training_id):
        """Inscrire un intervenant (coordination, ou un partenaire pour son opérateur)"""
        s = common.svc()
        loaded, rid = svc_trainings.register(s, common.writer(), training_id, body)
        return with_etag(svc_trainings.registration(s, common.who(), training_id, rid),
                         loaded.version, 201)


@blp.route("/trainings/<training_id>/registrations/<registration_id>", methods=["GET"])
@blp.response(200)
def registration(training_id, registration_id):
    """Une inscription : présences, heures, évaluation"""
    return svc_trainings.registration(common.svc(), common.who(), training_id, registration_id)


@blp.route("/trainings/<training_id>/registrations/<registration_id>/cancellation",
           methods=["POST"])
@blp.response(200)
def unregister(training_id, registration_id):
    """Désinscrire (avant toute présence)"""
    s = common.svc()
    svc_trainings.unregister(s, common.writer(), training_id, registration_id)
    return svc_trainings.registration(s, common.who(), training_id, registration_id)


@blp.route("/trainings/<training_id>/registrations/<registration_id>/erasure",
           methods=["POST"])
@blp.response(200)
def erase(training_id, registration_id):
    """Effacer un intervenant (droit à l'effacement) : nom, organisation et fonction
    deviennent illisibles ; heures et présences restent, anonymes. Rôle : dpo."""
    s, dpo = common.svc(), caller("dpo")
    svc_trainings.erase(s, dpo, training_id, registration_id)
    return svc_trainings.registration(s, dpo, training_id, registration_id)


@blp.route("/trainings/<training_id>/registrations/<registration_id>/attendance",
           methods=["POST"])
@blp.arguments(TrainingAttendanceIn)
@blp.response(200)
def attend(body, training_id, registration_id):
    """Présence à une séance (coordination) : les heures de la séance"""
    s = common.svc()
    svc_trainings.attend(s, common.writer(), training_id, registration_id,
                         body["session_date"], body["present"])
    return svc_trainings.registration(s, common.who(), training_id, registration_id)


@blp.route("/trainings/<training_id>/registrations/<registration_id>/evaluation",
           methods=["PUT"])
@blp.arguments(EvaluationIn)
@blp.response(200)
def evaluate(body, training_id, registration_id):
    """Évaluation de la formation par l'intervenant (1 à 5), encodée par la coordination"""
    s = common.svc()
    svc_trainings.evaluate(s, common.writer(), training_id, registration_id,
                           body["satisfaction"], body["usefulness"])
    return svc_trainings.registration(s, common.who(), training_id, registration_id)


@blp.route("/trainings/<training_id>/registrations/<registration_id>/certificate.pdf",
           methods=["GET"])
@blp.doc(responses={"200": {"description": "PDF", "content": {"application/pdf": {}}}})
def certificate(training_id, registration_id):
    """Attestation de formation (PDF), pour un intervenant présent"""
    pdf = svc_trainings.certificate_pdf(common.svc(), common.who(), training_id,
                                        registration_id)
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="attestation-{registration_id}.pdf"',
        "Cache-Control": "no-store"})
