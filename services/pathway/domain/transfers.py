"""Transfers between centres ("transfert de parcours"): proposed -> accepted | rejected
| withdrawn.

At the sender, acceptance completes the transfer: the pathway becomes a forwarding
record (status "transferred", `forwarded_to`) that refuses every further command. At the
receiver, "PathwayReceived" re-creates the pathway (see `receiving`).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from shared.messages import DomainEvent

from .commands import AcceptTransfer, ProposeTransfer, RejectTransfer, WithdrawTransfer
from .event_names import (TRANSFER_COMPLETED, TRANSFER_PROPOSED, TRANSFER_REJECTED,
                          TRANSFER_WITHDRAWN)
from .guards import Problems, require_active, require_not_completed, violation
from .records import as_date, iso
from .state import PathwayState, Transfer
from .vocab import TRANSFER_REJECTION_REASONS, TRANSFER_TRIGGERS


def decide_propose_transfer(state: PathwayState, command: ProposeTransfer,
                            today: date) -> list[DomainEvent]:
    require_active(state)
    require_not_completed(state)  # a completed pathway has nothing left to follow
    proposed_on = command.proposed_on or today
    p = Problems()
    p.required("transfer_id", command.transfer_id)
    p.centre("to_centre", command.to_centre)
    p.choice("trigger", command.trigger, TRANSFER_TRIGGERS)
    p.not_future("proposed_on", proposed_on, today)
    if command.to_centre == state.centre:
        p.add("to_centre", "le centre de destination est le centre actuel",
              "the destination is the current centre")
    p.raise_if_any()
    pending = state.pending_transfer
    if pending and pending.to_centre == command.to_centre:
        return []  # the same move reported again: the proposal already stands
    if pending:
        raise violation(f"un transfert vers {pending.to_centre} est déjà proposé : "
                        "le retirer d'abord", f"a transfer to {pending.to_centre} is "
                        "already proposed: withdraw it first", transfer_id=pending.transfer_id)
    return [DomainEvent(TRANSFER_PROPOSED, {
        "transfer_id": command.transfer_id, "from_centre": state.centre,
        "to_centre": command.to_centre, "trigger": command.trigger,
        "proposed_on": iso(proposed_on)})]


def _pending(state: PathwayState, transfer_id: str) -> Transfer:
    require_active(state)
    pending = state.pending_transfer
    if pending is None or pending.transfer_id != transfer_id:
        raise violation("aucun transfert proposé avec cet identifiant",
                        "no proposed transfer with this id")
    return pending


def _decision_date(value: date | None, field: str, pending: Transfer, today: date) -> date:
    day = value or today
    p = Problems()
    p.not_future(field, day, today)
    if day < pending.proposed_on:
        p.add(field, "antérieure à la proposition", "before the proposal")
    p.raise_if_any()
    return day


def decide_accept_transfer(state: PathwayState, command: AcceptTransfer,
                           today: date) -> list[DomainEvent]:
    pending = _pending(state, command.transfer_id)
    if command.by_centre != pending.to_centre:
        raise violation("seul le centre de destination accepte un transfert",
                        "only the destination centre can accept a transfer")
    day = _decision_date(command.accepted_on, "accepted_on", pending, today)
    return [DomainEvent(TRANSFER_COMPLETED, {"transfer_id": pending.transfer_id,
                                             "to_centre": pending.to_centre,
                                             "completed_on": iso(day)})]


def decide_reject_transfer(state: PathwayState, command: RejectTransfer,
                           today: date) -> list[DomainEvent]:
    pending = _pending(state, command.transfer_id)
    if command.by_centre != pending.to_centre:
        raise violation("seul le centre de destination refuse un transfert",
                        "only the destination centre can reject a transfer")
    p = Problems()
    p.choice("reason", command.reason, TRANSFER_REJECTION_REASONS)
    p.raise_if_any()
    day = _decision_date(command.rejected_on, "rejected_on", pending, today)
    return [DomainEvent(TRANSFER_REJECTED, {"transfer_id": pending.transfer_id,
                                            "reason": command.reason,
                                            "rejected_on": iso(day)})]


def decide_withdraw_transfer(state: PathwayState, command: WithdrawTransfer,
                             today: date) -> list[DomainEvent]:
    pending = _pending(state, command.transfer_id)
    if command.by_centre != pending.from_centre:
        raise violation("seul le centre d'origine retire un transfert",
                        "only the sending centre can withdraw a transfer")
    day = _decision_date(command.withdrawn_on, "withdrawn_on", pending, today)
    return [DomainEvent(TRANSFER_WITHDRAWN, {"transfer_id": pending.transfer_id,
                                             "withdrawn_on": iso(day)})]


def _close(state: PathwayState, transfer_id: str, new_state: str, day: Any,
           reason: str | None = None) -> PathwayState:
    return replace(state, transfers=tuple(
        replace(t, state=new_state, closed_on=as_date(day), reason=reason)
        if t.transfer_id == transfer_id else t for t in state.transfers))


def _on_proposed(state: PathwayState, d: dict[str, Any]) -> PathwayState:
    t = Transfer(d["transfer_id"], d["from_centre"], d["to_centre"], d["trigger"],
                 as_date(d["proposed_on"]))
    return replace(state, transfers=state.transfers + (t,))


def _on_completed(state: PathwayState, d: dict[str, Any]) -> PathwayState:
    closed = _close(state, d["transfer_id"], "accepted", d["completed_on"])
    return replace(closed, status="transferred", forwarded_to=d["to_centre"])


HANDLERS = {
    TRANSFER_PROPOSED: _on_proposed,
    TRANSFER_COMPLETED: _on_completed,
    TRANSFER_REJECTED: lambda s, d: _close(s, d["transfer_id"], "rejected",
                                           d["rejected_on"], d["reason"]),
    TRANSFER_WITHDRAWN: lambda s, d: _close(s, d["transfer_id"], "withdrawn",
                                            d["withdrawn_on"]),
}
