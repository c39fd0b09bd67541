"""Routing of cri.region.transfers: only messages for this centre, and only from the
centre they claim to come from (checked against the CloudEvents source). The offer and
the history are opened with this pathway's key after their signature is checked against
the sending centre's: one that does not verify is refused and dead-lettered."""
from __future__ import annotations

import logging

from shared.events.envelope import Envelope

from services.pathway.adapters.sealed_messages import SEALED, MessageRefused, open_message
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
    if env.centre != d["from_centre"] and env.type not in SEALED:  # sealed: refused below
        log.warning("transfer message %s from %s claims to come from %s: ignored", env.id,
                    env.centre, d["from_centre"])
        return
    if env.type == n.TRANSFER_OFFERED:
        receiver.on_offer(svc, _opened(svc, env))
    elif env.type == n.TRANSFER_OFFER_WITHDRAWN:
        receiver.on_offer_withdrawn(svc, d)
    elif env.type == n.TRANSFER_HISTORY_SENT:
        receiver.on_history(svc, _opened(svc, env))


def _opened(svc: PathwayServices, env: Envelope) -> dict:
    """Verified and opened, or MessageRefused (dead-lettered by the consumer loop)."""
    try:
        return open_message(env, svc.config.centre_private_key,
                            svc.config.signing_public_keys)
    except MessageRefused as exc:
        log.warning("transfer message %s (%s) from %s refused: %s", env.id, env.type,
                    env.source, exc.reason)
        raise
