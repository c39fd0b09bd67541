"""The partners' events a pathway follows: referrals to offers (shown with the pathway)
and hours from the partners' attendance reports ("présences"), credited once per
attendance id — or parked until the person's pathway is open here. A partner's
correction replaces the hours of its report (0 when it turns out to be an absence);
absences and offers outside the convention's trainings credit nothing."""
from __future__ import annotations

from shared.events.envelope import Envelope

from services.pathway.bootstrap import PathwayServices

from .facts import CREDIT, apply_or_park

ATTENDANCE_RECORDED = "partners.AttendanceRecorded"
ATTENDANCE_CORRECTED = "partners.AttendanceCorrected"


def handle(svc: PathwayServices, env: Envelope) -> None:
    if env.type.startswith("partners.Referral"):
        svc.referrals.apply(env)       # shown with the pathway (GET …/referrals)
        return
    if env.type not in (ATTENDANCE_RECORDED, ATTENDANCE_CORRECTED):
        return
    d = env.data
    correction = env.type == ATTENDANCE_CORRECTED
    if not d.get("training") or (not correction and not d["hours"]):
        return
    key = f"{d['attendance_id']}@{env.sequence}" if correction else d["attendance_id"]
    apply_or_park(svc, str(d["person_id"]), CREDIT, key, {
        "attendance_id": d["attendance_id"], "training": d["training"],
        "hours": d["hours"], "session_date": str(d["session_date"]),
        "correction": correction})
