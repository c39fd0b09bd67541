"""Receiving a transferred pathway ("réception d'un transfert") at the new centre.

"PathwayReceived" carries the sender's exported history; folding it rebuilds an open
pathway here, so the clock (permit date, rule version, suspensions, extensions) and the
hours (with their attendance ids) continue across the move. The history sits under
`personal` (its suspensions may name an art. 9 reason): in the store, never on a topic
in clear (see `adapters/personal_cipher.py`).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from shared.messages import DomainEvent

from .commands import ReceivePathway
from .event_names import RECEIVED
from .guards import Problems, violation
from .history import import_history
from .records import iso
from .state import PathwayState


def decide_receive(state: PathwayState, command: ReceivePathway,
                   today: date) -> list[DomainEvent]:
    """At the receiver: a new stream, or the forwarding record of a person coming back."""
    if state.status == "open":
        raise violation("un parcours est déjà ouvert ici pour cette personne",
                        "a pathway is already open here for this person")
    history = command.history or {}
    p = Problems()
    p.required("transfer_id", command.transfer_id)
    p.centre("centre", command.centre)
    p.not_future("received_on", command.received_on, today)
    if command.from_centre != history.get("centre") or command.from_centre == command.centre:
        p.add("from_centre", "ne correspond pas à l'historique transmis",
              "does not match the transferred history")
    if state.person_id and history.get("person_id") != state.person_id:
        p.add("history", "autre personne que celle de ce dossier",
              "another person than this record's")
    p.required("history.person_id", history.get("person_id"))
    try:
        import_history(history, command.centre)  # the same code replay will run
    except (KeyError, TypeError, ValueError):
        p.add("history", "historique de transfert incomplet ou illisible",
              "transfer history incomplete or unreadable")
    p.raise_if_any()
    return [DomainEvent(RECEIVED, {
        "transfer_id": command.transfer_id, "from_centre": command.from_centre,
        "centre": command.centre, "received_on": iso(command.received_on or today),
        **{k: history[k] for k in ("pseudonym", "status", "opened_on")},
        "personal": {"history": history}}, 2)]


def received_history(data: dict[str, Any]) -> dict[str, Any]:
    """The transferred history of a "PathwayReceived" (v2: under `personal`)."""
    personal = data.get("personal")
    if not personal:
        raise ValueError("PathwayReceived without its history (read off the bus, or its "
                         "sealed part not opened): it cannot be folded")
    return personal["history"]


def _on_received(state: PathwayState, data: dict[str, Any]) -> PathwayState:
    return import_history(received_history(data), data["centre"])


HANDLERS = {RECEIVED: _on_received}
