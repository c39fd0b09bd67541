"""The access log (« journal des accès »): every read of a file, in the commit store.

Why the commit store and not a plain collection: the log gets the same hash chain
(`cri audit verify` detects an edited or deleted entry), the same outbox (the region
receives a copy the centre cannot quietly drop) and survives erasure (staff ids and
codes only). Why a stream of its own ("access-<person_id>"): a read must not move the
file's version, or every GET would invalidate the ETag the client holds. A small head
document per stream (`access_heads`) saves a scan to find the last version; if it lags
(crash after the append), probing the next commit ids catches up.
"""
from __future__ import annotations

from datetime import datetime, timezone

from pymongo.collection import Collection

from shared.auth import Principal
from shared.errors import ConcurrencyError
from shared.store.commits import CommitStore
from services.intake.adapters.streams import commits_after
from services.intake.domain.access import access_stream, file_read

RETRIES = 8


class AccessLog:
    def __init__(self, store: CommitStore, heads: Collection, centre: str):
        self.store = store
        self.heads = heads
        self.centre = centre

    def record(self, person_id: str, who: Principal, purpose: str, what: str) -> None:
        stream = access_stream(person_id)
        event = file_read(person_id, self.centre, who.subject, who.roles, purpose, what,
                          datetime.now(timezone.utc))
        head = self.heads.find_one({"_id": stream}) or {"version": 0, "hash": None}
        version, prev = head["version"], head["hash"]
        for _ in range(RETRIES):
            try:
                commit = self.store.append(stream, [event], version, prev_hash=prev)
                self.heads.replace_one({"_id": stream}, {"version": commit.version,
                                                         "hash": commit.hash}, upsert=True)
                return
            except ConcurrencyError:
                newer = commits_after(self.store, stream, version)
                if newer:
                    version, prev = newer[-1].version, newer[-1].hash
        raise ConcurrencyError("journal des accès saturé, réessayez",
                               message_en="access log busy, retry")

    def entries(self, person_id: str) -> list[dict]:
        return [{**e.data, "version": c.version}
                for c in commits_after(self.store, access_stream(person_id))
                for e in c.events]
