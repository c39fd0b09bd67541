"""Transfers, the receiving centre's side ("transfert entrant").

The offer becomes an inbox item ("transfer-<id>"); the coordinator's answer is itself
the region message back; the history, once accepted, becomes "PathwayReceived" (the
clock and hours go on), parked facts are applied, and the inbox item is closed.
"""
from __future__ import annotations

import logging
from typing import Any

from shared.application import Loaded, execute
from shared.errors import NotFound

from services.pathway.adapters.sealed_messages import seal_event
from services.pathway.bootstrap import PathwayServices
from services.pathway.domain import ReceivePathway, decide_receive
from services.pathway.domain import event_names as n
from services.pathway.domain import inbox as inbox_domain
from services.pathway.domain.records import as_date

from .commands import run_auto
from .facts import drain

log = logging.getLogger(__name__)


def on_offer(svc: PathwayServices, data: dict[str, Any]) -> None:
    _inbox(svc, data["transfer_id"], lambda inbox: inbox_domain.decide_record_offer(
        inbox, data, svc.centre, svc.today()))


def on_offer_withdrawn(svc: PathwayServices, data: dict[str, Any]) -> None:
    _inbox(svc, data["transfer_id"], lambda inbox: inbox_domain.decide_withdrawn(
        inbox, min(as_date(data["withdrawn_on"]), svc.today())))


def answer(svc: PathwayServices, transfer_id: str, accept: bool, reason: str | None,
           if_match: int | None):
    """The receiving coordinator's decision; it is itself the message to the sender."""
    def decide(loaded):       # the answer leaves signed by us
        return [seal_event(e, svc.config.centre_public_keys, svc.config.signing_key)
                for e in inbox_domain.decide_answer(loaded.state, accept, reason,
                                                    svc.today())]
    return execute(svc.transfers, transfer_id, decide,
                   if_match=if_match, load=lambda key: _known(svc.transfers.load(key)))


def _known(loaded: Loaded[inbox_domain.IncomingTransfer]):
    if loaded.state.state == "new":
        raise NotFound("aucun transfert entrant avec cet identifiant",
                       message_en="no incoming transfer with this id")
    return loaded


def on_history(svc: PathwayServices, data: dict[str, Any]) -> None:
    """The accepted pathway arrives: import it, apply parked facts, close the inbox item."""
    tid = data["transfer_id"]
    inbox = svc.transfers.load(tid).state
    if inbox.state not in ("accepted", "completed"):
        log.warning("history for transfer %s ignored (inbox state %s)", tid, inbox.state)
        return
    person_id = data["history"]["person_id"]
    loaded = svc.pathways.load(person_id)
    already = any(e.type == n.RECEIVED and e.data["transfer_id"] == tid
                  for e in loaded.events)
    if not already:
        command = ReceivePathway(tid, data["from_centre"], svc.centre, data["history"],
                                 min(as_date(data["sent_on"]), svc.today()))
        run_auto(svc, person_id, decide_receive, command)
    drain(svc, person_id)
    _inbox(svc, tid, lambda box: inbox_domain.decide_complete(box, svc.today()))


def _inbox(svc: PathwayServices, transfer_id: str, decide) -> None:
    execute(svc.transfers, transfer_id, lambda loaded: decide(loaded.state))
