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
from tests.e2e.partners_flow import network
from tests.e2e.pathway.journey import QUEUE_WAIT
from tests.e2e.security.routes import CENTRE_SERVICES, routes

ALL_ROLES = ["accueil", "coordination", "partenaire", "analyste", "auditeur", "dpo"]
OPEN = {"/healthz", "/readyz", "/metrics", "/api/v1/openapi.json", "/api/v1/docs",
        "/api/v1/docs/assets/<path:name>",   # Swagger UI's own assets (offline)
        "/api/v1/attestations/<number>/verification", "/verification/<number>",
        "/annuaire", "/api/v1/directory"}    # partners' public directory for newcomers
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
    net = network(stack, "cripel", kind="citizenship", capacity=5, sessions=1, hours=2)
    rid = net.refer(person)
    assert net.accept(rid)["status"] == "accepted"
    report = {"referral_id": rid, "hours": 2, "session_date": net.sessions[0]}
    assert net.operator.post("/api/v1/attendance", report).status_code == 201
    # the pathway credits the hours (a write of its worker): wait, so the snapshot of
    # "what is written" below is taken after it
    eventually(lambda: pathway.get(f"/api/v1/pathways/{person}").json()["hours_credited"]
               ["citizenship"] == 2, timeout=QUEUE_WAIT)
    return {"person_id": person, "report": report, "net": net, "referral_id": rid}


OPERATOR_A = "op-a"   # the token's claim; the fixture's operator has its own id


def attackers(stack) -> dict[str, str]:
    issuer = stack.stack.issuer()
    return {
        "another centre (every role)": issuer.token(ALL_ROLES, "cai", operator_id=OPERATOR_A),
        "region (every role)": issuer.token(ALL_ROLES, "region", operator_id=OPERATOR_A),
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
            net = target["net"]
            path = route.path({"person_id": target["person_id"],
                               "number": "CRIPEL-2026-000001",
                               "operator_id": net.operator_id, "offer_id": net.offer_id,
                               "referral_id": target["referral_id"],
                               "agreement_id": f"conv-{net.operator_id[3:]}"})
            kw = {"json": body_for(route, target)} if route.method in ("POST", "PUT") else {}
            r = client.request(route.method, path, etag=1, **kw)
            problem = r.json() if r.headers.get("Content-Type", "").startswith(
                "application/problem+json") else {}
            if who == "partner of another operator" and route.service == "partners":
                # a partner of this centre may use the partners API for its own operator:
                # what it must never get is operator A's records (nor write anything)
                leaked = r.status_code < 300 and any(
                    i in r.text for i in (target["person_id"], target["referral_id"]))
                if r.status_code >= 500 or leaked or (r.status_code < 300 and
                                                      route.method != "GET"):
                    failures.append(f"{who}: {route} -> {r.status_code} {r.text[:200]}")
                continue
            if r.status_code != 403 or problem.get("title") != "Accès refusé" \
                    or not problem.get("detail"):
                failures.append(f"{who}: {route} -> {r.status_code} {r.text[:200]}")
    assert failures == []
    assert written(mongo, target) == before


def test_the_open_routes_need_no_token(stack):
    for route in (r for r in ROUTES if r.public and "<" not in r.rule):
        r = requests.get(stack.url("cripel", route.service) + route.rule, timeout=30)
        assert r.status_code == 200, (str(route), r.status_code)


def test_a_partner_reports_only_for_its_own_referrals(stack, mongo, target):
    """Hours only against a referral to the operator's own offer; for a person the centre
    does not follow, even the coordination gets a 404."""
    partner = target["net"].operator
    before = written(mongo, target)
    r = partner.post("/api/v1/attendance", {"attendance_id": f"iso-{uuid.uuid4().hex}",
                                            "person_id": target["person_id"],
                                            "training": "citizenship", "hours": 2,
                                            "session_date": today().isoformat()})
    assert r.status_code == 403, r.text                   # no referral: refused
    r = partner.post("/api/v1/attendance", {**target["report"], "referral_id": "nope"})
    assert r.status_code == 404, r.text
    coordination = stack.client("cripel", "partners", "coordination")
    r = coordination.post("/api/v1/attendance", {
        "attendance_id": f"iso-{uuid.uuid4().hex}", "person_id": str(uuid.uuid4()),
        "training": "citizenship", "hours": 2, "session_date": today().isoformat()})
    assert r.status_code == 404 and "aucun parcours" in r.json()["detail"], r.text
    assert written(mongo, target) == before


def test_english_on_request(stack, target):
    token = attackers(stack)["region (every role)"]
    client = ApiClient(stack.url("cripel", "pathway"), token, language="en")
    r = client.get(f"/api/v1/pathways/{target['person_id']}")
    assert r.status_code == 403 and "centre cripel" in r.json()["detail"]
    assert r.json()["detail"].startswith("access is for staff")
