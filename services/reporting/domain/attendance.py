"""Partner attendance (« présences déclarées par les opérateurs »): one document per
attendance report, folded from partners' `AttendanceRecorded` (stream per report); a
`AttendanceCorrected` replaces its facts. Absences count 0 hours."""
from __future__ import annotations

from typing import Any

from shared.events.envelope import Envelope

ATTENDANCE_RECORDED = "partners.AttendanceRecorded"
ATTENDANCE_CORRECTED = "partners.AttendanceCorrected"


def evolve(state: dict[str, Any] | None, env: Envelope) -> dict[str, Any] | None:
    if env.type not in (ATTENDANCE_RECORDED, ATTENDANCE_CORRECTED):
        return None
    d = env.data
    return {"centre": env.centre, "person_id": d["person_id"],
            "training": d.get("training") or "other", "hours": float(d["hours"]),
            "session_date": str(d["session_date"]), "operator_id": d.get("operator_id"),
            "offer_id": d.get("offer_id")}
