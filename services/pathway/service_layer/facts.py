"""Facts from other services applied to a pathway, or parked until it exists here.

Reception steps (from intake) and attendance hours (from partners) may arrive before
the person's pathway is open in this centre — before the eligibility decision, or while
a transfer is under way. They wait in `pending_facts` and are folded into the commit that
opens or receives the pathway. Each is idempotent (same step, same attendance id).
"""
from __future__ import annotations

import logging
from datetime import date
from typing import Any

from shared.errors import ConcurrencyError, DomainRuleViolation, ValidationFailed
from shared.messages import DomainEvent

from services.pathway.bootstrap import PathwayServices
from services.pathway.domain import (CreditHours, PathwayState, RecordReceptionStep,
                                     decide_credit_hours, decide_record_reception_step, fold)
from services.pathway.domain.records import as_date

from .commands import run_auto

log = logging.getLogger(__name__)

RECEPTION_STEP = "reception_step"
CREDIT = "credit"


def command_for(kind: str, data: dict[str, Any]):
    if kind == RECEPTION_STEP:
        return RecordReceptionStep(data["step"], as_date(data["done_on"]), data.get("session"),
                                   data.get("french_level"), data.get("needs_osp"))
    return CreditHours(data["attendance_id"], data["training"], data["hours"],
                       as_date(data["session_date"]))


DECIDERS = {RECEPTION_STEP: decide_record_reception_step, CREDIT: decide_credit_hours}


def apply_or_park(svc: PathwayServices, person_id: str, kind: str, key: str,
                  data: dict[str, Any]) -> None:
    state = svc.pathways.load(person_id).state
    if state.status == "open":
        try:
            run_auto(svc, person_id, DECIDERS[kind], command_for(kind, data))
        except DomainRuleViolation as exc:
            log.warning("pathway %s: %s %s not applied: %s", person_id, kind, key, exc.message_en)
        return
    if state.status == "transferred":
        log.warning("pathway %s transferred to %s: %s %s not applied here", person_id,
                    state.forwarded_to, kind, key)
        return
    svc.facts.park(person_id, kind, key, data)
    # The pathway may have opened in between (another consumer thread): apply now.
    if svc.pathways.load(person_id).state.status == "open":
        drain(svc, person_id)


def pending_events(svc: PathwayServices, person_id: str, state: PathwayState, today: date
                   ) -> tuple[list[DomainEvent], list[str]]:
    """Events for the parked facts, decided in order on `state`; ids to clear after."""
    events: list[DomainEvent] = []
    ids: list[str] = []
    for doc in svc.facts.waiting(person_id):
        try:
            new = DECIDERS[doc["kind"]](state, command_for(doc["kind"], doc["data"]), today)
        except (DomainRuleViolation, ValidationFailed) as exc:
            log.warning("pathway %s: parked %s dropped: %s", person_id, doc["_id"], exc.message_en)
            new = []
        state = fold(new, state)
        events += new
        ids.append(doc["_id"])
    return events, ids


def drain(svc: PathwayServices, person_id: str, retries: int = 5) -> None:
    for _ in range(retries + 1):
        loaded = svc.pathways.load(person_id)
        if loaded.state.status != "open":
            return
        events, ids = pending_events(svc, person_id, loaded.state, svc.today())
        if events:
            try:
                svc.pathways.append(person_id, events, loaded)
            except ConcurrencyError:
                continue
        svc.facts.clear(ids)
        return
