"""The projection reader keeps its documents until the projector writes again."""
from __future__ import annotations

from services.reporting.adapters.reader import ProjectionReader
from tests.unit.reporting.events import FakeDb


def test_documents_are_reread_only_after_a_new_batch_and_a_pause():
    db, now = FakeDb(), [0.0]
    db["projector_status"].replace_one({"_id": "projector"}, {"updated_at": "t1"}, upsert=True)
    db["people"].replace_one({"_id": "a"}, {"centre": "cai"}, upsert=True)
    reader = ProjectionReader(db, min_age=5, clock=lambda: now[0])
    version, snap = reader.snapshot()
    assert version == "t1" and len(snap.people) == 1

    db["people"].replace_one({"_id": "b"}, {"centre": "cai"}, upsert=True)
    db["projector_status"].replace_one({"_id": "projector"}, {"updated_at": "t2"}, upsert=True)
    assert reader.snapshot()[0] == "t1"          # within min_age: the kept documents
    now[0] = 6
    version, snap = reader.snapshot()
    assert version == "t2" and len(snap.people) == 2
    assert reader.status()["lag"] is None
