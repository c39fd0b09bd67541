"""The regional pseudonym index (« index régional des pseudonymes »), a projection.

Fed by every centre's intake topic (`shared.store.projections.StreamProjection`): one
document per person file, `{_id: "<centre>:<person_id>", pseudonym, centre, followed,
strength, _seq}`, so "where else is this person followed?" is one equality lookup on
the indexed `pseudonym` and answers centre ids only, never another centre's data.
Idempotent: a document keeps the last position (`ce_sequence`) of its file's stream
applied; a redelivered or older event is skipped.

`PersonErased` deletes the file's document and leaves a tombstone without the id
(`shared.store.erasure`): a redelivered older event of that file is then refused too.
The first document of another centre's file is written after `mark_seen(pseudonym)`
(see `adapters/claims.py`: a registration skips asking the index about a pseudonym
never sighted).
"""
from __future__ import annotations

from typing import Any, Callable

from pymongo.collection import Collection

from shared.events.envelope import Envelope
from shared.store.erasure import Tombstones
from shared.store.projections import DROP, StreamProjection

COLLECTION = "pseudonym_files"      # one document per file (was `pseudonyms`, one per
                                    # pseudonym, before the group below re-read the topics)
GROUP = "pseudonym-files"           # the consumer loop's name: <centre>.intake.<GROUP>
_STARTS = {"intake.PersonRegistered", "intake.PersonTransferredIn"}
_ENDS = {"intake.PersonTransferredOut"}
ERASED = "intake.PersonErased"


def file_key(env: Envelope) -> str | None:
    if not env.subject.startswith("person-") or "pseudonym" not in env.data:
        return None
    return f"{env.centre}:{env.data['person_id']}"


def evolve(state: dict[str, Any] | None, env: Envelope) -> dict[str, Any] | None:
    if env.type == ERASED:
        return DROP
    followed = env.type not in _ENDS and (env.type in _STARTS or state is None
                                          or state["followed"])
    return {"pseudonym": env.data["pseudonym"], "centre": env.centre, "followed": followed,
            "strength": env.data.get("pseudonym_strength")}


class PseudonymIndex:
    def __init__(self, collection: Collection, centre: str,
                 mark_seen: Callable[[str], None], tombstones: Tombstones):
        self.collection = collection
        self.centre = centre
        self.mark_seen = mark_seen
        self.erased = tombstones
        self.projection = StreamProjection(collection, evolve, f"intake-{GROUP}",
                                           may_create=self._may_create, key=file_key)

    def ensure_indexes(self) -> None:
        self.collection.create_index("pseudonym")

    def apply(self, envelopes: list[Envelope]) -> None:
        for env in envelopes:          # before the fold: its older events are refused
            if env.type == ERASED and (key := file_key(env)) is not None:
                self.erased.mark(key)
        self.projection.apply(envelopes)

    def _may_create(self, env: Envelope, new: dict[str, Any]) -> bool:
        if file_key(env) in self.erased:
            return False               # an older event of a file erased since
        if env.centre != self.centre:
            self.mark_seen(new["pseudonym"])       # before the index can answer with it
        return True

    def centres(self, pseudonym: str) -> list[str]:
        """Centres currently following this pseudonym, sorted."""
        return sorted({d["centre"] for d in self.collection.find(
            {"pseudonym": pseudonym}, {"centre": 1, "followed": 1}) if d["followed"]})

    def pseudonyms(self):
        """Every pseudonym in the index (the sightings' backfill)."""
        return (d["pseudonym"] for d in self.collection.find({}, {"pseudonym": 1}))
