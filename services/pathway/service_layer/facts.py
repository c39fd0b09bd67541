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


# One commit carries at most this many consumed facts (a partner's file of a person's
# whole year of sessions arrives in one batch): a bounded commit, one stream load for many.
FACTS_PER_COMMIT = 100

Fact = tuple[str, str, dict[str, Any]]     # kind, idempotency key, data


def decide_in_order(person_id: str, state: PathwayState, facts: list[Fact], today: date,
                    tolerate: tuple[type[Exception], ...] = (DomainRuleViolation,)
                    ) -> list[DomainEvent]:
    """The facts' events, each decided on the state the ones before it lead to (so the
    same attendance twice in one batch is credited once); a fact the pathway cannot take
    is logged and skipped, any other error goes up (the batch is retried one by one)."""
    events: list[DomainEvent] = []
    for kind, key, data in facts:
        try:
            new = DECIDERS[kind](state, command_for(kind, data), today)
        except tolerate as exc:
            log.warning("pathway %s: %s %s not applied: %s", person_id, kind, key,
                        exc.message_en)
            new = []
        state = fold(new, state)
        events += new
    return events


def apply_or_park(svc: PathwayServices, person_id: str, kind: str,
                  facts: list[tuple[str, dict[str, Any]]]) -> None:
    """Apply a person's facts (key, data) of one kind, in order, in as few commits as
    `FACTS_PER_COMMIT` allows; or park them until the pathway is open here."""
    state = svc.pathways.load(person_id).state
    if state.status == "open":
        for start in range(0, len(facts), FACTS_PER_COMMIT):
            chunk = [(kind, key, data) for key, data in facts[start:start + FACTS_PER_COMMIT]]
            execute(svc.pathways, person_id, lambda loaded, chunk=chunk: decide_in_order(
                person_id, loaded.state, chunk, svc.today()))
        return
    if state.status == "transferred":
        log.warning("pathway %s transferred to %s: %d %s not applied here", person_id,
                    state.forwarded_to, len(facts), kind)
        return
    for key, data in facts:
        svc.facts.park(person_id, kind, key, data)
    # The pathway may have opened in between (another consumer thread): apply now.
    if svc.pathways.load(person_id).state.status == "open":
        drain(svc, person_id)


def pending_events(svc: PathwayServices, person_id: str, state: PathwayState, today: date
                   ) -> tuple[list[DomainEvent], list[str]]:
    """Events for the parked facts, decided in order on `state`; ids to clear after.
    A parked fact that no longer fits (or never did) is dropped: it cannot go back."""
    docs = svc.facts.waiting(person_id)
    events = decide_in_order(person_id, state, [(d["kind"], d["_id"], d["data"]) for d in docs],
                             today, tolerate=(DomainRuleViolation, ValidationFailed))
    return events, [d["_id"] for d in docs]


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
