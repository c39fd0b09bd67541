"""The person repository: the file's stream in the commit store, folded into state.

`load` reads the stream by commit id (one `_id` lookup per commit: cheap on FerretDB,
whatever the size of the store) and replays it; `save` appends one commit (optimistic
concurrency on the stream version, which is the API's ETag). Loading an erased file
finishes an interrupted erasure (the key is destroyed again, idempotently).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from pymongo.errors import ConnectionFailure

from shared.events.canonical import GENESIS
from shared.messages import DomainEvent
from shared.store.commits import Commit, CommitStore
from services.intake.adapters import streams
from services.intake.adapters.cipher import person_stream
from services.intake.adapters.keys import KeyStore
from services.intake.domain.person_state import PersonState, replay


@dataclass(frozen=True)
class Loaded:
    person_id: str
    state: PersonState
    commits: list[Commit] = field(default_factory=list)

    @property
    def version(self) -> int:
        return self.commits[-1].version if self.commits else 0

    @property
    def head_hash(self) -> str:
        return self.commits[-1].hash if self.commits else GENESIS

    @property
    def last_commit(self) -> Commit | None:
        return self.commits[-1] if self.commits else None


class PersonRepository:
    def __init__(self, store: CommitStore, keys: KeyStore):
        self.store = store
        self.keys = keys

    def empty(self, person_id: str) -> Loaded:
        return Loaded(person_id, PersonState())

    def load(self, person_id: str) -> Loaded:
        commits = streams.commits_after(self.store, person_stream(person_id))
        state = replay(e for c in commits for e in c.events)
        if state.erased:
            self.keys.destroy(person_id)
        return Loaded(person_id, state, commits)

    def save(self, loaded: Loaded, events: list[DomainEvent], *, if_match: bool = False,
             meta: dict | None = None) -> Loaded:
        stream = person_stream(loaded.person_id)
        meta = {**(meta or {}), "op": uuid.uuid4().hex}
        try:
            commit = self.store.append(stream, events, loaded.version,
                                       prev_hash=loaded.head_hash, meta=meta,
                                       if_match=if_match)
        except ConnectionFailure:
            commit = self._recover(stream, loaded.version + 1, meta)
        state = replay(commit.events, loaded.state)
        if state.erased:
            self.keys.destroy(loaded.person_id)
        return Loaded(loaded.person_id, state, [*loaded.commits, commit])

    def _recover(self, stream: str, version: int, meta: dict) -> Commit:
        """The connection dropped mid-append: if our commit (same op id) is stored, make
        sure it is queued for the relay and carry on; otherwise fail as before."""
        doc = self.store.find_commit(stream, version)
        if doc is None or doc.get("meta", {}).get("op") != meta["op"]:
            raise
        return self.store.decode(doc)
