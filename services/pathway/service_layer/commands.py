"""Running one decision against one pathway stream ("pathway-<person_id>").

API calls are checked for visibility (404 unknown, 410 transferred away) and If-Match;
automatic callers (consumers, periodic job) retry a concurrency conflict on fresh state.
"""
from __future__ import annotations

import logging
from typing import Any, Callable

from shared.errors import ConcurrencyError, Gone, NotFound, PreconditionFailed

from services.pathway.adapters.streams import Loaded
from services.pathway.bootstrap import PathwayServices
from services.pathway.domain import PathwayState

log = logging.getLogger(__name__)
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
    return visible(svc.pathways.load(person_id), person_id)


def check_version(loaded: Loaded, if_match: int | None) -> None:
    if if_match is not None and if_match != loaded.version:
        raise PreconditionFailed(
            f"le dossier a changé (version {loaded.version}, vous aviez {if_match}) ; "
            "rechargez-le", message_en=f"record changed (version {loaded.version}, "
            f"you had {if_match}); reload it")


def run_api(svc: PathwayServices, person_id: str, decide: Decide, command: Any,
            if_match: int | None) -> Loaded[PathwayState]:
    """One user command: visible pathway, If-Match checked, no retry (the user reloads)."""
    loaded = load_visible(svc, person_id)
    check_version(loaded, if_match)
    events = decide(loaded.state, command, svc.today())
    if not events:
        return loaded
    return svc.pathways.append(person_id, events, loaded, if_match=if_match is not None)


def run_auto(svc: PathwayServices, person_id: str, decide: Decide, command: Any,
             retries: int = 5) -> Loaded[PathwayState]:
    """One automatic command (a consumed fact, the periodic job): retried on conflict."""
    for attempt in range(retries + 1):
        loaded = svc.pathways.load(person_id)
        events = decide(loaded.state, command, svc.today())
        if not events:
            return loaded
        try:
            return svc.pathways.append(person_id, events, loaded)
        except ConcurrencyError:
            if attempt == retries:
                raise
            log.info("pathway %s changed meanwhile; deciding again", person_id)
    raise AssertionError("unreachable")
