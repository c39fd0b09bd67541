"""Folding events into the person's file: `evolve` for one event, `replay` for a stream.

Each feature module owns the handlers of its own events (`person_state`: the file's,
`transfer_state`: the transfers'); this module only routes, so neither imports the
other. Every event type of the person stream has exactly one handler (checked here,
at import).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable, Iterable

from shared.messages import DomainEvent

from . import person_state, transfer_state
from .events import EVENT_SCHEMAS
from .person_state import PersonState
from .transfer_events import TRANSFER_EVENT_SCHEMAS

Handler = Callable[[PersonState, dict[str, Any], dict[str, Any]], PersonState]

_MODULES: tuple[dict[str, Handler], ...] = (person_state.HANDLERS, transfer_state.HANDLERS)
_HANDLERS: dict[str, Handler] = {k: h for handlers in _MODULES for k, h in handlers.items()}
if sum(map(len, _MODULES)) != len(_HANDLERS) or \
        set(_HANDLERS) != set(EVENT_SCHEMAS) | set(TRANSFER_EVENT_SCHEMAS):
    raise RuntimeError("every intake person event needs exactly one handler")


def evolve(state: PersonState, event: DomainEvent) -> PersonState:
    """Apply one event; unknown types are a programming error (the registry rejects them)."""
    apply = _HANDLERS.get(event.type)
    if apply is None:
        raise ValueError(f"not an intake person event: {event.type}")
    new = apply(state, event.data, event.data.get("personal") or {})
    return replace(new, version=state.version + 1)


def replay(events: Iterable[DomainEvent], state: PersonState | None = None) -> PersonState:
    for event in events:
        state = evolve(state or PersonState(), event)
    return state or PersonState()
