"""The regional pseudonym index (« index régional des pseudonymes »), a projection.

Fed by every centre's intake topic: one document per (centre, person stream) with the
pseudonym and whether the centre still follows the person. It answers "where else is
this person followed?" with centre ids only, never another centre's data. Idempotent
through `StreamProjection` (each document remembers the last stream position).
"""
from __future__ import annotations

from dataclasses import replace

from pymongo.collection import Collection

from shared.events.envelope import Envelope
from shared.store.projections import StreamProjection

_STARTS = {"intake.PersonRegistered", "intake.PersonTransferredIn"}
_ENDS = {"intake.PersonTransferredOut", "intake.PersonErased"}


def evolve(state: dict | None, env: Envelope) -> dict | None:
    data = env.data
    if "pseudonym" not in data:
        return None
    if env.type in _STARTS or (state is None and env.type not in _ENDS):
        return {"pseudonym": data["pseudonym"], "strength": data["pseudonym_strength"],
                "centre": env.centre, "person_id": data["person_id"], "followed": True}
    if env.type in _ENDS:
        return {**(state or {"pseudonym": data["pseudonym"], "centre": env.centre,
                             "strength": data["pseudonym_strength"],
                             "person_id": data["person_id"]}), "followed": False}
    return None


class PseudonymIndex:
    def __init__(self, collection: Collection):
        self.collection = collection
        self._projection = StreamProjection(collection, evolve, group="intake-pseudonyms")

    def ensure_indexes(self) -> None:
        self.collection.create_index("pseudonym")

    def apply(self, envelopes: list[Envelope]) -> None:
        # Person ids repeat across centres after a transfer: key by centre and stream.
        self._projection.apply([replace(e, subject=f"{e.centre}:{e.subject}")
                                for e in envelopes if e.subject.startswith("person-")])

    def centres(self, pseudonym: str) -> list[str]:
        """Centres currently following this pseudonym, sorted."""
        return sorted({d["centre"] for d in self.collection.find(
            {"pseudonym": pseudonym, "followed": True}, {"centre": 1})})
