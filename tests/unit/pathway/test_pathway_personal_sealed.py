"""A received pathway's history and every art. 9 reason stay in the centre: under
`personal`, sealed at rest for the pathway's own key, never in clear on a topic; the
topics still rebuild the store exactly (hash chain included)."""
from __future__ import annotations

import json

import pytest

from shared.config import Config
from shared.events import envelope
from shared.events.envelope import SEALED_PRIVATE_KEY
from shared.messages import DomainEvent
from shared.sealed import SealError
from shared.store.layout import logical
from shared.store.memory import memory_database

from services.catalog import build_registry
from services.pathway.adapters.personal_cipher import SealedPersonal
from services.pathway.adapters.topic_replay import commit_documents
from services.pathway.bootstrap import bootstrap
from services.pathway.domain import ReceivePathway, decide_receive, export_history
from services.pathway.domain import event_names as n
from services.reporting.domain.pathways import evolve as reporting_evolve

from tests.transfer_keys import config_fields, make_keys

from .builders import REGISTRY, d, extended, followed, replay, stored, suspended

KEYS = make_keys(("cripel", "cai"))
TODAY = d("2026-11-29")
# the sender's history: a maternity suspension and an illness extension (art. 9)
SENDER = replay(suspended("s1", "2024-05-01", "2024-06-01", reason="maternity"),
                extended(3, reason="illness"), state=followed())
HISTORY = export_history(SENDER)


def _cai():
    config = Config(service="pathway", centre="cai", kafka_bootstrap_servers="unused:1",
                    mongodb_uri="mongodb://unused:1", mongodb_db="unused",
                    **config_fields(KEYS, "cai"))
    return bootstrap(config, db=memory_database(), today=lambda: TODAY)


def _received(svc):
    events = decide_receive(svc.pathways.empty(SENDER.person_id).state,
                            ReceivePathway("t-1", "cripel", "cai", HISTORY, d("2026-11-20")),
                            TODAY)
    return svc.pathways.append(svc.pathways.empty(SENDER.person_id), events)


def _published(doc) -> list[envelope.Envelope]:
    """A stored commit as the relay publishes it, decoded by another process."""
    out = []
    for i, ev in enumerate(doc["events"]):
        _, value, headers = envelope.encode(envelope.source("cai", "pathway"),
                                            doc["stream_id"], doc["version"], i,
                                            doc["recorded_at"], ev)
        out.append(envelope.decode(headers, value))
    return out


def test_the_received_history_is_sealed_at_rest_and_on_the_bus_and_folds_here():
    svc = _cai()
    loaded = _received(svc)
    assert loaded.state.status == "open" and loaded.state.previous_centres == ("cripel",)
    assert [s.reason for s in svc.pathways.load(SENDER.person_id).state.suspensions] == \
        ["maternity"]                                            # opened again on load
    [raw] = [logical(doc) for doc in svc.db["commits"].find({})]
    [event] = raw["events"]
    assert event["type"] == n.RECEIVED and event["version"] == 2
    at_rest = json.dumps(raw)
    for secret in ("maternity", "illness", '"suspensions"', '"history"', '"personal"'):
        assert secret not in at_rest
    [env] = _published(raw)
    on_bus = json.dumps(env.data)
    for secret in ("maternity", "illness", "motif_protege", '"suspensions"', '"history"'):
        assert secret not in on_bus
    # what reporting folds: the public facts only, the sealed copy dropped by the registry
    seen = build_registry().read(env.type, env.version, env.data)
    assert SEALED_PRIVATE_KEY not in seen.data and "personal" not in seen.data
    doc = reporting_evolve(None, envelope.Envelope(**{**env.__dict__, "data": seen.data}))
    assert (doc["pseudonym"], doc["status"], doc["opened_on"], doc["from_centre"]) == \
        (SENDER.pseudonym, SENDER.eligibility_status, HISTORY["opened_on"], "cripel")


def test_the_topics_rebuild_the_commit_exactly_and_it_opens_again():
    svc = _cai()
    _received(svc)
    [raw] = [logical(doc) for doc in svc.db["commits"].find({})]
    [rebuilt] = commit_documents(_published(raw))
    assert rebuilt["events"] == raw["events"]
    assert rebuilt["hash"] == raw["hash"]
    opened = svc.store.decode(rebuilt)
    assert opened.events[0].data["personal"]["history"] == HISTORY


def test_a_sealed_part_opens_only_for_its_stream_and_only_with_the_pathways_key():
    mine = SealedPersonal(KEYS["cai"][0])
    data = {"reason": "motif_protege", "personal": {"reason": "illness"}}
    sealed = mine.encrypt("pathway-p-1", data)
    assert "personal" not in sealed and "illness" not in json.dumps(sealed)
    assert mine.decrypt("pathway-p-1", sealed) == data
    with pytest.raises(SealError):
        mine.decrypt("pathway-p-2", sealed)                  # moved to another stream
    with pytest.raises(SealError):
        SealedPersonal(KEYS["cripel"][0]).decrypt("pathway-p-1", sealed)
    assert mine.encrypt("pathway-p-1", {"reason": "absence_from_territory"}) == \
        {"reason": "absence_from_territory"}                 # nothing personal: unchanged


def test_a_v1_pathway_received_upcasts_to_the_same_state():
    v1 = DomainEvent(n.RECEIVED, {"transfer_id": "t-1", "from_centre": "cripel",
                                  "centre": "cai", "received_on": "2026-11-20",
                                  "history": HISTORY}, 1)
    upcast = stored(v1)
    assert upcast.version == REGISTRY.latest_version(n.RECEIVED) == 2
    assert "history" not in upcast.data and upcast.data["pseudonym"] == HISTORY["pseudonym"]
    [v2] = decide_receive(replay(), ReceivePathway("t-1", "cripel", "cai", HISTORY,
                                                   d("2026-11-20")), TODAY)
    assert replay(v1) == replay(v2)
