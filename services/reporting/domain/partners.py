"""Partner offers and operators as the region sees them: one document per offer (its
capacity and its referrals' states and dates, by the centre's internal person ids) and
one per operator (name and type: organisations, not people), folded from the partners'
events. Nothing personal reaches this service: no name, no contact, no national number."""
from __future__ import annotations

from typing import Any

from shared.events.envelope import Envelope

PREFIX = "partners."
SEAT_ON = ("ReferralAccepted", "ReferralPromoted")
STATUS = {"ReferralProposed": "proposed", "ReferralAccepted": "accepted",
          "ReferralWaitlisted": "waitlisted", "ReferralPromoted": "accepted",
          "ReferralDeclined": "declined", "ReferralStarted": "started",
          "ReferralCompleted": "completed", "ReferralDroppedOut": "dropped_out",
          "ReferralCancelled": "cancelled"}
ENDED = ("declined", "completed", "dropped_out", "cancelled")


def evolve_operator(state: dict[str, Any] | None, env: Envelope) -> dict[str, Any] | None:
    if env.type not in (PREFIX + "OperatorRegistered", PREFIX + "OperatorUpdated"):
        return None
    d = env.data
    return {"centre": env.centre, "operator_id": d["operator_id"], "name": d["name"],
            "type": d["type"], "approval": d["approval"]}


def evolve_offer(state: dict[str, Any] | None, env: Envelope) -> dict[str, Any] | None:
    kind = env.type.removeprefix(PREFIX)
    d = env.data
    if kind == "OfferPublished":
        return {"centre": env.centre, "offer_id": d["offer_id"],
                "operator_id": d["operator_id"], "kind": d["kind"],
                "capacity": d["capacity"], "status": "open",
                "published_on": str(d["published_on"]), "referrals": []}
    if state is None:
        return None
    if kind == "OfferCapacityChanged":
        return {**state, "capacity": d["capacity"]}
    if kind == "OfferClosed":
        return {**state, "status": "closed"}
    if kind not in STATUS:
        return None
    refs = [dict(r) for r in state["referrals"]]
    mine = next((r for r in refs if r["id"] == d["referral_id"]), None)
    if mine is None:
        mine = {"id": d["referral_id"], "person_id": d["person_id"],
                "proposed_on": str(d["on"]), "waitlisted_on": None, "seat_on": None,
                "ended_on": None}
        refs.append(mine)
    mine["status"] = STATUS[kind]
    if kind == "ReferralWaitlisted":
        mine["waitlisted_on"] = str(d["on"])
    if kind in SEAT_ON:
        mine["seat_on"] = str(d["on"])
    if mine["status"] in ENDED:
        mine["ended_on"] = str(d["on"])
    return {**state, "referrals": refs}
