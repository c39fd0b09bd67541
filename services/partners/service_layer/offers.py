"""Course offers and referrals: publish, capacity, close; propose, accept (a seat or the
waiting list), decline, start, complete, drop out, cancel; what an operator may read.

Every change of an offer or its referrals is decided on the offer's stream (`execute`
with many retries: concurrent acceptances on a popular offer conflict, and each is
decided again on what the others stored).
"""
from __future__ import annotations

import uuid
from typing import Any, Callable

from shared.application import Loaded, execute
from shared.auth import Principal
from shared.errors import DomainRuleViolation, NotFound, ValidationFailed
from shared.messages import DomainEvent

from services.partners.bootstrap import PartnersServices
from services.partners.domain import offers as dom
from services.partners.domain.offers import OfferState

from .access import require_followed, require_manager, require_operator, scope
from .operators import usage

RETRIES = 40   # acceptances racing on one offer: each retry decides on the winner's seats


def _run(svc: PartnersServices, offer_id: str,
         decide: Callable[[OfferState], list[DomainEvent]],
         if_match: int | None = None) -> Loaded[OfferState]:
    return execute(svc.offers, offer_id, lambda loaded: decide(loaded.state),
                   if_match=if_match, retries=RETRIES)


def load_offer(svc: PartnersServices, who: Principal, offer_id: str) -> Loaded[OfferState]:
    loaded = svc.offers.load(offer_id)
    if loaded.state.offer is None:
        raise NotFound("offre inconnue", message_en="unknown offer")
    require_operator(who, loaded.state.offer["operator_id"])
    return loaded


def _offer_doc(svc: PartnersServices, who: Principal, offer_id: str) -> dict[str, Any]:
    """The offer as the read model holds it (one `_id` read), checked for the caller:
    enough to authorise a change, which `_run` then decides on the stream itself."""
    doc = svc.read_model.get("offers", offer_id)
    if doc is None:
        raise NotFound("offre inconnue", message_en="unknown offer")
    require_operator(who, doc["operator_id"])
    return doc


def publish(svc: PartnersServices, who: Principal, body: dict[str, Any]) -> Loaded[OfferState]:
    require_operator(who, body["operator_id"])
    a = svc.agreements.load(body["agreement_id"]).state
    if a is None or a.operator_id != body["operator_id"]:
        raise ValidationFailed("convention inconnue pour cet opérateur",
                               message_en="unknown agreement for this operator",
                               fields={"agreement_id": ["convention inconnue pour cet "
                                                        "opérateur"]})
    if body["kind"] == "french" and not body.get("level"):
        raise ValidationFailed("une offre de français précise le niveau visé (CECR)",
                               message_en="a French offer states its CEFR level",
                               fields={"level": ["niveau requis pour le français"]})
    offer = {**body, "level": body.get("level"),
             "sessions": [{"date": s["date"].isoformat(), "hours": float(s["hours"])}
                          for s in body.get("sessions", [])]}
    return _run(svc, body["offer_id"], lambda s: dom.decide_publish(s, offer, svc.today()))


def change_capacity(svc, who, offer_id: str, capacity: int, if_match: int | None):
    _offer_doc(svc, who, offer_id)
    return _run(svc, offer_id, lambda s: dom.decide_change_capacity(s, capacity, svc.today()),
                if_match)


def close(svc, who, offer_id: str, if_match: int | None):
    _offer_doc(svc, who, offer_id)
    return _run(svc, offer_id, lambda s: dom.decide_close(s, svc.today()), if_match)


def propose(svc: PartnersServices, who: Principal, body: dict[str, Any]
            ) -> tuple[Loaded[OfferState], str]:
    """The centre proposes a referral of one of its people to an offer."""
    require_manager(who)
    require_followed(svc, body["person_id"])
    offer = svc.read_model.get("offers", body["offer_id"])
    if offer is None:
        raise ValidationFailed("offre inconnue", message_en="unknown offer",
                               fields={"offer_id": ["offre inconnue"]})
    a = svc.agreements.load(offer["agreement_id"]).state
    why = usage(svc, a)["blocked_reason"] if a else "l'offre ne relève d'aucune convention"
    if why:
        raise DomainRuleViolation(f"nouvelle orientation impossible : {why}",
                                  message_en="the offer's agreement allows no new referral")
    rid = body.get("referral_id") or uuid.uuid4().hex
    shared = body.get("partage")
    if shared and not body["consent"]:
        raise ValidationFailed("sans consentement de la personne, l'orientation ne porte "
                               "aucune donnée personnelle",
                               message_en="without the person's consent, no personal data",
                               fields={"partage": ["interdit sans consentement"]})
    card = svc.cards.seal(body["person_id"], rid, shared) if shared else None
    loaded = _run(svc, body["offer_id"], lambda s: dom.decide_propose(
        s, referral_id=rid, person_id=body["person_id"], agreement_id=offer["agreement_id"],
        purpose=body["purpose"], consent=body["consent"], card=card, today=svc.today()))
    return loaded, rid


TRANSITIONS = {"accept": dom.decide_accept, "start": dom.decide_start,
               "complete": dom.decide_complete}
WITH_REASON = {"decline": dom.decide_decline, "drop_out": dom.decide_drop_out,
               "cancel": dom.decide_cancel}


def transition(svc: PartnersServices, who: Principal, offer_id: str, referral_id: str,
               action: str, reason: str | None = None) -> Loaded[OfferState]:
    _offer_doc(svc, who, offer_id)
    if action == "cancel":
        require_manager(who)
    today = svc.today()
    if action in TRANSITIONS:
        return _run(svc, offer_id, lambda s: TRANSITIONS[action](s, referral_id, today))
    return _run(svc, offer_id, lambda s: WITH_REASON[action](s, referral_id, reason, today))


def find_referral(svc: PartnersServices, who: Principal, referral_id: str) -> dict[str, Any]:
    doc = svc.read_model.get("referrals", referral_id)
    if doc is None:
        raise NotFound("orientation inconnue", message_en="unknown referral")
    require_operator(who, doc["operator_id"])
    return doc


def referral_view(svc: PartnersServices, who: Principal, doc: dict[str, Any],
                  hours: float | None = None) -> dict[str, Any]:
    """What the caller may see of a referral: an operator sees the shared card only
    with the person's consent, and never more than it."""
    out = {k: doc.get(k) for k in (
        "referral_id", "offer_id", "operator_id", "agreement_id", "person_id", "kind",
        "title", "status", "purpose", "consent", "proposed_on", "accepted_on",
        "waitlist_position", "waitlisted_on", "ended_on", "reason")}
    out["partage"] = svc.cards.open(doc["person_id"], doc["referral_id"], doc.get("card")) \
        if doc.get("consent") else None
    out["hours"] = hours
    return out


def referrals(svc: PartnersServices, who: Principal, *, operator_id: str | None = None,
              offer_id: str | None = None, person_id: str | None = None,
              status: str | None = None) -> list[dict[str, Any]]:
    limit = scope(who)
    if limit is not None:
        if operator_id not in (None, limit):
            require_operator(who, operator_id)
        operator_id = limit
    filters = {k: v for k, v in (("offer_id", offer_id), ("person_id", person_id),
                                 ("operator_id", operator_id), ("status", status)) if v}
    docs = svc.read_model.find("referrals", **filters)
    docs.sort(key=lambda d: (d.get("waitlist_position") or 0, d["proposed_on"], d["_id"]))
    return docs
