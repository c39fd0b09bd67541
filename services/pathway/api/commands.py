"""/api/v1/pathways/<person_id>/…: the coordinator's commands on one pathway.

Each needs `If-Match: "<version>"` from the last read (428 without, 412 if stale) and
answers with the updated pathway and its new ETag.
"""
from __future__ import annotations

import uuid

from flask_smorest import Blueprint

from shared.web.app import if_match
from shared.web.openapi import if_match_doc

from services.pathway.api.common import pathway_response, svc, writer
from services.pathway.api import schemas as s
from services.pathway.domain import (CompleteOrientation, ExtendDeadline, FlagNonCompliance,
                                     ProveFrenchLevel, RecordInterview, RecordReceptionStep,
                                     ResumeClock, ScheduleInterview, SignConvention,
                                     SuspendClock, decide_complete_orientation,
                                     decide_extend_deadline, decide_flag_non_compliance,
                                     decide_prove_french_level, decide_record_interview,
                                     decide_record_reception_step, decide_resume_clock,
                                     decide_schedule_interview, decide_sign_convention,
                                     decide_suspend_clock)
from services.pathway.service_layer.commands import run_api

blp = Blueprint("pathway-commands", __name__, url_prefix="/api/v1/pathways",
                description="Actions du coordinateur sur un parcours (If-Match requis)")


def _run(person_id: str, decide, command, status: int = 200):
    writer()
    loaded = run_api(svc(), person_id, decide, command, if_match(required=True))
    return pathway_response(loaded, person_id, status)


@blp.route("/<person_id>/reception-steps", methods=["POST"])
@if_match_doc()
@blp.arguments(s.ReceptionStepIn)
@blp.response(200, s.PathwayOut)
def reception_step(body, person_id):
    """Enregistrer une étape du module d'accueil"""
    return _run(person_id, decide_record_reception_step, RecordReceptionStep(**body))


@blp.route("/<person_id>/convention", methods=["POST"])
@if_match_doc()
@blp.arguments(s.ConventionIn)
@blp.response(200, s.PathwayOut)
def convention(body, person_id):
    """Signer la convention d'accueil (formations et heures requises)"""
    return _run(person_id, decide_sign_convention, SignConvention(**body))


@blp.route("/<person_id>/extensions", methods=["POST"])
@if_match_doc()
@blp.arguments(s.ExtensionIn)
@blp.response(200, s.PathwayOut)
def extension(body, person_id):
    """Prolonger l'échéance (motif, dans la limite des règles)"""
    return _run(person_id, decide_extend_deadline, ExtendDeadline(**body))


@blp.route("/<person_id>/suspensions", methods=["POST"])
@if_match_doc()
@blp.arguments(s.SuspensionIn)
@blp.response(200, s.PathwayOut)
def suspension(body, person_id):
    """Suspendre l'échéance (maladie, maternité, absence du territoire…)"""
    return _run(person_id, decide_suspend_clock, SuspendClock(str(uuid.uuid4()), **body))


@blp.route("/<person_id>/suspensions/<suspension_id>/resumption", methods=["POST"])
@if_match_doc()
@blp.arguments(s.ResumptionIn)
@blp.response(200, s.PathwayOut)
def resumption(body, person_id, suspension_id):
    """Reprise : l'échéance court à nouveau"""
    return _run(person_id, decide_resume_clock, ResumeClock(body["resumed_on"], suspension_id))


@blp.route("/<person_id>/interviews", methods=["POST"])
@if_match_doc()
@blp.arguments(s.InterviewScheduleIn)
@blp.response(200, s.PathwayOut)
def schedule_interview(body, person_id):
    """Planifier un entretien d'évaluation"""
    return _run(person_id, decide_schedule_interview,
                ScheduleInterview(str(uuid.uuid4()), body["scheduled_for"]))


@blp.route("/<person_id>/interviews/<interview_id>/record", methods=["POST"])
@if_match_doc()
@blp.arguments(s.InterviewRecordIn)
@blp.response(200, s.PathwayOut)
def record_interview(body, person_id, interview_id):
    """Consigner un entretien d'évaluation (planifié ou non)"""
    return _run(person_id, decide_record_interview, RecordInterview(
        interview_id, body["held_on"], body["person_attended"], body["training_attendance"],
        tuple(body["absence_reasons"]), tuple(body["programme_changes"]),
        body["extension_needed"]))


@blp.route("/<person_id>/french-level", methods=["POST"])
@if_match_doc()
@blp.arguments(s.FrenchLevelIn)
@blp.response(200, s.PathwayOut)
def french_level(body, person_id):
    """Preuve du niveau A2 en français : fin de l'obligation FLE"""
    return _run(person_id, decide_prove_french_level, ProveFrenchLevel(**body))


@blp.route("/<person_id>/orientation-completion", methods=["POST"])
@if_match_doc()
@blp.arguments(s.DateIn)
@blp.response(200, s.PathwayOut)
def orientation(body, person_id):
    """Orientation socioprofessionnelle terminée (rapport de l'opérateur)"""
    return _run(person_id, decide_complete_orientation, CompleteOrientation(**body))


@blp.route("/<person_id>/non-compliance-flags", methods=["POST"])
@if_match_doc()
@blp.response(200, s.PathwayOut)
def non_compliance(person_id):
    """Signaler le non-respect (faits seulement ; aucune amende)"""
    return _run(person_id, decide_flag_non_compliance, FlagNonCompliance())
