"""Repositories over the commit store: load -> fold -> (decide) -> append.

Two stream kinds: "pathway-<person_id>" (the pathway aggregate) and
"transfer-<transfer_id>" (the receiver's inbox, or the sender's region messages). The
version and head hash loaded with a stream are what the append expects: a conflict
means someone else wrote first (409, or 412 under If-Match).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Generic, TypeVar

from shared.messages import DomainEvent
from shared.store.commits import CommitStore, Stream

from services.pathway.domain import EMPTY, PathwayState, fold
from services.pathway.domain import event_names as n
from services.pathway.domain.inbox import NO_TRANSFER, IncomingTransfer, fold_inbox

S = TypeVar("S")


@dataclass(frozen=True)
class Loaded(Generic[S]):
    stream: Stream
    state: S

    @property
    def version(self) -> int:
        return self.stream.version

    @property
    def events(self) -> list[DomainEvent]:
        return self.stream.events


def pathway_stream(person_id: str) -> str:
    return f"pathway-{person_id}"


def transfer_stream(transfer_id: str) -> str:
    return f"transfer-{transfer_id}"


def person_of(stream_id: str) -> str | None:
    return stream_id[len("pathway-"):] if stream_id.startswith("pathway-") else None


class _Streams(Generic[S]):
    def __init__(self, store: CommitStore, name: Callable[[str], str],
                 fold_fn: Callable[[list[DomainEvent]], S],
                 on_commit: Callable[[str, S, int], None] | None = None):
        self.store = store
        self.name = name
        self.fold_fn = fold_fn
        self.on_commit = on_commit  # the read model's synchronous update

    def load(self, key: str, up_to: int | None = None) -> Loaded[S]:
        stream = self.store.load(self.name(key))
        if up_to is not None:
            stream = Stream(stream.stream_id, [c for c in stream.commits if c.version <= up_to])
        return Loaded(stream, self.fold_fn(stream.events))

    def append(self, key: str, events: list[DomainEvent], loaded: Loaded[S],
               if_match: bool = False) -> Loaded[S]:
        commit = self.store.append(self.name(key), events, loaded.version,
                                   loaded.stream.head_hash, if_match=if_match)
        stream = Stream(loaded.stream.stream_id, loaded.stream.commits + [commit])
        after = Loaded(stream, self.fold_fn(stream.events))
        if self.on_commit:
            self.on_commit(key, after.state, commit.version)
        return after


class PathwayStreams(_Streams[PathwayState]):
    def __init__(self, store: CommitStore, on_commit=None):
        super().__init__(store, pathway_stream, lambda evs: fold(evs, EMPTY), on_commit)


class TransferStreams(_Streams[IncomingTransfer]):
    """Inbox streams fold to an `IncomingTransfer`; outbound ones are read as raw events."""

    def __init__(self, store: CommitStore, on_commit=None):
        super().__init__(store, transfer_stream, fold_transfer, on_commit)


def fold_transfer(events: list[DomainEvent]) -> IncomingTransfer:
    inbox_types = set(n.INBOX) | {n.TRANSFER_ANSWERED}
    if not events or events[0].type not in inbox_types:
        return NO_TRANSFER  # the sender's outbound stream: no inbox state here
    return fold_inbox(events)
