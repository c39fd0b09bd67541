"""Routing of cri.region.transfers: only messages for this centre, and only from the
centre they claim to come from (checked against the CloudEvents source)."""
from __future__ import annotations

import logging

from shared.events.envelope import Envelope

from services.pathway.bootstrap import PathwayServices
from services.pathway.domain import event_names as n

from . import transfer_receiver as receiver
from . import transfer_sender as sender

log = logging.getLogger(__name__)


def handle_region(svc: PathwayServices, env: Envelope) -> None:
    """Messages for this centre only; the sender's identity is checked against the source."""
    if env.service != "pathway" or env.type not in n.REGION_MESSAGES:
        return  # intake's file hand-over and anything else on the shared topic
    d = env.data
    if env.type == n.TRANSFER_ANSWERED:
        if d["from_centre"] == svc.centre and env.centre == d["to_centre"]:
            sender.on_answer(svc, d)
        return
    if d["to_centre"] != svc.centre:
        return
    if env.centre != d["from_centre"]:
        log.warning("transfer message %s from %s claims to come from %s: ignored", env.id,
                    env.centre, d["from_centre"])
        return
    if env.type == n.TRANSFER_OFFERED:
        receiver.on_offer(svc, d)
    elif env.type == n.TRANSFER_OFFER_WITHDRAWN:
        receiver.on_offer_withdrawn(svc, d)
    elif env.type == n.TRANSFER_HISTORY_SENT:
        receiver.on_history(svc, d)
