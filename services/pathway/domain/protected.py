"""Special-category reasons (GDPR art. 9: health, maternity) never on a shared topic.

A suspension, an extension or an interview's absence for `illness` or `maternity`
travels as the coarse category `motif_protege`; the precise code sits under `personal`,
which the centre's store keeps and the envelope drops from every published message.
The pathway folds the precise code when it has it (its own store), the coarse one else.
"""
from __future__ import annotations

from typing import Any

from .event_names import CLOCK_SUSPENDED, DEADLINE_EXTENDED, INTERVIEW_RECORDED

CATEGORY = "motif_protege"
PROTECTED = frozenset({"illness", "maternity"})
# event type -> the field holding a reason code (or a list of them)
FIELDS = {CLOCK_SUSPENDED: "reason", DEADLINE_EXTENDED: "reason",
          INTERVIEW_RECORDED: "absence_reasons"}


def public(code: str) -> str:
    return CATEGORY if code in PROTECTED else code


def public_choices(choices: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({public(c) for c in choices}))


def split(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """Precise data -> coarse public part + the precise code under `personal` (also the
    v1 -> v2 upcaster: a v1 payload is the precise one)."""
    name = FIELDS[event_type]
    value = data[name]
    coarse = [public(c) for c in value] if isinstance(value, list) else public(value)
    return {**data, name: coarse, "personal": {name: value}}


def precise(data: dict[str, Any]) -> dict[str, Any]:
    """What the pathway folds: the precise code when the payload still has it."""
    return {**data, **(data.get("personal") or {})}
