"""/api/v1/activities: integration activities, their participation (counts by coarse
category) and the link of a followed newcomer (the centre only)."""
from __future__ import annotations

from flask.views import MethodView

from shared.web.app import if_match, with_etag
from shared.web.blueprint import Blueprint

from services.partners.api import common
from services.partners.api.local_schemas import (ActivityArgs, ActivityBody, ActivityIn,
                                                 LinkIn, ParticipationIn)
from services.partners.api.schemas import PageOut
from services.partners.service_layer import activities as svc_activities
from services.partners.service_layer.access import require_operator, scope

blp = Blueprint("activities", __name__, url_prefix="/api/v1",
                description="Activités d'intégration et leur participation")


def _out(loaded) -> dict:
    return {**{k: v for k, v in loaded.state.items() if k != "linked"},
            "linked": len(loaded.state["linked"]),
            "participants": sum(loaded.state["counts"].values()), "version": loaded.version}


@blp.route("/activities")
class Activities(MethodView):
    @blp.arguments(ActivityArgs, location="query")
    @blp.response(200, PageOut)
    def get(self, args):
        """Activités (filtres : opérateur, commune, thème ; un partenaire : les siennes)"""
        who = common.who()
        if args.get("operator_id"):
            require_operator(who, args["operator_id"])
        operator_id = scope(who) or args.get("operator_id")
        filters = {k: args[k] for k in ("commune_nis", "theme") if args.get(k)}
        docs = common.svc().read_model.find(
            "activities", **({"operator_id": operator_id} if operator_id else {}), **filters)
        docs.sort(key=lambda d: (d["starts_on"], d["_id"]))
        return common.page([common.strip(d) for d in docs], args)

    @blp.arguments(ActivityIn)
    @blp.response(201)
    def post(self, body):
        """Prévoir une activité (coordination, ou un partenaire pour son opérateur)"""
        loaded = svc_activities.plan(common.svc(), common.writer(), body)
        return with_etag(_out(loaded), loaded.version, 201)


@blp.route("/activities/<activity_id>")
class ActivityOne(MethodView):
    @blp.response(200)
    def get(self, activity_id):
        """Une activité et sa participation"""
        loaded = svc_activities.activity(common.svc(), common.who(), activity_id)
        return with_etag(_out(loaded), loaded.version)

    @blp.arguments(ActivityBody)
    @blp.response(200)
    def put(self, body, activity_id):
        """Modifier une activité (If-Match)"""
        loaded = svc_activities.update(common.svc(), common.writer(), activity_id, body,
                                       if_match())
        return with_etag(_out(loaded), loaded.version)


@blp.route("/activities/<activity_id>/cancellation", methods=["POST"])
@blp.response(200)
def cancel(activity_id):
    """Annuler une activité (pas une activité réalisée)"""
    loaded = svc_activities.cancel(common.svc(), common.writer(), activity_id)
    return with_etag(_out(loaded), loaded.version)


@blp.route("/activities/<activity_id>/participation", methods=["PUT"])
@blp.arguments(ParticipationIn)
@blp.response(200)
def participation(body, activity_id):
    """Participation par catégorie (des nombres, aucune donnée personnelle)"""
    loaded = svc_activities.participation(common.svc(), common.writer(), activity_id,
                                          body["counts"])
    return with_etag(_out(loaded), loaded.version)


@blp.route("/activities/<activity_id>/participants", methods=["POST"])
@blp.arguments(LinkIn)
@blp.response(200)
def link(body, activity_id):
    """Lier une personne suivie par le centre (coordination ; jamais publié)"""
    loaded = svc_activities.link_person(common.svc(), common.writer(), activity_id,
                                        body["person_id"])
    return with_etag(_out(loaded), loaded.version)
