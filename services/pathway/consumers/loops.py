"""Consumer loops of the pathway worker, one group per centre and source topic."""
from __future__ import annotations

import logging
from typing import Callable

from shared.consumer import ConsumerLoop
from shared.errors import DomainRuleViolation
from shared.events import envelope
from shared.events.envelope import REGION_TRANSFERS, Envelope

from services.pathway.adapters.streams import person_of
from services.pathway.bootstrap import PathwayServices
from services.pathway.domain import event_names as n
from services.pathway.service_layer import attendance, intake, region as region_routing
from services.pathway.service_layer.transfer_sender import send_messages

log = logging.getLogger(__name__)
OUTBOUND_TRIGGERS = (n.TRANSFER_PROPOSED, n.TRANSFER_WITHDRAWN, n.TRANSFER_COMPLETED)


def each(svc: PathwayServices, fn: Callable[[PathwayServices, Envelope], None]):
    """Apply `fn` per event. A fact the pathway cannot take in its current state is a
    business outcome, logged and skipped; anything else goes back to the loop (retried
    one by one, then dead-lettered)."""
    def handler(envelopes: list[Envelope]) -> None:
        for env in envelopes:
            try:
                fn(svc, env)
            except DomainRuleViolation as exc:
                log.warning("%s %s not applied: %s", env.type, env.id, exc.message_en)
    return handler


def own_topic(svc: PathwayServices):
    """Our own published events: send the region messages they call for, then make sure
    the read model shows each touched stream as stored (repairs a crash after an append)."""
    send = each(svc, lambda s, env: send_messages(s, env)
                if env.type in OUTBOUND_TRIGGERS and person_of(env.subject) else None)

    def handler(envelopes: list[Envelope]) -> None:
        send(envelopes)
        for subject in sorted({e.subject for e in envelopes}):
            svc.read_model.refresh(svc.store, subject)
    return handler


def region(svc: PathwayServices):
    incoming = each(svc, region_routing.handle_region)

    def handler(envelopes: list[Envelope]) -> None:
        ours = [e for e in envelopes if e.centre == svc.centre and e.service == "pathway"]
        incoming([e for e in envelopes if e not in ours])
        for subject in sorted({e.subject for e in ours}):
            svc.read_model.refresh(svc.store, subject)  # our own answers, published
    return handler


def topics(centre: str) -> dict[str, str]:
    return {"intake": envelope.topic(centre, "intake"),
            "partners": envelope.topic(centre, "partners"),
            "region": REGION_TRANSFERS,
            "self": envelope.topic(centre, "pathway")}


def loops(svc: PathwayServices) -> dict[str, ConsumerLoop]:
    rt = svc.runtime
    centre = svc.centre
    handlers = {"intake": each(svc, intake.handle),
                "partners": lambda envs: attendance.handle(svc, envs),   # batched per person
                "region": region(svc), "self": own_topic(svc)}
    out = {}
    for name, topic in topics(centre).items():
        group = f"pathway-{centre}-{name}"
        out[name] = ConsumerLoop(lambda g=group: rt.consumer(g), rt.producer, group,
                                 handlers[name], rt.registry, topics=[topic])
    return out
