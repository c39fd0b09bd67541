"""Routing of cri.region.transfers: only messages for this centre, and only from the
centre they claim to come from (checked against the CloudEvents source). Every message
is signed by the centre that sends it (the offer and the history also sealed for us, and
opened with this pathway's key): one that does not verify is refused and dead-lettered."""
from __future__ import annotations

import logging

from shared.events.envelope import Envelope

from services.pathway.adapters.sealed_messages import MessageRefused, open_message
from services.pathway.bootstrap import PathwayServices
from services.pathway.domain import event_names as n

from . import transfer_receiver as receiver
from . import transfer_sender as sender

log = logging.getLogger(__name__)


def handle_region(svc: PathwayServices, env: Envelope) -> None:
    """Messages for this centre only; each is opened (its signature checked against the
    centre it names as sender, and that centre checked against the source) first."""
    if env.service != "pathway" or env.type not in n.REGION_MESSAGES:
        return  # intake's file hand-over and anything else on the shared topic
    d = env.data
    if env.type == n.TRANSFER_ANSWERED:
        if d["from_centre"] == svc.centre:        # an answer to one of our offers
            sender.on_answer(svc, _opened(svc, env))
        return
    if d["to_centre"] != svc.centre:
        return
    if env.type == n.TRANSFER_OFFERED:
        receiver.on_offer(svc, _opened(svc, env))
    elif env.type == n.TRANSFER_OFFER_WITHDRAWN:
        receiver.on_offer_withdrawn(svc, _opened(svc, env))
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
