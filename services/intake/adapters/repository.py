"""The person's file: "person-<id>" streams as a `shared.application.Repository`.

Two duties of intake's own on top of load -> fold -> append:
- a file loaded or saved erased finishes an interrupted erasure (the key is destroyed
  again, idempotently);
- a connection dropped in the middle of an append (`ConnectionFailure`: the insert may
  or may not have landed) is settled by `RecoveringStore`: every commit carries its own
  operation id, and if the commit stored at our version carries ours, the append
  succeeded (it is already in the relay's feed) and the command carries on.
"""
from __future__ import annotations

import uuid
from typing import Any

from pymongo.errors import ConnectionFailure

from shared.application import Loaded, Repository
from shared.messages import DomainEvent
from shared.store.commits import Commit, CommitStore
from services.intake.adapters.cipher import person_stream
from shared.store.keys import KeyStore
from services.intake.domain.evolve import replay
from services.intake.domain.person_state import PersonState


class RecoveringStore:
    """A `CommitStore` whose append survives a connection lost mid-insert."""

    def __init__(self, store: CommitStore):
        self.inner = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def append(self, stream_id: str, events: list[DomainEvent], expected_version: int,
               prev_hash: str | None = None, meta: dict[str, Any] | None = None,
               if_match: bool = False, alongside: list[dict[str, Any]] = ()) -> Commit:
        meta = {**(meta or {}), "op": uuid.uuid4().hex}
        try:
            return self.inner.append(stream_id, events, expected_version, prev_hash=prev_hash,
                                     meta=meta, if_match=if_match, alongside=alongside)
        except ConnectionFailure:
            doc = self.inner.find_commit(stream_id, expected_version + 1)
            if doc is None or doc.get("meta", {}).get("op") != meta["op"]:
                raise                                   # not ours: fail as before
            return self.inner.decode(doc)


class PersonRepository(Repository[PersonState]):
    def __init__(self, store: CommitStore, keys: KeyStore):
        super().__init__(RecoveringStore(store), person_stream, replay,
                         on_commit=self._finish_erasure)
        self.keys = keys

    def load(self, key: str, up_to: int | None = None) -> Loaded[PersonState]:
        loaded = super().load(key, up_to)
        self._finish_erasure(key, loaded)
        return loaded

    def _finish_erasure(self, person_id: str, loaded: Loaded[PersonState]) -> None:
        if loaded.state.erased:
            self.keys.destroy(person_id)
