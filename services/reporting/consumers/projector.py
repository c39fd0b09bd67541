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
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from typing import Callable

from pymongo.database import Database

from shared.events.envelope import Envelope
from shared.store.projections import StreamProjection
from services.reporting.adapters.reader import (ATTENDANCE, CHANGES, KEEP_CHANGES, OFFERS,
                                                OPERATORS, PATHWAYS, PEOPLE, PROJECTOR,
                                                STATUS)
from services.reporting.consumers import probes
from services.reporting.domain import attendance, partners, pathways, people


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Projector:
    def __init__(self, db: Database, clock: Callable[[], str] = now):
        # (service, stream prefix or "", projection): each event goes to one of them.
        self.projections = [
            ("intake", "", StreamProjection(db[PEOPLE], people.evolve, group="reporting-people")),
            ("pathway", "", StreamProjection(db[PATHWAYS], pathways.evolve,
                                             group="reporting-pathways")),
            ("partners", "attendance-", StreamProjection(db[ATTENDANCE], attendance.evolve,
                                                         group="reporting-attendance")),
            ("partners", "offer-", StreamProjection(db[OFFERS], partners.evolve_offer,
                                                    group="reporting-offers")),
            ("partners", "operator-", StreamProjection(db[OPERATORS], partners.evolve_operator,
                                                       group="reporting-operators")),
        ]
        self.probes = probes.projection(db)
        self.status = db[STATUS]
        self.changes = db[CHANGES]
        self.clock = clock
        self._batch: int | None = None

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
