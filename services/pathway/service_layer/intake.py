"""Intake's public facts -> pathway commands (an anti-corruption layer).

- "intake.EligibilityDecided" / "intake.EligibilityOverridden": remembered; obligated
  and voluntary people get their pathway opened (idempotent).
- "intake.BilanSocialRecorded", "intake.FrenchTestRecorded": reception-module steps.
- "intake.AddressChanged" with `moved_to_centre`: a transfer is proposed.
- "intake.PersonErased": the read model and the intake facts forget the person (the
  pathway's own events stay, like intake's, in the hash-chained store).

The permit order date is personal and stays in intake. Intake publishes the rule
version and the deadline it computed (permit order + the rule's months), so the clock's
start is derived back from them: deadline minus the rule's months. The round trip
add_months(add_months(permit, m), -m) can land up to 3 days early at a month's end,
but add_months(start, m) gives back intake's deadline exactly, which is what the clock
counts from; and it reveals nothing the public deadline does not already.
"""
from __future__ import annotations

import logging
import uuid
from datetime import date
from typing import Any

from shared.errors import DomainRuleViolation, NotFound
from shared.events.envelope import Envelope

from services.pathway.bootstrap import PathwayServices
from services.pathway.domain import (OpenPathway, ProposeTransfer, decide_open,
                                     decide_propose_transfer)
from services.pathway.domain.guards import violation
from services.pathway.domain.records import as_date
from services.pathway.domain.rules import RULES, add_months
from services.pathway.domain.vocab import OPEN_BY_RIGHT

from .commands import run_auto
from .facts import RECEPTION_STEP, apply_or_park, with_parked

log = logging.getLogger(__name__)

DECIDED = "intake.EligibilityDecided"
OVERRIDDEN = "intake.EligibilityOverridden"
BILAN = "intake.BilanSocialRecorded"
FRENCH_TEST = "intake.FrenchTestRecorded"
ADDRESS_CHANGED = "intake.AddressChanged"
ERASED = "intake.PersonErased"
LEVELS = {"pre-A1": "A0"}  # intake's name for "below A1"
MOVE_NAMESPACE = uuid.UUID("5b0f1f5e-6f8e-4a5e-9d1c-7c3a3c1f0a11")


def clock_start(rule_version: str | None, deadline: Any) -> date | None:
    """Intake's ("2025-v1", 2028-06-01) -> 2025-06-01; None without a deadline."""
    if not rule_version or deadline is None:
        return None
    rules = RULES.get(rule_version.split("-")[0])
    if rules is None:
        raise ValueError(f"unknown intake rule version {rule_version!r}")
    return add_months(as_date(deadline), -rules.deadline_months)


def decision_of(env: Envelope) -> dict[str, Any]:
    d = env.data
    return {"person_id": str(d["person_id"]), "pseudonym": d["pseudonym"],
            "status": d["status"], "rule_version": d["rule_version"],
            "deadline": str(d["deadline"]) if d.get("deadline") else None,
            "decided_on": str(d.get("assessed_on") or d.get("overridden_on"))}


def handle(svc: PathwayServices, env: Envelope) -> None:
    if env.type in (DECIDED, OVERRIDDEN):
        decision = decision_of(env)
        svc.facts.record_decision(env, decision)
        if decision["status"] in OPEN_BY_RIGHT:
            open_pathway(svc, decision["person_id"], automatic=True)
    elif env.type == BILAN:
        d = env.data
        apply_or_park(svc, str(d["person_id"]), RECEPTION_STEP, [("bilan_social", {
            "step": "bilan_social", "done_on": str(d["recorded_on"]), "session": None,
            "french_level": None, "needs_osp": d["needs_osp"]})])
    elif env.type == FRENCH_TEST:
        d = env.data
        apply_or_park(svc, str(d["person_id"]), RECEPTION_STEP, [("french_test", {
            "step": "french_test", "done_on": str(d["test_date"]), "session": None,
            "french_level": LEVELS.get(d["level"], d["level"]), "needs_osp": None})])
    elif env.type == ADDRESS_CHANGED:
        propose_on_move(svc, env)
    elif env.type == ERASED:
        person_id = str(env.data["person_id"])
        svc.read_model.erase(person_id)
        svc.facts.forget(person_id)
        svc.numbers.forget(person_id)


def expecting_transfer(svc: PathwayServices, person_id: str) -> bool:
    return any(doc["state"] in ("proposed", "accepted") for doc in
               svc.read_model.transfers.find({"direction": "in", "person_id": person_id}))


def open_pathway(svc: PathwayServices, person_id: str, *, automatic: bool,
                 justification: str | None = None):
    """Open from intake's decision: by right (automatic) or on the person's request."""
    decision = svc.facts.decision(person_id)
    if decision is None:
        raise NotFound("personne inconnue : aucune décision d'éligibilité reçue de l'accueil",
                       message_en="unknown person: no eligibility decision received from intake")
    if expecting_transfer(svc, person_id):
        if automatic:
            log.info("pathway %s: arriving by transfer, not opened from intake", person_id)
            return None
        raise violation("un transfert entrant est en cours pour cette personne",
                        "an incoming transfer is under way for this person")
    today = svc.today()
    command = OpenPathway(
        person_id, decision["pseudonym"], svc.centre, decision["status"],
        clock_start(decision["rule_version"], decision["deadline"]),
        opened_on=min(as_date(decision["decided_on"]), today),
        on_request=not automatic, justification=justification)

    def decide(loaded):
        if automatic and loaded.state.status != "new":
            return None  # already open (a repeated or changed decision) or forwarded
        return decide_open(loaded.state, command, today)

    return with_parked(svc, person_id, decide)


def propose_on_move(svc: PathwayServices, env: Envelope) -> None:
    d = env.data
    person_id, to_centre = str(d["person_id"]), d.get("moved_to_centre")
    if not to_centre or to_centre == svc.centre:
        return
    if svc.pathways.load(person_id).state.status != "open":
        log.info("person %s moved to %s: no open pathway here to transfer", person_id,
                 to_centre)
        return
    command = ProposeTransfer(str(uuid.uuid5(MOVE_NAMESPACE, env.id)), to_centre, "move",
                              min(as_date(d["changed_on"]), svc.today()))
    try:
        run_auto(svc, person_id, decide_propose_transfer, command)
    except DomainRuleViolation as exc:
        log.warning("pathway %s: automatic transfer to %s not proposed: %s", person_id,
                    to_centre, exc.message_en)
