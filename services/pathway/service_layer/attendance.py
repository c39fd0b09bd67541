"""The partners' events a pathway follows: referrals to offers (shown with the pathway)
and hours from the partners' attendance reports ("présences"), credited once per
attendance id — or parked until the person's pathway is open here. A partner's
correction replaces the hours of its report (0 when it turns out to be an absence);
absences and offers outside the convention's trainings credit nothing."""
from __future__ import annotations

from typing import Any

from shared.events.envelope import Envelope

from services.pathway.bootstrap import PathwayServices

from .facts import CREDIT, apply_or_park

ATTENDANCE_RECORDED = "partners.AttendanceRecorded"
ATTENDANCE_CORRECTED = "partners.AttendanceCorrected"


def credit_of(env: Envelope) -> tuple[str, dict[str, Any]] | None:
    """The credit an attendance event asks for (key, data), None when it credits nothing."""
    if env.type not in (ATTENDANCE_RECORDED, ATTENDANCE_CORRECTED):
        return None
    d = env.data
    correction = env.type == ATTENDANCE_CORRECTED
    if not d.get("training") or (not correction and not d["hours"]):
        return None
    key = f"{d['attendance_id']}@{env.sequence}" if correction else d["attendance_id"]
    return key, {"attendance_id": d["attendance_id"], "training": d["training"],
                 "hours": d["hours"], "session_date": str(d["session_date"]),
                 "correction": correction}


def handle(svc: PathwayServices, envelopes: list[Envelope]) -> None:
    """A batch of the partners' events: referrals projected together, then each person's
    credits in their order, in one commit per person (a file of 5,000 rows is a few
    dozen commits, not 5,000)."""
    referrals = [e for e in envelopes if e.type.startswith("partners.Referral")]
    if referrals:
        svc.referrals.apply(referrals)   # shown with the pathway (GET …/referrals)
    credits: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for env in envelopes:
        credit = credit_of(env)
        if credit:
            credits.setdefault(str(env.data["person_id"]), []).append(credit)
    for person_id, facts in credits.items():
        apply_or_park(svc, person_id, CREDIT, facts)
