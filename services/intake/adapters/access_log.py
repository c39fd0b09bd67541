"""The access log (« journal des accès »): every read of a file, in the commit store.

Why the commit store and not a plain collection: the log gets the same hash chain
(`cri audit verify` detects an edited or deleted entry), the same outbox (the region
receives a copy the centre cannot quietly drop) and survives erasure (staff ids and
codes only). Why a stream of its own ("access-<person_id>"): a read must not move the
file's version, or every GET would invalidate the ETag the client holds.
"""
from __future__ import annotations

from datetime import datetime, timezone

from pymongo import DESCENDING

from shared.auth import Principal
from shared.errors import ConcurrencyError
from shared.store.commits import CommitStore
from services.intake.domain.access import access_stream, file_read

RETRIES = 8


class AccessLog:
    def __init__(self, store: CommitStore, centre: str):
        self.store = store
        self.centre = centre

    def record(self, person_id: str, who: Principal, purpose: str, what: str) -> None:
        stream = access_stream(person_id)
        event = file_read(person_id, self.centre, who.subject, who.roles, purpose, what,
                          datetime.now(timezone.utc))
        for _ in range(RETRIES):
            head = next(iter(self.store.collection.find(
                {"stream_id": stream}, {"version": 1, "hash": 1})
                .sort("version", DESCENDING).limit(1)), None)
            try:
                self.store.append(stream, [event], head["version"] if head else 0,
                                  prev_hash=head["hash"] if head else None)
                return
            except ConcurrencyError:
                continue                     # another read of the same file won: retry
        raise ConcurrencyError("journal des accès saturé, réessayez",
                               message_en="access log busy, retry")

    def entries(self, person_id: str) -> list[dict]:
        stream = self.store.load(access_stream(person_id))
        return [{**e.data, "version": c.version}
                for c in stream.commits for e in c.events]
