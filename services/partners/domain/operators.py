"""Operators (« opérateurs ») and the centre's agreements with them (« conventions »).

An operator stream holds its description (each update the whole new one). An agreement
stream holds its terms; whether it still allows new referrals depends on today's date,
its status and its use against the quota (seats taken or hours followed under it, read
from the read model: see `blocked_reason`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable

from shared.errors import DomainRuleViolation, NotFound, ValidationFailed
from shared.messages import DomainEvent

from . import events as ev


# ---- operators --------------------------------------------------------------------

def fold_operator(events: Iterable[DomainEvent], state: dict[str, Any] | None
                  ) -> dict[str, Any] | None:
    for e in events:
        if e.type in (ev.OPERATOR_REGISTERED, ev.OPERATOR_UPDATED):
            state = dict(e.data)
    return state


def decide_register_operator(state: dict[str, Any] | None,
                             operator: dict[str, Any]) -> list[DomainEvent]:
    if state is not None:
        if state == operator:
            return []
        raise DomainRuleViolation(f"l'opérateur {operator['operator_id']} existe déjà",
                                  message_en="this operator already exists")
    return [DomainEvent(ev.OPERATOR_REGISTERED, operator)]


def decide_update_operator(state: dict[str, Any] | None,
                           operator: dict[str, Any]) -> list[DomainEvent]:
    if state is None:
        raise NotFound("opérateur inconnu", message_en="unknown operator")
    if state == operator:
        return []
    return [DomainEvent(ev.OPERATOR_UPDATED, operator)]


# ---- agreements -------------------------------------------------------------------

@dataclass(frozen=True)
class Agreement:
    agreement_id: str
    operator_id: str
    subject: str
    valid_from: date
    valid_to: date
    quota_kind: str
    quota: int
    funding_ref: str | None
    terminated_on: date | None = None

    def blocked_reason(self, today: date, used: float) -> str | None:
        """Why no new referral may go under this agreement today (French), or None."""
        if self.terminated_on is not None:
            return f"la convention {self.agreement_id} a été résiliée le " \
                   f"{self.terminated_on:%d/%m/%Y}"
        if today < self.valid_from:
            return f"la convention {self.agreement_id} ne commence que le " \
                   f"{self.valid_from:%d/%m/%Y}"
        if today > self.valid_to:
            return f"la convention {self.agreement_id} a expiré le {self.valid_to:%d/%m/%Y}"
        if used >= self.quota:
            unit = "places" if self.quota_kind == "seats" else "heures"
            return f"le quota de la convention {self.agreement_id} est épuisé " \
                   f"({used:g} {unit} utilisées sur {self.quota})"
        return None


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def fold_agreement(events: Iterable[DomainEvent], state: Agreement | None) -> Agreement | None:
    for e in events:
        d = e.data
        if e.type == ev.AGREEMENT_SIGNED:
            state = Agreement(d["agreement_id"], d["operator_id"], d["subject"],
                              _as_date(d["valid_from"]), _as_date(d["valid_to"]),
                              d["quota_kind"], d["quota"], d.get("funding_ref"))
        elif e.type == ev.AGREEMENT_AMENDED and state:
            state = Agreement(**{**state.__dict__, "valid_to": _as_date(d["valid_to"]),
                                 "quota": d["quota"]})
        elif e.type == ev.AGREEMENT_TERMINATED and state:
            state = Agreement(**{**state.__dict__,
                                 "terminated_on": _as_date(d["terminated_on"])})
    return state


def _check_period(valid_from: date, valid_to: date) -> None:
    if valid_to < valid_from:
        raise ValidationFailed("la fin de validité précède son début",
                               message_en="the end of validity is before its start",
                               fields={"valid_to": ["avant le début de validité"]})


def decide_sign(state: Agreement | None, terms: dict[str, Any],
                operator: dict[str, Any] | None) -> list[DomainEvent]:
    if operator is None:
        raise ValidationFailed("opérateur inconnu", message_en="unknown operator",
                               fields={"operator_id": ["opérateur inconnu"]})
    if operator["approval"] != "approved":
        raise DomainRuleViolation(
            f"l'opérateur {operator['name']} n'est pas agréé : pas de convention possible",
            message_en="the operator is not approved")
    _check_period(terms["valid_from"], terms["valid_to"])
    data = {**terms, "valid_from": terms["valid_from"].isoformat(),
            "valid_to": terms["valid_to"].isoformat()}
    if state is not None:
        if fold_agreement([DomainEvent(ev.AGREEMENT_SIGNED, data)], None) == state:
            return []
        raise DomainRuleViolation(f"la convention {terms['agreement_id']} existe déjà",
                                  message_en="this agreement already exists")
    return [DomainEvent(ev.AGREEMENT_SIGNED, data)]


def _require_agreement(state: Agreement | None) -> Agreement:
    if state is None:
        raise NotFound("convention inconnue", message_en="unknown agreement")
    return state


def decide_amend(state: Agreement | None, valid_to: date, quota: int) -> list[DomainEvent]:
    a = _require_agreement(state)
    if a.terminated_on is not None:
        raise DomainRuleViolation("une convention résiliée ne se modifie plus",
                                  message_en="a terminated agreement cannot be amended")
    _check_period(a.valid_from, valid_to)
    if (a.valid_to, a.quota) == (valid_to, quota):
        return []
    return [DomainEvent(ev.AGREEMENT_AMENDED, {"agreement_id": a.agreement_id,
                                               "valid_to": valid_to.isoformat(),
                                               "quota": quota})]


def decide_terminate(state: Agreement | None, today: date) -> list[DomainEvent]:
    a = _require_agreement(state)
    if a.terminated_on is not None:
        return []
    return [DomainEvent(ev.AGREEMENT_TERMINATED, {"agreement_id": a.agreement_id,
                                                  "terminated_on": today.isoformat()})]
