"""The pathway's service layer on the in-memory store (bootstrap with a fake database):
the region messages the worker writes for its own transfer events."""
from __future__ import annotations

import logging

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from shared.config import Config
from shared.events import envelope
from shared.events.envelope import Envelope
from shared.signing import generate_pem
from shared.store.memory import memory_database

from services.pathway.adapters.sealed_messages import MessageRefused
from services.pathway.domain import transfer_preview
from services.pathway.service_layer.region import handle_region

from services.pathway.bootstrap import bootstrap
from services.pathway.domain import ProposeTransfer, decide_propose_transfer
from services.pathway.domain import event_names as n
from services.pathway.service_layer.commands import run_auto
from services.pathway.service_layer.transfer_sender import send_messages

from tests.transfer_keys import config_fields, make_keys

from .builders import d, opened

TODAY = d("2026-11-29")


KEYS = make_keys(("cripel", "cai"))


def _services(centre: str):
    config = Config(service="pathway", centre=centre, kafka_bootstrap_servers="unused:1",
                    mongodb_uri="mongodb://unused:1", mongodb_db="unused",
                    **config_fields(KEYS, centre))
    return bootstrap(config, db=memory_database(), today=lambda: TODAY)


@pytest.fixture
def svc():
    svc = _services("cripel")
    svc.pathways.append(svc.pathways.empty("p-1"), [opened(person="p-1")])
    return svc


def on_region_topic(svc, stream_id: str) -> list[Envelope]:
    """The stream's stored events as another centre's worker decodes them."""
    loaded = svc.transfers.load(stream_id[len("transfer-"):])
    out = []
    for i, ev in enumerate(loaded.events):
        _, value, headers = envelope.encode(
            envelope.source(svc.centre, "pathway"), stream_id, i + 1, 0,
            "2026-11-29T10:00:00+00:00", {"type": ev.type, "version": ev.version,
                                          "data": ev.data})
        env = envelope.decode(headers, value)
        read = svc.runtime.registry.read(env.type, env.version, env.data)
        out.append(Envelope(env.id, env.source, read.type, read.version, env.time,
                            env.subject, env.sequence, read.data, env.trace_id))
    return out


def proposed(svc, transfer_id: str) -> Envelope:
    """Our own TransferProposed as the worker reads it back from the pathway topic."""
    version = svc.pathways.load("p-1").version
    return Envelope(f"pathway-p-1:{version:010d}.000", envelope.source("cripel", "pathway"),
                    n.TRANSFER_PROPOSED, 1, "2026-11-29T10:00:00+00:00", "pathway-p-1",
                    envelope.sequence(version, 0), {"transfer_id": transfer_id})


def test_the_offer_is_written_once_however_often_the_proposal_is_delivered(svc):
    run_auto(svc, "p-1", decide_propose_transfer,
             ProposeTransfer("t-1", "cai", "manual", TODAY))
    env = proposed(svc, "t-1")
    send_messages(svc, env)
    send_messages(svc, env)                                   # redelivered
    sent = svc.transfers.load("t-1")
    assert [e.type for e in sent.events] == [n.TRANSFER_OFFERED] and sent.version == 1


def test_an_unknown_transfer_is_logged_and_skipped_not_raised(svc, caplog):
    with caplog.at_level(logging.WARNING):
        send_messages(svc, proposed(svc, "forged"))
    assert "forged" in caplog.text
    assert svc.transfers.load("forged").version == 0


def test_the_receiving_pathway_opens_the_offer_and_keeps_its_preview(svc):
    run_auto(svc, "p-1", decide_propose_transfer,
             ProposeTransfer("t-1", "cai", "manual", TODAY))
    send_messages(svc, proposed(svc, "t-1"))
    [offer] = on_region_topic(svc, "transfer-t-1")
    assert offer.version == 2 and "preview" not in offer.data and offer.data["sealed"]
    cai = _services("cai")
    handle_region(cai, offer)
    inbox = cai.transfers.load("t-1").state
    assert inbox.state == "proposed" and inbox.from_centre == "cripel"
    assert inbox.preview == transfer_preview(svc.pathways.load("p-1").state, TODAY)
    listed = cai.read_model.transfer_doc("in", "t-1")
    assert listed["preview"] == inbox.preview


def test_a_forged_offer_is_refused_for_the_dead_letter_queue_not_applied(svc):
    run_auto(svc, "p-1", decide_propose_transfer,
             ProposeTransfer("t-1", "cai", "manual", TODAY))
    send_messages(svc, proposed(svc, "t-1"))
    [offer] = on_region_topic(svc, "transfer-t-1")
    cai = _services("cai")
    forged = Envelope(offer.id, offer.source, offer.type, offer.version, offer.time,
                      offer.subject, offer.sequence, {**offer.data, "person_id": "p-9"},
                      offer.trace_id)
    with pytest.raises(MessageRefused):     # not a DomainRuleViolation: the loop
        handle_region(cai, forged)          # dead-letters it
    assert cai.transfers.load("t-1").version == 0
