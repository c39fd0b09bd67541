"""Attendance reports, one stream each ("attendance-<attendance_id>"), as a
`shared.application.Repository` whose state is the report's history (the domain
decides on the events themselves: a report is a fact sent once)."""
from __future__ import annotations

from typing import Iterable

from shared.application import Repository
from shared.messages import DomainEvent
from shared.store.commits import CommitStore


def attendance_stream(attendance_id: str) -> str:
    return f"attendance-{attendance_id}"


def history(events: Iterable[DomainEvent], before: list[DomainEvent] | None
            ) -> list[DomainEvent]:
    return [*(before or []), *events]


def attendances(store: CommitStore) -> Repository[list[DomainEvent]]:
    return Repository(store, attendance_stream, history)
