"""The whole stack's wiring: each service of each centre -> its store -> relay -> Kafka ->
the regional reporting consumer; plus health, readiness, metrics, OpenAPI, auth."""
from __future__ import annotations

import requests

from tests.api_client import eventually

SERVICES = ("intake", "pathway", "partners")


def test_a_probe_from_every_service_reaches_the_region(stack):
    reporting = stack.client("region", "reporting", "analyste", token_centre="region")

    def counts():
        r = reporting.get("/api/v1/probes")
        assert r.status_code == 200, r.text
        return {(i["centre"], i["service"]): i["count"] for i in r.json()["items"]}

    before = counts()
    for centre in ("cripel", "cai"):
        for service in SERVICES:
            r = stack.client(centre, service, "accueil").post("/api/v1/probes",
                                                              {"note": "test"})
            assert r.status_code == 201, r.text
    eventually(lambda: all(counts().get((c, s), 0) == before.get((c, s), 0) + 1
                           for c in ("cripel", "cai") for s in SERVICES), timeout=90)


def test_every_service_answers_health_readiness_metrics_and_openapi(stack):
    urls = [stack.url(c, s) for c in ("cripel", "cai") for s in SERVICES]
    urls.append(stack.url("region", "reporting"))
    for base in urls:
        assert requests.get(f"{base}/healthz", timeout=10).json()["status"] == "ok"
        assert requests.get(f"{base}/readyz", timeout=10).status_code == 200
        assert "cri_http_request_seconds" in requests.get(f"{base}/metrics", timeout=10).text
        spec = requests.get(f"{base}/api/v1/openapi.json", timeout=10).json()
        assert spec["openapi"].startswith("3.") and spec["paths"]


def test_calls_without_a_valid_token_get_a_french_problem(stack):
    base = stack.url("cripel", "intake")
    r = requests.post(f"{base}/api/v1/probes", json={}, timeout=10)
    assert r.status_code == 401
    assert r.headers["Content-Type"].startswith("application/problem+json")
    assert r.json()["title"] == "Authentification requise"
    r = requests.post(f"{base}/api/v1/probes", json={},
                      headers={"Authorization": "Bearer not-a-jwt"}, timeout=10)
    assert r.status_code == 401 and "jeton invalide" in r.json()["detail"]


def test_invalid_input_gets_422_with_french_field_messages(stack):
    client = stack.client("cripel", "intake", "accueil")
    r = client.post("/api/v1/probes", {"note": 5})
    assert r.status_code == 422
    assert r.json()["errors"] == {"note": ["Texte attendu."]}
    r = stack.client("cripel", "intake", "accueil").request(
        "POST", "/api/v1/probes", json={"note": 5}, headers={"Accept-Language": "en"})
    assert r.json()["errors"] == {"note": ["Not a valid string."]}


def test_a_worker_that_dies_is_restarted_and_its_relay_goes_on(stack):
    """SIGKILL of a worker process: the supervisor (as `cri up` does) starts it again, and
    what was written meanwhile still reaches the region."""
    import os
    import signal

    from shared.infra.processes import alive
    key = "cai-partners-worker"
    old = stack.stack.state.read()[key]["pid"]
    os.killpg(old, signal.SIGKILL)
    client = stack.client("cai", "partners", "accueil")
    r = client.post("/api/v1/probes", {"note": "pendant la panne"})
    assert r.status_code == 201, r.text        # the web process does not need the worker
    new = eventually(lambda: (pid := stack.stack.state.read()[key]["pid"]) != old
                     and alive(pid) and pid, timeout=30)
    assert new != old
    reporting = stack.client("region", "reporting", "analyste", token_centre="region")

    def probes_from_cai_partners():
        items = reporting.get("/api/v1/probes").json()["items"]
        return next((i["count"] for i in items
                     if (i["centre"], i["service"]) == ("cai", "partners")), 0)
    before = probes_from_cai_partners()
    assert client.post("/api/v1/probes", {"note": "après"}).status_code == 201
    eventually(lambda: probes_from_cai_partners() >= before + 1, timeout=60)
