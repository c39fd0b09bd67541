"""The person repository: the file's stream in the commit store, with a snapshot.

`load` trusts the snapshot (`files`) only if no commit exists after its version, and
otherwise replays the stream (by commit id) and refreshes the snapshot; `save` appends
one commit (optimistic concurrency on the stream version, which is the API's ETag)
then writes the snapshot. Loading an erased file finishes an interrupted erasure (the
key is destroyed again, idempotently).
"""
from __future__ import annotations

from dataclasses import dataclass

from shared.events.canonical import GENESIS
from shared.messages import DomainEvent
from shared.store.commits import Commit, CommitStore
from services.intake.adapters import streams
from services.intake.adapters.cipher import person_stream
from services.intake.adapters.files import FileStore
from services.intake.adapters.keys import KeyStore
from services.intake.domain.person_state import PersonState, replay


@dataclass(frozen=True)
class Loaded:
    person_id: str
    state: PersonState
    version: int
    head_hash: str
    last_commit: Commit | None = None      # set by `save`


class PersonRepository:
    def __init__(self, store: CommitStore, keys: KeyStore, files: FileStore):
        self.store = store
        self.keys = keys
        self.files = files

    def empty(self, person_id: str) -> Loaded:
        return Loaded(person_id, PersonState(), 0, GENESIS)

    def load(self, person_id: str) -> Loaded:
        stream = person_stream(person_id)
        snap = self.files.get(person_id)
        if snap and not streams.exists(self.store, stream, snap[1] + 1):
            state, version, head = snap
        else:
            commits = streams.commits_after(self.store, stream)
            state = replay(e for c in commits for e in c.events)
            version = commits[-1].version if commits else 0
            head = commits[-1].hash if commits else GENESIS
            if commits:
                self.files.put(state, version, head)
        if state.erased:
            self.keys.destroy(person_id)
        return Loaded(person_id, state, version, head)

    def history(self, person_id: str) -> list[Commit]:
        """Every commit of the file, decrypted (exports, transfers)."""
        return streams.commits_after(self.store, person_stream(person_id))

    def save(self, loaded: Loaded, events: list[DomainEvent], *, if_match: bool = False,
             meta: dict | None = None) -> Loaded:
        commit = self.store.append(person_stream(loaded.person_id), events, loaded.version,
                                   prev_hash=loaded.head_hash, meta=meta, if_match=if_match)
        state = replay(commit.events, loaded.state)
        if state.erased:
            self.keys.destroy(loaded.person_id)
        self.files.put(state, commit.version, commit.hash)
        return Loaded(loaded.person_id, state, commit.version, commit.hash, commit)
