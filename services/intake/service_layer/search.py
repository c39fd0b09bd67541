"""Finding files for the screens: by name over the blind index, or a filtered list."""
from __future__ import annotations

from typing import Any

from services.intake.bootstrap import IntakeRuntime
from services.intake.domain import privacy
from services.intake.domain.person_state import PersonState


def _item(state: PersonState, version: int) -> dict[str, Any]:
    p = state.personal
    return {"person_id": state.person_id, "last_name": p.get("last_name"),
            "first_names": p.get("first_names"), "birth_date": p.get("birth_date"),
            "sex": state.sex, "nationality": state.nationality, "status": state.final_status,
            "commune_nis": state.commune_nis, "registered_on": state.registered_on,
            "version": version}


def full_name(state: PersonState) -> str:
    return f"{state.personal.get('last_name', '')} {state.personal.get('first_names', '')}"


def find(rt: IntakeRuntime, query: str | None, filters: dict[str, Any], page: int,
         page_size: int) -> tuple[list[dict], int]:
    if not query:
        found, total = rt.files.listing(filters, page, page_size)
        return [_item(s, v) for s, v in found], total
    states = [(s, v) for s, v in rt.files.many(sorted(rt.search.candidates(query)))
              if not (s.erased or s.transferred_to)
              and all(getattr(s, k) == v for k, v in _state_filters(filters).items())
              and privacy.name_matches(query, full_name(s))]
    states.sort(key=lambda sv: (privacy.normalise_name(sv[0].personal.get("last_name", "")),
                                privacy.normalise_name(sv[0].personal.get("first_names", ""))))
    chosen = states[(page - 1) * page_size: page * page_size]
    return [_item(s, v) for s, v in chosen], len(states)


def _state_filters(filters: dict[str, Any]) -> dict[str, Any]:
    names = {"status": "final_status", "commune_nis": "commune_nis"}
    return {names[k]: v for k, v in filters.items()}


def index(rt: IntakeRuntime, person_id: str) -> None:
    """Bring the search index in line with the file (worker, after each event)."""
    state = rt.persons.load(person_id).state
    if state.person_id is None or state.erased or state.transferred_to:
        rt.search.remove(person_id)
    else:
        rt.search.index(person_id, full_name(state))
