"""The regional pseudonym index (« index régional des pseudonymes »), a projection.

Fed by every centre's intake topic: one document per pseudonym,
`{_id: pseudonym, files: {"<centre>:<person_id>": {"centre", "followed", "seq"}}}`, so
"where else is this person followed?" is one `_id` lookup and answers centre ids only,
never another centre's data. Idempotent: each entry remembers the last stream position
(`ce_sequence`) applied; a redelivered or older event is skipped.

`PersonErased` drops the file's entry (and the document once no file is left, so the
pseudonym is gone from the index) and leaves a tombstone without the id
(`shared.store.erasure`): a redelivered older event of that file is then skipped too.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Callable

from pymongo.collection import Collection

from shared import metrics
from shared.events.envelope import Envelope
from shared.store.documents import put
from shared.store.erasure import Tombstones

_STARTS = {"intake.PersonRegistered", "intake.PersonTransferredIn"}
_ENDS = {"intake.PersonTransferredOut"}
ERASED = "intake.PersonErased"
GROUP = "intake-pseudonyms"


class PseudonymIndex:
    """`mark_seen(pseudonym)` is called before the first entry of another centre for a
    pseudonym is written (see `adapters/claims.py`: a registration skips asking the index
    about a pseudonym never sighted)."""

    def __init__(self, collection: Collection, centre: str,
                 mark_seen: Callable[[str], None], tombstones: Tombstones):
        self.collection = collection
        self.centre = centre
        self.mark_seen = mark_seen
        self.erased = tombstones

    def apply(self, envelopes: list[Envelope]) -> None:
        by_pseudonym: dict[str, list[Envelope]] = defaultdict(list)
        for env in envelopes:
            if env.subject.startswith("person-") and "pseudonym" in env.data:
                by_pseudonym[env.data["pseudonym"]].append(env)
        for pseudonym, events in by_pseudonym.items():
            found = self.collection.find_one({"_id": pseudonym})
            doc = found or {"_id": pseudonym, "files": {}}
            foreign = any(e["centre"] != self.centre for e in doc["files"].values())
            changed = False
            for env in events:
                key = f"{env.centre}:{env.data['person_id']}"
                entry = doc["files"].get(key)
                if entry and entry["seq"] >= env.sequence:
                    metrics.DUPLICATES.labels(GROUP).inc()
                    continue
                if env.type == ERASED:
                    self.erased.mark(key)
                    changed = doc["files"].pop(key, None) is not None or changed
                    continue
                if entry is None and key in self.erased:
                    continue   # an older event of a file erased since
                followed = env.type not in _ENDS and (env.type in _STARTS or entry is None
                                                      or entry["followed"])
                doc["files"][key] = {"centre": env.centre, "followed": followed,
                                     "strength": env.data.get("pseudonym_strength"),
                                     "seq": env.sequence}
                changed = True
            if changed and not foreign and any(e["centre"] != self.centre
                                               for e in doc["files"].values()):
                self.mark_seen(pseudonym)          # before the index can answer with it
            if not doc["files"]:
                if found is not None:
                    self.collection.delete_one({"_id": pseudonym})
            elif changed and found is None:
                self.collection.insert_one(doc)    # constant time on FerretDB
            elif changed:
                put(self.collection, {**doc, "_id": pseudonym})

    def centres(self, pseudonym: str) -> list[str]:
        """Centres currently following this pseudonym, sorted."""
        doc = self.collection.find_one({"_id": pseudonym}) or {"files": {}}
        return sorted({e["centre"] for e in doc["files"].values() if e["followed"]})
