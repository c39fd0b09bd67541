"""Contract suite for the commit store: the same tests on every backend.

Backends: FerretDB on PostgreSQL started by the launcher (always), the in-memory
collection the unit tests use (it must not lie), and a real MongoDB when
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
from shared.store import commits as commits_module
from shared.store.commits import AlongsideExists, CommitStore
from shared.store.feed import GRACE_BUCKETS, RelayFeed, bucket_of
from shared.store.memory import memory_collection
from tests.integration.foundation.events_fixture import registry
from shared.store import audit
from shared.store.commits import commit_id, hashed_body
from shared.store.layout import beside, is_commit, logical, stored
from shared.events.canonical import GENESIS, chain_hash

BACKENDS = ["ferretdb", "memory"] + (
    ["mongodb"] if os.environ.get("CRI_CONTRACT_MONGODB_URI") else [])


@pytest.fixture(params=BACKENDS)
def collection(request):
    if request.param == "memory":
        yield memory_collection()
        return
    uri = request.getfixturevalue("infra")["mongodb_uri"] if request.param == "ferretdb" \
        else os.environ["CRI_CONTRACT_MONGODB_URI"]
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


def test_documents_alongside_a_commit_are_one_insert_and_never_read_as_commits(store):
    """A registration's claim and data key go in the insert of its first commit: the
    first one already stored stops the insert (those before it are written, it and the
    commit are not); no reader of commits ever sees them."""
    store.append("s-1", [inc(1)], 0, alongside=[{"_id": "claim:a"}, {"_id": "key-1"}])
    with pytest.raises(AlongsideExists) as held:
        store.append("s-2", [inc(2)], 0, alongside=[{"_id": "key-2"}, {"_id": "claim:a"},
                                                    {"_id": "key-3"}])
    assert held.value.index == 1
    ids = {d["_id"] for d in store.collection.find({})}
    assert ids == {"claim:a", "key-1", "key-2", commit_id("s-1", 1)}
    store.append("s-2", [inc(2)], 0, alongside=[{"_id": "claim:b"}])
    # the (stream_id, version) unique index holds for many of them on every backend
    assert store.collection.find_one({"_id": "key-2"}) == beside({"_id": "key-2"})
    assert store.stream_ids() == ["s-1", "s-2"] and store.count() == 2
    assert [(c.stream_id, c.version) for c in store.read_all()] == [("s-1", 1), ("s-2", 1)]
    assert [e.data["by"] for e in store.load("s-2").events] == [2]
    assert audit.verify(store.collection) == []
    assert set(audit.heads(store.collection)) == {"s-1", "s-2"}
    feed = RelayFeed(store.collection)
    relayed = [d["_id"] for b in {c["bucket"] for c in store.collection.find({})
                                  if "bucket" in c} for d in feed.read(b)]
    assert sorted(relayed) == [commit_id("s-1", 1), commit_id("s-2", 1)]
    # a document shaped like one kept beside but of an existing stream is a conflict,
    # never a silent skip: only the commit's own version can collide
    with pytest.raises(ConcurrencyError):
        store.append("s-1", [inc(3)], 0, alongside=[{"_id": "key-4"}])


def test_a_commit_altered_to_version_0_is_still_seen_by_the_audit(store):
    for v in range(3):
        store.append("s", [inc(v)], v)
    store.collection.update_one({"_id": commit_id("s", 2)}, {"$set": {"version": 0}})
    assert is_commit(store.collection.find_one({"_id": commit_id("s", 2)}))
    assert {p.kind for p in audit.verify(store.collection)} >= {"missing"}


class Clock:
    def __init__(self, t: float = 1_700_000_000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


def test_the_feed_finds_commits_by_bucket_in_stream_version_order(collection):
    clock = Clock()
    store = CommitStore(collection, registry(), clock=clock)
    store.ensure_indexes()
    feed = RelayFeed(collection, clock)
    for v in range(3):
        for s in ("b", "a", "c"):
            store.append(s, [inc(v)], expected_version=v)
    b0 = bucket_of(clock.t)
    clock.t += 1.0                          # the next appends fall in a later bucket
    store.append("a", [inc()], expected_version=3)
    assert [(d["stream_id"], d["version"]) for d in feed.read(b0)] == \
        [(s, v) for s in ("a", "b", "c") for v in (1, 2, 3)]
    assert [d["_id"] for d in feed.read(bucket_of(clock.t))] == ["a:0000000004"]
    assert feed.count(b0) == 9 and feed.backlog() == 10


def test_checkpoints_and_frontier_survive_a_restart(collection):
    clock = Clock()
    store = CommitStore(collection, registry(), clock=clock)
    store.ensure_indexes()
    store.append("s", [inc()], expected_version=0)
    store.append("t", [inc()], expected_version=0)
    b = bucket_of(clock.t)
    feed = RelayFeed(collection, clock)
    feed.record(b, {"s:0000000001"})
    assert feed.backlog() == 1
    again = RelayFeed(collection, clock)          # a new relay process
    frontier, handled = again.state()
    assert frontier <= b and handled == {b: {"s:0000000001"}}
    feed.close(b + 1, [b])                        # everything below b+1 is published
    clock.t += GRACE_BUCKETS
    assert again.state() == (b + 1, {}) and again.backlog() == 0


def test_commits_are_never_modified_by_publication(collection):
    clock = Clock()
    store = CommitStore(collection, registry(), clock=clock)
    store.ensure_indexes()
    store.append("s", [inc()], expected_version=0)
    before = collection.find_one({})
    feed = RelayFeed(collection, clock)
    feed.record(before["bucket"], {before["_id"]})
    feed.close(before["bucket"] + 1, [before["bucket"]])
    feed.quarantine(before, "MessageSizeTooLargeError: test")
    assert collection.find_one({}) == before
    assert [q["_id"] for q in feed.quarantined()] == ["s:0000000001"]


def test_a_slow_insert_reports_itself_late(collection):
    ticks = iter([100.0, 100.0 + 10.0])           # the insert took 10 s
    store = CommitStore(collection, registry(), clock=lambda: next(ticks, 200.0))
    store.append("slow", [inc()], expected_version=0)
    assert [r["_id"] for r in RelayFeed(collection).late_reports()] == ["slow:0000000001"]


def test_an_event_too_large_for_the_broker_is_refused_and_nothing_is_written(store):
    from shared.errors import PayloadTooLarge
    with pytest.raises(PayloadTooLarge):
        store.append("s", [DomainEvent("test.NoteWritten",
                                       {"text": "x" * (commits_module.MAX_EVENT_BYTES + 1)})],
                     expected_version=0)
    assert store.collection.count_documents({}) == 0


def test_load_sees_commits_written_by_another_store_instance(collection):
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
    assert logical(collection.find_one({}))["events"][0]["version"] == 1
    assert audit.verify(new.collection) == []


def tamper(collection, stream_id, version, change):
    """Rewrite one stored commit behind the store's back, in the layout it has."""
    raw = collection.find_one({"_id": commit_id(stream_id, version)})
    doc = logical(raw)
    change(doc)
    collection.replace_one({"_id": raw["_id"]}, stored(doc) if "body" in raw else doc)


def test_a_commit_is_stored_as_its_queried_fields_and_one_json_body(store):
    """What the relay's read costs on FerretDB: ≈10 µs per field it returns."""
    store.append("s", [inc(4)], expected_version=0, meta={"trace_id": "t-1"})
    raw = store.collection.find_one({})
    assert set(raw) == {"_id", "stream_id", "version", "bucket", "body"}
    assert isinstance(raw["body"], str)
    doc = store.find_commit("s", 1)
    assert doc["events"] == [{"type": "test.CounterIncremented", "version": 1, "data": {"by": 4}}]
    assert doc["meta"] == {"trace_id": "t-1"} and doc["prev_hash"] == GENESIS
    assert doc["hash"] == store.load("s").head_hash


def former_layout(stream_id, version, prev_hash, by, bucket):
    """A commit as the store wrote it before the JSON body: every field a field."""
    doc = {"_id": commit_id(stream_id, version), "stream_id": stream_id, "version": version,
           "events": [{"type": "test.CounterIncremented", "version": 1, "data": {"by": by}}],
           "recorded_at": "2026-11-30T10:00:00+00:00", "meta": {}, "prev_hash": prev_hash}
    doc["hash"] = chain_hash(prev_hash, hashed_body(doc))
    doc["bucket"] = bucket
    return doc


def test_commits_of_the_former_layout_load_feed_and_verify_beside_new_ones(collection):
    clock = Clock()
    store = CommitStore(collection, registry(), clock=clock)
    store.ensure_indexes()
    b = bucket_of(clock.t)
    first = former_layout("s", 1, GENESIS, 1, b)
    collection.insert_one(first)
    collection.insert_one(former_layout("s", 2, first["hash"], 2, b))
    store.append("s", [inc(3)], expected_version=2)        # new layout, chained on v2
    assert "body" not in collection.find_one({"_id": "s:0000000002"})
    assert "body" in collection.find_one({"_id": "s:0000000003"})
    assert [e.data["by"] for e in store.load("s").events] == [1, 2, 3]
    assert audit.verify(collection) == []
    assert audit.heads(collection) == {"s": (3, store.load("s").head_hash)}
    assert [(d["version"], d["events"][0]["data"]["by"]) for d in RelayFeed(collection, clock)
            .read(b)] == [(1, 1), (2, 2), (3, 3)]
    tamper(collection, "s", 1, lambda doc: doc["events"][0]["data"].update(by=9))
    assert [(p.version, p.kind) for p in audit.verify(collection)] == [(1, "altered")]


def test_a_body_that_is_no_longer_json_is_named_not_a_crash(store):
    for i in range(3):
        store.append("s1", [inc(i)], expected_version=i)
    store.collection.update_one({"_id": commit_id("s1", 2)}, {"$set": {"body": "{cassé"}})
    problems = [(p.version, p.kind) for p in audit.verify(store.collection)]
    assert problems == [(2, "altered"), (3, "broken-link")]


def test_a_field_added_beside_the_body_is_named(store):
    store.append("s1", [inc(1)], expected_version=0)
    store.collection.update_one({"_id": commit_id("s1", 1)}, {"$set": {"hash": "0" * 64}})
    assert [(p.version, p.kind) for p in audit.verify(store.collection)] == [(1, "altered")]


def test_untouched_store_verifies(store):
    for i in range(4):
        store.append("s1", [inc(i)], expected_version=i)
        store.append("s2", [inc(i)], expected_version=i)
    assert audit.verify(store.collection) == []


def test_altered_payload_is_detected_and_named(store):
    for i in range(4):
        store.append("s1", [inc(i)], expected_version=i)
    def forge(doc):
        doc["events"][0]["data"]["by"] = 999
    tamper(store.collection, "s1", 3, forge)
    problems = audit.verify(store.collection)
    assert [(p.stream_id, p.version, p.kind) for p in problems] == [("s1", 3, "altered")]


def test_removed_commit_is_detected(store):
    for i in range(4):
        store.append("s1", [inc(i)], expected_version=i)
    store.collection.delete_one({"stream_id": "s1", "version": 2})
    kinds = {(p.version, p.kind) for p in audit.verify(store.collection)}
    assert (3, "missing") in kinds and (3, "broken-link") in kinds


def test_reordered_commits_are_detected(store):
    for i in range(3):
        store.append("s1", [inc(i + 1)], expected_version=i)
    a, b = store.find_commit("s1", 1), store.find_commit("s1", 2)
    tamper(store.collection, "s1", 1, lambda doc: doc.update(events=b["events"]))
    tamper(store.collection, "s1", 2, lambda doc: doc.update(events=a["events"]))
    assert {p.version for p in audit.verify(store.collection) if p.kind == "altered"} == {1, 2}


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
    assert audit.verify(store.collection) == []
