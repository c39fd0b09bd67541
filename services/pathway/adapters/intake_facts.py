"""What the pathway keeps of intake's published facts, and facts waiting for a pathway.

`intake_people`: the latest public eligibility decision per person (status, rule
version, deadline, pseudonym), so a coordinator can open a pathway on request by id.
`pending_facts`: reception steps and attendance hours that arrived before the person's
pathway was open here (e.g. hours reported while the transfer is under way); they are
applied when it opens or arrives. Both are consumer state, rebuilt by re-reading the
intake and partners topics, not part of the pathway's own history.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from pymongo.database import Database

from shared.events.envelope import Envelope
from shared.store.documents import delete_many_ids, put
from shared.store.projections import StreamProjection


class IntakeFacts:
    def __init__(self, db: Database):
        self.people = db["intake_people"]
        self.pending = db["pending_facts"]
        self.decisions = StreamProjection(self.people, lambda state, env: env.data,
                                          "pathway-intake-people",
                                          key=lambda env: env.data["person_id"])

    def ensure_indexes(self) -> None:
        self.pending.create_index("person_id")

    def record_decision(self, env: Envelope, decision: dict[str, Any]) -> None:
        """The person's latest decision (an older or repeated one is skipped)."""
        self.decisions.apply([replace(env, data=decision)])

    def decision(self, person_id: str) -> dict[str, Any] | None:
        return self.people.find_one({"_id": person_id})

    def park(self, person_id: str, kind: str, key: str, data: dict[str, Any]) -> None:
        put(self.pending, {"_id": f"{person_id}:{kind}:{key}", "person_id": person_id,
                           "kind": kind, "key": key, "data": data,
                           "parked_at": datetime.now(timezone.utc).isoformat()})

    def waiting(self, person_id: str) -> list[dict[str, Any]]:
        return sorted(self.pending.find({"person_id": person_id}),
                      key=lambda d: (d["kind"] != "reception_step", d["parked_at"], d["_id"]))

    def forget(self, person_id: str) -> None:
        """`intake.PersonErased`: the decision and every parked fact of the person go."""
        self.people.delete_one({"_id": person_id})
        self.clear([d["_id"] for d in self.pending.find({"person_id": person_id}, {"_id": 1})])

    def clear(self, ids: list[str]) -> None:
        delete_many_ids(self.pending, ids)   # by `_id`: `$in` scans on FerretDB
