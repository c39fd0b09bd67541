"""The people this centre follows, as partners sees them: a projection of the centre's
pathway topic, one document per pathway stream (`_id = "pathway-<person_id>"`,
`{"followed": bool}`). Opened or received here: followed; transferred to another
centre: no longer. Partners never holds a name; the person id is all it needs.
"""
from __future__ import annotations

from typing import Any

from pymongo.collection import Collection

from shared.events.envelope import Envelope
from shared.store.projections import StreamProjection

GROUP = "partners-people"
_STARTS = {"pathway.PathwayOpened", "pathway.PathwayReceived"}
_ENDS = {"pathway.TransferCompleted"}
PREFIX = "pathway-"


def evolve(state: dict[str, Any] | None, env: Envelope) -> dict[str, Any] | None:
    if not env.subject.startswith(PREFIX):
        return None
    if env.type in _STARTS:
        return {"followed": True}
    if env.type in _ENDS:
        return {"followed": False}
    return None                 # nothing that changes who is followed: no write


class People:
    def __init__(self, collection: Collection):
        self.collection = collection
        self.projection = StreamProjection(collection, evolve, GROUP)

    def apply(self, envelopes: list[Envelope]) -> None:
        self.projection.apply(envelopes)

    def followed(self, person_id: str) -> bool:
        doc = self.collection.find_one({"_id": PREFIX + person_id})
        return bool(doc and doc.get("followed"))
