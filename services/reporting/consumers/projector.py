"""The regional projector: routes each centre's events to reporting's projections.

One collection per projection, one document per stream and centre. The same stream id
exists in two centres after a transfer (intake keeps the person id, pathway keeps
"pathway-<person id>"), so documents are keyed "<centre>:<stream id>": each centre's
stream keeps its own position and a transfer can never look like a replay.
After each batch the projector stamps `projector_status` (last update, newest event),
which the dashboard shows and the reader uses to know its cache is stale.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from typing import Callable

from pymongo.database import Database

from shared.events.envelope import Envelope
from shared.store.projections import StreamProjection
from services.reporting.adapters.reader import ATTENDANCE, PATHWAYS, PEOPLE, PROJECTOR, STATUS
from services.reporting.consumers import probes
from services.reporting.domain import attendance, pathways, people


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Projector:
    def __init__(self, db: Database, clock: Callable[[], str] = now):
        self.by_service = {
            "intake": StreamProjection(db[PEOPLE], people.evolve, group="reporting-people"),
            "pathway": StreamProjection(db[PATHWAYS], pathways.evolve,
                                        group="reporting-pathways"),
            "partners": StreamProjection(db[ATTENDANCE], attendance.evolve,
                                         group="reporting-attendance"),
        }
        self.probes = probes.projection(db)
        self.status = db[STATUS]
        self.clock = clock

    def __call__(self, envelopes: list[Envelope]) -> None:
        self.probes(envelopes)
        for service, projection in self.by_service.items():
            mine = [replace(e, subject=f"{e.centre}:{e.subject}") for e in envelopes
                    if e.service == service]
            if mine:
                projection.apply(mine)
        self.status.replace_one({"_id": PROJECTOR}, {
            "updated_at": self.clock(),
            "last_event_time": max((e.time for e in envelopes), default=None)}, upsert=True)
