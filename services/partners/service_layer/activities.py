"""Integration activities: plan, update, cancel, record participation (counts), link a
followed newcomer. The coordination manages every activity of the centre; an operator's
staff only its own operator's (403 otherwise)."""
from __future__ import annotations

from typing import Any, Callable

from shared.application import Loaded, execute
from shared.auth import Principal
from shared.errors import Forbidden
from shared.messages import DomainEvent

from services.partners.bootstrap import PartnersServices
from services.partners.domain import activities as dom

from .access import require_followed, require_manager, require_operator, scope
from .plans import known_operators


def _require_own(who: Principal, operator_id: str | None) -> None:
    if operator_id is None and scope(who) is not None:    # organised by the centre
        raise Forbidden("cette activité relève du centre, pas de votre opérateur",
                        message_en="this activity belongs to the centre")
    if operator_id is not None:
        require_operator(who, operator_id)


def _run(svc: PartnersServices, who: Principal, activity_id: str,
         decide: Callable[[Any], list[DomainEvent]], if_match: int | None = None) -> Loaded:
    def checked(loaded: Loaded) -> list[DomainEvent]:
        if loaded.state is not None:
            _require_own(who, loaded.state["operator_id"])
        return decide(loaded.state)
    return execute(svc.activities, activity_id, checked, if_match=if_match)


def activity(svc: PartnersServices, who: Principal, activity_id: str) -> Loaded:
    loaded = svc.activities.load(activity_id)
    dom.require(loaded.state)
    _require_own(who, loaded.state["operator_id"])
    return loaded


def _checked_body(svc: PartnersServices, who: Principal, body: dict[str, Any]) -> None:
    _require_own(who, body.get("operator_id"))
    known_operators(svc, [body.get("operator_id"), *body["partners"]], "partners")


def plan(svc: PartnersServices, who: Principal, body: dict[str, Any]) -> Loaded:
    _checked_body(svc, who, body)
    return _run(svc, who, body["activity_id"], lambda s: dom.decide_plan(s, body))


def update(svc: PartnersServices, who: Principal, activity_id: str, body: dict[str, Any],
           if_match: int | None) -> Loaded:
    body = {**body, "activity_id": activity_id}
    _checked_body(svc, who, body)
    return _run(svc, who, activity_id, lambda s: dom.decide_update(s, body), if_match)


def cancel(svc: PartnersServices, who: Principal, activity_id: str) -> Loaded:
    return _run(svc, who, activity_id, lambda s: dom.decide_cancel(s, svc.today()))


def participation(svc: PartnersServices, who: Principal, activity_id: str,
                  counts: dict[str, int]) -> Loaded:
    return _run(svc, who, activity_id,
                lambda s: dom.decide_participation(s, counts, svc.today()))


def link_person(svc: PartnersServices, who: Principal, activity_id: str,
                person_id: str) -> Loaded:
    """Only the centre links a person it follows (the id never leaves the service)."""
    require_manager(who)
    require_followed(svc, person_id)
    return _run(svc, who, activity_id, lambda s: dom.decide_link(s, person_id, svc.today()))
