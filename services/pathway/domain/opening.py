"""Opening a pathway from intake's eligibility decision ("ouverture du parcours").

Obligated and voluntary people get a pathway by right; dispensed and out-of-scope people
only on their request, with a coordinator's justification code. The rule version is
fixed here, once, from the permit order date.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from shared.messages import DomainEvent

from .commands import OpenPathway
from .event_names import OPENED
from .guards import Problems, violation
from .records import as_date, iso
from .rules import rule_version_for
from .state import PathwayState
from .vocab import ELIGIBILITY, OPEN_BY_RIGHT, OPEN_JUSTIFICATIONS


def decide_open(state: PathwayState, command: OpenPathway, today: date) -> list[DomainEvent]:
    if state.status == "open":
        raise violation("un parcours est déjà ouvert pour cette personne dans ce centre",
                        "a pathway is already open for this person in this centre")
    if state.status == "transferred":
        raise violation(f"parcours transféré vers le centre {state.forwarded_to} : il "
                        "revient par un transfert, pas par une nouvelle ouverture",
                        f"pathway transferred to centre {state.forwarded_to}: it comes "
                        "back through a transfer, not a new opening",
                        forwarded_to=state.forwarded_to)
    p = Problems()
    p.required("person_id", command.person_id)
    p.required("pseudonym", command.pseudonym)
    p.centre("centre", command.centre)
    p.choice("status", command.status, ELIGIBILITY)
    opened_on = command.opened_on or today
    p.not_future("opened_on", opened_on, today)
    p.not_future("permit_order_date", command.permit_order_date, today)
    if command.status == "obligated" and command.permit_order_date is None:
        p.add("permit_order_date",
              "obligatoire pour une personne obligée : l'échéance en dépend",
              "required for an obligated person: the deadline depends on it")
    justification = None
    if command.status in ELIGIBILITY and command.status not in OPEN_BY_RIGHT:
        # A dispensed or out-of-scope person is relieved of the pathway: it is opened
        # only if they ask for it, and the coordinator says why.
        if not command.on_request:
            p.add("on_request", "une personne dispensée ou hors champ ne suit le parcours "
                  "qu'à sa demande", "a dispensed or out-of-scope person follows the "
                  "pathway only on request")
        p.choice("justification", command.justification, OPEN_JUSTIFICATIONS)
        justification = command.justification
    p.raise_if_any()
    return [DomainEvent(OPENED, {
        "person_id": command.person_id,
        "pseudonym": command.pseudonym,
        "centre": command.centre,
        "status": command.status,
        "permit_order_date": iso(command.permit_order_date),
        "rule_version": rule_version_for(command.permit_order_date, opened_on),
        "opened_on": iso(opened_on),
        "on_request": bool(command.on_request),
        "justification": justification,
    })]


def _on_opened(state: PathwayState, data: dict[str, Any]) -> PathwayState:
    return replace(
        state, status="open", person_id=data["person_id"], pseudonym=data["pseudonym"],
        centre=data["centre"], eligibility_status=data["status"],
        permit_order_date=as_date(data["permit_order_date"]),
        rule_version=data["rule_version"], opened_on=as_date(data["opened_on"]),
        on_request=data["on_request"], justification=data["justification"])


HANDLERS = {OPENED: _on_opened}
