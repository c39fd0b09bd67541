"""/api/v1/plans: local integration plans (PLI), their actions and indicators, their
lifecycle (adoption, evaluation, new version) and measured values."""
from __future__ import annotations

from flask.views import MethodView

from shared.web.app import if_match, with_etag
from shared.web.blueprint import Blueprint

from services.partners.api import common
from services.partners.api.local_schemas import (ActionIn, DecisionIn, IndicatorIn,
                                                 MeasureIn, PlanContentIn, PlanIn,
                                                 ProgressIn, ReasonTextIn, SummaryIn)
from services.partners.api.schemas import PageArgs, PageOut
from services.partners.service_layer import plans as svc_plans
from services.partners.service_layer.access import scope

blp = Blueprint("plans", __name__, url_prefix="/api/v1",
                description="Plans locaux d'intégration (PLI) : diagnostic, objectifs, "
                            "actions, indicateurs")


def _out(loaded) -> dict:
    p = loaded.state
    return {**{k: v for k, v in p.items() if k not in ("actions", "indicators")},
            "actions": sorted(p["actions"].values(), key=lambda a: a["action_id"]),
            "indicators": sorted(p["indicators"].values(), key=lambda i: i["indicator_id"]),
            "version": loaded.version}


@blp.route("/plans")
class Plans(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, PageOut)
    def get(self, args):
        """Plans du centre (un partenaire : ceux où son opérateur porte une action)"""
        who = common.who()
        limit = scope(who)
        docs = common.svc().read_model.find("plans")
        if limit:
            docs = [d for d in docs if any(a.get("lead_operator_id") == limit
                                           for a in d["actions"].values())]
        docs.sort(key=lambda d: (d["title"].lower(), d["_id"]))
        items = [{k: v for k, v in common.strip(d).items() if k not in ("actions", "indicators")}
                 for d in docs]
        return common.page(items, args)

    @blp.arguments(PlanIn)
    @blp.response(201)
    def post(self, body):
        """Ouvrir un plan en projet (coordination)"""
        loaded = svc_plans.draft(common.svc(), common.writer(), body)
        return with_etag(_out(loaded), loaded.version, 201)


@blp.route("/plans/<plan_id>")
class PlanOne(MethodView):
    @blp.response(200)
    def get(self, plan_id):
        """Un plan : contenu, actions, indicateurs et leurs mesures, approbations"""
        loaded = svc_plans.plan(common.svc(), common.who(), plan_id)
        return with_etag(_out(loaded), loaded.version)

    @blp.arguments(PlanContentIn)
    @blp.response(200)
    def put(self, body, plan_id):
        """Réviser le diagnostic et les objectifs d'un plan en projet (If-Match)"""
        loaded = svc_plans.revise(common.svc(), common.writer(), plan_id, body, if_match())
        return with_etag(_out(loaded), loaded.version)


@blp.route("/plans/<plan_id>/actions/<action_id>", methods=["PUT"])
@blp.arguments(ActionIn)
@blp.response(200)
def set_action(body, plan_id, action_id):
    """Créer ou modifier une action d'un plan en projet (un partenaire : les siennes)"""
    loaded = svc_plans.set_action(common.svc(), common.writer(), plan_id,
                                  {**body, "action_id": action_id}, if_match(required=False))
    return with_etag(_out(loaded), loaded.version)


@blp.route("/plans/<plan_id>/actions/<action_id>/status", methods=["POST"])
@blp.arguments(ProgressIn)
@blp.response(200)
def progress(body, plan_id, action_id):
    """Avancement d'une action (plan adopté compris ; un partenaire : les siennes)"""
    loaded = svc_plans.progress_action(common.svc(), common.writer(), plan_id, action_id,
                                       body["status"])
    return with_etag(_out(loaded), loaded.version)


@blp.route("/plans/<plan_id>/indicators/<indicator_id>", methods=["PUT"])
@blp.arguments(IndicatorIn)
@blp.response(200)
def set_indicator(body, plan_id, indicator_id):
    """Créer ou modifier un indicateur (valeur de départ, cible) d'un plan en projet"""
    loaded = svc_plans.set_indicator(common.svc(), common.writer(), plan_id,
                                     {**body, "indicator_id": indicator_id},
                                     if_match(required=False))
    return with_etag(_out(loaded), loaded.version)


@blp.route("/plans/<plan_id>/indicators/<indicator_id>/measurements", methods=["POST"])
@blp.arguments(MeasureIn)
@blp.response(200)
def measure(body, plan_id, indicator_id):
    """Enregistrer une valeur mesurée d'un indicateur (plan adopté)"""
    loaded = svc_plans.measure(common.svc(), common.writer(), plan_id, indicator_id,
                               body["value"], body["measured_on"])
    return with_etag(_out(loaded), loaded.version)


@blp.route("/plans/<plan_id>/adoption", methods=["POST"])
@blp.arguments(DecisionIn)
@blp.response(200)
def adopt(body, plan_id):
    """Adopter le plan (If-Match facultatif) : son contenu est alors figé"""
    loaded = svc_plans.adopt(common.svc(), common.writer(), plan_id, body["decision"],
                             if_match(required=False))
    return with_etag(_out(loaded), loaded.version)


@blp.route("/plans/<plan_id>/evaluation", methods=["POST"])
@blp.arguments(SummaryIn)
@blp.response(200)
def evaluate(body, plan_id):
    """Évaluer le plan adopté"""
    loaded = svc_plans.evaluate(common.svc(), common.writer(), plan_id, body["summary"],
                                if_match(required=False))
    return with_etag(_out(loaded), loaded.version)


@blp.route("/plans/<plan_id>/versions", methods=["POST"])
@blp.arguments(ReasonTextIn)
@blp.response(200)
def new_version(body, plan_id):
    """Ouvrir une nouvelle version (en projet) d'un plan adopté ou évalué"""
    loaded = svc_plans.new_version(common.svc(), common.writer(), plan_id, body["reason"],
                                   if_match(required=False))
    return with_etag(_out(loaded), loaded.version)
