"""Registration on the real store: the pseudonym claim and the new file's data key are
one ordered insert, and that insert is still what stops a duplicate registration when
agents register the same person at once."""
from __future__ import annotations

import base64
import os
import threading
from dataclasses import replace
from datetime import date

import pytest

from shared.auth import Principal
from shared.config import Config
from shared.errors import DomainRuleViolation
from services.intake.adapters.claims import claim_id
from services.intake.bootstrap import bootstrap
from services.intake.service_layer import handlers
from tests.unit.intake.test_intake_person import REGISTER, SECRET

TODAY = date(2025, 2, 1)
WHO = Principal(subject="agent-1", roles=frozenset({"accueil", "dpo"}), centre="cai")
MASTER = base64.b64encode(os.urandom(32)).decode()
AGENTS = 8


def services(db):
    config = Config(service="intake", centre="cai", kafka_bootstrap_servers="unused:1",
                    mongodb_uri="mongodb://unused:1", mongodb_db=db.name, master_key=MASTER,
                    regional_secret=base64.b64encode(SECRET).decode())
    return bootstrap(config, db=db, today=lambda: TODAY)


def register(svc, **change):
    saved, _ = handlers.register(svc, WHO, replace(REGISTER, person_id="", **change), [], False)
    return saved


def person_streams(db) -> set[str]:
    return {s for s in db["commits"].distinct("stream_id") if s.startswith("person-")}


def test_agents_registering_the_same_person_at_once_make_one_file(fresh_db):
    svc = services(fresh_db)
    register(svc, national_number=None)          # warm: indexes exist before the race
    start = threading.Barrier(AGENTS)
    won, refused, failed = [], [], []

    def agent():
        start.wait()
        try:
            won.append(register(svc).key)
        except DomainRuleViolation as exc:
            refused.append(exc.extra["existing_person_id"])
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            failed.append(repr(exc))

    threads = [threading.Thread(target=agent) for _ in range(AGENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert failed == [] and len(won) == 1, (won, failed)
    assert refused == won * (AGENTS - 1)
    docs = list(fresh_db["keys"].find())
    assert [d["person_id"] for d in docs if d["_id"].startswith(claim_id(""))] == won
    # a refused claim wrote no key: keys are the weak file's and the winner's only
    key_ids = {d["_id"] for d in docs if not d["_id"].startswith(claim_id(""))}
    assert {f"person-{k}" for k in key_ids} == person_streams(fresh_db)
    assert f"person-{won[0]}" in person_streams(fresh_db) and len(key_ids) == 2


def test_the_key_is_readable_with_the_commit_and_erasure_frees_the_claim(fresh_db):
    svc = services(fresh_db)
    first = register(svc)
    fresh = services(fresh_db)                     # another process: nothing cached
    assert fresh.persons.load(first.key).state.personal["last_name"] == "Diop"
    with pytest.raises(DomainRuleViolation):
        register(fresh)
    handlers.erase(svc, WHO, first.key, "gdpr_request", None)
    assert fresh_db["keys"].find_one({"_id": first.key})["wrapped"] is None
    again = register(fresh)
    assert again.key != first.key
    assert svc.claims.holder(svc.persons.load(again.key).state.pseudonym) == again.key


def test_claims_of_the_former_collection_are_adopted(fresh_db):
    svc = services(fresh_db)
    pseudonym = register(svc).state.pseudonym
    holder = svc.claims.holder(pseudonym)
    fresh_db["keys"].delete_one({"_id": claim_id(pseudonym)})
    fresh_db["claims"].insert_one({"_id": pseudonym, "person_id": holder})   # as before
    later = services(fresh_db)                     # a process of the new version starts
    with pytest.raises(DomainRuleViolation) as refused:
        register(later)
    assert refused.value.extra["existing_person_id"] == holder
    assert fresh_db["claims"].count_documents({}) == 0
    assert later.claims.holder(pseudonym) == holder
