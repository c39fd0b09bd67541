"""The pathway read model: what lists, work queues, transfers and verification read.

Collections: `pathways` (one document per person: summary fields for equality filters
plus the whole folded state), `transfers` (outgoing ones from the pathway state,
incoming ones from the inbox streams) and `attestations` (by number, for the public
verification). Every document is a pure function of one stream at one version, so the
web process writes it right after its own append (read-your-writes), the worker
rewrites it from the store after each published event (repairing a crash between
append and write), and a replay rebuilds exactly the same documents. A document never
goes back to an older version (checked before writing; a lost race is repaired by the
worker's next pass).
"""
from __future__ import annotations

from itertools import groupby
from typing import Any, Iterable, Iterator

from pymongo.database import Database

from shared.application import Loaded
from shared.store.commits import CommitStore
from shared.store.documents import get_many, put_many

from services.pathway.domain import EMPTY, PathwayState, fold
from services.pathway.domain.inbox import IncomingTransfer
from services.pathway.domain.records import iso

from . import state_codec
from .streams import fold_transfer, person_of


class ReadModel:
    def __init__(self, db: Database):
        self.pathways = db["pathways"]
        self.transfers = db["transfers"]
        self.attestations = db["attestations"]

    def ensure_indexes(self) -> None:
        self.pathways.create_index("status")
        self.transfers.create_index("direction")

    # -- writing ---------------------------------------------------------------
    def project_pathway(self, person_id: str, state: PathwayState, version: int) -> None:
        if state.status == "new":
            return
        self._write(self.pathways, [pathway_doc(person_id, state, version)])
        self._write(self.transfers, [outgoing_doc(person_id, t, version)
                                     for t in state.transfers])
        self._write(self.attestations, [attestation_doc(person_id, a, version)
                                        for a in state.attestations])

    def project_transfer(self, transfer_id: str, inbox: IncomingTransfer, version: int) -> None:
        if inbox.state != "new":
            self._write(self.transfers, [incoming_doc(inbox, version)])

    def on_pathway_commit(self, person_id: str, loaded: Loaded[PathwayState]) -> None:
        """The pathway repository's hook: read-your-writes after the web's own append."""
        self.project_pathway(person_id, loaded.state, loaded.version)

    def on_transfer_commit(self, transfer_id: str, loaded: Loaded[IncomingTransfer]) -> None:
        self.project_transfer(transfer_id, loaded.state, loaded.version)

    @staticmethod
    def _write(collection, docs: list[dict[str, Any]]) -> None:
        """Each document by `_id` (no `$in`, no bulk write: both scan on FerretDB),
        never over a newer version."""
        current = get_many(collection, [d["_id"] for d in docs], {"version": 1})
        put_many(collection, [d for d in docs
                              if current.get(d["_id"], {}).get("version", 0) <= d["version"]])

    def refresh(self, store: CommitStore, stream_id: str) -> None:
        """Rewrite one stream's documents from the store (the worker's repair pass)."""
        self._project_stream(stream_id, store.load(stream_id).commits)

    def rebuild(self, store: CommitStore) -> int:
        """Project every stream of `store` (replay into an empty read model)."""
        count = 0
        for stream_id, commits in groupby(store.read_all(), key=lambda c: c.stream_id):
            self._project_stream(stream_id, list(commits))
            count += 1
        return count

    def _project_stream(self, stream_id: str, commits: list) -> None:
        if not commits:
            return
        events = [e for c in commits for e in c.events]
        person = person_of(stream_id)
        if person is not None:
            self.project_pathway(person, fold(events, EMPTY), commits[-1].version)
        elif stream_id.startswith("transfer-"):
            self.project_transfer(stream_id[len("transfer-"):], fold_transfer(events),
                                  commits[-1].version)

    # -- reading ---------------------------------------------------------------
    def pathway_docs(self, **equal: Any) -> Iterator[dict[str, Any]]:
        query = {k: v for k, v in equal.items() if v is not None}
        return iter(self.pathways.find(query).sort("_id", 1))

    def states(self, **equal: Any) -> Iterator[tuple[dict[str, Any], PathwayState]]:
        for doc in self.pathway_docs(**equal):
            yield doc, state_codec.decode(doc["state"])

    def transfer_docs(self, direction: str) -> list[dict[str, Any]]:
        return list(self.transfers.find({"direction": direction}).sort("_id", 1))

    def transfer_doc(self, direction: str, transfer_id: str) -> dict[str, Any] | None:
        return self.transfers.find_one({"_id": f"{direction}:{transfer_id}"})

    def attestation(self, number: str) -> dict[str, Any] | None:
        return self.attestations.find_one({"_id": number})

    def documents(self) -> Iterable[tuple[str, dict[str, Any]]]:
        """Every document, for comparisons (replay tests)."""
        for coll in (self.pathways, self.transfers, self.attestations):
            for doc in coll.find().sort("_id", 1):
                yield coll.name, doc


def pathway_doc(person_id: str, state: PathwayState, version: int) -> dict[str, Any]:
    return {"_id": person_id, "version": version, "person_id": person_id,
            "pseudonym": state.pseudonym, "centre": state.centre, "status": state.status,
            "eligibility": state.eligibility_status, "opened_on": iso(state.opened_on),
            "forwarded_to": state.forwarded_to, "state": state_codec.encode(state)}


def outgoing_doc(person_id: str, t, version: int) -> dict[str, Any]:
    return {"_id": f"out:{t.transfer_id}", "version": version, "direction": "out",
            "transfer_id": t.transfer_id, "person_id": person_id,
            "from_centre": t.from_centre, "to_centre": t.to_centre, "trigger": t.trigger,
            "proposed_on": iso(t.proposed_on), "state": t.state,
            "closed_on": iso(t.closed_on), "reason": t.reason}


def incoming_doc(inbox: IncomingTransfer, version: int) -> dict[str, Any]:
    return {"_id": f"in:{inbox.transfer_id}", "version": version, "direction": "in",
            "transfer_id": inbox.transfer_id, "person_id": inbox.person_id,
            "from_centre": inbox.from_centre, "to_centre": inbox.to_centre,
            "trigger": inbox.trigger, "proposed_on": iso(inbox.proposed_on),
            "recorded_on": iso(inbox.recorded_on), "preview": inbox.preview,
            "state": inbox.state, "answered_on": iso(inbox.answered_on),
            "reason": inbox.reason, "closed_on": iso(inbox.closed_on)}


def attestation_doc(person_id: str, a, version: int) -> dict[str, Any]:
    return {"_id": a.number, "version": version, "number": a.number,
            "person_id": person_id, "centre": a.centre, "issued_on": iso(a.issued_on),
            "holder_initials": a.holder_initials,
            "status": "valid" if a.valid else "revoked", "revoked_on": iso(a.revoked_on),
            "revocation_reason": a.revocation_reason}
