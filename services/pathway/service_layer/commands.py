"""Running one decision against one pathway stream ("pathway-<person_id>").

Both go through `shared.application.execute`. API calls see only visible pathways
(404 unknown, 410 transferred away) and carry If-Match (412, no retry); automatic
callers (consumers, the periodic job) decide again on fresh state after a conflict.
"""
from __future__ import annotations

from typing import Any, Callable

from shared.application import Loaded, execute
from shared.errors import Gone, NotFound

from services.pathway.bootstrap import PathwayServices
from services.pathway.domain import PathwayState

Decide = Callable[[PathwayState, Any, Any], list]


class Transferred(Gone):
    """The person's pathway went to another centre: here only a forwarding record stays."""

    slug = "transferred"
    title = "Parcours transféré"


def visible(loaded: Loaded[PathwayState], person_id: str) -> Loaded[PathwayState]:
    """What an API caller may see: refuses unknown people and forwarding records."""
    state = loaded.state
    if state.status == "new":
        raise NotFound("aucun parcours pour cette personne dans ce centre",
                       message_en="no pathway for this person in this centre")
    if state.status == "transferred":
        raise Transferred(f"parcours transféré vers {state.forwarded_to}",
                          message_en=f"pathway transferred to {state.forwarded_to}",
                          extra={"forwarded_to": state.forwarded_to, "person_id": person_id})
    return loaded


def load_visible(svc: PathwayServices, person_id: str) -> Loaded[PathwayState]:
    if person_id in svc.read_model.erased:
        raise Gone("les données de cette personne ont été effacées",
                   message_en="this person's data was erased")
    return visible(svc.pathways.load(person_id), person_id)


def run_api(svc: PathwayServices, person_id: str, decide: Decide, command: Any,
            if_match: int | None) -> Loaded[PathwayState]:
    """One user command on a visible pathway, If-Match checked (the user reloads)."""
    return execute(svc.pathways, person_id,
                   lambda loaded: decide(loaded.state, command, svc.today()),
                   if_match=if_match, load=lambda key: load_visible(svc, key))


def run_auto(svc: PathwayServices, person_id: str, decide: Decide,
             command: Any) -> Loaded[PathwayState]:
    """One automatic command (a consumed fact, the periodic job): retried on conflict."""
    return execute(svc.pathways, person_id,
                   lambda loaded: decide(loaded.state, command, svc.today()))
