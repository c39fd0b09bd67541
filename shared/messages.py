"""The domain's unit of change: a named fact with a JSON-able payload.

Domains return lists of `DomainEvent` from their pure `decide` functions; the commit
store validates each against the schema registry and wraps it in a CloudEvents envelope.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DomainEvent:
    """`type` is short and context-qualified, e.g. "intake.PersonRegistered"."""

    type: str
    data: dict[str, Any] = field(default_factory=dict)
    version: int = 1
