"""Work queues, list filters and the periodic non-compliance pass, on a fixed day."""
from __future__ import annotations

import uuid
from datetime import date

import pytest

from services.pathway.service_layer.noncompliance import flag_due

from .harness import follow

pytestmark = pytest.mark.infra
TODAY = date(2026, 6, 10)


def _ids(resp):
    assert resp.status_code == 200, resp.json
    return {i["person_id"] for i in resp.json["items"]}


def test_work_queues_and_non_compliance(centres):
    c = centres("cripel", today=TODAY)
    soon, suspended, late, volunteer = (str(uuid.uuid4()) for _ in range(4))
    follow(c, soon, deadline="2026-06-30")                  # 20 days left
    follow(c, suspended, deadline="2026-06-01", signed_on=None)
    follow(c, late, deadline="2026-03-01")                  # past: non-compliance
    follow(c, volunteer, status="voluntary", rule_version="2025-v1")
    api = c.api("accueil")
    base = f"/api/v1/pathways/{suspended}"
    r = c.api().post(f"{base}/suspensions", {"reason": "illness", "start": "2026-05-01",
                                              "end": "2026-07-20"},
                     etag=api.get(base).headers["ETag"].strip('"'))
    assert r.status_code == 200, r.json
    assert r.json["clock"]["deadline"] == "2026-08-20" and r.json["clock"]["suspended"]

    assert _ids(api.get("/api/v1/work-queues/deadlines", query_string={"within": 30})) == {soon}
    assert _ids(api.get("/api/v1/work-queues/deadlines",
                        query_string={"within": 90})) == {soon, suspended}
    assert api.get("/api/v1/work-queues/deadlines",
                   query_string={"within": 45}).status_code == 422
    # Conventions signed 2025-09-15: the 6-monthly interview is overdue (not while suspended).
    assert _ids(api.get("/api/v1/work-queues/interviews-overdue")) == {soon, late, volunteer}
    assert _ids(api.get("/api/v1/pathways", query_string={"eligibility": "voluntary"})) == {volunteer}
    assert _ids(api.get("/api/v1/pathways", query_string={"queue": "deadline-90"})) == {soon, suspended}
    listed = api.get("/api/v1/pathways", query_string={"page": 2, "page_size": 3}).json
    assert (listed["total"], len(listed["items"]), listed["page"]) == (4, 1, 2)

    queue = api.get("/api/v1/work-queues/non-compliance").json
    assert [(i["person_id"], i["flags"]) for i in queue["items"]] == [(late, [])]
    assert flag_due(c.svc) == [late]
    assert flag_due(c.svc) == []                             # once per deadline
    queue = api.get("/api/v1/work-queues/non-compliance").json
    assert queue["items"][0]["flags"] == [{"flagged_on": "2026-06-10", "deadline": "2026-03-01"}]
    facts = api.get(f"/api/v1/pathways/{late}").json["non_compliance_flags"]
    assert facts == [{"flagged_on": "2026-06-10", "deadline": "2026-03-01"}]
    stored = [e for e in c.svc.store.load(f"pathway-{late}").events
              if e.type == "pathway.NonComplianceFlagged"]
    assert stored[0].data["hours"] and stored[0].data["convention_signed"] is True

    # An interview recorded today takes the person off the overdue queue.
    base = f"/api/v1/pathways/{soon}"
    r = c.api().post(f"{base}/interviews/i-1/record", {"held_on": "2026-06-10",
                                                       "person_attended": True,
                                                       "training_attendance": "regular"},
                     etag=api.get(base).headers["ETag"].strip('"'))
    assert r.status_code == 200 and r.json["interviews"]["next_due"] == "2026-12-10"
    assert soon not in _ids(api.get("/api/v1/work-queues/interviews-overdue"))


def test_extension_limits_and_resumption(centres):
    c = centres("cripel", today=TODAY)
    person = str(uuid.uuid4())
    follow(c, person, deadline="2026-06-30")
    api, base = c.api(), f"/api/v1/pathways/{person}"
    tag = lambda: api.get(base).headers["ETag"].strip('"')  # noqa: E731
    r = api.post(f"{base}/extensions", {"months": 19, "reason": "illness"}, etag=tag())
    assert r.status_code == 409 and r.json["months_left"] == 18
    r = api.post(f"{base}/extensions", {"months": 6, "reason": "illness"}, etag=tag())
    assert r.json["clock"]["deadline"] == "2026-12-30"
    r = api.post(f"{base}/suspensions", {"reason": "maternity", "start": "2026-06-01"}, etag=tag())
    sid = r.json["clock"]["suspensions"][0]["suspension_id"]
    assert r.json["clock"]["suspended"] is True
    r = api.post(f"{base}/suspensions/{sid}/resumption", {"resumed_on": "2026-06-10"}, etag=tag())
    assert r.status_code == 200, r.json
    assert r.json["clock"]["suspended"] is False and r.json["clock"]["deadline"] == "2027-01-08"
    r = api.post(f"{base}/extensions", {"months": "six", "reason": "illness"}, etag=tag())
    assert r.status_code == 422 and "months" in r.json["errors"]
    r = api.post(f"{base}/interviews", {"scheduled_for": "2026-07-01"}, etag=tag())
    [planned] = r.json["interviews"]["items"]
    assert planned["scheduled_for"] == "2026-07-01" and planned["held_on"] is None


def test_openapi_documents_the_api_and_the_public_verification(centres):
    c = centres("cripel", today=TODAY)
    spec = c.app.test_client().get("/api/v1/openapi.json").json
    paths = spec["paths"]
    for path in ("/api/v1/pathways", "/api/v1/pathways/{person_id}/convention",
                 "/api/v1/work-queues/deadlines", "/api/v1/transfers/incoming",
                 "/api/v1/transfers/{transfer_id}/accept",
                 "/api/v1/pathways/{person_id}/attestations"):
        assert path in paths, path
    assert paths["/api/v1/attestations/{number}/verification"]["get"]["security"] == []
    r = c.app.test_client().get("/api/v1/pathways")
    assert r.status_code == 401 and r.json["title"] == "Authentification requise"
