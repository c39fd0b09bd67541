"""The pathway's service layer on the in-memory store (bootstrap with a fake database):
the region messages the worker writes for its own transfer events."""
from __future__ import annotations

import logging

import pytest

from shared.config import Config
from shared.events import envelope
from shared.events.envelope import Envelope
from shared.store.memory import memory_database

from services.pathway.bootstrap import bootstrap
from services.pathway.domain import ProposeTransfer, decide_propose_transfer
from services.pathway.domain import event_names as n
from services.pathway.service_layer.commands import run_auto
from services.pathway.service_layer.transfer_sender import send_messages

from .builders import d, opened

TODAY = d("2026-11-29")


@pytest.fixture
def svc():
    config = Config(service="pathway", centre="cripel", kafka_bootstrap_servers="unused:1",
                    mongodb_uri="mongodb://unused:1", mongodb_db="unused")
    svc = bootstrap(config, db=memory_database(), today=lambda: TODAY)
    svc.pathways.append(svc.pathways.empty("p-1"), [opened(person="p-1")])
    return svc


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
