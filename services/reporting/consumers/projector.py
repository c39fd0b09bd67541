"""The regional projector: routes each centre's events to reporting's projections.

One collection per projection, one document per stream and centre. The same stream id
exists in two centres after a transfer (intake keeps the person id, pathway keeps
"pathway-<person id>"), so documents are keyed "<centre>:<stream id>": each centre's
stream keeps its own position and a transfer can never look like a replay.
After each batch the projector records which documents it changed (`projector_changes`,
one document per batch number) and stamps `projector_status` (batch number, last
update, newest event): the reader then re-reads only those documents, by `_id`, so a
statistic is fresh within a second without re-reading every projection. One projector
process per region (the batch number is kept in memory, from the status at start).

`intake.PersonErased` takes the person out of every projection: the person's and the
pathway's documents move to an id that names nobody (`shared.store.erasure.erased_id`;
their anonymous figures still count), attendance reports lose the person id, the change
log forgets the old ids, and a tombstone (without the id) keeps an older event, if
redelivered, from creating them again.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from typing import Callable

from pymongo.database import Database

from shared.events.envelope import Envelope
from shared.store.documents import put
from shared.store.erasure import Tombstones
from shared.store.projections import StreamProjection
from services.reporting.adapters.reader import (ACTIVITIES, ATTENDANCE, CHANGES, KEEP_CHANGES,
                                                OFFERS, OPERATORS, PATHWAYS, PEOPLE, PLANS,
                                                PROJECTOR, STATUS, STREAM_PREFIXES,
                                                TRAININGS, moved_id)
from services.reporting.consumers import probes
from services.reporting.domain import attendance, local_action, partners, pathways, people


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Projector:
    def __init__(self, db: Database, clock: Callable[[], str] = now):
        self.db = db
        self.erased = Tombstones(db["erased"])
        keep_out = self._not_erased
        # (service, stream prefix or "", projection): each event goes to one of them.
        self.projections = [
            ("intake", "", StreamProjection(db[PEOPLE], people.evolve, group="reporting-people",
                                            may_create=keep_out)),
            ("pathway", "", StreamProjection(db[PATHWAYS], pathways.evolve,
                                             group="reporting-pathways", may_create=keep_out)),
            ("partners", "attendance-", StreamProjection(db[ATTENDANCE], attendance.evolve,
                                                         group="reporting-attendance",
                                                         may_create=keep_out)),
            ("partners", "offer-", StreamProjection(db[OFFERS], partners.evolve_offer,
                                                    group="reporting-offers")),
            ("partners", "operator-", StreamProjection(db[OPERATORS], partners.evolve_operator,
                                                       group="reporting-operators")),
            ("partners", "plan-", StreamProjection(db[PLANS], local_action.evolve_plan,
                                                   group="reporting-plans")),
            ("partners", "activity-", StreamProjection(db[ACTIVITIES],
                                                       local_action.evolve_activity,
                                                       group="reporting-activities")),
            ("partners", "training-", StreamProjection(db[TRAININGS],
                                                       local_action.evolve_training,
                                                       group="reporting-trainings")),
        ]
        db[ATTENDANCE].create_index("person_id")
        self.probes = probes.projection(db)
        self.status = db[STATUS]
        self.changes = db[CHANGES]
        self.clock = clock
        self._batch: int | None = None

    def _not_erased(self, env: Envelope, new: dict) -> bool:
        person = new.get("person_id") or env.subject.split(":", 1)[1].split("-", 1)[1]
        return f"{env.centre}:{person}" not in self.erased

    def _erase(self, env: Envelope, changed: dict[str, list[str]]) -> None:
        centre, person = env.centre, str(env.data["person_id"])
        self.erased.mark(f"{centre}:{person}")
        for name, prefix in STREAM_PREFIXES.items():
            old = f"{centre}:{prefix}{person}"
            anonymous = moved_id(old)
            doc = self.db[name].find_one({"_id": old})
            if doc is not None:
                put(self.db[name], {**doc, "_id": anonymous, "pseudonym": None,
                                    "erased": True})
                self.db[name].delete_one({"_id": old})
            # the change log names only the new id: the reader drops what moved there
            changed[name] = sorted({*changed.get(name, []), anonymous} - {old})
            for entry in list(self.changes.find({f"changed.{name}": old})):
                entry["changed"][name] = [i for i in entry["changed"][name] if i != old]
                put(self.changes, entry)
        for doc in list(self.db[ATTENDANCE].find({"person_id": person})):
            if doc["centre"] == centre:
                put(self.db[ATTENDANCE], {**doc, "person_id": moved_id(f"{centre}:person-{person}")})
                changed[ATTENDANCE] = sorted({*changed.get(ATTENDANCE, []), doc["_id"]})
        anonymous = moved_id(f"{centre}:person-{person}")
        for doc in list(self.db[OFFERS].find({"centre": centre})):   # a few per centre
            if any(r["person_id"] == person for r in doc["referrals"]):
                refs = [{**r, "person_id": anonymous} if r["person_id"] == person else r
                        for r in doc["referrals"]]
                put(self.db[OFFERS], {**doc, "referrals": refs})
                changed[OFFERS] = sorted({*changed.get(OFFERS, []), doc["_id"]})

    def __call__(self, envelopes: list[Envelope]) -> None:
        self.probes(envelopes)
        changed: dict[str, list[str]] = {}
        for service, prefix, projection in self.projections:
            mine = [replace(e, subject=f"{e.centre}:{e.subject}") for e in envelopes
                    if e.service == service and e.subject.startswith(prefix)]
            if mine:
                projection.apply(mine)
                if projection.last_changed:
                    changed[projection.collection.name] = sorted(projection.last_changed)
        for env in envelopes:
            if env.type == people.ERASED:
                self._erase(env, changed)
        if self._batch is None:
            self._batch = (self.status.find_one({"_id": PROJECTOR}) or {}).get("batch", 0)
        batch = self._batch + 1
        # The changes first, then the stamp: a reader that sees batch n finds its changes.
        self.changes.replace_one({"_id": batch}, {"_id": batch, "changed": changed},
                                 upsert=True)
        self.status.replace_one({"_id": PROJECTOR}, {
            "batch": batch, "updated_at": self.clock(),
            "last_event_time": max((e.time for e in envelopes), default=None)}, upsert=True)
        self._batch = batch
        self.changes.delete_one({"_id": batch - KEEP_CHANGES})
