"""Reporting's partner figures: offers, referrals and attendance (with corrections)
projected per centre, then the referral, seat, wait and operator-hours tables."""
from __future__ import annotations

from datetime import date

from services.reporting.consumers.projector import Projector
from services.reporting.domain import partner_tables as pt
from services.reporting.domain.publication import Snapshot, publish
from tests.unit.reporting.events import FakeDb, env

P = "partners."


def ref(kind: str, rid: str, person: str, on: str, **extra):
    return env("cripel", "partners", P + kind, "offer-fle-a1", {
        "referral_id": rid, "offer_id": "fle-a1", "operator_id": "fle", "person_id": person,
        "kind": "french", "on": on, **extra})


def attendance(aid: str, person: str, hours: float, kind: str = "AttendanceRecorded"):
    return env("cripel", "partners", P + kind, f"attendance-{aid}", {
        "attendance_id": aid, "person_id": person, "centre": "cripel", "training": "french",
        "hours": hours, "present": hours > 0, "absence_reason": None,
        "session_date": "2026-03-02", "operator_id": "fle", "referral_id": aid[:3],
        "offer_id": "fle-a1", "agreement_id": "c-1", "recorded_on": "2026-03-03"})


def events():
    out = [env("cripel", "partners", P + "OperatorRegistered", "operator-fle", {
        "operator_id": "fle", "name": "FLE Liège", "type": "association", "bce": None,
        "approval": "approved", "communes": ["62063"]}),
        env("cripel", "partners", P + "OfferPublished", "offer-fle-a1", {
            "offer_id": "fle-a1", "operator_id": "fle", "agreement_id": "c-1", "title": "A1",
            "kind": "french", "level": "A1", "language": "fr", "commune_nis": "62063",
            "capacity": 6, "sessions": [], "published_on": "2026-02-01"})]
    for n in range(8):
        out.append(ref("ReferralProposed", f"r{n}", f"p{n}", "2026-02-02",
                       agreement_id="c-1", purpose="training", consent=False))
    for n in range(6):
        out.append(ref("ReferralAccepted", f"r{n}", f"p{n}", "2026-02-03"))
    for n in (6, 7):
        out.append(ref("ReferralWaitlisted", f"r{n}", f"p{n}", "2026-02-03", position=n - 5))
    out.append(ref("ReferralDroppedOut", "r0", "p0", "2026-02-10", reason="moved"))
    out.append(ref("ReferralPromoted", "r6", "p6", "2026-02-10"))
    for n in range(6):
        out.append(attendance(f"r{n}.2026-03-02", f"p{n}", 3.0))
    out.append(attendance("r1.2026-03-02", "p1", 1.0, kind="AttendanceCorrected"))
    return out


def test_offers_referrals_and_corrected_hours_reach_the_tables():
    db = FakeDb()
    Projector(db, clock=lambda: "2026-03-04T10:00:00+00:00")(events())
    snap = Snapshot(attendance=list(db["attendance"].find({})),
                    offers=list(db["offers"].find({})), operators=list(db["operators"].find({})))
    [offer] = snap.offers
    statuses = {r["id"]: r["status"] for r in offer["referrals"]}
    assert statuses["r0"] == "dropped_out" and statuses["r6"] == "accepted"
    assert statuses["r7"] == "waitlisted"

    seats = pt.seats_table(snap.offers, 2026)
    col = [k for k, _ in seats.columns].index("cripel")
    assert [row[col] for row in seats.values[:3]] == [6.0, 6.0, 1.0]   # offered, taken, waiting

    hours = pt.operator_hours_table(snap.attendance, snap.operators, 2026)
    assert hours.rows == [("cripel:fle", "FLE Liège (" + hours.columns[col][1] + ")")]
    assert hours.values[0][col] == 3.0 * 5 + 1.0                    # the correction replaced 3

    wait = pt.wait_table(snap.offers, 2026, today=date(2026, 3, 4))
    assert wait.values[0][col] == (7 + 29) / 2                      # 7 days, and 29 still waiting

    tables = publish(snap, 2026, k=5, today=date(2026, 3, 4))
    referrals = tables[pt.REFERRALS]
    row = [k for k, _ in referrals.table.rows].index("accepted")
    assert referrals.table.values[row][col] == 6.0                  # r1..r5, and r6 promoted
    dropped = [k for k, _ in referrals.table.rows].index("dropped_out")
    assert (dropped, col) in referrals.hidden                       # one person: suppressed
