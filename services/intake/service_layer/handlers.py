"""Command and query handlers of the reception office (« bureau d'accueil »).

Each command goes through `shared.application.execute`: load the file, check it is
active and at the version the client saw (If-Match → 412 before any work), let the
pure domain decide, append one commit (a race under If-Match is a 412 too). Reads of
personal data are logged.
"""
from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from typing import Callable

from shared.application import Loaded, execute
from shared.auth import Principal
from shared.errors import CriError, DomainRuleViolation
from shared.messages import DomainEvent
from services.intake.bootstrap import IntakeServices
from services.intake.domain import person
from services.intake.domain.access import check_purpose
from services.intake.domain.commands import (AssessEligibility, ErasePerson, RecordDispense,
                                             RegisterPerson)
from services.intake.domain.person_state import PersonState, require_active

Decide = Callable[[PersonState, date], list[DomainEvent]]


def register(svc: IntakeServices, who: Principal, cmd: RegisterPerson,
             dispenses: list[RecordDispense], wants_voluntary: bool,
             homonym_justification: str | None = None
             ) -> tuple[Loaded[PersonState], list[str]]:
    """Register, record declared dispenses and decide eligibility at once (one commit).

    A file of this centre with the same strong pseudonym is a 409 naming it; with the
    same weak one (names, birth date, nationality) too, unless the agent states it is
    a different person (`homonym_justification`), which the event records.
    Returns the saved file and the other centres already following the person."""
    on = svc.today()
    cmd = replace(cmd, person_id=str(uuid.uuid4()), centre=svc.centre)
    events = person.decide_register(PersonState(), cmd, on, regional_secret=svc.regional_secret)
    state = person.replay(events)
    for dispense in dispenses:
        new = person.decide_record_dispense(state, dispense, on)
        state, events = person.replay(new, state), events + new
    events += person.decide_assess_eligibility(state, AssessEligibility(wants_voluntary), on)
    strong = state.pseudonym_strength == "strong"
    weak = person.weak_pseudonym(state, svc.regional_secret)

    def first_commit(alongside: list[dict], candidates: list[str]):
        """The file's first commit, written with its claims and key (one insert)."""
        first = events
        homonyms = [p for p in candidates if _still_here(svc, p)]
        if homonyms:
            if not homonym_justification:
                raise _same_person(homonyms[0])
            first = [person.with_homonyms(events[0], homonyms, homonym_justification),
                     *events[1:]]
            svc.claims.share_weak(weak, [*homonyms, cmd.person_id])
        return svc.persons.append(svc.persons.empty(cmd.person_id), first,
                                  meta={"by": who.subject}, alongside=alongside)

    holder, seen, saved = svc.claims.open_file(state.pseudonym, cmd.person_id, strong, weak,
                                               first_commit)
    if holder:
        raise DomainRuleViolation("Cette personne a déjà un dossier dans ce centre.",
                                  message_en="This person already has a file in this centre.",
                                  extra={"existing_person_id": holder})
    elsewhere = [c for c in svc.pseudonyms.centres(state.pseudonym)
                 if c != svc.centre] if seen else []
    return saved, elsewhere


def _still_here(svc: IntakeServices, person_id: str) -> bool:
    """An active file of this centre (not erased, not transferred away)."""
    try:
        require_active(svc.persons.load(person_id).state)
        return True
    except CriError:
        return False


def _same_person(existing: str) -> DomainRuleViolation:
    return DomainRuleViolation(
        f"Un dossier de ce centre porte déjà ce nom, cette date de naissance et cette "
        f"nationalité : {existing}. S'il s'agit d'une autre personne (homonyme), "
        "renvoyez l'inscription avec « homonym_confirmed » et une justification.",
        message_en=f"A file of this centre has the same names, birth date and nationality: "
                   f"{existing}. If this is another person (a homonym), send the "
                   "registration again with homonym_confirmed and a justification.",
        extra={"existing_person_id": existing, "match": "weak"})


def _active(loaded: Loaded[PersonState]) -> Loaded[PersonState]:
    require_active(loaded.state)
    return loaded


def update(svc: IntakeServices, who: Principal, person_id: str, expected: int,
           decide: Decide) -> Loaded[PersonState]:
    """A change to an active file, at the version the client saw."""
    return execute(svc.persons, person_id, lambda loaded: decide(loaded.state, svc.today()),
                   if_match=expected, meta={"by": who.subject},
                   load=lambda key: _active(svc.persons.load(key)))


def read(svc: IntakeServices, who: Principal, person_id: str, purpose: str | None,
         what: str = "file", *, after_transfer: bool = False) -> Loaded[PersonState]:
    """Load a file for a reader and log the read. The DPO (`after_transfer`) still
    reaches what this centre keeps of a file that was transferred."""
    purpose = check_purpose(purpose)
    loaded = svc.persons.load(person_id)
    state = loaded.state
    require_active(replace(state, transferred_to=None) if after_transfer else state)
    svc.access_log.record(person_id, who, purpose, what)
    return loaded


def erase(svc: IntakeServices, who: Principal, person_id: str, reason: str,
          expected: int | None) -> Loaded[PersonState]:
    """Crypto-shredding: PersonErased, then the key is destroyed (repository), the
    claim released and the file taken out of the directory (name search)."""
    return _erase(svc, who.subject, person_id, reason, expected)


def erase_copy(svc: IntakeServices, person_id: str, reason: str,
               from_centre: str) -> Loaded[PersonState] | None:
    """Another centre erased this person: erase our copy too (the file received by a
    transfer, or the forwarding copy left by one). None when we hold no live copy."""
    state = svc.persons.load(person_id).state
    if state.person_id is None or state.erased:
        return None
    return _erase(svc, f"centre:{from_centre}", person_id, reason, None)


def _erase(svc: IntakeServices, by: str, person_id: str, reason: str,
           expected: int | None) -> Loaded[PersonState]:
    def forwarded_too(loaded: Loaded[PersonState]) -> Loaded[PersonState]:
        # a transferred file's forwarding copy may be erased too
        require_active(replace(loaded.state, transferred_to=None))
        return loaded

    weak: list[str] = []

    def decide(loaded: Loaded[PersonState]) -> list:
        weak[:] = [person.weak_pseudonym(loaded.state, svc.regional_secret)]  # before
        return person.decide_erase(replace(loaded.state, transferred_to=None),
                                   ErasePerson(by, reason), svc.today())

    saved = execute(svc.persons, person_id, decide, if_match=expected, meta={"by": by},
                    load=lambda key: forwarded_too(svc.persons.load(key)))
    svc.claims.release(saved.state.pseudonym, person_id)
    svc.claims.forget(weak[0] if weak else None, person_id)
    svc.directory.remove(person_id)
    return saved


def execute_fact(svc: IntakeServices, person_id: str,
                 decide: Callable[[Loaded[PersonState]], list[DomainEvent]],
                 meta: dict) -> Loaded[PersonState] | None:
    """`execute` for a fact from another service (retried on conflict): the saved file,
    or None when `decide` found nothing to write (the fact was already applied)."""
    seen: list[Loaded[PersonState]] = []

    def tracked(loaded: Loaded[PersonState]) -> list[DomainEvent]:
        seen.append(loaded)
        return decide(loaded)

    after = execute(svc.persons, person_id, tracked, meta=meta)
    return None if after is seen[-1] else after
