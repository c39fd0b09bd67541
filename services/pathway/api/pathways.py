"""/api/v1/pathways: the list, one pathway, and opening on request."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from shared.web.app import caller
from services.pathway.api.common import pathway_response, reader, svc, writer
from services.pathway.api.schemas import ListArgs, OpenIn, PageOut, PathwayOut
from services.pathway.service_layer.commands import load_visible
from services.pathway.service_layer.export import export
from services.pathway.service_layer.intake import open_pathway
from services.pathway.service_layer.queues import list_page

blp = Blueprint("pathways", __name__, url_prefix="/api/v1/pathways",
                description="Parcours d'intégration du centre")


@blp.route("")
class Pathways(MethodView):
    @blp.arguments(ListArgs, location="query")
    @blp.response(200, PageOut)
    def get(self, args):
        """Liste des parcours (filtres : statut, éligibilité, file de travail)"""
        reader()
        s = svc()
        return list_page(s.read_model, s.today(), args["page"], args["page_size"],
                         status=args.get("status"), eligibility=args.get("eligibility"),
                         queue=args.get("queue") or None)

    @blp.arguments(OpenIn)
    @blp.response(201, PathwayOut)
    def post(self, body):
        """Ouvrir un parcours à la demande (personne dispensée ou hors champ)"""
        writer()
        loaded = open_pathway(svc(), body["person_id"], automatic=False,
                              justification=body["justification"])
        return pathway_response(loaded, body["person_id"], 201)


@blp.route("/<person_id>")
class PathwayOne(MethodView):
    @blp.response(200, PathwayOut)
    def get(self, person_id):
        """Un parcours : état, exigences, échéance, entretiens (ETag = version)"""
        reader()
        return pathway_response(load_visible(svc(), person_id), person_id)


@blp.route("/<person_id>/referrals", methods=["GET"])
@blp.response(200)
def referrals(person_id):
    """Les orientations de la personne vers les offres des partenaires, et leur état"""
    reader()
    s = svc()
    load_visible(s, person_id)
    return {"items": s.referrals.of_person(person_id)}


@blp.route("/<person_id>/export")
class PathwayExport(MethodView):
    @blp.response(200)
    def get(self, person_id):
        """La part du parcours dans l'export d'accès (art. 15 RGPD) : parcours, événements,
        heures créditées des présences, transferts, attestations. Rôle : dpo."""
        caller("dpo")
        return export(svc(), person_id)
