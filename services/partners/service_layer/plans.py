"""Local integration plans: draft, revise, set actions and indicators, adopt, measure,
follow actions, evaluate, open a new version. The coordination manages a plan; an
operator's staff (`partenaire`) edits and follows only the actions its operator leads."""
from __future__ import annotations

from datetime import date
from typing import Any, Callable

from shared.application import Loaded, execute
from shared.auth import Principal
from shared.errors import Forbidden, ValidationFailed
from shared.messages import DomainEvent

from services.partners.bootstrap import PartnersServices
from services.partners.domain import plans as dom

from .access import require_manager, scope


def _run(svc: PartnersServices, plan_id: str, decide: Callable[[Any], list[DomainEvent]],
         if_match: int | None = None) -> Loaded:
    return execute(svc.plans, plan_id, lambda loaded: decide(loaded.state), if_match=if_match)


def known_operators(svc: PartnersServices, operator_ids: list[str], field: str) -> None:
    unknown = sorted({o for o in operator_ids if o and not svc.read_model.get("operators", o)})
    if unknown:
        raise ValidationFailed("opérateur inconnu : " + ", ".join(unknown),
                               message_en="unknown operator",
                               fields={field: ["opérateur inconnu : " + ", ".join(unknown)]})


def plan(svc: PartnersServices, who: Principal, plan_id: str) -> Loaded:
    scope(who)
    loaded = svc.plans.load(plan_id)
    dom.require(loaded.state)
    return loaded


def draft(svc: PartnersServices, who: Principal, content: dict[str, Any]) -> Loaded:
    require_manager(who)
    return _run(svc, content["plan_id"],
                lambda s: dom.decide_draft(s, content, who.subject, svc.today()))


def revise(svc: PartnersServices, who: Principal, plan_id: str, content: dict[str, Any],
           if_match: int | None) -> Loaded:
    require_manager(who)
    content = {**content, "plan_id": plan_id}
    return _run(svc, plan_id, lambda s: dom.decide_revise(s, content, who.subject, svc.today()),
                if_match)


def _own_action(who: Principal, state: Any, action_id: str, lead: str | None) -> None:
    """A partner touches only actions its operator leads, before and after the change."""
    limit = scope(who)
    if limit is None:
        return
    before = ((state or {}).get("actions") or {}).get(action_id)
    if (before is not None and before.get("lead_operator_id") != limit) or lead != limit:
        raise Forbidden("cette action relève d'un autre opérateur",
                        message_en="this action belongs to another operator")


def set_action(svc: PartnersServices, who: Principal, plan_id: str, action: dict[str, Any],
               if_match: int | None = None) -> Loaded:
    if not who.has("coordination", "partenaire"):
        require_manager(who)
    known_operators(svc, [action.get("lead_operator_id"), *action["operators"]], "operators")

    def decide(state):
        _own_action(who, state, action["action_id"], action.get("lead_operator_id"))
        return dom.decide_set_action(state, action, who.subject)
    return _run(svc, plan_id, decide, if_match)


def progress_action(svc: PartnersServices, who: Principal, plan_id: str, action_id: str,
                    status: str) -> Loaded:
    if not who.has("coordination", "partenaire"):
        require_manager(who)

    def decide(state):
        current = ((state or {}).get("actions") or {}).get(action_id) or {}
        _own_action(who, state, action_id, current.get("lead_operator_id"))
        return dom.decide_progress_action(state, action_id, status, who.subject, svc.today())
    return _run(svc, plan_id, decide)


def set_indicator(svc: PartnersServices, who: Principal, plan_id: str,
                  indicator: dict[str, Any], if_match: int | None = None) -> Loaded:
    require_manager(who)
    return _run(svc, plan_id, lambda s: dom.decide_set_indicator(s, indicator), if_match)


def measure(svc: PartnersServices, who: Principal, plan_id: str, indicator_id: str,
            value: float, measured_on: date) -> Loaded:
    require_manager(who)
    return _run(svc, plan_id, lambda s: dom.decide_measure(s, indicator_id, value,
                                                           measured_on, who.subject))


def adopt(svc: PartnersServices, who: Principal, plan_id: str, decision: str,
          if_match: int | None) -> Loaded:
    require_manager(who)
    return _run(svc, plan_id, lambda s: dom.decide_adopt(s, who.subject, svc.today(), decision),
                if_match)


def evaluate(svc: PartnersServices, who: Principal, plan_id: str, summary: str,
             if_match: int | None) -> Loaded:
    require_manager(who)
    return _run(svc, plan_id,
                lambda s: dom.decide_evaluate(s, who.subject, svc.today(), summary), if_match)


def new_version(svc: PartnersServices, who: Principal, plan_id: str, reason: str,
                if_match: int | None) -> Loaded:
    require_manager(who)
    return _run(svc, plan_id,
                lambda s: dom.decide_new_version(s, who.subject, svc.today(), reason), if_match)
