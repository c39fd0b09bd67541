"""Data protection: erasure (« effacement »), access export (JSON and PDF), the access
log, and the audit check of the hash chains."""
from __future__ import annotations

from flask import Response, request
from flask.views import MethodView
from shared.web.blueprint import Blueprint

from services.intake.api import common
from services.intake.api.schemas import ErasureIn, PurposeArgs
from services.intake.api.schemas_out import AccessLogOut, ErasedOut
from services.intake.service_layer import handlers
from services.intake.service_layer.export import build_export
from services.intake.service_layer.pdf import render_pdf
from shared.store import audit
from shared.web.openapi import if_match_doc

blp = Blueprint("intake-dpo", __name__, url_prefix="/api/v1",
                description="Protection des données : effacement, droit d'accès, journal")


@blp.route("/persons/<uuid:person_id>/erasure")
class Erasure(MethodView):
    @if_match_doc(required=False)
    @blp.arguments(ErasureIn)
    @blp.response(200, ErasedOut)
    def post(self, body, person_id):
        """Effacer les données (destruction de la clé de la personne) ; les événements et
        les chaînes d'empreintes restent vérifiables. Rôle : dpo. If-Match facultatif."""
        who = common.guard("dpo")
        saved = handlers.erase(common.svc(), who, str(person_id), body["reason"],
                               common.optional_version())
        return ({"person_id": str(person_id), "erased": True, "version": saved.version},
                200, common.etag(saved.version))


def _export(person_id, args, what: str) -> dict:
    who = common.guard("dpo")
    loaded = handlers.read(common.svc(), who, str(person_id),
                           common.purpose(args) or "demande_personne", what,
                           after_transfer=True)
    return build_export(common.svc(), loaded, request.headers.get("Authorization", ""))


@blp.route("/persons/<uuid:person_id>/export")
class Export(MethodView):
    @blp.arguments(PurposeArgs, location="query")
    @blp.response(200)
    def get(self, args, person_id):
        """Tout ce que l'accueil détient sur la personne (JSON). Rôle : dpo."""
        return _export(person_id, args, "export_json")


@blp.route("/persons/<uuid:person_id>/export.pdf")
class ExportPdf(MethodView):
    @blp.arguments(PurposeArgs, location="query")
    @blp.doc(responses={"200": {"description": "PDF lisible, en français",
                                "content": {"application/pdf": {}}}})
    def get(self, args, person_id):
        """Le même export en PDF lisible, en français. Rôle : dpo."""
        pdf = render_pdf(_export(person_id, args, "export_pdf"))
        return Response(pdf, mimetype="application/pdf", headers={
            "Content-Disposition": f'attachment; filename="dossier-{person_id}.pdf"'})


@blp.route("/persons/<uuid:person_id>/access-log")
class AccessLog(MethodView):
    @blp.response(200, AccessLogOut)
    def get(self, person_id):
        """Qui a consulté le dossier, quand, pour quelle finalité. Rôles : dpo, auditeur."""
        common.guard("dpo", "auditeur")
        return {"person_id": str(person_id),
                "items": common.svc().access_log.entries(str(person_id))}


@blp.route("/audit/verify")
class Verify(MethodView):
    @blp.response(200)
    def get(self):
        """Recalcule les chaînes d'empreintes du magasin de l'accueil. Rôles : auditeur, dpo."""
        common.guard("auditeur", "dpo")
        store = common.svc().store
        problems = audit.verify(store.collection, key=store.audit_key)
        return {"ok": not problems, "commits": store.count(),
                "problems": [str(p) for p in problems]}
