"""Reads the regional projections for the statistics.

FerretDB pushes down only `_id` equality, so each projection is read whole and
aggregated in Python. The documents are kept until the projector stamps a new batch
(`projector_status`), and at least `min_age` seconds, so that neither a burst of
requests nor a steady stream of events makes every request read the whole store.
"""
from __future__ import annotations

import threading
import time
from typing import Any, Callable

from pymongo.database import Database

from services.reporting.domain.publication import Snapshot

PEOPLE, PATHWAYS, ATTENDANCE, STATUS = "people", "pathways", "attendance", "projector_status"
PROJECTOR, LAG = "projector", "lag"


class ProjectionReader:
    def __init__(self, db: Database, min_age: float = 5.0,
                 clock: Callable[[], float] = time.monotonic):
        self.db = db
        self.min_age = min_age
        self.clock = clock
        self._lock = threading.Lock()
        self._cached: tuple[Any, Snapshot] | None = None
        self._read_at = float("-inf")

    def status(self) -> dict[str, Any]:
        docs = {d["_id"]: d for d in self.db[STATUS].find()}
        projector, lag = docs.get(PROJECTOR, {}), docs.get(LAG, {})
        return {"updated_at": projector.get("updated_at"),
                "last_event_time": projector.get("last_event_time"),
                "lag": lag.get("lag"), "lag_measured_at": lag.get("measured_at")}

    def snapshot(self) -> tuple[Any, Snapshot]:
        """(version, documents); the version changes whenever the projector writes."""
        with self._lock:
            if self._cached is not None and self.clock() - self._read_at < self.min_age:
                return self._cached
            version = self.status()["updated_at"]
            if self._cached is None or self._cached[0] != version or version is None:
                self._cached = (version, Snapshot(
                    people=list(self.db[PEOPLE].find()),
                    pathways=list(self.db[PATHWAYS].find()),
                    attendance=list(self.db[ATTENDANCE].find())))
            self._read_at = self.clock()
            return self._cached
