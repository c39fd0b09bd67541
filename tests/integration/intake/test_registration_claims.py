"""Registration on the real store: the pseudonym claim, the new file's data key and its
first commit are one ordered insert in the commit collection, and that insert is still
what stops a duplicate registration when agents register the same person at once."""
from __future__ import annotations

import base64
import os
import threading
import uuid
from dataclasses import replace
from datetime import date

import pymongo
import pytest
from pymongo import monitoring

from shared.store.erasure import erased_id
from shared.store.keys import KeyStore
from shared.store.layout import is_commit
from shared.auth import Principal
from shared.config import Config
from shared.errors import DomainRuleViolation
from services.intake.adapters.claims import SIGHTINGS_COMPLETE, claim_id, seen_id
from services.intake.adapters.pseudonyms import COLLECTION as PSEUDONYM_FILES
from services.intake.bootstrap import bootstrap
from services.intake.domain import privacy
from services.intake.service_layer import handlers
from tests.integration.intake.test_sealed_and_indexes import _env
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
    return register_elsewhere(svc, **change)[0]


def register_elsewhere(svc, **change):
    return handlers.register(svc, WHO, replace(REGISTER, person_id="", **change), [], False)


def asks(svc) -> list[str]:
    """Record the pseudonyms the registration asks the regional index about."""
    asked: list[str] = []
    real = svc.pseudonyms.centres
    svc.pseudonyms.centres = lambda p: asked.append(p) or real(p)
    return asked


def beside(db) -> list[dict]:
    """The documents kept beside the commits: keys, claims, sightings."""
    return [d for d in db["commits"].find() if not is_commit(d)]


def person_streams(db) -> set[str]:
    return {s for s in db["commits"].distinct("stream_id") if s.startswith("person-")}


def test_agents_registering_the_same_person_at_once_make_one_file(fresh_db):
    svc = services(fresh_db)
    register(svc, national_number=None, last_name="Tiède")   # warm: indexes exist (and
    # another name: the same names would hold the weak pseudonym and refuse them all)
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
    docs = beside(fresh_db)
    assert [d["person_id"] for d in docs if d["_id"].startswith(claim_id(""))] == won
    # a refused claim wrote no key: keys are the weak file's and the winner's only
    key_ids = {d["_id"] for d in docs
               if not d["_id"].startswith((claim_id(""), "seen:", "weak:"))}
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
    assert fresh_db["commits"].find_one({"_id": first.key}) is None   # re-keyed: a tombstone
    assert fresh_db["commits"].find_one({"_id": erased_id(first.key)})["wrapped"] is None
    again = register(fresh)
    assert again.key != first.key
    assert svc.claims.holder(svc.persons.load(again.key).state.pseudonym) == again.key


def test_claims_of_the_former_collection_are_adopted(fresh_db):
    svc = services(fresh_db)
    pseudonym = register(svc).state.pseudonym
    holder = svc.claims.holder(pseudonym)
    fresh_db["commits"].delete_one({"_id": claim_id(pseudonym)})
    fresh_db["claims"].insert_one({"_id": pseudonym, "person_id": holder})   # as before
    later = services(fresh_db)                     # a process of the new version starts
    with pytest.raises(DomainRuleViolation) as refused:
        register(later)
    assert refused.value.extra["existing_person_id"] == holder
    assert fresh_db["claims"].count_documents({}) == 0
    assert later.claims.holder(pseudonym) == holder


def test_the_index_is_asked_only_about_a_pseudonym_already_sighted(fresh_db):
    svc = services(fresh_db)
    asked = asks(svc)
    first, elsewhere = register_elsewhere(svc, national_number=None)
    assert elsewhere == [] and asked == []              # never sighted: nothing to ask
    handlers.erase(svc, WHO, first.key, "gdpr_request", None)
    second, elsewhere = register_elsewhere(svc, national_number=None)
    assert asked == [first.state.pseudonym] and elsewhere == []   # sighted here before
    # the key was written with the known sighting: another process reads the file
    assert services(fresh_db).persons.load(second.key).state.personal["last_name"] == "Diop"
    # another person, never registered here, has a file at cripel: it reaches this
    # centre's index (the worker's projection), which sights the pseudonym first
    pseudonym, _ = privacy.pseudonym("85.07.30-033.28", regional_secret=SECRET)
    svc.pseudonyms.apply([_env("cripel", "PersonRegistered", str(uuid.uuid4()), pseudonym, 1)])
    asked.clear()
    _, elsewhere = register_elsewhere(svc, national_number="85.07.30-033.28",
                                      birth_date=date(1985, 7, 30))
    assert asked == [pseudonym] and elsewhere == ["cripel"]


def test_an_index_written_before_sightings_is_asked_until_backfilled(fresh_db):
    svc = services(fresh_db)
    pseudonym = register(svc, national_number=None, last_name="Ba").state.pseudonym
    for doc in beside(fresh_db):                        # a store of the former version:
        if doc["_id"].startswith(("seen:", "weak:")):   # no sightings, no weak claims
            fresh_db["commits"].delete_one({"_id": doc["_id"]})
    fresh_db[PSEUDONYM_FILES].insert_one({"_id": "cripel:x", "pseudonym": pseudonym,
                                         "centre": "cripel", "followed": True,
                                         "strength": "weak", "_seq": "1"})
    later = services(fresh_db)
    asked = asks(later)
    _, elsewhere = register_elsewhere(later, national_number=None, last_name="Ba")
    assert elsewhere == ["cripel"] and asked == [pseudonym]
    assert later.claims.backfill() == 1
    assert fresh_db["commits"].find_one({"_id": SIGHTINGS_COMPLETE})
    assert fresh_db["commits"].find_one({"_id": seen_id(pseudonym)})
    assert later.claims.backfill() == 0                 # done once


class _Writes(monitoring.CommandListener):
    """pymongo command listener: the write commands sent, by collection."""

    def __init__(self):
        self.seen: list[tuple[str, str, int]] = []

    def started(self, event):
        if event.command_name in ("insert", "update", "delete", "findAndModify"):
            docs = event.command.get("documents") or event.command.get("updates") or []
            self.seen.append((event.command_name, event.command[event.command_name],
                              len(docs)))

    def succeeded(self, event):
        pass

    def failed(self, event):
        pass


def test_keys_and_claims_of_the_former_collection_are_moved_beside_the_commits(fresh_db):
    svc = services(fresh_db)
    first = register(svc)
    for doc in beside(fresh_db):                  # as the former version kept them
        fresh_db["keys"].insert_one({k: v for k, v in doc.items()
                                     if k not in ("stream_id", "version")})
        fresh_db["commits"].delete_one({"_id": doc["_id"]})
    assert KeyStore(fresh_db["commits"], MASTER).get(first.key) is None
    later = services(fresh_db)                    # a process of this version starts
    assert later.persons.load(first.key).state.personal["last_name"] == "Diop"
    with pytest.raises(DomainRuleViolation) as refused:
        register(later)                           # the moved claim still holds
    assert refused.value.extra["existing_person_id"] == first.key
    assert fresh_db["keys"].count_documents({}) == 0
    assert later.store.count() == 1 and later.store.stream_ids() == [f"person-{first.key}"]


def test_a_registration_is_one_write_and_a_homonym_is_still_found(infra, fresh_db):
    writes = _Writes()
    client = pymongo.MongoClient(infra["mongodb_uri"], tz_aware=True, event_listeners=[writes])
    try:
        svc = services(client[fresh_db.name])
        register(svc, national_number=None, last_name="Tiède")        # warm: indexes
        writes.seen.clear()
        first = register(svc)
        # claim + data key + weak claim + sighting + the first commit: one insert
        assert writes.seen == [("insert", "commits", 5)], writes.seen
        # the same names, birth date and nationality without the number: the weak claim
        # finds the first file (409 naming it), or records the confirmed homonym
        with pytest.raises(DomainRuleViolation) as same:
            register(svc, national_number=None)
        assert same.value.extra == {"existing_person_id": first.key, "match": "weak"}
        writes.seen.clear()
        twin, _ = handlers.register(svc, WHO, replace(REGISTER, person_id="",
                                                      national_number=None), [], False,
                                    homonym_justification="frère jumeau, autre personne")
        # key, weak claim, sighting, commit (no number: no strong claim) stopped at the
        # weak claim (the key written), the homonyms recorded, then sighting and commit
        assert writes.seen == [("insert", "commits", 4), ("update", "commits", 1),
                               ("insert", "commits", 2)], writes.seen
        weak = fresh_db["commits"].find_one({"_id": {"$regex": "^weak:"},
                                          "person_ids": first.key})
        assert sorted(weak["person_ids"]) == sorted([first.key, twin.key])
    finally:
        client.close()
