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
from shared.errors import DomainRuleViolation, Gone, PreconditionFailed
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


def register(svc, justification=None, **changes):
    cmd = replace(REGISTER, person_id="", **changes)
    return handlers.register(svc, WHO, cmd, [], False, justification)[0]


def commits(svc) -> int:
    return svc.store.count()          # commits only: keys and claims are kept beside them


def test_the_same_national_number_twice_is_409_naming_the_file(svc):
    first = register(svc)
    with pytest.raises(DomainRuleViolation) as caught:
        register(svc, last_name="Autre", first_names="Nom")
    assert caught.value.status == 409
    assert caught.value.extra["existing_person_id"] == first.key
    assert commits(svc) == 1


@pytest.mark.parametrize("second", [
    {"national_number": None},                                  # no number the 2nd time
    {"national_number": None, "last_name": "DIOP", "first_names": "Awa  Ngoné"},
])
def test_same_names_birth_date_and_nationality_is_409_naming_the_file(svc, second):
    first = register(svc, national_number=None)
    with pytest.raises(DomainRuleViolation) as caught:
        register(svc, **second)
    assert caught.value.extra == {"existing_person_id": first.key, "match": "weak"}
    assert first.key in caught.value.message and "homonyme" in caught.value.message
    assert commits(svc) == 1


def test_a_file_first_registered_without_number_is_found_when_one_is_given(svc):
    first = register(svc, national_number=None)
    with pytest.raises(DomainRuleViolation) as caught:
        register(svc)                                          # now with the NISS
    assert caught.value.extra["existing_person_id"] == first.key
    assert commits(svc) == 1


def test_a_confirmed_homonym_is_registered_and_recorded_in_the_event(svc):
    first = register(svc, national_number=None)
    why = "Autre personne : parents différents, vue en personne par l'agent."
    second = register(svc, why, national_number=None)
    assert second.key != first.key
    data = second.commits[0].events[0].data
    assert data["personal"]["homonym"] == {"of": [first.key], "justification": why}
    third = register(svc, why, national_number=None)
    assert third.commits[0].events[0].data["personal"]["homonym"]["of"] == \
        [first.key, second.key]


def test_an_erased_file_no_longer_blocks_a_registration(svc):
    first = register(svc, national_number=None)
    handlers.erase(svc, WHO, first.key, "gdpr_request", None)
    again = register(svc, national_number=None)
    assert again.key != first.key
    assert again.commits[0].events[0].data["personal"].get("homonym") is None
