"""The pathway's two kinds of stream, as `shared.application.Repository`s.

"pathway-<person_id>" folds to the pathway aggregate; "transfer-<transfer_id>" is the
receiver's inbox item (folded to an `IncomingTransfer`) or, in the sending centre, the
region messages it wrote (read as raw events: no inbox state). Each repository's
`on_commit` keeps the read model in step with the web process's own appends.
"""
from __future__ import annotations

from typing import Callable, Iterable

from shared.application import Loaded, Repository
from shared.messages import DomainEvent
from shared.store.commits import CommitStore

from services.pathway.domain import EMPTY, PathwayState, fold
from services.pathway.domain import event_names as n
from services.pathway.domain.inbox import NO_TRANSFER, IncomingTransfer, evolve_inbox

OnCommit = Callable[[str, Loaded], None]
INBOX_TYPES = frozenset(n.INBOX) | {n.TRANSFER_ANSWERED}


def pathway_stream(person_id: str) -> str:
    return f"pathway-{person_id}"


def transfer_stream(transfer_id: str) -> str:
    return f"transfer-{transfer_id}"


def person_of(stream_id: str) -> str | None:
    return stream_id[len("pathway-"):] if stream_id.startswith("pathway-") else None


def fold_pathway(events: Iterable[DomainEvent], state: PathwayState | None) -> PathwayState:
    return fold(events, state or EMPTY)


def fold_transfer(events: Iterable[DomainEvent],
                  inbox: IncomingTransfer | None = None) -> IncomingTransfer:
    """An inbox starts with the offer recorded; a stream starting otherwise is the
    sender's outbound one and stays `NO_TRANSFER`."""
    inbox = inbox or NO_TRANSFER
    for event in events:
        if inbox.state == "new" and event.type not in INBOX_TYPES:
            return NO_TRANSFER
        inbox = evolve_inbox(inbox, event)
    return inbox


def pathways(store: CommitStore, on_commit: OnCommit | None = None
             ) -> Repository[PathwayState]:
    return Repository(store, pathway_stream, fold_pathway, on_commit)


def transfers(store: CommitStore, on_commit: OnCommit | None = None
              ) -> Repository[IncomingTransfer]:
    return Repository(store, transfer_stream, fold_transfer, on_commit)
