"""Transfers, the sending centre's side ("transfert sortant").

The proposal (automatic on a move, or by hand) and the withdrawal are pathway events;
the worker, seeing them published, writes the region messages into "transfer-<id>"
(routed to cri.region.transfers): the offer with its preview, its withdrawal and — once
the receiver accepted — the pathway's full history. The preview and the history are
sealed for the receiving centre's pathway key and signed with ours before they are
stored (`adapters.sealed_messages`): nothing but routing is in clear on the shared topic.
The answer completes or closes the transfer; completion leaves a forwarding record here.
"""
from __future__ import annotations

import logging
import uuid
from typing import Any

from shared.application import execute
from shared.errors import DomainRuleViolation, NotFound
from shared.events.envelope import Envelope

from services.pathway.adapters.sealed_messages import seal_event
from services.pathway.adapters.streams import person_of
from services.pathway.bootstrap import PathwayServices
from services.pathway.domain import (AcceptTransfer, ProposeTransfer, RejectTransfer,
                                     WithdrawTransfer, decide_accept_transfer,
                                     decide_propose_transfer, decide_reject_transfer,
                                     decide_withdraw_transfer)
from services.pathway.domain import event_names as n
from services.pathway.domain import outbound
from services.pathway.domain.records import as_date

from .commands import run_api, run_auto

log = logging.getLogger(__name__)


def propose(svc: PathwayServices, person_id: str, to_centre: str, if_match: int | None):
    command = ProposeTransfer(str(uuid.uuid4()), to_centre, "manual")
    return run_api(svc, person_id, decide_propose_transfer, command, if_match)


def withdraw(svc: PathwayServices, transfer_id: str, if_match: int | None):
    doc = svc.read_model.transfer_doc("out", transfer_id)
    if doc is None:
        raise NotFound("aucun transfert sortant avec cet identifiant",
                       message_en="no outgoing transfer with this id")
    command = WithdrawTransfer(transfer_id, svc.centre)
    return run_api(svc, doc["person_id"], decide_withdraw_transfer, command, if_match)


def send_messages(svc: PathwayServices, env: Envelope) -> None:
    """TransferProposed / Withdrawn / Completed -> the matching region message, once.

    The pathway is read as it was when the event was stored; an event naming a transfer
    that pathway does not have (a forged or corrupted message) is logged and skipped."""
    person_id = person_of(env.subject)
    version = int(env.sequence.split(".")[0])
    tid = env.data["transfer_id"]
    state = svc.pathways.load(person_id, up_to=version).state
    transfer = next((t for t in state.transfers if t.transfer_id == tid), None)
    if transfer is None:
        log.warning("%s %s names transfer %s, unknown to pathway %s at version %d: skipped",
                    env.type, env.id, tid, person_id, version)
        return

    def decide(loaded):
        sent = outbound.sent_types(loaded.events)
        if env.type == n.TRANSFER_PROPOSED:
            events = outbound.decide_offer(sent, state, transfer, svc.today())
        elif env.type == n.TRANSFER_WITHDRAWN:
            events = outbound.decide_offer_withdrawn(sent, transfer)
        else:
            events = outbound.decide_send_history(sent, state, transfer)
        # the preview and the history leave sealed for the receiver, signed by us
        return [seal_event(e, svc.config.centre_public_keys, svc.config.signing_key)
                for e in events]

    execute(svc.transfers, tid, decide)


def on_answer(svc: PathwayServices, data: dict[str, Any]) -> None:
    """The receiver accepted or rejected our offer: complete or close the transfer."""
    offer = next((e for e in svc.transfers.load(data["transfer_id"]).events
                  if e.type == n.TRANSFER_OFFERED), None)
    if offer is None:
        log.warning("answer to unknown transfer %s ignored", data["transfer_id"])
        return
    person_id = offer.data["person_id"]
    day = as_date(data["answered_on"])
    if data["decision"] == "accepted":
        decide, command = decide_accept_transfer, AcceptTransfer(
            data["transfer_id"], data["to_centre"], min(day, svc.today()))
    else:
        decide, command = decide_reject_transfer, RejectTransfer(
            data["transfer_id"], data["to_centre"], data["reason"], min(day, svc.today()))
    try:
        run_auto(svc, person_id, decide, command)
    except DomainRuleViolation as exc:  # e.g. we withdrew while they accepted
        log.warning("transfer %s: answer %s not applied: %s", data["transfer_id"],
                    data["decision"], exc.message_en)
