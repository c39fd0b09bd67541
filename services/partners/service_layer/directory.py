"""The public directory for newcomers (« annuaire »): by commune, the course offers that
still have free seats, the activities to come and how to reach the centre, in French
first with the descriptions the centre filled in other languages. Read from the read
model only; no person, no count of people, nothing that changes with one registration
except a seat count that the offer itself publishes.

The centre (or an offer's operator) describes an offer for the directory; the centre
sets its own contact."""
from __future__ import annotations

import hashlib
import json
from typing import Any

from shared.application import Loaded, execute
from shared.auth import Principal
from shared.errors import NotFound

from services.partners.adapters.streams import CONTACT
from services.partners.bootstrap import PartnersServices
from services.partners.domain import directory as dom
from services.partners.domain.local_vocab import (ACTIVITY_KINDS, ACTIVITY_THEMES,
                                                  CENTRE_NAMES, LANGUAGES, PUBLICS,
                                                  RTL_LANGUAGES)
from services.partners.domain.vocab import OFFER_KINDS

from .access import require_manager, require_operator
from . import communes


def describe_offer(svc: PartnersServices, who: Principal, offer_id: str,
                   descriptions: list[dict[str, Any]]) -> Loaded:
    offer = svc.read_model.get("offers", offer_id)
    if offer is None:
        raise NotFound("offre inconnue", message_en="unknown offer")
    require_operator(who, offer["operator_id"])
    return execute(svc.listings, offer_id, lambda loaded: dom.decide_describe_offer(
        loaded.state, offer_id, descriptions))


def set_contact(svc: PartnersServices, who: Principal, contact: dict[str, Any]) -> Loaded:
    require_manager(who)
    return execute(svc.listings, CONTACT,
                   lambda loaded: dom.decide_set_contact(loaded.state, contact))


def _texts(descriptions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """French first, then the other languages; each with its direction."""
    ordered = sorted(descriptions, key=lambda d: (d["lang"] != "fr", d["lang"]))
    return [{"lang": d["lang"], "language": LANGUAGES.get(d["lang"], d["lang"]),
             "dir": "rtl" if d["lang"] in RTL_LANGUAGES else "ltr", "text": d["text"]}
            for d in ordered]


def _offer(doc: dict[str, Any], listing: dict[str, Any] | None, today: str
           ) -> dict[str, Any] | None:
    free = max(0, doc["capacity"] - doc.get("taken", 0))
    days = sorted(s["date"] for s in doc.get("sessions", []))
    coming = [d for d in days if d >= today]
    if doc.get("status") != "open" or not free or (days and not coming):
        return None
    return {"offer_id": doc["offer_id"], "title": doc["title"], "kind": doc["kind"],
            "kind_label": OFFER_KINDS.get(doc["kind"], doc["kind"]), "level": doc.get("level"),
            "language": doc.get("language"), "free_seats": free,
            "next_session": coming[0] if coming else None,
            "descriptions": _texts((listing or {}).get("descriptions", []))}


def _activity(doc: dict[str, Any], today: str) -> dict[str, Any] | None:
    if not doc.get("listed") or doc.get("status") == "cancelled" or doc["ends_on"] < today:
        return None
    return {"activity_id": doc["activity_id"], "title": doc["title"], "theme": doc["theme"],
            "theme_label": ACTIVITY_THEMES[doc["theme"]],
            "kind_label": ACTIVITY_KINDS[doc["kind"]],
            "public_label": PUBLICS[doc["public"]], "starts_on": doc["starts_on"],
            "ends_on": doc["ends_on"], "place": doc.get("place"),
            "descriptions": _texts(doc.get("descriptions", []))}


def feed(svc: PartnersServices, commune: str | None = None) -> dict[str, Any]:
    today = svc.today().isoformat()
    rm = svc.read_model
    by_commune: dict[str, dict[str, list]] = {}
    offers = rm.find("offers", commune_nis=commune) if commune else rm.find("offers")
    for doc in offers:
        item = _offer(doc, rm.get("listings", doc["offer_id"]), today)
        if item:
            by_commune.setdefault(doc["commune_nis"], {"offers": [], "activities": []}
                                  )["offers"].append(item)
    activities = rm.find("activities", commune_nis=commune) if commune \
        else rm.find("activities")
    for doc in activities:
        item = _activity(doc, today)
        if item:
            by_commune.setdefault(doc["commune_nis"], {"offers": [], "activities": []}
                                  )["activities"].append(item)
    listed = []
    for nis in sorted(by_commune, key=lambda n: (communes.name(n), n)):
        entry = by_commune[nis]
        entry["offers"].sort(key=lambda o: (o["next_session"] or "", o["title"].lower()))
        entry["activities"].sort(key=lambda a: (a["starts_on"], a["title"].lower()))
        listed.append({"commune_nis": nis, "commune": communes.name(nis), **entry})
    return {"centre": _contact(svc), "generated_on": today, "lang": "fr",
            "communes": listed}


def _contact(svc: PartnersServices) -> dict[str, Any]:
    doc = svc.read_model.get("listings", CONTACT) or {}
    name = doc.get("name") or CENTRE_NAMES.get(svc.centre, svc.centre.upper())
    return {"id": svc.centre, "name": name,
            **{k: doc.get(k) for k in ("address", "phone", "email", "website", "hours")},
            "descriptions": _texts(doc.get("descriptions", []))}


def etag(body: dict[str, Any]) -> str:
    raw = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).encode()
    return hashlib.sha256(raw).hexdigest()[:32]
