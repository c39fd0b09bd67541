"""Practitioner trainings (« formations des intervenants », mission 5): sessions for the
staff of operators, communes and CPAS, the practitioners registered (professionals, not
newcomers), their attendance by session, hours and evaluations; the certificate.

One stream per training holds it and its registrations, so the capacity holds. Who the
practitioner is (name, organisation, role) is sealed (`adapters/practitioners.py`) and
kept under `personal`: the bus and the region see a registration id and counts only.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Iterable

from shared.errors import DomainRuleViolation, NotFound, ValidationFailed
from shared.messages import DomainEvent

from . import local_events as ev


@dataclass(frozen=True)
class Registration:
    registration_id: str
    operator_id: str | None
    audience: str
    registered_on: str
    sealed: str | None
    status: str = "registered"
    attendance: dict[str, float] = field(default_factory=dict)   # session day -> hours
    evaluation: dict[str, int] | None = None
    erased: bool = False                 # who they were is gone (key destroyed)

    @property
    def hours(self) -> float:
        return float(sum(self.attendance.values()))


@dataclass(frozen=True)
class TrainingState:
    training: dict[str, Any] | None = None
    registrations: dict[str, Registration] = field(default_factory=dict)

    @property
    def registered(self) -> int:
        return sum(1 for r in self.registrations.values() if r.status == "registered")

    @property
    def session_days(self) -> dict[str, float]:
        return {str(s["date"]): float(s["hours"]) for s in (self.training or {}).get(
            "sessions", [])}


def fold(events: Iterable[DomainEvent], state: TrainingState | None) -> TrainingState:
    s = state or TrainingState()
    for e in events:
        d = e.data
        regs = s.registrations
        if e.type == ev.TRAINING_SCHEDULED:
            s = replace(s, training=dict(d))
        elif e.type == ev.PRACTITIONER_REGISTERED:
            sealed = (d.get("personal") or {}).get("sealed")
            s = replace(s, registrations={**regs, d["registration_id"]: Registration(
                d["registration_id"], d.get("operator_id"), d["audience"], str(d["on"]),
                sealed)})
        elif e.type == ev.PRACTITIONER_UNREGISTERED and d["registration_id"] in regs:
            s = replace(s, registrations={**regs, d["registration_id"]: replace(
                regs[d["registration_id"]], status="cancelled")})
        elif e.type == ev.PRACTITIONER_ATTENDED and d["registration_id"] in regs:
            r = regs[d["registration_id"]]
            att = {**r.attendance, str(d["session_date"]): float(d["hours"])}
            s = replace(s, registrations={**regs, r.registration_id: replace(
                r, attendance=att)})
        elif e.type == ev.PRACTITIONER_ERASED and d["registration_id"] in regs:
            s = replace(s, registrations={**regs, d["registration_id"]: replace(
                regs[d["registration_id"]], sealed=None, erased=True)})
        elif e.type == ev.PRACTITIONER_EVALUATED and d["registration_id"] in regs:
            r = regs[d["registration_id"]]
            s = replace(s, registrations={**regs, r.registration_id: replace(
                r, evaluation={"satisfaction": d["satisfaction"],
                               "usefulness": d["usefulness"]})})
    return s


def require(state: TrainingState) -> dict[str, Any]:
    if state.training is None:
        raise NotFound("formation inconnue", message_en="unknown training")
    return state.training


def registration(state: TrainingState, registration_id: str) -> Registration:
    require(state)
    r = state.registrations.get(registration_id)
    if r is None:
        raise NotFound("inscription inconnue", message_en="unknown registration")
    return r


def decide_schedule(state: TrainingState, training: dict[str, Any]) -> list[DomainEvent]:
    days = [s["date"] for s in training["sessions"]]
    if len(days) != len(set(days)):
        raise ValidationFailed("deux séances le même jour", message_en="duplicate session day",
                               fields={"sessions": ["jour en double"]})
    data = {**training, "sessions": [{"date": s["date"].isoformat(), "hours": float(s["hours"])}
                                     for s in sorted(training["sessions"],
                                                     key=lambda s: s["date"])]}
    if state.training is not None:
        if state.training == data:
            return []
        raise DomainRuleViolation(f"la formation {training['training_id']} existe déjà",
                                  message_en="this training already exists")
    return [DomainEvent(ev.TRAINING_SCHEDULED, data)]


def decide_register(state: TrainingState, registration_id: str, operator_id: str | None,
                    audience: str, sealed: str, today: date) -> list[DomainEvent]:
    t = require(state)
    if registration_id in state.registrations:
        return []
    if audience not in t["audiences"]:
        raise DomainRuleViolation("cette formation ne s'adresse pas à ce public",
                                  message_en="this training is not for this audience")
    if state.registered >= t["capacity"]:
        raise DomainRuleViolation(f"la formation est complète ({t['capacity']} places)",
                                  message_en="the training is full")
    return [DomainEvent(ev.PRACTITIONER_REGISTERED, {
        "training_id": t["training_id"], "registration_id": registration_id,
        "operator_id": operator_id, "audience": audience, "on": today.isoformat(),
        "personal": {"sealed": sealed}})]


def decide_unregister(state: TrainingState, registration_id: str, today: date
                      ) -> list[DomainEvent]:
    r = registration(state, registration_id)
    if r.status == "cancelled":
        return []
    if r.attendance:
        raise DomainRuleViolation("des présences sont enregistrées : la désinscription n'est "
                                  "plus possible", message_en="attendance already recorded")
    return [DomainEvent(ev.PRACTITIONER_UNREGISTERED, {
        "training_id": state.training["training_id"], "registration_id": registration_id,
        "on": today.isoformat()})]


def decide_erase(state: TrainingState, registration_id: str, today: date
                 ) -> list[DomainEvent]:
    """The practitioner's right to erasure: recorded once (then the key is destroyed);
    the registration's hours, attendance and evaluation stay, anonymous."""
    r = registration(state, registration_id)
    if r.erased:
        return []
    return [DomainEvent(ev.PRACTITIONER_ERASED, {
        "training_id": state.training["training_id"], "registration_id": registration_id,
        "on": today.isoformat()})]


def decide_attend(state: TrainingState, registration_id: str, session_date: date,
                  present: bool, today: date) -> list[DomainEvent]:
    r = registration(state, registration_id)
    if r.status == "cancelled":
        raise DomainRuleViolation("inscription annulée", message_en="cancelled registration")
    day = session_date.isoformat()
    if day not in state.session_days:
        raise ValidationFailed(f"le {session_date:%d/%m/%Y} n'est pas une séance de cette "
                               "formation", message_en="not a session of this training",
                               fields={"session_date": ["pas une séance de la formation"]})
    if session_date > today:
        raise ValidationFailed("une présence se déclare après la séance",
                               message_en="the session has not taken place",
                               fields={"session_date": ["séance à venir"]})
    hours = state.session_days[day] if present else 0.0
    if r.attendance.get(day) == hours:
        return []
    return [DomainEvent(ev.PRACTITIONER_ATTENDED, {
        "training_id": state.training["training_id"], "registration_id": registration_id,
        "session_date": day, "hours": hours, "present": present})]


def decide_evaluate(state: TrainingState, registration_id: str, satisfaction: int,
                    usefulness: int, today: date) -> list[DomainEvent]:
    r = registration(state, registration_id)
    if not r.hours:
        raise DomainRuleViolation("seul un intervenant qui a suivi la formation l'évalue",
                                  message_en="only a practitioner who attended evaluates")
    if r.evaluation == {"satisfaction": satisfaction, "usefulness": usefulness}:
        return []
    return [DomainEvent(ev.PRACTITIONER_EVALUATED, {
        "training_id": state.training["training_id"], "registration_id": registration_id,
        "satisfaction": satisfaction, "usefulness": usefulness, "on": today.isoformat()})]


def require_certifiable(state: TrainingState, registration_id: str) -> Registration:
    r = registration(state, registration_id)
    if r.status == "cancelled" or not r.hours:
        raise DomainRuleViolation("pas d'attestation sans présence à la formation",
                                  message_en="no certificate without attendance")
    return r
