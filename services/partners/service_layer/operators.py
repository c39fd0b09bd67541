"""Operators and agreements: register, update, sign, amend, terminate, read."""
from __future__ import annotations

from datetime import date
from typing import Any

from shared.application import Loaded, execute
from shared.auth import Principal
from shared.errors import NotFound

from services.partners.bootstrap import PartnersServices
from services.partners.domain import operators as dom
from services.partners.domain.operators import Agreement

from .access import require_manager, require_operator


def register_operator(svc: PartnersServices, who: Principal, body: dict[str, Any]) -> Loaded:
    require_manager(who)
    return execute(svc.operators, body["operator_id"],
                   lambda loaded: dom.decide_register_operator(loaded.state, body))


def update_operator(svc: PartnersServices, who: Principal, operator_id: str,
                    body: dict[str, Any], if_match: int) -> Loaded:
    require_manager(who)
    body = {**body, "operator_id": operator_id}
    return execute(svc.operators, operator_id,
                   lambda loaded: dom.decide_update_operator(loaded.state, body),
                   if_match=if_match)


def operator(svc: PartnersServices, who: Principal, operator_id: str) -> Loaded:
    require_operator(who, operator_id)
    loaded = svc.operators.load(operator_id)
    if loaded.state is None:
        raise NotFound("opérateur inconnu", message_en="unknown operator")
    return loaded


def sign(svc: PartnersServices, who: Principal, terms: dict[str, Any]) -> Loaded:
    require_manager(who)
    op = svc.operators.load(terms["operator_id"]).state
    return execute(svc.agreements, terms["agreement_id"],
                   lambda loaded: dom.decide_sign(loaded.state, terms, op))


def amend(svc: PartnersServices, who: Principal, agreement_id: str, valid_to: date,
          quota: int, if_match: int) -> Loaded:
    require_manager(who)
    return execute(svc.agreements, agreement_id,
                   lambda loaded: dom.decide_amend(loaded.state, valid_to, quota),
                   if_match=if_match)


def terminate(svc: PartnersServices, who: Principal, agreement_id: str,
              if_match: int) -> Loaded:
    require_manager(who)
    return execute(svc.agreements, agreement_id,
                   lambda loaded: dom.decide_terminate(loaded.state, svc.today()),
                   if_match=if_match)


def agreement(svc: PartnersServices, who: Principal, agreement_id: str) -> Loaded:
    loaded = svc.agreements.load(agreement_id)
    if loaded.state is None:
        raise NotFound("convention inconnue", message_en="unknown agreement")
    require_operator(who, loaded.state.operator_id)
    return loaded


def usage(svc: PartnersServices, a: Agreement) -> dict[str, Any]:
    """Use against the quota and, if any, why no new referral may go under it today."""
    used = svc.read_model.agreement_use(a)
    return {"used": used, "remaining": max(0.0, a.quota - used),
            "blocked_reason": a.blocked_reason(svc.today(), used)}
