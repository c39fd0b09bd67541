"""Contract suite for the commit store: the same tests on every backend.

Backends: FerretDB started by the launcher (always), and a real MongoDB when
CRI_CONTRACT_MONGODB_URI names one (production's store).
"""
from __future__ import annotations

import os
import threading
import uuid

import pymongo
import pytest

from shared.errors import ConcurrencyError, InvalidEvent, PreconditionFailed, UnknownEventType
from shared.messages import DomainEvent
from shared.store.commits import CommitStore
from tests.integration.foundation.events_fixture import registry

BACKENDS = ["ferretdb"] + (["mongodb"] if os.environ.get("CRI_CONTRACT_MONGODB_URI") else [])


@pytest.fixture(params=BACKENDS)
def collection(request, infra):
    uri = infra["mongodb_uri"] if request.param == "ferretdb" else \
        os.environ["CRI_CONTRACT_MONGODB_URI"]
    client = pymongo.MongoClient(uri)
    name = f"contract_{uuid.uuid4().hex[:10]}"
    yield client[name]["commits"]
    client.drop_database(name)
    client.close()


@pytest.fixture
def store(collection):
    s = CommitStore(collection, registry())
    s.ensure_indexes()
    return s


def inc(by=1):
    return DomainEvent("test.CounterIncremented", {"by": by})


def test_append_then_load_returns_events_in_version_order(store):
    for i in range(1, 6):
        store.append("counter-a", [inc(i), inc(10 * i)], expected_version=i - 1)
    stream = store.load("counter-a")
    assert stream.version == 5
    assert [e.data["by"] for e in stream.events] == [1, 10, 2, 20, 3, 30, 4, 40, 5, 50]


def test_exactly_one_of_many_concurrent_appends_to_one_version_wins(store):
    store.append("counter-race", [inc()], expected_version=0)
    winners, losers, barrier = [], [], threading.Barrier(8)

    def contend(n):
        barrier.wait()
        try:
            store.append("counter-race", [inc(n)], expected_version=1)
            winners.append(n)
        except ConcurrencyError:
            losers.append(n)

    threads = [threading.Thread(target=contend, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(winners) == 1 and len(losers) == 7
    stream = store.load("counter-race")
    assert stream.version == 2 and stream.events[-1].data["by"] == winners[0]


def test_stale_expected_version_with_if_match_is_a_precondition_failure(store):
    store.append("s", [inc()], expected_version=0)
    store.append("s", [inc()], expected_version=1)
    with pytest.raises(PreconditionFailed):
        store.append("s", [inc()], expected_version=1, if_match=True)


def test_appending_past_the_head_is_refused(store):
    store.append("s", [inc()], expected_version=0)
    with pytest.raises(ConcurrencyError):
        store.append("s", [inc()], expected_version=3)


def test_unknown_or_invalid_events_are_refused_and_nothing_is_written(store):
    with pytest.raises(UnknownEventType):
        store.append("s", [DomainEvent("test.Nope", {})], expected_version=0)
    with pytest.raises(InvalidEvent):
        store.append("s", [inc(), DomainEvent("test.CounterIncremented", {"by": "x"})],
                     expected_version=0)
    assert store.collection.count_documents({}) == 0


def test_outbox_is_drained_whole_in_stream_version_order(store):
    for v in range(3):
        for s in ("b", "a", "c"):
            store.append(s, [inc(v)], expected_version=v)
    name, docs = store.take_outbox()
    assert [(d["stream_id"], d["version"]) for d in docs] == \
        [(s, v) for s in ("a", "b", "c") for v in (1, 2, 3)]
    store.append("a", [inc()], expected_version=3)  # lands in a fresh outbox meanwhile
    store.mark_published(docs[:4])
    assert store.count_unpublished() == 6
    assert store.take_outbox()[0] == name            # an unfinished drain comes first
    store.finish_drain(name)
    name2, docs2 = store.take_outbox()
    assert name2 != name and [d["_id"] for d in docs2] == ["a:0000000004"]
    store.finish_drain(name2)
    assert store.take_outbox() is None


def test_commits_are_never_modified_by_publication(store):
    store.append("s", [inc()], expected_version=0)
    before = store.collection.find_one({})
    name, docs = store.take_outbox()
    store.mark_published(docs)
    store.finish_drain(name)
    assert store.collection.find_one({}) == before
    assert store.count_unpublished() == 0 and store.published_heads() == {"s": 1}


def test_load_sees_commits_written_by_another_store_instance(collection):
    """The load cache holds immutable prefixes and probes for newer versions."""
    a, b = CommitStore(collection, registry()), CommitStore(collection, registry())
    a.append("s", [inc(1)], expected_version=0)
    assert b.load("s").version == 1
    a.append("s", [inc(2)], expected_version=1)
    loaded = b.load("s")
    assert loaded.version == 2 and [e.data["by"] for e in loaded.events] == [1, 2]
    assert b.load("s", up_to=1).version == 1


def test_old_versions_are_upcast_on_read_and_never_rewritten(collection):
    old = CommitStore(collection, registry())
    old.append("s", [inc(3)], expected_version=0)
    new = CommitStore(collection, registry(with_v2=True))
    event = new.load("s").events[0]
    assert event.version == 2 and event.data == {"by": 3, "reason": "inconnue"}
    assert collection.find_one({})["events"][0]["version"] == 1
    assert new.verify() == []


def test_untouched_store_verifies(store):
    for i in range(4):
        store.append("s1", [inc(i)], expected_version=i)
        store.append("s2", [inc(i)], expected_version=i)
    assert store.verify() == []


def test_altered_payload_is_detected_and_named(store):
    for i in range(4):
        store.append("s1", [inc(i)], expected_version=i)
    store.collection.update_one({"stream_id": "s1", "version": 3},
                                {"$set": {"events.0.data.by": 999}})
    problems = store.verify()
    assert [(p.stream_id, p.version, p.kind) for p in problems] == [("s1", 3, "altered")]


def test_removed_commit_is_detected(store):
    for i in range(4):
        store.append("s1", [inc(i)], expected_version=i)
    store.collection.delete_one({"stream_id": "s1", "version": 2})
    kinds = {(p.version, p.kind) for p in store.verify()}
    assert (3, "missing") in kinds and (3, "broken-link") in kinds


def test_reordered_commits_are_detected(store):
    for i in range(3):
        store.append("s1", [inc(i + 1)], expected_version=i)
    a = store.collection.find_one({"stream_id": "s1", "version": 1})
    b = store.collection.find_one({"stream_id": "s1", "version": 2})
    store.collection.update_one({"_id": a["_id"]}, {"$set": {"events": b["events"]}})
    store.collection.update_one({"_id": b["_id"]}, {"$set": {"events": a["events"]}})
    assert {p.version for p in store.verify() if p.kind == "altered"} == {1, 2}


def test_hash_chain_survives_the_loss_of_a_cipher_key(collection):
    """Erasure destroys a key; the chain was computed over ciphertext and still verifies."""
    class XorCipher:
        keys = {"s": 7}

        def encrypt(self, stream_id, data):
            k = self.keys[stream_id]
            return {**data, "personal": "".join(chr(ord(c) ^ k) for c in data["personal"]["n"])}

        def decrypt(self, stream_id, data):
            k = self.keys.get(stream_id)
            if k is None:
                return {**data, "personal": None}
            return {**data, "personal": {"n": "".join(chr(ord(c) ^ k) for c in data["personal"])}}

    cipher = XorCipher()
    store = CommitStore(collection, registry(), cipher)
    store.append("s", [DomainEvent("test.NoteWritten", {"text": "t", "personal": {"n": "Amina"}})],
                 expected_version=0)
    assert "Amina" not in str(collection.find_one({}))
    assert store.load("s").events[0].data["personal"] == {"n": "Amina"}
    del cipher.keys["s"]
    assert store.load("s").events[0].data["personal"] is None
    assert store.verify() == []
