"""Replaying a centre's pathway topics from offset 0 into an empty store rebuilds the
same commits (hash chain included, `personal` parts sealed as stored) and, with the
centre's pathway key, the same read model, document by document."""
from __future__ import annotations

import uuid

import pytest

from shared.events import envelope
from shared.infra import secrets
from services.catalog import build_registry
from shared.events.envelope import REGION_TRANSFERS
from shared.store.commits import CommitStore
from tests.api_client import eventually

from services.pathway.adapters import topic_replay
from services.pathway.adapters.personal_cipher import SealedPersonal
from services.pathway.adapters.read_model import ReadModel
from shared.store import audit
from shared.store.feed import RelayFeed
from shared.store.layout import logical

pytestmark = pytest.mark.infra


@pytest.mark.parametrize("centre", ["cripel", "cai"])
def test_replay_rebuilds_store_and_read_model(stack, journey, infra, mongo, centre):
    live = mongo[f"cri_{centre}_pathway"]
    eventually(lambda: RelayFeed(live["commits"]).backlog() == 0, timeout=60)
    envs = topic_replay.read_topics(infra["kafka_bootstrap_servers"],
                                    [envelope.topic(centre, "pathway"), REGION_TRANSFERS],
                                    envelope.source(centre, "pathway"))
    key = secrets.audit_key(stack.stack.home, centre)
    rebuilt = topic_replay.commit_documents(envs, key)
    # the relay's bucket is not part of the commit (nor of its hash)
    live_commits = [{k: v for k, v in logical(d).items() if k != "bucket"}
                    for d in live["commits"].find().sort("_id", 1)]
    assert len(rebuilt) == len(live_commits) > 0
    for mine, theirs in zip(rebuilt, live_commits):
        assert mine == theirs

    fresh = mongo[f"t_replay_{centre}_{uuid.uuid4().hex[:8]}"]
    try:
        topic_replay.restore(fresh["commits"], rebuilt)
        # the `personal` parts came back sealed; the centre's pathway key opens them
        private, _ = secrets.centre_keypair(stack.stack.home, centre, service="pathway")
        store = CommitStore(fresh["commits"], build_registry(),
                            SealedPersonal(private.read_text()))
        assert audit.verify(store.collection, key=key) == []
        # erasures reach the pathway from intake's topic, not its own: their tombstones
        # (digests, no id) belong to the store and come with it
        for tomb in live["erased"].find():
            fresh["erased"].insert_one(tomb)
        ReadModel(fresh).rebuild(store)
        live_docs = list(ReadModel(live).documents())
        assert list(ReadModel(fresh).documents()) == live_docs
        assert any(name == "pathways" for name, _ in live_docs)
    finally:
        mongo.drop_database(fresh.name)
