"""The application core every service uses: load a stream, fold it, decide, append.

    repo = Repository(store, stream_name=lambda pid: f"pathway-{pid}", fold=fold)
    loaded = execute(repo, person_id, lambda state: decide(state, command, today),
                     if_match=request_version)

`Repository.load` reads one stream (one query) and folds it into a `Loaded` aggregate:
the state plus the version and head hash that the next append expects. `execute` is the
one load -> decide -> append loop of the platform:
- with `if_match` (a user command carrying the ETag it read): the version must match
  (412 otherwise), no retry: the user reloads and decides again;
- without (a consumed fact, a periodic job, a command without precondition): on a
  conflict it loads and decides again, up to `retries` times, then fails with a clear
  409 that says to retry.
`decide` returns the new events (an empty list changes nothing) and raises domain errors.
"""
from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Generic, Iterable, TypeVar

from shared.errors import ConcurrencyError, PreconditionFailed
from shared.messages import DomainEvent
from shared.store.commits import Commit, CommitStore, Stream

log = logging.getLogger(__name__)
S = TypeVar("S")

Fold = Callable[[Iterable[DomainEvent], "S | None"], S]


@dataclass(frozen=True)
class Loaded(Generic[S]):
    """One aggregate as loaded: its key, folded state and the commits it came from."""

    key: str
    state: S
    commits: list[Commit] = field(default_factory=list)

    @property
    def stream(self) -> Stream:
        return Stream(self.commits[0].stream_id if self.commits else self.key, self.commits)

    @property
    def version(self) -> int:
        return self.stream.version

    @property
    def head_hash(self) -> str:
        return self.stream.head_hash

    @property
    def events(self) -> list[DomainEvent]:
        return self.stream.events

    @property
    def last_commit(self) -> Commit | None:
        return self.commits[-1] if self.commits else None


class Repository(Generic[S]):
    """A kind of stream in a commit store: name from key, fold, optional hook after commit.

    `fold(events, state)` folds events onto a state (None: the initial state), so a
    commit just written is folded onto what was loaded, without reading the stream again.
    `on_commit(key, loaded)` runs after each append (e.g. a synchronous read model).
    """

    def __init__(self, store: CommitStore, stream_name: Callable[[str], str],
                 fold: Callable[[Iterable[DomainEvent], Any], S],
                 on_commit: Callable[[str, Loaded[S]], None] | None = None):
        self.store = store
        self.stream_name = stream_name
        self.fold = fold
        self.on_commit = on_commit

    def load(self, key: str, up_to: int | None = None) -> Loaded[S]:
        stream = self.store.load(self.stream_name(key), up_to=up_to)
        return Loaded(key, self.fold(stream.events, None), stream.commits)

    def empty(self, key: str) -> Loaded[S]:
        return Loaded(key, self.fold([], None), [])

    def append(self, loaded: Loaded[S], events: list[DomainEvent], *, if_match: bool = False,
               meta: dict[str, Any] | None = None,
               alongside: list[dict[str, Any]] = ()) -> Loaded[S]:
        """`alongside`: see `CommitStore.append` (documents written in the same insert)."""
        commit = self.store.append(self.stream_name(loaded.key), events, loaded.version,
                                   prev_hash=loaded.head_hash, meta=meta, if_match=if_match,
                                   alongside=alongside)
        after = Loaded(loaded.key, self.fold(commit.events, loaded.state),
                       [*loaded.commits, commit])
        if self.on_commit:
            self.on_commit(loaded.key, after)
        return after


def check_version(loaded: Loaded[Any], if_match: int | None) -> None:
    """412 when the caller's ETag is not the aggregate's version."""
    if if_match is not None and if_match != loaded.version:
        raise PreconditionFailed(
            f"le dossier est à la version {loaded.version}, vous aviez la version "
            f"{if_match} ; rechargez-le",
            message_en=f"the record is at version {loaded.version}, you had {if_match}; "
                       "reload it")


def execute(repo: Repository[S], key: str, decide: Callable[[Loaded[S]], list[DomainEvent]],
            *, if_match: int | None = None, retries: int = 5,
            meta: dict[str, Any] | None = None,
            load: Callable[[str], Loaded[S]] | None = None) -> Loaded[S]:
    """Load -> decide -> append, with If-Match (412) or retries on conflict (then 409).

    `decide(loaded)` sees the whole loaded aggregate (state, version, events);
    `load` replaces `repo.load` where a service checks visibility while loading.
    """
    load = load or repo.load
    attempts = 1 if if_match is not None else retries + 1
    for attempt in range(attempts):
        loaded = load(key)
        check_version(loaded, if_match)
        events = decide(loaded)
        if not events:
            return loaded
        try:
            return repo.append(loaded, events, if_match=if_match is not None, meta=meta)
        except PreconditionFailed:
            raise
        except ConcurrencyError:
            if attempt == attempts - 1:
                break
            log.info("stream %s changed meanwhile; deciding again", repo.stream_name(key))
            # jittered backoff: writers racing on one stream (a popular offer's seats)
            # spread out instead of colliding again at once
            time.sleep(random.uniform(0, min(0.05, 0.001 * 2 ** attempt)))
    raise ConcurrencyError(
        f"le dossier a été modifié {attempts} fois pendant l'opération ; réessayez",
        message_en=f"the record changed {attempts} times during the operation; retry")
