"""Erasure reaches the partners: when intake erases a person (`intake.PersonErased`), the
key of what they consented to share is destroyed (every card of theirs becomes
unreadable), the read model's referrals and attendance forget their person id, and
their links to integration activities go (`partners.ActivityParticipantUnlinked`; the
activities' anonymous counts stay)."""
from __future__ import annotations

import logging

from shared.application import execute
from shared.events.envelope import Envelope

from services.partners.bootstrap import PartnersServices
from services.partners.domain import activities as activity_dom

log = logging.getLogger(__name__)
PERSON_ERASED = "intake.PersonErased"
ERASED = "effacé"


def forget(svc: PartnersServices, person_id: str) -> int:
    """Destroy the person's key and blank their id in the read model; documents changed."""
    svc.cards.keys.destroy(person_id)
    rm, changed = svc.read_model, 0
    for doc in rm.find("referrals", person_id=person_id):
        rm.c["referrals"].replace_one({"_id": doc["_id"]},
                                      {**doc, "person_id": ERASED, "card": None})
        changed += 1
    for att in rm.find("attendance", person_id=person_id):   # by referral or direct
        rm.c["attendance"].replace_one({"_id": att["_id"]}, {**att, "person_id": ERASED})
        changed += 1
    changed += svc.people.collection.delete_one({"_id": f"pathway-{person_id}"}).deleted_count
    for activity_id in rm.activities_of(person_id):
        execute(svc.activities, activity_id, lambda loaded: activity_dom.decide_unlink(
            loaded.state, person_id, svc.today()), meta={"by": "erasure"})
        rm.forget_link(activity_id, person_id)    # done by the commit; again after a crash
        changed += 1
    return changed


def handler(svc: PartnersServices):
    def handle(envelopes: list[Envelope]) -> None:
        for env in envelopes:
            if env.type == PERSON_ERASED:
                n = forget(svc, str(env.data["person_id"]))
                log.info("erasure: %d partner documents blanked for one person", n)
    return handle
