"""The access log (« journal des accès »): every read of a file, in the commit store.

Why the commit store and not a plain collection: each entry is hash-chained like any
commit (`cri audit verify` detects an edited entry), goes through the outbox (the region
receives a copy the centre cannot quietly drop) and survives erasure (staff ids and
codes only). Why one small stream per read ("access-<person_id>-<read id>") and not
the file's stream: a read must not move the file's version (the ETag the client holds),
and an insert is the one write FerretDB does in constant time (a growing per-person
stream would need a head lookup or an update per read). Listing a person's reads scans
the store: it is the DPO's occasional query, not a hot path.
"""
from __future__ import annotations

import re
import uuid
from datetime import datetime, timezone

from shared.auth import Principal
from shared.store.commits import CommitStore
from services.intake.domain.access import file_read, persons_listed


def access_stream(person_id: str) -> str:
    return f"access-{person_id}-{uuid.uuid4()}"


class AccessLog:
    def __init__(self, store: CommitStore, centre: str):
        self.store = store
        self.centre = centre

    def record(self, person_id: str, who: Principal, purpose: str, what: str) -> None:
        event = file_read(person_id, self.centre, who.subject, who.roles, purpose, what,
                          datetime.now(timezone.utc))
        self.store.append(access_stream(person_id), [event], 0)

    def record_list(self, person_ids: list[str], who: Principal, purpose: str) -> None:
        """A list or search page: one entry naming every file it showed."""
        if person_ids:
            event = persons_listed(person_ids, self.centre, who.subject, who.roles, purpose,
                                   datetime.now(timezone.utc))
            self.store.append(f"access-list-{uuid.uuid4()}", [event], 0)

    def entries(self, person_id: str) -> list[dict]:
        """Reads of the file, and the list pages that showed it (what = "list")."""
        own = f"^{re.escape(f'access-{person_id}-')}"
        out = []
        for doc in self.store.collection.find({"stream_id": {"$regex": f"{own}|^access-list-"}}):
            for e in self.store.decode(doc).events:
                entry = {k: v for k, v in e.data.items() if k not in ("personal", "person_ids")}
                entry["read_by"] = (e.data.get("personal") or {}).get("read_by")
                if e.type == "intake.PersonFileRead":
                    out.append(entry)
                elif person_id in e.data["person_ids"]:
                    out.append(entry | {"person_id": person_id, "what": "list"})
        return sorted(out, key=lambda e: e["read_at"])
