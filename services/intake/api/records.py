"""Recording on a file: eligibility, dispenses, bilan social, French test, consents,
address. Every update needs If-Match (the ETag read last); the answer carries the new one.
"""
from __future__ import annotations

from flask.views import MethodView
from shared.web.blueprint import Blueprint

from shared.web.openapi import if_match_doc

from services.intake.api import common
from services.intake.api.schemas import (AssessIn, BilanIn, ConsentIn, DispenseIn, FrenchTestIn,
                                         MoveIn, OverrideIn)
from services.intake.api.schemas_out import MovedOut, PersonFileOut
from services.intake.domain import person
from services.intake.domain.commands import (Address, AssessEligibility, BilanTheme,
                                             ChangeAddress, CoordinatorOverride, RecordBilanSocial,
                                             RecordConsent, RecordDispense, RecordFrenchTest)
from services.intake.service_layer import handlers
from services.intake.service_layer.views import file_view

blp = Blueprint("intake-records", __name__, url_prefix="/api/v1/persons",
                description="Décisions et enregistrements sur un dossier (If-Match requis)")


def _execute(who, person_id, decide):
    return handlers.update(common.svc(), who, str(person_id), common.expected_version(), decide)


def _update(who, person_id, decide):
    saved = _execute(who, person_id, decide)
    return file_view(saved.state, saved.version), 200, common.etag(saved.version)


@blp.route("/<uuid:person_id>/eligibility")
class Eligibility(MethodView):
    @if_match_doc()
    @blp.arguments(AssessIn)
    @blp.response(200, PersonFileOut)
    def post(self, body, person_id):
        """Recalculer la décision d'obligation (p. ex. demande de parcours volontaire).
        Rôles : accueil, coordination."""
        who = common.guard("accueil", "coordination")
        cmd = AssessEligibility(body["wants_voluntary"])
        return _update(who, person_id, lambda s, on: person.decide_assess_eligibility(s, cmd, on))


@blp.route("/<uuid:person_id>/eligibility/override")
class Override(MethodView):
    @if_match_doc()
    @blp.arguments(OverrideIn)
    @blp.response(200, PersonFileOut)
    def post(self, body, person_id):
        """Corriger la décision avec une justification écrite (les deux restent dans
        l'historique). Rôle : coordination."""
        who = common.guard("coordination")
        cmd = CoordinatorOverride(body["final_status"], body["justification"], who.subject)
        return _update(who, person_id, lambda s, on: person.decide_override(s, cmd, on))


@blp.route("/<uuid:person_id>/dispenses")
class Dispenses(MethodView):
    @if_match_doc()
    @blp.arguments(DispenseIn)
    @blp.response(200, PersonFileOut)
    def post(self, body, person_id):
        """Enregistrer une dispense (motif et pièce justificative) ; la décision est
        recalculée. Rôles : accueil, coordination."""
        who = common.guard("accueil", "coordination")
        cmd = RecordDispense(body["ground"], body["evidence_ref"])
        return _update(who, person_id, lambda s, on: person.decide_record_dispense(s, cmd, on))


@blp.route("/<uuid:person_id>/bilan-social")
class Bilan(MethodView):
    @if_match_doc()
    @blp.arguments(BilanIn)
    @blp.response(200, PersonFileOut)
    def put(self, body, person_id):
        """Enregistrer le bilan social (besoins par thème, notes). Rôle : accueil."""
        who = common.guard("accueil")
        cmd = RecordBilanSocial({k: BilanTheme(v["need"], v["notes"])
                                 for k, v in body["needs"].items()}, body["notes"])
        return _update(who, person_id,
                       lambda s, on: person.decide_record_bilan_social(s, cmd, on))


@blp.route("/<uuid:person_id>/french-tests")
class FrenchTests(MethodView):
    @if_match_doc()
    @blp.arguments(FrenchTestIn)
    @blp.response(200, PersonFileOut)
    def post(self, body, person_id):
        """Enregistrer le test de niveau de français (CECR). Rôle : accueil."""
        who = common.guard("accueil")
        cmd = RecordFrenchTest(body["level"], body["test_date"], body["tester"], body["notes"])
        return _update(who, person_id,
                       lambda s, on: person.decide_record_french_test(s, cmd, on))


@blp.route("/<uuid:person_id>/consents")
class Consents(MethodView):
    @if_match_doc()
    @blp.arguments(ConsentIn)
    @blp.response(200, PersonFileOut)
    def post(self, body, person_id):
        """Donner ou retirer un consentement (finalité, destinataires). Rôle : accueil."""
        who = common.guard("accueil")
        cmd = RecordConsent(body["purpose"], tuple(body["recipients"]), body["given"],
                            body["evidence_ref"])
        return _update(who, person_id, lambda s, on: person.decide_record_consent(s, cmd, on))


@blp.route("/<uuid:person_id>/address")
class Move(MethodView):
    @if_match_doc()
    @blp.arguments(MoveIn)
    @blp.response(200, MovedOut)
    def post(self, body, person_id):
        """Changer d'adresse. Vers le territoire d'un autre centre, l'événement porte
        `moved_to_centre` (le parcours peut alors proposer un transfert). Rôle : accueil."""
        who = common.guard("accueil")
        address = Address(**body["address"]) if body["address"] else None
        cmd = ChangeAddress(body["commune_nis"], address)
        saved = _execute(who, person_id, lambda s, on: person.decide_change_address(s, cmd, on))
        moved = saved.last_commit.events[-1].data if saved.last_commit else {}
        return {**file_view(saved.state, saved.version),
                "moved_to_centre": moved.get("moved_to_centre"),
                "left_territory": moved.get("left_territory", False)}, 200, common.etag(saved.version)
