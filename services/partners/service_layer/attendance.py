"""Recording an attendance report: load its stream, decide, append (`execute`).

The same report sent twice is a no-op (`created` False); a race between two copies is
decided again on what is stored, so the second one sees the first.
"""
from __future__ import annotations

from typing import Any

from shared.application import Loaded, execute
from shared.auth import Principal
from shared.messages import DomainEvent

from services.partners.bootstrap import PartnersServices
from services.partners.domain.attendance import RecordAttendance, decide_record_attendance
from services.partners.service_layer.access import may_report_for, may_touch_report


def record(svc: PartnersServices, who: Principal, report: dict[str, Any]
           ) -> tuple[Loaded[list[DomainEvent]], bool]:
    """The report's stream after the call, and whether this call recorded it."""
    may_report_for(svc, who, report["person_id"])
    command = RecordAttendance(centre=svc.centre, operator_id=who.operator_id, **report)
    decided: list[DomainEvent] = []

    def decide(loaded: Loaded[list[DomainEvent]]) -> list[DomainEvent]:
        may_touch_report(who, loaded.state)
        decided[:] = decide_record_attendance(loaded.state, command, svc.today())
        return decided

    after = execute(svc.attendances, report["attendance_id"], decide)
    return after, bool(decided)
