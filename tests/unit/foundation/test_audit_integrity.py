"""The keyed hash chain (HMAC, scheme 2) next to the plain one, and the heads anchored on
the region topic: tampering, a downgrade to the plain scheme, a deleted or truncated
stream and a forged anchor are all named; older plain commits still verify."""
from __future__ import annotations

import json

from shared import anchors
from shared.events import envelope
from shared.events.canonical import GENESIS, chain_hash
from shared.messages import DomainEvent
from shared.store import audit
from shared.store.commits import CommitStore, hashed_body
from shared.store.memory import memory_collection
from tests.integration.foundation.events_fixture import registry

KEY, OTHER_KEY = b"k" * 32, b"x" * 32


def _store(key=KEY) -> CommitStore:
    reg = registry()
    anchors.register(reg)
    return CommitStore(memory_collection(), reg, audit_key=key)


def _fill(store, streams=("s-1", "s-2"), n=3):
    for sid in streams:
        for v in range(n):
            store.append(sid, [DomainEvent("test.CounterIncremented", {"by": v})], v)


def _kinds(problems):
    return sorted((p.stream_id, p.version, p.kind) for p in problems)


def test_keyed_chain_verifies_only_with_the_centre_key():
    store = _store()
    _fill(store)
    doc = store.find_commit("s-1", 1)
    assert doc["chain"] == 2 and doc["hash"] != chain_hash(GENESIS, {**hashed_body(doc), "chain": 1})
    assert audit.verify(store.collection, key=KEY) == []
    assert {p.kind for p in audit.verify(store.collection, key=OTHER_KEY)} == {"altered"}
    assert {p.kind for p in audit.verify(store.collection)} == {"no-key"}


def test_plain_commits_of_before_the_key_still_verify_and_chain_on():
    plain = _store(key=None)
    _fill(plain, streams=("s-1",), n=2)
    assert "chain" not in plain.find_commit("s-1", 2)
    keyed = CommitStore(plain.collection, plain.registry, audit_key=KEY)
    keyed.append("s-1", [DomainEvent("test.CounterIncremented", {"by": 9})], 2)
    assert keyed.find_commit("s-1", 3)["chain"] == 2
    assert audit.verify(plain.collection, key=KEY) == []


def test_rewriting_a_commit_as_plain_sha256_is_named():
    """Whoever can write the store but lacks the key recomputes a plain hash: caught."""
    store = _store()
    _fill(store, streams=("s-1",))
    doc = store.find_commit("s-1", 3)
    doc["events"][0]["data"]["by"] = 1000
    del doc["chain"]
    doc["hash"] = chain_hash(doc["prev_hash"], hashed_body(doc))
    store.collection.replace_one({"_id": doc["_id"]}, doc)
    assert _kinds(audit.verify(store.collection, key=KEY)) == [("s-1", 3, "downgraded")]


def test_anchored_heads_name_a_deleted_a_truncated_and_a_rewritten_stream():
    store = _store()
    _fill(store, streams=("s-1", "s-2", "s-3"))
    anchored = audit.heads(store.collection)
    assert audit.verify(store.collection, key=KEY, anchored=anchored) == []
    store.collection.delete_many({"stream_id": "s-1"})            # the whole stream
    store.collection.delete_one({"_id": "s-2:0000000003"})       # its last commit
    # s-3 rewritten from v1 on, every hash recomputed... by someone holding the key
    forger = CommitStore(store.collection, store.registry, audit_key=KEY)
    store.collection.delete_many({"stream_id": "s-3"})
    for v in range(3):
        forger.append("s-3", [DomainEvent("test.CounterIncremented", {"by": 7})], v)
    assert _kinds(audit.verify(store.collection, key=KEY, anchored=anchored)) == [
        ("s-1", 3, "deleted"), ("s-2", 3, "truncated"), ("s-3", 3, "altered")]


class _Producer:
    def __init__(self):
        self.sent = []

    def send(self, topic, key, value, headers):
        self.sent.append((topic, key, value, headers))
        return _Done()

    def close(self, timeout=None):
        pass


class _Done:
    def get(self, timeout=None):
        return None


class _Record:
    def __init__(self, key, value, headers):
        self.key, self.value, self.headers = key, value, headers


def _anchor(store, producer, now):
    a = anchors.Anchorer(store, "cri_cripel_intake", "/cri/cripel/intake", lambda: producer,
                         clock=lambda: now)
    return a.anchor_once()


def test_the_anchorer_publishes_every_head_then_only_what_moved_with_a_mac():
    store = _store()
    clock = [1_000_000.0]
    store.clock = lambda: clock[0]
    _fill(store)
    producer = _Producer()
    assert _anchor(store, producer, clock[0] + 10) == 2            # first: every head
    clock[0] += 60
    store.append("s-2", [DomainEvent("test.CounterIncremented", {"by": 5})], 3)
    assert _anchor(store, producer, clock[0] + 10) == 1            # then: only s-2
    assert _anchor(store, producer, clock[0] + 20) == 0            # nothing moved
    assert {t for t, *_ in producer.sent} == {envelope.REGION_ANCHORS}
    out: dict = {}
    for _, key, value, headers in producer.sent:
        anchors._record(_Record(key, value, headers), {"cripel": KEY}, out)
    assert out == {"/cri/cripel/intake": audit.heads(store.collection)}


def test_a_forged_anchor_is_ignored():
    store = _store()
    _fill(store, streams=("s-1",))
    producer = _Producer()
    _anchor(store, producer, 1_000_000.0)
    _, key, value, headers = producer.sent[0]
    forged = json.loads(value)
    forged["heads"][0]["version"] = 99                             # claims a longer stream
    out: dict = {}
    anchors._record(_Record(key, json.dumps(forged).encode(), headers), {"cripel": KEY}, out)
    assert out == {}


def test_a_broker_outage_delays_the_anchor_and_does_not_end_the_worker():
    import threading
    from kafka.errors import KafkaTimeoutError
    store = _store()
    _fill(store, streams=("s-1",))
    calls, stop = [], threading.Event()

    class _Down(_Producer):
        def send(self, *a, **kw):
            calls.append(1)
            if len(calls) >= 3:
                stop.set()
            raise KafkaTimeoutError("broker down")

    a = anchors.Anchorer(store, "cri_cripel_intake", "/cri/cripel/intake", _Down,
                         interval=0.01)
    a.run(stop)                                   # returns on stop, never raises
    assert len(calls) >= 3 and a.cursor.find_one({"_id": "cursor"}) is None
