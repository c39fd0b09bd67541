"""Test helpers for the pathway domain: raw event factories and a store-like round trip.

Every event, whether built here or returned by a decision, goes through the event
registry (validate on write, JSON, validate on read) before being folded: tests exercise
the same path as replay from the store, and check the schemas on the way.
"""
from __future__ import annotations

import json
from datetime import date
from typing import Any, Callable, Iterable

from services.pathway.domain import EMPTY, PathwayState, evolve, register_events
from services.pathway.domain import event_names as n
from shared.events.registry import EventRegistry
from shared.messages import DomainEvent

REGISTRY = EventRegistry()
register_events(REGISTRY)


def d(value: str) -> date:
    return date.fromisoformat(value)


def stored(event: DomainEvent) -> DomainEvent:
    if event.version < REGISTRY.latest_version(event.type):
        # a raw event at an older version: what an older release stored (read, upcast)
        return REGISTRY.read(event.type, event.version, json.loads(json.dumps(event.data)))
    written = REGISTRY.validate_for_write(event)
    return REGISTRY.read(written.type, written.version, json.loads(json.dumps(written.data)))


def replay(*events: DomainEvent | Iterable[DomainEvent],
           state: PathwayState = EMPTY) -> PathwayState:
    for item in events:
        for event in ([item] if isinstance(item, DomainEvent) else item):
            state = evolve(state, stored(event))
    return state


def run(state: PathwayState, decide: Callable, command: Any, today: date
        ) -> tuple[PathwayState, list[DomainEvent]]:
    """Decide, then fold the new events as the store would hand them back."""
    events = decide(state, command, today)
    return replay(events, state=state), events


# Raw events ("from events alone") ------------------------------------------------------

def opened(permit: str | None = "2024-01-10", status: str = "obligated",
           opened_on: str = "2024-02-01", centre: str = "cripel", person: str = "p-1",
           rule_version: str | None = None) -> DomainEvent:
    version = rule_version or ("2025" if (permit or opened_on) >= "2025-01-01" else "2016")
    return DomainEvent(n.OPENED, {
        "person_id": person, "pseudonym": f"ps-{person}", "centre": centre,
        "status": status, "permit_order_date": permit, "rule_version": version,
        "opened_on": opened_on, "on_request": status not in ("obligated", "voluntary"),
        "justification": None if status in ("obligated", "voluntary") else "other"})


def reception(done_on: str = "2024-02-15", level: str = "A1",
              needs_osp: bool = False) -> list[DomainEvent]:
    def step(name: str, **detail: Any) -> DomainEvent:
        data = {"step": name, "done_on": done_on, "session": None, "french_level": None,
                "needs_osp": None, **detail}
        return DomainEvent(n.RECEPTION_STEP_RECORDED, data)
    return [step("information", session="group"), step("bilan_social", needs_osp=needs_osp),
            step("french_test", french_level=level), step("administrative_help"),
            DomainEvent(n.RECEPTION_MODULE_COMPLETED, {"completed_on": done_on})]


def signed(on: str = "2024-03-01", french: bool = True, osp: float | None = None
           ) -> DomainEvent:
    reqs = [{"training": "citizenship", "hours_required": 60}]
    if french:
        reqs.append({"training": "french", "hours_required": 400})
    if osp is not None:
        reqs.append({"training": "osp", "hours_required": osp})
    return DomainEvent(n.CONVENTION_SIGNED, {"signed_on": on, "requirements": reqs})


def credited(attendance_id: str, training: str, hours: float,
             on: str = "2024-04-01") -> DomainEvent:
    return DomainEvent(n.HOURS_CREDITED, {"attendance_id": attendance_id,
                                          "training": training, "hours": hours,
                                          "session_date": on})


def suspended(sid: str, start: str, end: str | None = None,
              reason: str = "illness") -> DomainEvent:
    return DomainEvent(n.CLOCK_SUSPENDED, {"suspension_id": sid, "reason": reason,
                                           "start": start, "end": end})


def resumed(sid: str, on: str) -> DomainEvent:
    return DomainEvent(n.CLOCK_RESUMED, {"suspension_id": sid, "resumed_on": on})


def extended(months: int, on: str = "2024-06-01", reason: str = "illness") -> DomainEvent:
    return DomainEvent(n.DEADLINE_EXTENDED, {"months": months, "reason": reason,
                                             "granted_on": on})


def proven(level: str = "A2", on: str = "2024-09-01") -> DomainEvent:
    return DomainEvent(n.FRENCH_LEVEL_PROVEN, {"level": level, "proven_on": on})


def interview(iid: str, held_on: str, attended: bool = True) -> DomainEvent:
    return DomainEvent(n.INTERVIEW_RECORDED, {
        "interview_id": iid, "held_on": held_on, "person_attended": attended,
        "training_attendance": "regular" if attended else None, "absence_reasons": [],
        "programme_changes": [], "extension_needed": False})


def followed(permit: str = "2024-01-10", status: str = "obligated", french: bool = True,
             osp: float | None = None, signed_on: str = "2024-03-01",
             centre: str = "cripel") -> PathwayState:
    """An open pathway with its reception module done and its convention signed."""
    return replay(opened(permit, status, centre=centre),
                  reception(needs_osp=osp is not None),
                  signed(signed_on, french=french, osp=osp))


def all_trainings(french: bool = True) -> list[DomainEvent]:
    events = [credited(f"fic-{i}", "citizenship", 20, "2024-04-0" + str(i)) for i in (1, 2, 3)]
    if french:
        events += [credited(f"fle-{i}", "french", 20, f"2024-05-{i:02d}")
                   for i in range(1, 21)]
    return events


# A varied population (list and work-queue tests, bench/bench_pathway.py) ---------------

def population(count: int, seed: int = 1, centre: str = "cripel"
               ) -> list[tuple[str, PathwayState]]:
    """`count` pathways as a centre would hold them: mostly obligated people at every
    stage (permits from 2023 to mid-2026), volunteers, a few dispensed; conventions,
    6-monthly interviews (some late, some missed), closed, planned and open-ended
    suspensions, extensions, attestations (a few revoked) and forwarded records."""
    import random
    import uuid
    from datetime import timedelta

    rng = random.Random(seed)

    def day(start: date, span_days: int) -> date:
        return start + timedelta(days=rng.randrange(span_days))

    out = []
    for k in range(count):
        person = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        eligibility = rng.choices(("obligated", "voluntary", "dispensed"), (80, 15, 5))[0]
        permit = day(date(2023, 1, 1), 1250)
        opened_on = permit + timedelta(days=rng.randrange(5, 60))
        events: list[DomainEvent] = [opened(
            permit.isoformat() if eligibility == "obligated" else None, eligibility,
            opened_on.isoformat(), centre, person)]
        reception_on = opened_on + timedelta(days=rng.randrange(5, 30))
        events += reception(reception_on.isoformat())
        if rng.random() < 0.85:
            signed_on = reception_on + timedelta(days=rng.randrange(1, 40))
            events.append(signed(signed_on.isoformat()))
            held = signed_on
            for i in range(rng.randrange(0, 5)):
                held += timedelta(days=rng.randrange(150, 230))
                if held > date(2026, 11, 1):
                    break
                events.append(interview(f"i-{i}", held.isoformat(), rng.random() < 0.9))
            if rng.random() < 0.3:
                events += [credited(f"a-{i}", "citizenship", 20,
                                    (signed_on + timedelta(days=7 * i)).isoformat())
                           for i in range(rng.randrange(1, 4))]
        roll = rng.random()
        if roll < 0.10:
            start = day(opened_on, 700)
            events.append(suspended("s-1", start.isoformat(),
                                    (start + timedelta(days=rng.randrange(10, 120))).isoformat()))
        elif roll < 0.13:
            # open-ended: recorded when it begins, so mostly already begun
            start = min(day(opened_on, 900), day(date(2025, 6, 1), 400))
            events.append(suspended("s-1", start.isoformat()))
        elif roll < 0.15:
            events.append(suspended("s-1", "2026-12-01", "2027-02-01"))       # planned
        if eligibility == "obligated" and rng.random() < 0.05:
            events.append(extended(rng.randrange(1, 7),
                                   (opened_on + timedelta(days=200)).isoformat()))
        roll = rng.random()
        if roll < 0.05:
            events.append(DomainEvent(n.ATTESTATION_ISSUED, {
                "number": f"CRIPEL-2026-{k:06d}", "issued_on": "2026-03-01",
                "centre": centre, "holder_initials": "A.B."}))
            if rng.random() < 0.2:
                events.append(DomainEvent(n.ATTESTATION_REVOKED, {
                    "number": f"CRIPEL-2026-{k:06d}", "revoked_on": "2026-04-01",
                    "reason": "issued_in_error"}))
        elif roll < 0.08:
            events += [DomainEvent(n.TRANSFER_PROPOSED, {
                "transfer_id": f"t-{k}", "from_centre": centre, "to_centre": "cai",
                "trigger": "manual", "proposed_on": "2026-02-01"}),
                DomainEvent(n.TRANSFER_COMPLETED, {"transfer_id": f"t-{k}",
                                                   "to_centre": "cai",
                                                   "completed_on": "2026-02-10"})]
        out.append((person, replay(events)))
    return out
