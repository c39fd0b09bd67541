"""The person repository: the file's stream in the commit store, folded into state.

`load` replays "person-<id>"; `save` appends one commit (optimistic concurrency on the
stream version, which is also the API's ETag) and refreshes the directory entry.
Loading an erased file finishes an interrupted erasure (the key is destroyed again,
idempotently), so a crash between the event and the shredding cannot leave data.
"""
from __future__ import annotations

from dataclasses import dataclass

from shared.messages import DomainEvent
from shared.store.commits import CommitStore, Stream
from services.intake.adapters.cipher import person_stream
from services.intake.adapters.directory import Directory
from services.intake.adapters.keys import KeyStore
from services.intake.domain.person_state import PersonState, replay


@dataclass(frozen=True)
class Loaded:
    state: PersonState
    stream: Stream

    @property
    def version(self) -> int:
        return self.stream.version


class PersonRepository:
    def __init__(self, store: CommitStore, keys: KeyStore, directory: Directory):
        self.store = store
        self.keys = keys
        self.directory = directory

    def load(self, person_id: str) -> Loaded:
        stream = self.store.load(person_stream(person_id))
        state = replay(stream.events)
        if state.erased:
            self.keys.destroy(person_id)
        return Loaded(state, stream)

    def save(self, loaded: Loaded, person_id: str, events: list[DomainEvent], *,
             if_match: bool = False, meta: dict | None = None) -> Loaded:
        commit = self.store.append(person_stream(person_id), events, loaded.version,
                                   prev_hash=loaded.stream.head_hash, meta=meta,
                                   if_match=if_match)
        state = replay(commit.events, loaded.state)
        stream = Stream(loaded.stream.stream_id or person_stream(person_id),
                        [*loaded.stream.commits, commit])
        if state.erased:
            self.keys.destroy(person_id)
        self.directory.record(state, commit.version)
        return Loaded(state, stream)
