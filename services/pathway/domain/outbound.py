"""The sending centre's messages about one transfer ("transfert sortant").

Written by the worker when it sees the pathway's own transfer events, into the stream
"transfer-<transfer_id>" (routed to cri.region.transfers): the offer with its preview,
its withdrawal, and — on completion — the pathway's full history. Each message is sent
once per transfer, whatever the number of deliveries of the triggering event.
These are the clear forms (v1 shape); the service layer seals the preview and the
history for the receiver and signs them before storing (`adapters.sealed_messages`).
"""
from __future__ import annotations

from datetime import date
from typing import Iterable

from shared.messages import DomainEvent

from . import event_names as n
from .history import export_history, transfer_preview
from .records import iso
from .state import PathwayState, Transfer


def sent_types(events: Iterable[DomainEvent]) -> frozenset[str]:
    return frozenset(e.type for e in events)


def decide_offer(sent: frozenset[str], state: PathwayState, transfer: Transfer,
                 today: date) -> list[DomainEvent]:
    if n.TRANSFER_OFFERED in sent:
        return []
    return [DomainEvent(n.TRANSFER_OFFERED, {
        "transfer_id": transfer.transfer_id, "person_id": state.person_id,
        "from_centre": transfer.from_centre, "to_centre": transfer.to_centre,
        "trigger": transfer.trigger, "proposed_on": iso(transfer.proposed_on),
        "preview": transfer_preview(state, today)})]


def decide_offer_withdrawn(sent: frozenset[str], transfer: Transfer) -> list[DomainEvent]:
    if n.TRANSFER_OFFER_WITHDRAWN in sent:
        return []
    return [DomainEvent(n.TRANSFER_OFFER_WITHDRAWN, {
        "transfer_id": transfer.transfer_id, "from_centre": transfer.from_centre,
        "to_centre": transfer.to_centre, "withdrawn_on": iso(transfer.closed_on)})]


def decide_send_history(sent: frozenset[str], state: PathwayState, transfer: Transfer
                        ) -> list[DomainEvent]:
    """After completion: everything the receiver needs for the clock and hours to go on."""
    if n.TRANSFER_HISTORY_SENT in sent:
        return []
    return [DomainEvent(n.TRANSFER_HISTORY_SENT, {
        "transfer_id": transfer.transfer_id, "from_centre": transfer.from_centre,
        "to_centre": transfer.to_centre, "sent_on": iso(transfer.closed_on),
        "history": export_history(state)})]
