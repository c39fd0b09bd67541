"""Intake's service layer on the in-memory store (bootstrap with a fake database):
If-Match on updates, erasure, and an append whose connection dropped mid-insert."""
from __future__ import annotations

import base64
import os
from dataclasses import replace
from datetime import date

import pytest
from pymongo.errors import AutoReconnect

from shared.auth import Principal
from shared.config import Config
from shared.errors import Gone, PreconditionFailed
from shared.store.memory import memory_database

from services.intake.bootstrap import bootstrap
from services.intake.domain import person
from services.intake.domain.commands import RecordFrenchTest
from services.intake.service_layer import handlers

from .test_intake_person import REGISTER, SECRET

TODAY = date(2025, 2, 1)
WHO = Principal(subject="agent-1", roles=frozenset({"accueil", "dpo"}), centre="cai")
FRENCH = RecordFrenchTest("A1", TODAY, "CAI", "")


@pytest.fixture
def svc():
    config = Config(service="intake", centre="cai", kafka_bootstrap_servers="unused:1",
                    mongodb_uri="mongodb://unused:1", mongodb_db="unused",
                    master_key=base64.b64encode(os.urandom(32)).decode(),
                    regional_secret=base64.b64encode(SECRET).decode())
    return bootstrap(config, db=memory_database(), today=lambda: TODAY)


def french_test(state, on):
    return person.decide_record_french_test(state, FRENCH, on)


def registered(svc) -> str:
    saved, elsewhere = handlers.register(svc, WHO, replace(REGISTER, person_id=""), [], False)
    assert elsewhere == [] and saved.version == 1
    return saved.key


def test_an_update_needs_the_version_the_client_saw(svc):
    pid = registered(svc)
    with pytest.raises(PreconditionFailed):
        handlers.update(svc, WHO, pid, 0, french_test)
    saved = handlers.update(svc, WHO, pid, 1, french_test)
    assert saved.version == 2 and saved.state.french_level == "A1"
    assert saved.last_commit.meta["by"] == "agent-1"


def test_erasure_destroys_the_key_and_closes_the_file(svc):
    pid = registered(svc)
    handlers.erase(svc, WHO, pid, "gdpr_request", None)
    assert svc.keys.status(pid)["destroyed_at"] is not None
    with pytest.raises(Gone):
        handlers.read(svc, WHO, pid, "consultation")


def test_a_dropped_connection_after_our_insert_landed_is_not_a_failure(svc, monkeypatch):
    pid = registered(svc)
    insert = svc.store.collection.insert_one

    def lands_then_drops(doc, *args, **kw):
        insert(doc, *args, **kw)
        raise AutoReconnect("connection closed")

    monkeypatch.setattr(svc.store.collection, "insert_one", lands_then_drops)
    saved = handlers.update(svc, WHO, pid, 1, french_test)
    assert saved.version == 2 and svc.persons.load(pid).state.french_level == "A1"


def test_a_dropped_connection_before_the_insert_still_fails(svc, monkeypatch):
    pid = registered(svc)

    def drops(doc, *args, **kw):
        raise AutoReconnect("connection refused")

    monkeypatch.setattr(svc.store.collection, "insert_one", drops)
    with pytest.raises(AutoReconnect):
        handlers.update(svc, WHO, pid, 1, french_test)
    assert svc.persons.load(pid).version == 1
