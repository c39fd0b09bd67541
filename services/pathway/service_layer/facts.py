"""Facts from other services applied to a pathway, or parked until it exists here.

Reception steps (from intake) and attendance hours (from partners) may arrive before
the person's pathway is open in this centre — before the eligibility decision, or while
a transfer is under way. They wait in `pending_facts` and are folded into the commit that
opens or receives the pathway. Each is idempotent (same step, same attendance id).
"""
from __future__ import annotations

import logging
from datetime import date
from typing import Any, Callable

from shared.application import Loaded, execute
from shared.errors import DomainRuleViolation, ValidationFailed
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
                       as_date(data["session_date"]), bool(data.get("correction")))


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


def with_parked(svc: PathwayServices, person_id: str,
                first: Callable[[Loaded[PathwayState]], list[DomainEvent] | None]
                ) -> Loaded[PathwayState]:
    """One commit: `first`'s events (None: nothing to do), then the parked facts decided
    on the state they lead to; the parked facts are forgotten once stored."""
    cleared: list[str] = []

    def decide(loaded: Loaded[PathwayState]) -> list[DomainEvent]:
        cleared.clear()
        events = first(loaded)
        if events is None:
            return []
        more, ids = pending_events(svc, person_id, fold(events, loaded.state), svc.today())
        cleared.extend(ids)
        return events + more

    after = execute(svc.pathways, person_id, decide)
    svc.facts.clear(cleared)
    return after


def drain(svc: PathwayServices, person_id: str) -> None:
    """Apply the parked facts to an open pathway."""
    with_parked(svc, person_id, lambda loaded: [] if loaded.state.status == "open" else None)
