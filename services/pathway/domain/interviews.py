"""Evaluation interviews ("entretiens d'évaluation"), at least every 6 months after the
convention is signed: attendance, reasons for absence, programme changes, extension need.

The next one is due 6 months after the last interview the person attended (or after
signing). A missed interview does not reset the count. No interview is due once a valid
attestation exists, nor overdue while the clock is suspended (the person may be abroad
or ill) — the latter is a choice, to confirm.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from shared.messages import DomainEvent

from .clock import is_suspended
from .commands import RecordInterview, ScheduleInterview
from .event_names import INTERVIEW_RECORDED, INTERVIEW_SCHEDULED
from .protected import precise, split
from .guards import Problems, require_active, require_convention, violation
from .records import Interview, iso
from .rules import add_months, rules_for
from .state import PathwayState
from .vocab import ABSENCE_REASONS, PROGRAMME_CHANGES, TRAINING_ATTENDANCE


def decide_schedule_interview(state: PathwayState, command: ScheduleInterview,
                              today: date) -> list[DomainEvent]:
    require_active(state)
    require_convention(state)
    p = Problems()
    p.required("interview_id", command.interview_id)
    p.required("scheduled_for", command.scheduled_for)
    p.raise_if_any()
    if _find(state, command.interview_id):
        raise violation("cet entretien existe déjà", "this interview already exists")
    return [DomainEvent(INTERVIEW_SCHEDULED, {
        "interview_id": command.interview_id,
        "scheduled_for": iso(command.scheduled_for)})]


def decide_record_interview(state: PathwayState, command: RecordInterview,
                            today: date) -> list[DomainEvent]:
    require_active(state)
    require_convention(state)
    p = Problems()
    p.required("interview_id", command.interview_id)
    p.required("held_on", command.held_on)
    p.not_future("held_on", command.held_on, today)
    if command.held_on and command.held_on < state.convention.signed_on:
        p.add("held_on", "antérieur à la signature de la convention",
              "before the agreement was signed")
    if not isinstance(command.person_attended, bool):
        p.add("person_attended", "oui ou non", "yes or no")
    if command.training_attendance is not None:
        p.choice("training_attendance", command.training_attendance, TRAINING_ATTENDANCE)
    for code in command.absence_reasons:
        p.choice("absence_reasons", code, ABSENCE_REASONS)
    for code in command.programme_changes:
        p.choice("programme_changes", code, PROGRAMME_CHANGES)
    p.raise_if_any()
    existing = _find(state, command.interview_id)
    if existing and existing.held_on:
        raise violation("cet entretien est déjà enregistré",
                        "this interview is already recorded")
    return [DomainEvent(INTERVIEW_RECORDED, split(INTERVIEW_RECORDED, {
        "interview_id": command.interview_id,
        "held_on": iso(command.held_on),
        "person_attended": command.person_attended,
        "training_attendance": command.training_attendance,
        "absence_reasons": list(command.absence_reasons),
        "programme_changes": list(command.programme_changes),
        "extension_needed": bool(command.extension_needed)}), 2)]


def next_interview_due(state: PathwayState) -> date | None:
    if state.status != "open" or state.convention is None or state.has_valid_attestation:
        return None
    since = max(filter(None, (state.convention.signed_on, state.last_interview_held)))
    return add_months(since, rules_for(state.rule_version).interview_interval_months)


def interview_overdue(state: PathwayState, today: date) -> bool:
    due = next_interview_due(state)
    return due is not None and today > due and not is_suspended(state, today)


def last_interview(state: PathwayState) -> Interview | None:
    held = [i for i in state.interviews if i.held_on]
    return max(held, key=lambda i: i.held_on, default=None)


def _find(state: PathwayState, interview_id: str) -> Interview | None:
    return next((i for i in state.interviews if i.interview_id == interview_id), None)


def _on_scheduled(state: PathwayState, data: dict[str, Any]) -> PathwayState:
    return replace(state, interviews=state.interviews + (Interview.from_data(data),))


def _on_recorded(state: PathwayState, data: dict[str, Any]) -> PathwayState:
    scheduled = _find(state, data["interview_id"])
    scheduled_for = iso(scheduled.scheduled_for) if scheduled else None
    record = Interview.from_data({**precise(data), "scheduled_for": scheduled_for})
    others = tuple(i for i in state.interviews if i.interview_id != data["interview_id"])
    return replace(state, interviews=others + (record,))


HANDLERS = {INTERVIEW_SCHEDULED: _on_scheduled, INTERVIEW_RECORDED: _on_recorded}
