"""The receiving centre's inbox of incoming transfers ("transferts entrants").

One stream per transfer ("transfer-<transfer_id>") in the receiver's store:
recorded (offer received) -> answered accepted | rejected -> completed (history
imported); withdrawn when the sender takes the offer back. The answer is itself the
message to the sender (routed to cri.region.transfers), so deciding and telling are one
commit.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Iterable

from shared.errors import UnknownEventType
from shared.messages import DomainEvent

from . import event_names as n
from .guards import Problems, violation
from .records import as_date, iso
from .vocab import TRANSFER_REJECTION_REASONS


@dataclass(frozen=True)
class IncomingTransfer:
    state: str = "new"            # new | proposed | accepted | rejected | withdrawn | completed
    transfer_id: str | None = None
    person_id: str | None = None
    from_centre: str | None = None
    to_centre: str | None = None
    trigger: str | None = None
    proposed_on: date | None = None
    recorded_on: date | None = None
    preview: dict[str, Any] = field(default_factory=dict)
    answered_on: date | None = None
    reason: str | None = None
    closed_on: date | None = None


NO_TRANSFER = IncomingTransfer()

_OFFER_KEYS = ("transfer_id", "person_id", "from_centre", "to_centre", "trigger",
               "proposed_on", "preview")


def decide_record_offer(inbox: IncomingTransfer, offer: dict[str, Any], centre: str,
                        today: date) -> list[DomainEvent]:
    """An offer from the region topic; the same offer delivered twice is recorded once."""
    if inbox.state != "new":
        return []
    if offer.get("to_centre") != centre:
        raise violation("cette proposition de transfert est destinée à un autre centre",
                        "this transfer offer is meant for another centre")
    return [DomainEvent(n.INCOMING_RECORDED,
                        {**{k: offer[k] for k in _OFFER_KEYS}, "recorded_on": iso(today)})]


def decide_answer(inbox: IncomingTransfer, accept: bool, reason: str | None,
                  today: date) -> list[DomainEvent]:
    if inbox.state == "new":
        raise violation("aucun transfert entrant avec cet identifiant",
                        "no incoming transfer with this id")
    if inbox.state != "proposed":
        raise violation(f"ce transfert n'attend plus de réponse (état : {inbox.state})",
                        f"this transfer awaits no answer any more (state: {inbox.state})",
                        state=inbox.state)
    p = Problems()
    if not accept:
        p.choice("reason", reason, TRANSFER_REJECTION_REASONS)
    p.raise_if_any()
    return [DomainEvent(n.TRANSFER_ANSWERED, {
        "transfer_id": inbox.transfer_id, "from_centre": inbox.from_centre,
        "to_centre": inbox.to_centre, "decision": "accepted" if accept else "rejected",
        "reason": None if accept else reason, "answered_on": iso(today)})]


def decide_withdrawn(inbox: IncomingTransfer, withdrawn_on: date) -> list[DomainEvent]:
    """The sender took the offer back (possibly crossing our acceptance)."""
    if inbox.state not in ("proposed", "accepted"):
        return []
    return [DomainEvent(n.INCOMING_WITHDRAWN, {"transfer_id": inbox.transfer_id,
                                               "withdrawn_on": iso(withdrawn_on)})]


def decide_complete(inbox: IncomingTransfer, received_on: date) -> list[DomainEvent]:
    if inbox.state == "completed":
        return []
    if inbox.state != "accepted":
        raise violation("historique reçu pour un transfert non accepté ici",
                        "history received for a transfer not accepted here",
                        state=inbox.state)
    return [DomainEvent(n.INCOMING_COMPLETED, {"transfer_id": inbox.transfer_id,
                                               "received_on": iso(received_on)})]


def expects_person(inbox: IncomingTransfer) -> bool:
    """While proposed or accepted, the person's pathway is on its way: do not open another."""
    return inbox.state in ("proposed", "accepted")


def evolve_inbox(inbox: IncomingTransfer, event: DomainEvent) -> IncomingTransfer:
    d = event.data
    if event.type == n.INCOMING_RECORDED:
        return IncomingTransfer(
            "proposed", d["transfer_id"], d["person_id"], d["from_centre"], d["to_centre"],
            d["trigger"], as_date(d["proposed_on"]), as_date(d["recorded_on"]),
            dict(d["preview"]))
    if event.type == n.TRANSFER_ANSWERED:
        return replace(inbox, state=d["decision"], answered_on=as_date(d["answered_on"]),
                       reason=d["reason"],
                       closed_on=as_date(d["answered_on"]) if d["decision"] == "rejected"
                       else None)
    if event.type == n.INCOMING_WITHDRAWN:
        return replace(inbox, state="withdrawn", closed_on=as_date(d["withdrawn_on"]))
    if event.type == n.INCOMING_COMPLETED:
        return replace(inbox, state="completed", closed_on=as_date(d["received_on"]))
    raise UnknownEventType(f"événement inattendu dans un transfert entrant : {event.type}",
                           message_en=f"unexpected event in an incoming transfer: {event.type}")


def fold_inbox(events: Iterable[DomainEvent]) -> IncomingTransfer:
    inbox = NO_TRANSFER
    for event in events:
        inbox = evolve_inbox(inbox, event)
    return inbox
