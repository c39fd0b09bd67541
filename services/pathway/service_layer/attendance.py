"""Hours from the partners' attendance reports ("présences"), credited once per
attendance id — or parked until the person's pathway is open here."""
from __future__ import annotations

from shared.events.envelope import Envelope

from services.pathway.bootstrap import PathwayServices

from .facts import CREDIT, apply_or_park

ATTENDANCE_RECORDED = "partners.AttendanceRecorded"


def handle(svc: PathwayServices, env: Envelope) -> None:
    if env.type != ATTENDANCE_RECORDED:
        return
    d = env.data
    apply_or_park(svc, str(d["person_id"]), CREDIT, d["attendance_id"], {
        "attendance_id": d["attendance_id"], "training": d["training"],
        "hours": d["hours"], "session_date": str(d["session_date"])})
