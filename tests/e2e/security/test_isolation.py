"""Centre isolation on the real stack, on every route of intake, pathway and partners
(from their url_maps): another centre's token, a `region` token, a partner without an
operator id and a partner of another operator get 403 problem+json in French, and
nothing is written to the centre's stores."""
from __future__ import annotations

import uuid

import pytest
import requests

from shared.clock import today
from tests.api_client import ApiClient, eventually
from tests.e2e.pathway.journey import QUEUE_WAIT, reported
from tests.e2e.security.routes import CENTRE_SERVICES, routes

ALL_ROLES = ["accueil", "coordination", "partenaire", "analyste", "auditeur", "dpo"]
OPEN = {"/healthz", "/readyz", "/metrics", "/api/v1/openapi.json", "/api/v1/docs",
        "/api/v1/attestations/<number>/verification", "/verification/<number>"}
ROUTES = routes()


@pytest.fixture(scope="module")
def target(stack):
    """One person followed at cripel, with one attendance report from operator A."""
    intake = stack.client("cripel", "intake", "accueil")
    r = intake.post("/api/v1/persons", {
        "last_name": f"Isolée-{uuid.uuid4().hex[:8]}", "first_names": "Nadia",
        "birth_date": "1990-02-03", "sex": "F", "nationality": "SY", "commune_nis": "62063",
        "permit_type": "B", "permit_order_date": "2025-06-01"})
    assert r.status_code == 201, r.text
    person = r.json()["person_id"]
    pathway = stack.client("cripel", "pathway", "coordination")
    eventually(lambda: pathway.get(f"/api/v1/pathways/{person}").status_code == 200,
               timeout=QUEUE_WAIT)
    report = {"attendance_id": f"iso-{uuid.uuid4().hex}", "person_id": person,
              "training": "citizenship", "hours": 2, "session_date": today().isoformat()}
    reported(stack.client("cripel", "partners", "partenaire", operator_id="fle-a"), report)
    # the pathway credits the hours (a write of its worker): wait, so the snapshot of
    # "what is written" below is taken after it
    eventually(lambda: pathway.get(f"/api/v1/pathways/{person}").json()["hours_credited"]
               ["citizenship"] == 2, timeout=QUEUE_WAIT)
    return {"person_id": person, "report": report}


def attackers(stack) -> dict[str, str]:
    issuer = stack.stack.issuer()
    return {
        "another centre (every role)": issuer.token(ALL_ROLES, "cai", operator_id="fle-a"),
        "region (every role)": issuer.token(ALL_ROLES, "region", operator_id="fle-a"),
        "partner without operator id": issuer.token(["partenaire"], "cripel"),
        "partner of another operator": issuer.token(["partenaire"], "cripel",
                                                    operator_id="fle-b"),
    }


def body_for(route, target) -> dict:
    if route.rule == "/api/v1/attendance":
        return target["report"]           # operator A's own report, sent by the others
    if route.rule == "/api/v1/persons":
        return {"last_name": "Intrus", "first_names": "X", "birth_date": "1990-01-01",
                "sex": "M", "nationality": "BE", "commune_nis": "62063",
                "permit_type": "B"}
    return {"person_id": target["person_id"], "note": "intrusion"}


def written(mongo, target) -> dict:
    """What a forbidden call could have written at cripel (the pathway store also takes
    the worker's writes for other people: only this person's stream and probes count)."""
    db = {service: mongo[f"cri_cripel_{service}"] for service in CENTRE_SERVICES}
    return {"intake": db["intake"]["commits"].count_documents({}),
            "access_log": db["intake"]["access_log"].count_documents({}),
            "partners": db["partners"]["commits"].count_documents({}),
            "pathway": db["pathway"]["commits"].count_documents(
                {"stream_id": f"pathway-{target['person_id']}"}),
            "pathway probes": db["pathway"]["commits"].count_documents(
                {"stream_id": {"$regex": "^probe-"}})}


def test_the_route_list_is_read_from_the_services(stack):
    rules = {r.rule for r in ROUTES}
    assert {"/api/v1/probes", "/api/v1/attendance", "/api/v1/persons",
            "/api/v1/pathways/<person_id>/convention"} <= rules
    assert {r.rule for r in ROUTES if r.public} == OPEN


def test_every_route_refuses_other_centres_the_region_and_stray_partners(stack, mongo,
                                                                         target):
    before = written(mongo, target)
    failures = []
    for who, token in attackers(stack).items():
        for route in (r for r in ROUTES if not r.public):
            client = ApiClient(stack.url("cripel", route.service), token)
            path = route.path({"person_id": target["person_id"],
                               "number": "CRIPEL-2026-000001"})
            kw = {"json": body_for(route, target)} if route.method in ("POST", "PUT") else {}
            r = client.request(route.method, path, etag=1, **kw)
            problem = r.json() if r.headers.get("Content-Type", "").startswith(
                "application/problem+json") else {}
            if r.status_code != 403 or problem.get("title") != "Accès refusé" \
                    or not problem.get("detail"):
                failures.append(f"{who}: {route} -> {r.status_code} {r.text[:200]}")
    assert failures == []
    assert written(mongo, target) == before


def test_the_open_routes_need_no_token(stack):
    for route in (r for r in ROUTES if r.public and "<" not in r.rule):
        r = requests.get(stack.url("cripel", route.service) + route.rule, timeout=30)
        assert r.status_code == 200, (str(route), r.status_code)


def test_a_partner_reports_only_for_people_the_centre_follows(stack, mongo, target):
    partner = stack.client("cripel", "partners", "partenaire", operator_id="fle-a")
    before = written(mongo, target)
    stranger = {**target["report"], "attendance_id": f"iso-{uuid.uuid4().hex}",
                "person_id": str(uuid.uuid4())}
    r = partner.post("/api/v1/attendance", stranger)
    assert r.status_code == 404, r.text
    assert "aucun parcours" in r.json()["detail"]
    assert written(mongo, target) == before


def test_english_on_request(stack, target):
    token = attackers(stack)["region (every role)"]
    client = ApiClient(stack.url("cripel", "pathway"), token, language="en")
    r = client.get(f"/api/v1/pathways/{target['person_id']}")
    assert r.status_code == 403 and "centre cripel" in r.json()["detail"]
    assert r.json()["detail"].startswith("access is for staff")
