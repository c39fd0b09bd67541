"""Progress in the convention's trainings: hours credited from partner attendance
("heures de formation"), proof of French level A2, end of orientation (OSP).

Crediting is idempotent by attendance id and order-independent: the state keeps the
credits sorted, so any arrival order folds to the same state.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from shared.messages import DomainEvent

from .commands import CompleteOrientation, CreditHours, ProveFrenchLevel
from .event_names import (FRENCH_LEVEL_PROVEN, HOURS_CORRECTED, HOURS_CREDITED,
                          ORIENTATION_COMPLETED)
from .guards import Problems, require_active, require_convention, violation
from .records import Credit, as_date, iso
from .state import PathwayState
from .vocab import CEFR_LEVELS, FRENCH_EXEMPTION_LEVEL, TRAININGS, level_at_least

MAX_HOURS_PER_ATTENDANCE = 24.0  # a report is one session (one day): more is a data error


def decide_credit_hours(state: PathwayState, command: CreditHours,
                        today: date) -> list[DomainEvent]:
    require_active(state)
    p = Problems()
    p.required("attendance_id", command.attendance_id)
    p.choice("training", command.training, TRAININGS)
    p.required("session_date", command.session_date)
    p.not_future("session_date", command.session_date, today)
    low = 0 if command.correction else 1e-9     # a correction may bring a report to 0
    if isinstance(command.hours, bool) or not isinstance(command.hours, (int, float)) or not (
            low <= command.hours <= MAX_HOURS_PER_ATTENDANCE):
        p.add("hours", f"doit être compris entre 0 (exclu) et {MAX_HOURS_PER_ATTENDANCE:g}",
              f"must be more than 0 and at most {MAX_HOURS_PER_ATTENDANCE:g}")
    p.raise_if_any()
    credit = Credit(command.attendance_id, command.training, float(command.hours),
                    command.session_date)
    if command.correction:
        before = next((c for c in state.credits if c.attendance_id == command.attendance_id),
                      None)
        if before == credit or (before is None and not credit.hours):
            return []
        return [DomainEvent(HOURS_CORRECTED, {
            **credit.to_data(), "previous_hours": before.hours if before else 0.0,
            "previous_session_date": iso(before.session_date) if before else None})]
    if command.attendance_id in state.credited_ids():
        return []  # the same attendance reported again: already counted
    return [DomainEvent(HOURS_CREDITED, credit.to_data())]


def decide_prove_french_level(state: PathwayState, command: ProveFrenchLevel,
                              today: date) -> list[DomainEvent]:
    require_active(state)
    proven_on = command.proven_on or today
    p = Problems()
    p.choice("level", command.level, CEFR_LEVELS)
    p.not_future("proven_on", proven_on, today)
    if command.level in CEFR_LEVELS and not level_at_least(command.level,
                                                           FRENCH_EXEMPTION_LEVEL):
        p.add("level", "seul un niveau A2 ou plus met fin à l'obligation de français",
              "only level A2 or above ends the French requirement")
    p.raise_if_any()
    if state.french_level_proven is not None:
        return []  # already proven: the requirement is over, nothing new to record
    return [DomainEvent(FRENCH_LEVEL_PROVEN, {"level": command.level,
                                              "proven_on": iso(proven_on)})]


def decide_complete_orientation(state: PathwayState, command: CompleteOrientation,
                                today: date) -> list[DomainEvent]:
    require_active(state)
    require_convention(state)
    if state.convention.requirement("osp") is None:
        raise violation("la convention ne prévoit pas d'orientation socioprofessionnelle",
                        "the agreement includes no socio-professional orientation")
    completed_on = command.completed_on or today
    p = Problems()
    p.not_future("completed_on", completed_on, today)
    p.raise_if_any()
    if state.orientation_completed_on is not None:
        return []
    return [DomainEvent(ORIENTATION_COMPLETED, {"completed_on": iso(completed_on)})]


def _on_credited(state: PathwayState, data: dict[str, Any]) -> PathwayState:
    credit = Credit.from_data(data)
    if credit.attendance_id in state.credited_ids():
        return state  # defence in depth: a duplicate in the stream counts once
    credits = sorted(state.credits + (credit,),
                     key=lambda c: (c.session_date, c.attendance_id))
    return replace(state, credits=tuple(credits))


def _on_corrected(state: PathwayState, data: dict[str, Any]) -> PathwayState:
    credit = Credit.from_data({k: data[k] for k in ("attendance_id", "training", "hours",
                                                     "session_date")})
    kept = [c for c in state.credits if c.attendance_id != credit.attendance_id]
    if credit.hours:
        kept.append(credit)
    return replace(state, credits=tuple(sorted(kept, key=lambda c: (c.session_date,
                                                                    c.attendance_id))))


def _on_french(state: PathwayState, data: dict[str, Any]) -> PathwayState:
    return replace(state, french_level_proven=data["level"],
                   french_proven_on=as_date(data["proven_on"]))


def _on_orientation(state: PathwayState, data: dict[str, Any]) -> PathwayState:
    return replace(state, orientation_completed_on=as_date(data["completed_on"]))


HANDLERS = {HOURS_CREDITED: _on_credited, HOURS_CORRECTED: _on_corrected,
            FRENCH_LEVEL_PROVEN: _on_french,
            ORIENTATION_COMPLETED: _on_orientation}
