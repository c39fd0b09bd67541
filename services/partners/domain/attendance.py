"""Attendance reports ("présences"): one stream per report, "attendance-<attendance_id>".

A report is a fact sent once; the same report sent again is a no-op, a different one
under the same id is refused (an operator's numbering error).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.errors import DomainRuleViolation, ValidationFailed
from shared.messages import DomainEvent

from .events import ATTENDANCE_RECORDED


@dataclass(frozen=True)
class RecordAttendance:
    attendance_id: str
    person_id: str
    centre: str
    training: str
    hours: float
    session_date: date
    operator_id: str | None = None


def _facts(data: dict) -> tuple:
    return (data["person_id"], data["training"], float(data["hours"]),
            str(data["session_date"]))


def decide_record_attendance(history: list[DomainEvent], command: RecordAttendance,
                             today: date) -> list[DomainEvent]:
    if command.session_date > today:
        raise ValidationFailed("la date de séance ne peut pas être dans le futur",
                               message_en="the session date cannot be in the future",
                               fields={"session_date": ["date dans le futur"]})
    data = {"attendance_id": command.attendance_id, "person_id": command.person_id,
            "centre": command.centre, "training": command.training,
            "hours": float(command.hours), "session_date": command.session_date.isoformat(),
            "operator_id": command.operator_id, "recorded_on": today.isoformat()}
    if history:
        if _facts(history[0].data) == _facts(data):
            return []
        raise DomainRuleViolation(
            f"la présence {command.attendance_id} est déjà enregistrée avec d'autres données",
            message_en=f"attendance {command.attendance_id} already recorded with other data")
    return [DomainEvent(ATTENDANCE_RECORDED, data)]
