"""StreamProjection's keys and drops (in memory; the integration suite runs it on the
real store through the relay and consumer tests): documents named by `key`, one
position each, `DROP` deletes, `may_create` asked only before a document exists."""
from __future__ import annotations

from shared.events.envelope import Envelope
from shared.store.memory import memory_database
from shared.store.projections import DROP, StreamProjection


def _env(subject: str, version: int, kind: str = "test.Added", **data) -> Envelope:
    return Envelope(f"{subject}:{version}", "/cri/cripel/test", kind, 1, "", subject,
                    f"{version:010d}.000", data)


def _adding(state, env):
    if env.type == "test.Removed":
        return DROP
    if env.type == "test.Ignored":
        return None
    return {"items": [*(state or {"items": []})["items"], env.data["item"]]}


def test_documents_are_named_by_the_key_and_skip_what_they_have_seen():
    coll = memory_database()["docs"]
    seen = StreamProjection(coll, _adding, key=lambda e: e.data.get("doc"))
    events = [_env("offer-1", 1, doc="a", item=1), _env("offer-1", 2, doc="b", item=2),
              _env("offer-1", 3, doc="a", item=3), _env("offer-1", 4, item=4)]   # no key
    assert seen.apply(events) == 3
    assert seen.apply(events) == 0                                  # redelivered
    assert {d["_id"]: d["items"] for d in coll.find()} == {"a": [1, 3], "b": [2]}
    assert coll.find_one({"_id": "a"})["_seq"] == events[2].sequence
    assert seen.last_changed == set()


def test_drop_deletes_the_document_and_none_changes_nothing():
    coll = memory_database()["docs"]
    proj = StreamProjection(coll, _adding)
    proj.apply([_env("s-1", 1, item="x"), _env("s-2", 1, item="y")])
    assert proj.apply([_env("s-1", 2, "test.Ignored")]) == 0
    assert coll.find_one({"_id": "s-1"})["_seq"] == _env("s-1", 1).sequence
    assert proj.apply([_env("s-1", 3, "test.Removed")]) == 1
    assert [d["_id"] for d in coll.find()] == ["s-2"] and proj.last_changed == {"s-1"}
    # a stream created and dropped in one batch leaves nothing; a drop of nothing is none
    assert proj.apply([_env("s-3", 1, item="z"), _env("s-3", 2, "test.Removed"),
                       _env("s-4", 1, "test.Removed")]) == 2
    assert [d["_id"] for d in coll.find()] == ["s-2"]


def test_may_create_is_asked_before_a_document_exists_only():
    coll = memory_database()["docs"]
    asked: list[str] = []

    def may_create(env, new):
        asked.append(env.subject)
        return env.subject != "s-refused"

    proj = StreamProjection(coll, _adding, may_create=may_create)
    proj.apply([_env("s-1", 1, item=1), _env("s-refused", 1, item=2)])
    proj.apply([_env("s-1", 2, item=3)])
    assert asked == ["s-1", "s-refused"]
    assert [d["_id"] for d in coll.find()] == ["s-1"]
