"""PersonState <-> JSON, for the file snapshots. `FORMAT` changes whenever the state's
shape or `evolve` changes meaning: an old snapshot is then rebuilt from the events."""
from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from services.intake.domain.person_state import PersonState

FORMAT = 1
_TUPLES = ("eligibility_history", "transfers")


def dump(state: PersonState) -> dict[str, Any]:
    data = asdict(state)
    data["consents"] = {k: sorted(v) for k, v in state.consents.items()}
    for name in _TUPLES:
        data[name] = list(data[name])
    return data


def load(data: dict[str, Any]) -> PersonState:
    known = {f.name for f in fields(PersonState)}
    values = {k: v for k, v in data.items() if k in known}
    values["consents"] = {k: frozenset(v) for k, v in values.get("consents", {}).items()}
    for name in _TUPLES:
        values[name] = tuple(values.get(name, ()))
    return PersonState(**values)
