"""Two centres, real stores, the real encoding of region messages (see `pump`)."""
from __future__ import annotations

import uuid

import pytest

from services.pathway.domain import event_names as n

from . import facts
from .harness import follow, pump

pytestmark = pytest.mark.infra


def _followed(c, person, hours=(20.0, 20.0)):
    return follow(c, person, deadline="2028-06-01", rule_version="2025-v1", hours=hours)


def test_move_transfer_accept_and_finish_at_the_receiver(centres):
    cripel, cai = centres("cripel"), centres("cai")
    person = str(uuid.uuid4())
    subject = _followed(cripel, person)
    before = cripel.api().get(f"/api/v1/pathways/{person}").json
    cripel.feed("intake", "intake.AddressChanged", facts.moved(person, "cai"), subject)
    cripel.feed("intake", "intake.AddressChanged", facts.moved(person, "cai"), subject)
    pump(cripel, cai)
    incoming = cai.api("accueil").get("/api/v1/transfers/incoming").json
    assert incoming["total"] == 1
    item = incoming["items"][0]
    assert item["state"] == "proposed" and item["from_centre"] == "cripel"
    assert "person_id" not in item                       # not before the pathway arrives
    assert item["preview"]["hours"]["citizenship"] == {"done": 40.0, "required": 60.0,
                                                       "completed": False}
    assert item["preview"]["deadline"] == "2028-06-01"
    # Meanwhile: cai's intake decides eligibility, a partner reports hours at cai.
    cai.feed("intake", "intake.EligibilityDecided", facts.decided(person), f"person-{person}")
    cai.feed("partners", "partners.AttendanceRecorded",
             facts.attendance(person, "cai-1", hours=20.0, centre="cai"), "attendance-cai-1")
    assert cai.api().get(f"/api/v1/pathways/{person}").status_code == 404
    tid = item["transfer_id"]
    assert cai.api("accueil").post(f"/api/v1/transfers/{tid}/accept").status_code == 403
    assert cripel.api().post(f"/api/v1/transfers/{tid}/accept").status_code == 404
    r = cai.api().post(f"/api/v1/transfers/{tid}/accept")
    assert r.status_code == 200 and r.json["state"] == "accepted"
    pump(cripel, cai)
    gone = cripel.api().get(f"/api/v1/pathways/{person}")
    assert gone.status_code == 410
    assert gone.json["detail"] == "parcours transféré vers cai"
    assert cripel.api().post(f"/api/v1/pathways/{person}/convention", {}, etag=1).status_code == 410
    out = cripel.api().get("/api/v1/transfers/outgoing").json["items"]
    assert [(o["transfer_id"], o["state"], o["to_centre"]) for o in out] == [(tid, "accepted", "cai")]
    completed = [e for e in cripel.svc.store.load(f"pathway-{person}").events
                 if e.type == n.TRANSFER_COMPLETED]
    assert [set(e.data) for e in completed] == [{"transfer_id", "to_centre", "completed_on"}]
    r = cai.api().get(f"/api/v1/pathways/{person}")
    assert r.status_code == 200, r.json
    after = r.json
    assert after["previous_centres"] == ["cripel"] and after["centre"] == "cai"
    assert after["clock"]["deadline"] == before["clock"]["deadline"]
    assert after["requirements"]["citizenship"]["credited"] == 60.0   # 40 + parked 20
    assert after["requirements"]["citizenship"]["done"] is True
    assert cai.api().get("/api/v1/transfers/incoming").json["items"][0]["state"] == "completed"
    r = cai.api().post(f"/api/v1/pathways/{person}/attestations", {"holder_initials": "M.-A.K."},
                       etag=r.headers["ETag"].strip('"'))
    assert r.status_code == 201, r.json
    assert r.json["number"].startswith("CAI-")
    assert cai.app.test_client().get(
        f"/api/v1/attestations/{r.json['number']}/verification").json["status"] == "valid"


def test_reject_and_withdraw(centres):
    cripel, cai = centres("cripel"), centres("cai")
    p1, p2 = str(uuid.uuid4()), str(uuid.uuid4())
    for p in (p1, p2):
        _followed(cripel, p, hours=())
        base = f"/api/v1/pathways/{p}"
        etag = cripel.api().get(base).headers["ETag"].strip('"')
        assert cripel.api("accueil").post(f"{base}/transfers", {"to_centre": "cai"},
                                          etag=etag).status_code == 403
        r = cripel.api().post(f"{base}/transfers", {"to_centre": "cai"}, etag=etag)
        assert r.status_code == 201, r.json
    pump(cripel, cai)
    by_person = {o["person_id"]: o["transfer_id"]
                 for o in cripel.api().get("/api/v1/transfers/outgoing").json["items"]}
    t1, t2 = by_person[p1], by_person[p2]
    r = cai.api().post(f"/api/v1/transfers/{t1}/reject", {"reason": "not_our_territory"})
    assert r.status_code == 200, r.json
    assert cripel.api().post(f"/api/v1/transfers/{t2}/withdraw").status_code == 200
    pump(cripel, cai)
    states = {o["transfer_id"]: (o["state"], o["reason"])
              for o in cripel.api().get("/api/v1/transfers/outgoing").json["items"]}
    assert states == {t1: ("rejected", "not_our_territory"), t2: ("withdrawn", None)}
    inbox = {i["transfer_id"]: i["state"]
             for i in cai.api().get("/api/v1/transfers/incoming").json["items"]}
    assert inbox == {t1: "rejected", t2: "withdrawn"}
    r = cai.api().post(f"/api/v1/transfers/{t2}/accept")
    assert r.status_code == 409 and r.json["state"] == "withdrawn"
    for p in (p1, p2):  # both still followed at the sender
        assert cripel.api().get(f"/api/v1/pathways/{p}").json["status"] == "open"
    assert cai.api().get(f"/api/v1/pathways/{p1}").status_code == 404
