"""Pathways (« parcours »): one document per pathway and centre, folded from the
pathway service's public events.

Figures are counted where the fact happened: a convention signed, hours credited or an
interview held at the sender stay the sender's after a transfer; the receiver's
document starts with the transferred history's opening date (the clock goes on) but
does not re-count that history. Hours and interviews are kept per year, not per event,
so a document stays small for a long pathway.
"""
from __future__ import annotations

from typing import Any

from shared.events.envelope import Envelope

P = "pathway."
OPENED, RECEIVED = P + "PathwayOpened", P + "PathwayReceived"
CONVENTION_SIGNED, HOURS_CREDITED = P + "ConventionSigned", P + "HoursCredited"
HOURS_CORRECTED = P + "HoursCorrected"
INTERVIEW_RECORDED, FLAGGED = P + "InterviewRecorded", P + "NonComplianceFlagged"
TRANSFER_COMPLETED = P + "TransferCompleted"
ATTESTATION_ISSUED, ATTESTATION_REVOKED = P + "AttestationIssued", P + "AttestationRevoked"


def evolve(state: dict[str, Any] | None, env: Envelope) -> dict[str, Any] | None:
    d = env.data
    if env.type == OPENED:
        return _new(env, d["pseudonym"], d["status"], d["opened_on"])
    if env.type == RECEIVED:     # v2 (a v1 is upcast): the history stays at the centre
        return {**_new(env, d["pseudonym"], d["status"], d["opened_on"]),
                "from_centre": d["from_centre"], "received_on": d["received_on"]}
    if state is None:
        return None    # an inbox or region stream: not a pathway
    handler = _HANDLERS.get(env.type)
    return handler(state, d, env) if handler else None


def _new(env: Envelope, pseudonym: str, status: str, opened_on: str) -> dict[str, Any]:
    return {"centre": env.centre, "pseudonym": pseudonym, "status": status,
            "opened_on": opened_on, "from_centre": None, "received_on": None,
            "convention_signed_on": None, "hours": {}, "interviews": {}, "flagged": [],
            "transfers_out": [], "transferred_to": None, "attestation": None}


def _convention(state, d, env):
    return {**state, "convention_signed_on": d["signed_on"]}


def _add(by_year: dict, day: str, training: str, hours: float) -> None:
    per_training = by_year.setdefault(day[:4], {})
    per_training[training] = round(per_training.get(training, 0.0) + hours, 6)


def _hours(state, d, env):
    by_year = {y: dict(t) for y, t in state["hours"].items()}
    _add(by_year, d["session_date"], d["training"], float(d["hours"]))
    return {**state, "hours": by_year}


def _corrected(state, d, env):
    """A partner's correction: its former hours out, the new ones in."""
    by_year = {y: dict(t) for y, t in state["hours"].items()}
    if d.get("previous_session_date"):
        _add(by_year, d["previous_session_date"], d["training"], -float(d["previous_hours"]))
    _add(by_year, d["session_date"], d["training"], float(d["hours"]))
    return {**state, "hours": by_year}


def _interview(state, d, env):
    year = d["held_on"][:4]
    return {**state, "interviews": {**state["interviews"],
                                    year: state["interviews"].get(year, 0) + 1}}


def _flagged(state, d, env):
    return {**state, "flagged": sorted({*state["flagged"], d["flagged_on"][:4]})}


def _transfer(state, d, env):
    transfer = {"id": d["transfer_id"], "from": env.centre, "to": d["to_centre"],
                "on": d["completed_on"]}
    return {**state, "transferred_to": d["to_centre"],
            "transfers_out": [*state["transfers_out"], transfer]}


def _attestation(state, d, env):
    return {**state, "attestation": {"issued_on": d["issued_on"], "revoked": False}}


def _revoked(state, d, env):
    if not state["attestation"]:
        return None
    return {**state, "attestation": {**state["attestation"], "revoked": True}}


_HANDLERS = {CONVENTION_SIGNED: _convention, HOURS_CREDITED: _hours, HOURS_CORRECTED: _corrected,
             INTERVIEW_RECORDED: _interview, FLAGGED: _flagged,
             TRANSFER_COMPLETED: _transfer, ATTESTATION_ISSUED: _attestation,
             ATTESTATION_REVOKED: _revoked}
