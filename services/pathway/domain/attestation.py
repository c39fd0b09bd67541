"""The attendance certificate ("attestation de fréquentation"): issued when every
training of the convention is done, revocable, verifiable by communes and CPAS.

The unique number is allocated outside the domain (a per-centre sequence) and handed in;
the domain checks its shape: "<CENTRE>-<year of issue>-<6 digits>-<random check>".
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

from shared.messages import DomainEvent

from .commands import IssueAttestation, RevokeAttestation
from .convention import all_trainings_done
from .event_names import ATTESTATION_ISSUED, ATTESTATION_REVOKED
from .guards import Problems, require_active, require_convention, violation
from .records import as_date, iso
from .state import Attestation, PathwayState
from .vocab import ATTESTATION_NUMBER_PATTERN, INITIALS_PATTERN, REVOCATION_REASONS



def decide_issue_attestation(state: PathwayState, command: IssueAttestation,
                             today: date) -> list[DomainEvent]:
    require_active(state)
    require_convention(state)
    if state.has_valid_attestation:
        raise violation("une attestation valide a déjà été délivrée",
                        "a valid certificate was already issued",
                        number=state.attestation.number)
    if not all_trainings_done(state):
        raise violation("attestation refusée : les formations de la convention ne sont "
                        "pas toutes terminées", "certificate refused: the agreement's "
                        "trainings are not all done")
    issued_on = command.issued_on or today
    p = Problems()
    p.not_future("issued_on", issued_on, today)
    match = re.match(ATTESTATION_NUMBER_PATTERN, command.number or "")
    if not match or match["centre"] != state.centre.upper().replace("-", "").replace("_", ""):
        p.add("number", f"format attendu : {state.centre.upper()}-AAAA-NNNNNN-XXXX",
              f"expected format: {state.centre.upper()}-YYYY-NNNNNN-XXXX")
    elif int(match["year"]) != issued_on.year:
        p.add("number", "l'année du numéro doit être celle de la délivrance",
              "the number's year must be the year of issue")
    if not re.match(INITIALS_PATTERN, command.holder_initials or ""):
        p.add("holder_initials", "initiales uniquement (ex. « J.D. »)",
              "initials only (e.g. 'J.D.')")
    p.raise_if_any()
    return [DomainEvent(ATTESTATION_ISSUED, {
        "number": command.number, "issued_on": iso(issued_on), "centre": state.centre,
        "holder_initials": command.holder_initials})]


def decide_revoke_attestation(state: PathwayState, command: RevokeAttestation,
                              today: date) -> list[DomainEvent]:
    require_active(state)
    if not state.has_valid_attestation or state.attestation.number != command.number:
        raise violation("aucune attestation valide avec ce numéro",
                        "no valid certificate with this number")
    revoked_on = command.revoked_on or today
    p = Problems()
    p.choice("reason", command.reason, REVOCATION_REASONS)
    p.not_future("revoked_on", revoked_on, today)
    if revoked_on < state.attestation.issued_on:
        p.add("revoked_on", "antérieure à la délivrance", "before the date of issue")
    p.raise_if_any()
    return [DomainEvent(ATTESTATION_REVOKED, {
        "number": command.number, "reason": command.reason,
        "revoked_on": iso(revoked_on)})]


def verification_view(state: PathwayState, number: str | None = None
                      ) -> dict[str, Any] | None:
    """What a commune or CPAS sees when checking a number (default: the latest one);
    None when no such attestation was issued here."""
    a = next((x for x in reversed(state.attestations)
              if number is None or x.number == number), None)
    if a is None:
        return None
    return {"number": a.number, "issued_on": iso(a.issued_on), "centre": a.centre,
            "holder_initials": a.holder_initials, "valid": a.valid,
            "status": "valid" if a.valid else "revoked", "revoked_on": iso(a.revoked_on)}


def _on_issued(state: PathwayState, d: dict[str, Any]) -> PathwayState:
    issued = Attestation(d["number"], as_date(d["issued_on"]), d["centre"],
                         d["holder_initials"])
    return replace(state, attestations=state.attestations + (issued,))


def _on_revoked(state: PathwayState, d: dict[str, Any]) -> PathwayState:
    return replace(state, attestations=tuple(
        replace(a, revoked_on=as_date(d["revoked_on"]), revocation_reason=d["reason"])
        if a.number == d["number"] else a for a in state.attestations))


HANDLERS = {ATTESTATION_ISSUED: _on_issued, ATTESTATION_REVOKED: _on_revoked}
