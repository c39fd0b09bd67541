"""Attestations de fréquentation: issue, PDF, revoke, and the public verification."""
from __future__ import annotations

from flask import Response
from flask_smorest import Blueprint

from shared.web.app import if_match, public, with_etag
from shared.web.openapi import if_match_doc

from services.pathway.api.common import pathway_response, reader, svc, writer
from services.pathway.api.schemas import (AttestationIn, AttestationIssuedOut, PathwayOut,
                                          RevokeIn, VerificationOut)
from services.pathway.service_layer import attestations
from services.pathway.service_layer.views import pathway_view

blp = Blueprint("attestations", __name__, url_prefix="/api/v1",
                description="Attestations de fréquentation et vérification publique")


@blp.route("/pathways/<person_id>/attestations", methods=["POST"])
@if_match_doc()
@blp.arguments(AttestationIn)
@blp.response(201, AttestationIssuedOut)
def issue(body, person_id):
    """Délivrer l'attestation (formations de la convention terminées)"""
    writer()
    s = svc()
    loaded, number = attestations.issue(s, person_id, body["holder_initials"],
                                        if_match(required=True))
    return with_etag({"number": number,
                      "verification_url": attestations.verification_url(s, number),
                      "pathway": pathway_view(person_id, loaded.state, loaded.version,
                                              s.today())}, loaded.version, 201)


@blp.route("/attestations/<number>/pdf", methods=["GET"])
@blp.doc(responses={"200": {"description": "PDF de l'attestation, avec code QR de vérification",
                             "content": {"application/pdf": {}}}})
def pdf(number):
    """L'attestation en PDF (français, code QR vers la page de vérification)"""
    reader()
    body = attestations.render_pdf(svc(), number)
    return Response(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="attestation-{number}.pdf"'})


@blp.route("/attestations/<number>/revoke", methods=["POST"])
@if_match_doc(required=False)
@blp.arguments(RevokeIn)
@blp.response(200, PathwayOut)
def revoke(body, number):
    """Révoquer une attestation (la révocation apparaît à la vérification)"""
    writer()
    loaded = attestations.revoke(svc(), number, body["reason"], if_match(required=False))
    return pathway_response(loaded, loaded.state.person_id)


@blp.route("/attestations/<number>/verification", methods=["GET"])
@blp.doc(security=[])
@blp.response(200, VerificationOut)
@blp.doc(responses={"429": "TOO_MANY_REQUESTS"})   # problem+json, Retry-After
@public
def verification(number):
    """Vérification publique (sans jeton) : numéro, date, centre, initiales, statut"""
    return attestations.verification(svc(), number)
