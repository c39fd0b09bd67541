"""Command and query handlers of the reception office (« bureau d'accueil »).

Each handler loads the file, lets the pure domain decide, and saves one commit. Writes
check the client's version first (If-Match → 412 before any work), then append with
optimistic concurrency (a race is a 412 too). Reads of personal data are logged.
"""
from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from typing import Callable

from shared.auth import Principal
from shared.errors import DomainRuleViolation, PreconditionFailed
from shared.messages import DomainEvent
from services.intake.adapters.repository import Loaded
from services.intake.bootstrap import IntakeRuntime
from services.intake.domain import person
from services.intake.domain.access import check_purpose
from services.intake.domain.commands import (AssessEligibility, ErasePerson, RecordDispense,
                                             RegisterPerson)
from services.intake.domain.person_state import PersonState, require_active

Decide = Callable[[PersonState, date], list[DomainEvent]]


def today() -> date:
    return date.today()


def register(rt: IntakeRuntime, who: Principal, cmd: RegisterPerson,
             dispenses: list[RecordDispense], wants_voluntary: bool) -> tuple[Loaded, list[str]]:
    """Register, record declared dispenses and decide eligibility at once (one commit).

    Returns the saved file and the other centres already following the person."""
    on = today()
    cmd = replace(cmd, person_id=str(uuid.uuid4()), centre=rt.config.centre)
    events = person.decide_register(PersonState(), cmd, on, regional_secret=rt.regional_secret)
    state = person.replay(events)
    for dispense in dispenses:
        new = person.decide_record_dispense(state, dispense, on)
        state, events = person.replay(new, state), events + new
    events += person.decide_assess_eligibility(state, AssessEligibility(wants_voluntary), on)
    strong = state.pseudonym_strength == "strong"
    if strong and (holder := rt.claims.claim(state.pseudonym, cmd.person_id)):
        raise DomainRuleViolation("Cette personne a déjà un dossier dans ce centre.",
                                  message_en="This person already has a file in this centre.",
                                  extra={"existing_person_id": holder})
    try:
        rt.keys.create(cmd.person_id)                    # new id: one insert, no lookup
        saved = rt.persons.save(rt.persons.empty(cmd.person_id), events,
                                meta={"by": who.subject})
    except Exception:
        if strong:
            rt.claims.release(state.pseudonym, cmd.person_id)
        raise
    elsewhere = [c for c in rt.pseudonyms.centres(state.pseudonym) if c != rt.config.centre]
    return saved, elsewhere


def execute(rt: IntakeRuntime, who: Principal, person_id: str, expected: int,
            decide: Decide) -> Loaded:
    """Load, check the version the client saw, decide, save."""
    loaded = rt.persons.load(person_id)
    require_active(loaded.state)
    if loaded.version != expected:
        raise PreconditionFailed(
            f"le dossier a changé (version {loaded.version}, vous aviez la {expected}) ; "
            "rechargez-le", message_en=f"the file changed (version {loaded.version}, "
            f"you had {expected}); reload it")
    events = decide(loaded.state, today())
    if not events:
        return loaded
    return rt.persons.save(loaded, events, if_match=True, meta={"by": who.subject})


def read(rt: IntakeRuntime, who: Principal, person_id: str, purpose: str | None,
         what: str = "file", *, after_transfer: bool = False) -> Loaded:
    """Load a file for a reader and log the read. The DPO (`after_transfer`) still
    reaches what this centre keeps of a file that was transferred."""
    purpose = check_purpose(purpose)
    loaded = rt.persons.load(person_id)
    state = loaded.state
    require_active(replace(state, transferred_to=None) if after_transfer else state)
    rt.access_log.record(person_id, who, purpose, what)
    return loaded


def erase(rt: IntakeRuntime, who: Principal, person_id: str, reason: str,
          expected: int | None) -> Loaded:
    """Crypto-shredding: PersonErased, then the key is destroyed (repository), the
    claim released and the file taken out of the directory (name search)."""
    loaded = rt.persons.load(person_id)
    # a transferred file's forwarding copy may be erased too
    state = replace(loaded.state, transferred_to=None)
    require_active(state)
    if expected is not None and expected != loaded.version:
        raise PreconditionFailed("le dossier a changé ; rechargez-le",
                                 message_en="the file changed; reload it")
    events = person.decide_erase(state, ErasePerson(who.subject, reason), today())
    saved = rt.persons.save(loaded, events, if_match=expected is not None,
                            meta={"by": who.subject})
    rt.claims.release(state.pseudonym, person_id)
    rt.directory.remove(person_id)
    return saved
