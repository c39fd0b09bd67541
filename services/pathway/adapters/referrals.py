"""The person's referrals to partners' offers, as the pathway shows them: one document
per referral, from the partners' events (stream `offer-<id>`, so the stream position
orders every event of a referral; a redelivered event is skipped by its `_seq`): a
`StreamProjection` keyed by the referral id."""
from __future__ import annotations

from typing import Any

from pymongo.database import Database

from shared.events.envelope import Envelope
from shared.store.projections import StreamProjection

STATUS = {"partners.ReferralProposed": "proposed", "partners.ReferralAccepted": "accepted",
          "partners.ReferralWaitlisted": "waitlisted", "partners.ReferralPromoted": "accepted",
          "partners.ReferralDeclined": "declined", "partners.ReferralStarted": "started",
          "partners.ReferralCompleted": "completed",
          "partners.ReferralDroppedOut": "dropped_out",
          "partners.ReferralCancelled": "cancelled"}


def referral_key(env: Envelope) -> str | None:
    return env.data["referral_id"] if env.type in STATUS else None


def evolve(state: dict[str, Any] | None, env: Envelope) -> dict[str, Any]:
    d = env.data
    first = state or {"person_id": d["person_id"], "offer_id": d["offer_id"],
                      "operator_id": d["operator_id"], "kind": d["kind"],
                      "proposed_on": str(d["on"])}
    return {**first, "status": STATUS[env.type], "updated_on": str(d["on"]),
            "reason": d.get("reason")}


class Referrals:
    def __init__(self, db: Database):
        self.collection = db["referrals"]
        self.projection = StreamProjection(self.collection, evolve, "pathway-referrals",
                                           key=referral_key)

    def ensure_indexes(self) -> None:
        self.collection.create_index("person_id")

    def apply(self, envelopes: list[Envelope]) -> None:
        self.projection.apply(envelopes)

    def of_person(self, person_id: str) -> list[dict[str, Any]]:
        docs = [{k: v for k, v in d.items() if k not in ("_id", "_seq")} | {"referral_id": d["_id"]}
                for d in self.collection.find({"person_id": person_id})]
        return sorted(docs, key=lambda d: (d["proposed_on"], d["referral_id"]))
