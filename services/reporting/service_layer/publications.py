"""Frozen periodic publications (« publications ») of the regional figures.

Why: the live tables, read before and after one known person's registration, gave
that person's status, sex, age band, nationality and commune away (ten cells moved by
exactly one). The public now reads publications only: every table of the period's
year, suppressed exactly as the live ones, frozen at a publication run. Between two
runs no published cell moves, whatever is registered.

One document per period and revision in `publications` (`_id` "2026-11-r1"), holding
the cells as published and nothing more (hidden values and people counts are not
kept), as one JSON string: FerretDB refuses nested arrays (a table's rows).
The `_id` is the idempotency: a run for a period already published returns it
unchanged, and two concurrent runs collide on the insert, the loser reading the
winner's. A correction recomputes the tables and adds the next revision, with its own
date, only if a table changed.
"""
from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Callable

from pymongo.database import Database
from pymongo.errors import DuplicateKeyError

from shared.errors import NotFound, ValidationFailed
from shared.events.canonical import canonical_json
from services.reporting.domain.periods import Period
from services.reporting.domain.tables import Published
from services.reporting.service_layer.figures import Figures

COLLECTION = "publications"
LATEST = "latest"


@dataclass(frozen=True)
class Publication:
    id: str
    period: Period
    revision: int
    published_at: str          # ISO 8601, UTC
    data_as_of: str | None     # the projector's last batch when the tables were taken
    year: int
    k: int
    tables: dict[str, Published]

    @staticmethod
    def from_doc(doc: dict[str, Any]) -> "Publication":
        return Publication(doc["_id"], Period.parse(doc["period"]), doc["revision"],
                           doc["published_at"], doc.get("data_as_of"), doc["year"], doc["k"],
                           {t["id"]: Published.from_doc(t) for t in json.loads(doc["tables"])})


def summary(doc: dict[str, Any]) -> dict[str, Any]:
    return {"id": doc["_id"], "period": doc["period"], "revision": doc["revision"],
            "published_at": doc["published_at"], "data_as_of": doc.get("data_as_of"),
            "year": doc["year"], "k": doc["k"]}


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Publications:
    def __init__(self, db: Database, figures: Figures, today: Callable[[], date],
                 now: Callable[[], datetime] = _utc_now):
        self.collection = db[COLLECTION]
        self.figures = figures
        self.today = today
        self.now = now
        self._lock = threading.Lock()
        self._read: dict[str, Publication] = {}     # immutable once written

    def publish(self, period: Period, *, correct: bool = False) -> tuple[dict[str, Any], bool]:
        """(the period's current publication, whether this run wrote it)."""
        if not period.ended(self.today()):
            raise ValidationFailed(
                f"la période {period.id} n'est pas terminée : elle se publie à partir du "
                "premier jour du mois suivant",
                message_en=f"period {period.id} has not ended yet",
                fields={"period": ["période non terminée"]})
        current = self._current(period)
        if current is not None and not correct:
            return current, False
        status = self.figures.status()
        tables = canonical_json([p.to_doc() for p in self.figures.tables(period.year).values()])
        digest = hashlib.sha256(tables).hexdigest()
        if current is not None and current["digest"] == digest:
            return current, False
        revision = current["revision"] + 1 if current else 1
        doc = {"_id": f"{period.id}-r{revision}", "period": period.id, "revision": revision,
               "published_at": self.now().astimezone(timezone.utc).isoformat(
                   timespec="seconds"),
               "data_as_of": status.get("updated_at"), "year": period.year,
               "k": self.figures.k, "digest": digest, "tables": tables.decode("utf-8")}
        try:
            self.collection.insert_one(doc)
        except DuplicateKeyError:     # a concurrent run wrote this revision first
            return self._current(period) or doc, False
        return summary(doc) | {"digest": digest}, True

    def scheduled(self) -> tuple[dict[str, Any], bool] | None:
        """The worker's run at the start of each month: the month just ended, once the
        projector has caught up with every centre's topics (measured lag 0: a worker
        just started, or a backlog, would freeze half the figures); None while it
        waits. Cheap once done: one equality read."""
        period = Period.before(self.today())
        if self._current(period) is not None:
            return None
        if self.figures.status().get("lag") != 0:
            return None
        return self.publish(period)

    def _current(self, period: Period) -> dict[str, Any] | None:
        docs = list(self.collection.find({"period": period.id}, {"tables": 0}))
        if not docs:
            return None
        doc = max(docs, key=lambda d: d["revision"])
        return summary(doc) | {"digest": doc["digest"]}

    def listing(self) -> list[dict[str, Any]]:
        """Every publication, newest period first, newest revision first; `current` is
        False for a revision that a correction superseded."""
        docs = sorted(self.collection.find({}, {"tables": 0}),
                      key=lambda d: (d["period"], d["revision"]), reverse=True)
        seen: set[str] = set()
        out = []
        for d in docs:
            out.append(summary(d) | {"current": d["period"] not in seen})
            seen.add(d["period"])
        return out

    def get(self, publication_id: str) -> Publication:
        """One publication by id, or the latest one ("latest"); 404 in French."""
        if publication_id == LATEST:
            items = self.listing()
            if not items:
                raise NotFound("aucune publication pour l'instant : les chiffres sont publiés "
                               "au début de chaque mois",
                               message_en="nothing published yet")
            publication_id = items[0]["id"]
        with self._lock:
            if publication_id in self._read:
                return self._read[publication_id]
        doc = self.collection.find_one({"_id": publication_id})
        if doc is None:
            raise NotFound(f"publication inconnue : {publication_id} (voir "
                           "/api/v1/publications)",
                           message_en=f"unknown publication: {publication_id}")
        publication = Publication.from_doc(doc)
        with self._lock:
            self._read[publication_id] = publication
        return publication
