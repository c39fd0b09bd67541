"""The partners read model: one document per operator, agreement, offer, referral and
attendance report, rewritten by `_id` after each commit (the streams' `on_commit`);
local action's too: plans, activities, trainings and their registrations, the offers'
directory listings and the centre's contact (`on_plan` … `on_listing`).

Lists query one indexed field by equality (what FerretDB pushes down: the operator, the
offer, the person, the agreement) and filter, sort and page the few hundred documents
that match in Python. Use against an agreement's quota is computed when asked, from the
referrals and attendance under it (never a counter that a redelivery could bump twice).
"""
from __future__ import annotations

from datetime import date
from typing import Any, Callable, Iterable

from pymongo.database import Database

from shared.application import Loaded
from shared.store.documents import put

from services.partners.domain.local_events import (ACTIVITY_PARTICIPANT_LINKED as LINKED,
                                                   ACTIVITY_PARTICIPANT_UNLINKED as UNLINKED)
from services.partners.domain.offers import OfferState
from services.partners.domain.operators import Agreement
from services.partners.domain.vocab import HOLDS_SEAT

COLLECTIONS = {"operators": (), "agreements": ("operator_id",),
               "offers": ("operator_id", "agreement_id"),
               "referrals": ("operator_id", "offer_id", "person_id", "agreement_id"),
               "attendance": ("referral_id", "operator_id", "agreement_id", "person_id"),
               "plans": (), "activities": ("operator_id", "commune_nis"),
               "trainings": (), "registrations": ("training_id", "operator_id"),
               "listings": (), "activity_links": ("person_id",)}
COUNTED = (*HOLDS_SEAT, "completed", "dropped_out")   # seats used against a quota
LINKS_COMPLETE = "~backfilled"      # activity_links holds every link (see backfill_links)


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


class ReadModel:
    def __init__(self, db: Database, prefix: str = "partners_"):
        self.db = db
        self.c = {name: db[prefix + name] for name in COLLECTIONS}

    def ensure_indexes(self) -> None:
        for name, fields in COLLECTIONS.items():
            for field in fields:
                self.c[name].create_index(field)

    # ---- writes (after each commit) ----------------------------------------------

    def on_operator(self, key: str, loaded: Loaded) -> None:
        if loaded.state is not None:
            put(self.c["operators"], {**loaded.state, "_id": key, "version": loaded.version})

    def on_agreement(self, key: str, loaded: Loaded) -> None:
        a: Agreement | None = loaded.state
        if a is not None:
            put(self.c["agreements"], {**{k: _iso(v) for k, v in a.__dict__.items()},
                                       "_id": key, "version": loaded.version})

    def on_offer(self, key: str, loaded: Loaded) -> None:
        s: OfferState = loaded.state
        if s.offer is None:
            return
        put(self.c["offers"], {**{k: v for k, v in s.offer.items()}, "_id": key,
                               "capacity": s.capacity, "status": s.status,
                               "taken": s.seats_taken, "waiting": len(s.waiting()),
                               "version": loaded.version})
        touched = {e.data.get("referral_id") for e in loaded.last_commit.events} \
            if loaded.last_commit else set()
        for rid in sorted(filter(None, touched)):
            r = s.referrals[rid]
            put(self.c["referrals"], {
                **r.__dict__, "_id": rid, "offer_id": key, "operator_id": s.offer["operator_id"],
                "kind": s.offer["kind"], "title": s.offer["title"],
                "offer_version": loaded.version})

    def on_attendance(self, key: str, loaded: Loaded) -> None:
        if loaded.state:
            d = dict(loaded.state[-1].data)
            d.pop("recorded_on", None)
            put(self.c["attendance"], {**{k: _iso(v) for k, v in d.items()}, "_id": key,
                                       "version": loaded.version})

    def on_plan(self, key: str, loaded: Loaded) -> None:
        if loaded.state is not None:
            put(self.c["plans"], {**loaded.state, "_id": key, "version": loaded.version})

    def on_activity(self, key: str, loaded: Loaded) -> None:
        a = loaded.state
        if a is None:
            return
        # linked person ids stay in the service: the activity shows their number, and
        # `activity_links` which activities a person is linked to (for their erasure)
        put(self.c["activities"], {**{k: v for k, v in a.items() if k != "linked"},
                                   "linked": len(a["linked"]), "_id": key,
                                   "version": loaded.version})
        for e in loaded.last_commit.events if loaded.last_commit else []:
            person = (e.data.get("personal") or {}).get("person_id")
            if e.type not in (LINKED, UNLINKED) or not person:
                continue
            if person in a["linked"]:
                put(self.c["activity_links"], {"_id": f"{key}:{person}", "person_id": person,
                                               "activity_id": key})
            else:
                self.forget_link(key, person)

    def backfill_links(self, load: Callable[[str], Loaded]) -> int:
        """`activity_links` for the links recorded before it existed (the worker runs it
        at start; once: a mark document says it is done). Links written."""
        links = self.c["activity_links"]
        if links.find_one({"_id": LINKS_COMPLETE}) is not None:
            return 0
        written = 0
        for doc in self.c["activities"].find({}, {"_id": 1, "linked": 1}):
            if not doc.get("linked"):
                continue
            for person in load(doc["_id"]).state["linked"]:
                put(links, {"_id": f"{doc['_id']}:{person}", "person_id": person,
                            "activity_id": doc["_id"]})
                written += 1
        put(links, {"_id": LINKS_COMPLETE})
        return written

    def forget_link(self, activity_id: str, person_id: str) -> None:
        self.c["activity_links"].delete_one({"_id": f"{activity_id}:{person_id}"})

    def activities_of(self, person_id: str) -> list[str]:
        """The activities a person is linked to."""
        return sorted(d["activity_id"] for d in self.c["activity_links"].find(
            {"person_id": person_id}, {"activity_id": 1}))

    def on_training(self, key: str, loaded: Loaded) -> None:
        s = loaded.state
        if s.training is None:
            return
        put(self.c["trainings"], {**s.training, "_id": key, "registered": s.registered,
                                  "version": loaded.version})
        touched = {e.data.get("registration_id") for e in loaded.last_commit.events} \
            if loaded.last_commit else set()
        for rid in sorted(filter(None, touched)):
            r = s.registrations[rid]
            put(self.c["registrations"], {**r.__dict__, "_id": rid, "training_id": key,
                                          "hours": r.hours, "version": loaded.version})

    def on_listing(self, key: str, loaded: Loaded) -> None:
        if loaded.state is not None:
            put(self.c["listings"], {**loaded.state, "_id": key, "version": loaded.version})

    # ---- reads -----------------------------------------------------------------------

    def get(self, name: str, key: str) -> dict[str, Any] | None:
        return self.c[name].find_one({"_id": key})

    def find(self, name: str, **equal: Any) -> list[dict[str, Any]]:
        """Documents matching one indexed field by equality (plus more, filtered here)."""
        (field, value), *rest = equal.items() if equal else [(None, None)]
        docs = self.c[name].find({field: value} if field else {})
        return [d for d in docs if all(d.get(k) == v for k, v in rest)]

    @staticmethod
    def as_agreement(doc: dict[str, Any]) -> Agreement:
        """The agreement its read-model document describes (no stream read)."""
        fields = {k: doc[k] for k in Agreement.__dataclass_fields__}
        for k in ("valid_from", "valid_to", "terminated_on"):
            fields[k] = date.fromisoformat(fields[k]) if fields[k] else None
        return Agreement(**fields)

    def agreement_use(self, agreement: Agreement) -> float:
        """Seats taken (or hours followed) under the agreement, from its referrals."""
        if agreement.quota_kind == "seats":
            return float(sum(1 for r in self.find("referrals", agreement_id=agreement.agreement_id)
                             if r["status"] in COUNTED))
        return float(sum(a["hours"] for a in self.find("attendance",
                                                         agreement_id=agreement.agreement_id)))

    def hours_by_referral(self, referral_ids: Iterable[str]) -> dict[str, float]:
        out: dict[str, float] = {}
        for rid in referral_ids:
            out[rid] = float(sum(a["hours"] for a in self.find("attendance", referral_id=rid)))
        return out
