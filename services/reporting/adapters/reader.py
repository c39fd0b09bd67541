"""Reads the regional projections for the statistics.

The statistics are aggregated in Python (FerretDB's aggregation is partial), over
documents kept in memory: read whole once, then kept up to date from the projector's
change log (`projector_changes`: which documents each batch wrote), re-reading only
those by `_id`. A new batch is looked for at most every `min_age` seconds, so a burst of
requests costs one status read; a gap in the change log (the reader was away longer
than the log keeps) reads everything again.
"""
from __future__ import annotations

import threading
import time
from typing import Any, Callable

from pymongo.database import Database

from shared.store.documents import get_many
from shared.store.erasure import erased_id
from services.reporting.domain.publication import Snapshot

PEOPLE, PATHWAYS, ATTENDANCE, STATUS = "people", "pathways", "attendance", "projector_status"
OFFERS, OPERATORS = "offers", "operators"
PLANS, ACTIVITIES, TRAININGS = "plans", "activities", "trainings"
PROJECTOR, LAG = "projector", "lag"
CHANGES = "projector_changes"
KEEP_CHANGES = 10_000        # batches kept in the change log
COLLECTIONS = (PEOPLE, PATHWAYS, ATTENDANCE, OFFERS, OPERATORS, PLANS, ACTIVITIES, TRAININGS)
STREAM_PREFIXES = {PEOPLE: "person-", PATHWAYS: "pathway-"}


def moved_id(doc_id: str) -> str | None:
    """Where an erased person's document goes: "<centre>:person-<id>" (or pathway-) ->
    "<centre>:erased-<digest>"; None for an id that names no person."""
    centre, _, stream = str(doc_id).partition(":")
    for prefix in STREAM_PREFIXES.values():
        if stream.startswith(prefix):
            return f"{centre}:{erased_id(f'{centre}:{stream[len(prefix):]}')}"
    return None


class ProjectionReader:
    def __init__(self, db: Database, min_age: float = 0.5,
                 clock: Callable[[], float] = time.monotonic):
        self.db = db
        self.min_age = min_age
        self.clock = clock
        self._lock = threading.Lock()
        self._cached: tuple[Any, Snapshot] | None = None
        self._read_at = float("-inf")
        self._docs: dict[str, dict[Any, dict[str, Any]]] = {}
        self._batch: int | None = None

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
            stamp = self.db[STATUS].find_one({"_id": PROJECTOR}) or {}
            batch = stamp.get("batch")
            if self._cached is None or batch is None or self._batch is None \
                    or not self._catch_up(self._batch, batch):
                self._docs = {name: {d["_id"]: d for d in self.db[name].find()}
                              for name in COLLECTIONS}
            if self._cached is None or batch != self._batch:
                self._cached = ((batch, stamp.get("updated_at")), Snapshot(
                    people=list(self._docs[PEOPLE].values()),
                    pathways=list(self._docs[PATHWAYS].values()),
                    attendance=list(self._docs[ATTENDANCE].values()),
                    offers=list(self._docs[OFFERS].values()),
                    operators=list(self._docs[OPERATORS].values()),
                    plans=list(self._docs[PLANS].values()),
                    activities=list(self._docs[ACTIVITIES].values()),
                    trainings=list(self._docs[TRAININGS].values())))
            self._batch = batch
            self._read_at = self.clock()
            return self._cached

    def _catch_up(self, have: int, want: int) -> bool:
        """Apply the change log from batch `have` to `want`; False on a gap."""
        if want < have or want - have > KEEP_CHANGES // 2:
            return False
        for n in range(have + 1, want + 1):
            entry = self.db[CHANGES].find_one({"_id": n})
            if entry is None:
                return False
            for name, ids in entry["changed"].items():
                found = get_many(self.db[name], ids)
                docs = self._docs.setdefault(name, {})
                for i in ids:
                    if i in found:
                        docs[i] = found[i]
                    else:
                        docs.pop(i, None)
                moved = {i for i in ids if ":erased-" in str(i)}
                if moved:   # an erasure: the documents re-keyed there leave the cache
                    for old in [k for k in docs if moved_id(k) in moved]:
                        docs.pop(old)
        return True
