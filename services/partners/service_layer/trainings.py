"""Practitioner trainings: schedule (coordination), register practitioners (the
coordination, or an operator's staff for its own people), record attendance and
evaluations (coordination), and the training certificate (PDF)."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Any, Callable

from shared.application import Loaded, execute
from shared.auth import Principal
from shared.errors import Forbidden, NotFound
from shared.messages import DomainEvent

from services.partners.adapters import certificate
from services.partners.bootstrap import PartnersServices
from services.partners.domain import trainings as dom
from services.partners.domain.local_vocab import CENTRE_NAMES, TRAINING_THEMES
from services.partners.domain.trainings import TrainingState

from .access import require_manager, require_operator, scope
from .plans import known_operators

RETRIES = 40    # registrations racing for the last places of a popular session


def _run(svc: PartnersServices, training_id: str,
         decide: Callable[[TrainingState], list[DomainEvent]]) -> Loaded[TrainingState]:
    return execute(svc.trainings, training_id, lambda loaded: decide(loaded.state),
                   retries=RETRIES)


def training(svc: PartnersServices, who: Principal, training_id: str) -> Loaded[TrainingState]:
    scope(who)
    loaded = svc.trainings.load(training_id)
    dom.require(loaded.state)
    return loaded


def schedule(svc: PartnersServices, who: Principal, body: dict[str, Any]) -> Loaded:
    require_manager(who)
    return _run(svc, body["training_id"], lambda s: dom.decide_schedule(s, body))


def register(svc: PartnersServices, who: Principal, training_id: str, body: dict[str, Any]
             ) -> tuple[Loaded[TrainingState], str]:
    """A partner registers its own operator's staff only."""
    limit = scope(who)
    operator_id = body.get("operator_id")
    if limit is not None:
        require_operator(who, operator_id or "")
    known_operators(svc, [operator_id], "operator_id")
    dom.require(svc.trainings.load(training_id).state)
    rid = body.get("registration_id") or uuid.uuid4().hex
    sealed = svc.practitioners.seal(training_id, rid, {
        "name": body["name"], "organisation": body["organisation"], "role": body["role"]})
    loaded = _run(svc, training_id, lambda s: dom.decide_register(
        s, rid, operator_id, body["audience"], sealed, svc.today()))
    return loaded, rid


def _registration(svc: PartnersServices, who: Principal, training_id: str,
                  registration_id: str) -> dom.Registration:
    loaded = training(svc, who, training_id)
    r = dom.registration(loaded.state, registration_id)
    limit = scope(who)
    if limit is not None and r.operator_id != limit:
        raise Forbidden("cette inscription relève d'un autre opérateur",
                        message_en="this registration belongs to another operator")
    return r


def registration(svc: PartnersServices, who: Principal, training_id: str,
                 registration_id: str) -> dict[str, Any]:
    r = _registration(svc, who, training_id, registration_id)
    person = svc.practitioners.open(training_id, registration_id, r.sealed) or {}
    return {**{k: v for k, v in r.__dict__.items() if k != "sealed"}, "hours": r.hours,
            "training_id": training_id, "name": person.get("name"),
            "organisation": person.get("organisation"), "role": person.get("role"),
            "erased": r.erased or not person}


def erase(svc: PartnersServices, who: Principal, training_id: str,
          registration_id: str) -> Loaded:
    """The data protection officer erases a practitioner: the erasure is recorded in the
    training's stream, then the registration's data key is destroyed (again, harmlessly,
    when a first attempt stopped between the two)."""
    if not who.has("dpo"):
        raise Forbidden("réservé au délégué à la protection des données",
                        message_en="reserved to the data protection officer")
    loaded = _run(svc, training_id,
                  lambda s: dom.decide_erase(s, registration_id, svc.today()))
    svc.practitioners.forget(registration_id)
    return loaded


def unregister(svc: PartnersServices, who: Principal, training_id: str,
               registration_id: str) -> Loaded:
    _registration(svc, who, training_id, registration_id)
    return _run(svc, training_id,
                lambda s: dom.decide_unregister(s, registration_id, svc.today()))


def attend(svc: PartnersServices, who: Principal, training_id: str, registration_id: str,
           session_date: date, present: bool) -> Loaded:
    require_manager(who)
    return _run(svc, training_id, lambda s: dom.decide_attend(
        s, registration_id, session_date, present, svc.today()))


def evaluate(svc: PartnersServices, who: Principal, training_id: str, registration_id: str,
             satisfaction: int, usefulness: int) -> Loaded:
    require_manager(who)
    return _run(svc, training_id, lambda s: dom.decide_evaluate(
        s, registration_id, satisfaction, usefulness, svc.today()))


def certificate_pdf(svc: PartnersServices, who: Principal, training_id: str,
                    registration_id: str) -> bytes:
    _registration(svc, who, training_id, registration_id)
    state = svc.trainings.load(training_id).state
    r = dom.require_certifiable(state, registration_id)
    person = svc.practitioners.open(training_id, registration_id, r.sealed)
    if person is None:
        raise NotFound("les données de cet intervenant ont été effacées",
                       message_en="this practitioner was erased")
    t = state.training
    return certificate.render(
        centre_name=CENTRE_NAMES.get(svc.centre, svc.centre.upper()), training=t,
        theme_label=TRAINING_THEMES[t["theme"]], practitioner=person,
        attendance=r.attendance, issued_on=svc.today().isoformat(),
        number=f"{svc.centre.upper()}-{training_id}-{registration_id}"[:120])
