"""Folding events into the pathway state: `evolve` for one event, `fold` for a stream.

Live decisions and replay share this path: a command handler folds the stored stream,
decides, then evolves with the new events exactly as a later replay will.
Each feature module owns the handlers of its own events; this module only routes.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

from shared.errors import UnknownEventType
from shared.messages import DomainEvent

from . import (attestation, clock, convention, hours, interviews, opening, receiving,
               reception, transfers, workqueue)
from .event_names import AGGREGATE
from .state import EMPTY, PathwayState

Handler = Callable[[PathwayState, dict[str, Any]], PathwayState]

_MODULES: tuple[dict[str, Handler], ...] = (
    opening.HANDLERS, reception.HANDLERS, convention.HANDLERS, hours.HANDLERS,
    clock.HANDLERS, interviews.HANDLERS, workqueue.HANDLERS, transfers.HANDLERS,
    receiving.HANDLERS, attestation.HANDLERS)
_HANDLERS: dict[str, Handler] = {k: h for handlers in _MODULES for k, h in handlers.items()}
if sum(map(len, _MODULES)) != len(_HANDLERS) or set(_HANDLERS) != set(AGGREGATE):
    raise RuntimeError("every pathway event needs exactly one handler")


def evolve(state: PathwayState, event: DomainEvent) -> PathwayState:
    try:
        handler = _HANDLERS[event.type]
    except KeyError:
        raise UnknownEventType(f"type d'événement inconnu pour le parcours : {event.type}",
                               message_en=f"unknown pathway event type: {event.type}") from None
    return handler(state, event.data)


def fold(events: Iterable[DomainEvent], state: PathwayState = EMPTY) -> PathwayState:
    for event in events:
        state = evolve(state, event)
    return state
