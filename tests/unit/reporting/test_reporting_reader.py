"""The projection reader keeps its documents and follows the projector's change log."""
from __future__ import annotations

from services.reporting.adapters.reader import CHANGES, ProjectionReader
from tests.unit.reporting.events import FakeDb


def stamp(db, batch, changed=None):
    if changed is not None:
        db[CHANGES].replace_one({"_id": batch}, {"_id": batch, "changed": changed},
                                upsert=True)
    db["projector_status"].replace_one({"_id": "projector"},
                                       {"batch": batch, "updated_at": f"t{batch}"}, upsert=True)


def test_documents_follow_the_change_log_after_a_pause():
    db, now = FakeDb(), [0.0]
    db["people"].replace_one({"_id": "a"}, {"centre": "cai"}, upsert=True)
    stamp(db, 1)
    reader = ProjectionReader(db, min_age=0.5, clock=lambda: now[0])
    version, snap = reader.snapshot()
    assert version == (1, "t1") and len(snap.people) == 1

    db["people"].replace_one({"_id": "b"}, {"centre": "cai"}, upsert=True)
    db["people"].replace_one({"_id": "a"}, {"centre": "cripel"})   # not in the log
    stamp(db, 2, {"people": ["b"]})
    assert reader.snapshot()[0] == (1, "t1")        # within min_age: the kept documents
    now[0] = 1
    version, snap = reader.snapshot()
    assert version == (2, "t2")
    assert sorted((p["_id"], p["centre"]) for p in snap.people) == [("a", "cai"), ("b", "cai")]

    db["people"].delete_one({"_id": "b"})
    stamp(db, 3, {"people": ["b"]})                 # a removed document leaves the snapshot
    now[0] = 2
    assert [p["_id"] for p in reader.snapshot()[1].people] == ["a"]


def test_a_gap_in_the_change_log_reads_everything_again():
    db, now = FakeDb(), [0.0]
    db["people"].replace_one({"_id": "a"}, {"centre": "cai"}, upsert=True)
    stamp(db, 1)
    reader = ProjectionReader(db, min_age=0.5, clock=lambda: now[0])
    reader.snapshot()
    db["people"].replace_one({"_id": "a"}, {"centre": "cripel"})
    stamp(db, 5)                                    # batches 2-4 no longer in the log
    now[0] = 1
    assert [p["centre"] for p in reader.snapshot()[1].people] == ["cripel"]


def test_an_erased_person_is_counted_once_by_a_reader_that_follows_the_log():
    """The projector re-keys the person's document; the reader, catching up from the
    change log (which never names the old id), drops the old copy it kept."""
    import uuid

    from services.reporting.consumers.projector import Projector
    from tests.unit.reporting.events import env, registered
    db, now = FakeDb(), [0.0]
    pid = str(uuid.uuid4())
    projector = Projector(db, clock=lambda: "t")
    projector(registered("cripel", person_id=pid, pseudonym="f" * 32))
    reader = ProjectionReader(db, min_age=0.5, clock=lambda: now[0])
    assert [p["_id"] for p in reader.snapshot()[1].people] == [f"cripel:person-{pid}"]
    projector([env("cripel", "intake", "intake.PersonErased", f"person-{pid}",
                   {"person_id": pid, "pseudonym": "f" * 32, "pseudonym_strength": "strong",
                    "centre": "cripel", "reason": "gdpr_request", "erased_on": "2025-07-01",
                    "personal": None})])
    now[0] = 1
    [person] = reader.snapshot()[1].people
    assert person["_id"].startswith("cripel:erased-") and person["pseudonym"] is None
    assert pid not in str(list(db[CHANGES].find({})))
