"""Attendance reports (« présences »): one stream per report, "attendance-<attendance_id>".

A report for a referral is keyed by the referral and the session's date, so sending the
same report again (the same CSV uploaded twice) is a no-op. The same key with other facts
is refused (409) unless it is sent as a correction, which supersedes the report: the
pathway's credited hours follow the latest facts.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.errors import DomainRuleViolation, ValidationFailed
from shared.messages import DomainEvent

from .events import ATTENDANCE_CORRECTED, ATTENDANCE_RECORDED

MAX_HOURS = 24.0


@dataclass(frozen=True)
class RecordAttendance:
    attendance_id: str
    person_id: str
    centre: str
    training: str | None
    hours: float
    session_date: date
    operator_id: str | None = None
    present: bool = True
    absence_reason: str | None = None
    referral_id: str | None = None
    offer_id: str | None = None
    agreement_id: str | None = None
    correction: bool = False


def attendance_id(referral_id: str, session_date: date) -> str:
    return f"{referral_id}.{session_date.isoformat()}"


_FACTS = ("person_id", "training", "hours", "present", "absence_reason", "session_date",
          "referral_id")


def _facts(data: dict) -> tuple:
    return tuple(float(data[k]) if k == "hours" else
                 (str(data[k]) if data.get(k) is not None else None) for k in _FACTS)


def current(history: list[DomainEvent]) -> dict | None:
    """The facts in force: the last report or correction."""
    return dict(history[-1].data) if history else None


def check(command: RecordAttendance, today: date) -> None:
    problems: dict[str, list[str]] = {}
    if command.session_date > today:
        problems["session_date"] = ["date dans le futur"]
    if command.present and not (0 < command.hours <= MAX_HOURS):
        problems["hours"] = [f"une présence compte entre 0 (exclu) et {MAX_HOURS:g} heures"]
    if not command.present:
        if command.hours:
            problems["hours"] = ["une absence compte 0 heure"]
        if command.absence_reason is None:
            problems["absence_reason"] = ["motif d'absence requis"]
    elif command.absence_reason is not None:
        problems["absence_reason"] = ["pas de motif d'absence pour une présence"]
    if problems:
        raise ValidationFailed("présence invalide : " + " ; ".join(
            f"{k} : {v[0]}" for k, v in problems.items()),
            message_en="invalid attendance report", fields=problems)


def decide_record_attendance(history: list[DomainEvent], command: RecordAttendance,
                             today: date) -> list[DomainEvent]:
    check(command, today)
    data = {"attendance_id": command.attendance_id, "person_id": command.person_id,
            "centre": command.centre, "training": command.training,
            "hours": float(command.hours), "present": command.present,
            "absence_reason": command.absence_reason,
            "session_date": command.session_date.isoformat(),
            "operator_id": command.operator_id, "referral_id": command.referral_id,
            "offer_id": command.offer_id, "agreement_id": command.agreement_id,
            "recorded_on": today.isoformat()}
    before = current(history)
    if before is None:
        return [DomainEvent(ATTENDANCE_RECORDED, data, version=2)]
    if _facts(before) == _facts(data):
        return []
    if before["person_id"] != data["person_id"]:
        raise DomainRuleViolation(
            f"la présence {command.attendance_id} concerne une autre personne",
            message_en=f"attendance {command.attendance_id} is about another person")
    if not command.correction:
        raise DomainRuleViolation(
            f"la présence {command.attendance_id} est déjà enregistrée avec d'autres "
            "données ; envoyez-la comme correction pour la remplacer",
            message_en=f"attendance {command.attendance_id} already recorded with other "
                       "data; send it as a correction")
    return [DomainEvent(ATTENDANCE_CORRECTED, data)]
