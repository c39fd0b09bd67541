"""Partner attendance (« présences déclarées par les opérateurs »): one document per
attendance report, folded from partners' `AttendanceRecorded` (stream per report)."""
from __future__ import annotations

from typing import Any

from shared.events.envelope import Envelope

ATTENDANCE_RECORDED = "partners.AttendanceRecorded"


def evolve(state: dict[str, Any] | None, env: Envelope) -> dict[str, Any] | None:
    if env.type != ATTENDANCE_RECORDED:
        return None
    d = env.data
    return {"centre": env.centre, "person_id": d["person_id"], "training": d["training"],
            "hours": float(d["hours"]), "session_date": d["session_date"]}
