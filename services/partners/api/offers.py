"""/api/v1/offers and /api/v1/referrals: course offers, their waiting lists, and the
referrals of the centre's people to them (with the seat or the place in line)."""
from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from shared.web.app import if_match, with_etag

from services.partners.api import common
from services.partners.api.schemas import (CancelIn, CapacityIn, DeclineIn, DropIn, OfferArgs,
                                           OfferIn, PageArgs, PageOut, ReferralArgs, ReferralIn)
from services.partners.service_layer import offers as svc_offers
from services.partners.service_layer.access import require_operator, scope

blp = Blueprint("offers", __name__, url_prefix="/api/v1",
                description="Offres de formation, listes d'attente et orientations")


def _offer_out(loaded) -> dict:
    s = loaded.state
    return {**s.offer, "capacity": s.capacity, "status": s.status, "taken": s.seats_taken,
            "free": s.seats_free, "waiting": len(s.waiting()), "version": loaded.version}


@blp.route("/offers")
class Offers(MethodView):
    @blp.arguments(OfferArgs, location="query")
    @blp.response(200, PageOut)
    def get(self, args):
        """Offres (filtres : opérateur, type, commune, statut ; un partenaire : les siennes)"""
        who = common.who()
        if args.get("operator_id"):
            require_operator(who, args["operator_id"])
        operator_id = scope(who) or args.get("operator_id")
        filters = {k: args[k] for k in ("kind", "commune_nis", "status") if args.get(k)}
        docs = common.svc().read_model.find(
            "offers", **({"operator_id": operator_id} if operator_id else {}), **filters)
        docs.sort(key=lambda d: (d["title"].lower(), d["_id"]))
        return common.page([common.strip(d) for d in docs], args)

    @blp.arguments(OfferIn)
    @blp.response(201)
    def post(self, body):
        """Publier une offre sous une convention de l'opérateur"""
        loaded = svc_offers.publish(common.svc(), common.writer(), body)
        return with_etag(_offer_out(loaded), loaded.version, 201)


@blp.route("/offers/<offer_id>")
class OfferOne(MethodView):
    @blp.response(200)
    def get(self, offer_id):
        """Une offre : capacité, places prises et libres, longueur de la liste d'attente"""
        loaded = svc_offers.load_offer(common.svc(), common.who(), offer_id)
        return with_etag(_offer_out(loaded), loaded.version)


@blp.route("/offers/<offer_id>/capacity", methods=["POST"])
@blp.arguments(CapacityIn)
@blp.response(200)
def capacity(body, offer_id):
    """Changer la capacité (If-Match facultatif) ; une place libérée promeut la file"""
    loaded = svc_offers.change_capacity(common.svc(), common.writer(), offer_id,
                                        body["capacity"], if_match(required=False))
    return with_etag(_offer_out(loaded), loaded.version)


@blp.route("/offers/<offer_id>/closure", methods=["POST"])
@blp.response(200)
def close(offer_id):
    """Clôturer l'offre : plus aucune nouvelle orientation"""
    loaded = svc_offers.close(common.svc(), common.writer(), offer_id, if_match(required=False))
    return with_etag(_offer_out(loaded), loaded.version)


@blp.route("/offers/<offer_id>/waiting-list", methods=["GET"])
@blp.arguments(PageArgs, location="query")
@blp.response(200, PageOut)
def waiting_list(args, offer_id):
    """La liste d'attente de l'offre, dans l'ordre"""
    s, who = common.svc(), common.who()
    loaded = svc_offers.load_offer(s, who, offer_id)
    docs = [s.read_model.get("referrals", r.referral_id) for r in loaded.state.waiting()]
    return common.page([svc_offers.referral_view(s, who, d) for d in docs if d], args)


@blp.route("/referrals")
class Referrals(MethodView):
    @blp.arguments(ReferralArgs, location="query")
    @blp.response(200, PageOut)
    def get(self, args):
        """Orientations (filtres : opérateur, offre, personne, statut) avec leurs heures"""
        s, who = common.svc(), common.who()
        docs = svc_offers.referrals(s, who, **{k: args.get(k) for k in (
            "operator_id", "offer_id", "person_id", "status")})
        out = common.page(docs, args)
        hours = s.read_model.hours_by_referral(d["_id"] for d in out["items"])
        out["items"] = [svc_offers.referral_view(s, who, d, hours[d["_id"]])
                        for d in out["items"]]
        return out

    @blp.arguments(ReferralIn)
    @blp.response(201)
    def post(self, body):
        """Proposer l'orientation d'une personne vers une offre (coordination)"""
        s, who = common.svc(), common.writer()
        loaded, rid = svc_offers.propose(s, who, body)
        doc = s.read_model.get("referrals", rid)
        return with_etag(svc_offers.referral_view(s, who, doc), loaded.version, 201)


@blp.route("/referrals/<referral_id>")
class ReferralOne(MethodView):
    @blp.response(200)
    def get(self, referral_id):
        """Une orientation (ce que la personne a consenti à partager, au plus)"""
        s, who = common.svc(), common.who()
        doc = svc_offers.find_referral(s, who, referral_id)
        hours = s.read_model.hours_by_referral([referral_id])[referral_id]
        return with_etag(svc_offers.referral_view(s, who, doc, hours), doc["offer_version"])


def _transition(referral_id: str, action: str, reason: str | None = None):
    s, who = common.svc(), common.writer()
    doc = svc_offers.find_referral(s, who, referral_id)
    loaded = svc_offers.transition(s, who, doc["offer_id"], referral_id, action, reason)
    doc = s.read_model.get("referrals", referral_id)
    return with_etag(svc_offers.referral_view(s, who, doc), loaded.version)


@blp.route("/referrals/<referral_id>/acceptance", methods=["POST"])
@blp.response(200)
def accept(referral_id):
    """Accepter : une place si elle est libre, sinon la liste d'attente (l'état le dit)"""
    return _transition(referral_id, "accept")


@blp.route("/referrals/<referral_id>/start", methods=["POST"])
@blp.response(200)
def start(referral_id):
    """La personne a commencé la formation"""
    return _transition(referral_id, "start")


@blp.route("/referrals/<referral_id>/completion", methods=["POST"])
@blp.response(200)
def complete(referral_id):
    """La personne a terminé la formation"""
    return _transition(referral_id, "complete")


@blp.route("/referrals/<referral_id>/refusal", methods=["POST"])
@blp.arguments(DeclineIn)
@blp.response(200)
def decline(body, referral_id):
    """Refuser l'orientation (motif)"""
    return _transition(referral_id, "decline", body["reason"])


@blp.route("/referrals/<referral_id>/drop-out", methods=["POST"])
@blp.arguments(DropIn)
@blp.response(200)
def drop_out(body, referral_id):
    """Abandon (motif) : la place libérée va à la première personne en attente"""
    return _transition(referral_id, "drop_out", body["reason"])


@blp.route("/referrals/<referral_id>/cancellation", methods=["POST"])
@blp.arguments(CancelIn)
@blp.response(200)
def cancel(body, referral_id):
    """Annuler l'orientation (coordination) : la place libérée promeut la file"""
    return _transition(referral_id, "cancel", body["reason"])
