"""Local action over HTTP (Flask test client, in-memory store): hostile input is a French
problem+json 4xx that writes nothing; the public directory needs no token, is cacheable
and renders right-to-left descriptions with their language and direction."""
from __future__ import annotations

import pytest

from tests.unit.partners.test_partners_api_hostile import app, commits, headers  # noqa: F401

PLAN = {"plan_id": "pli-1", "title": "PLI", "communes": ["62063"],
        "period_from": "2026-01-01", "period_to": "2027-12-31"}
ACTIVITY = {"activity_id": "act-1", "title": "Atelier", "kind": "workshop",
            "theme": "participation", "commune_nis": "62063", "starts_on": "2026-01-10",
            "ends_on": "2026-01-10"}


@pytest.mark.parametrize("method, path, body", [
    ("POST", "/api/v1/plans", {**PLAN, "title": "x" * 2_000_000}),
    ("POST", "/api/v1/plans", {**PLAN, "title": "PLI\u0000"}),
    ("POST", "/api/v1/plans", {**PLAN, "communes": ["99999"]}),       # unknown commune
    ("POST", "/api/v1/plans", {**PLAN, "period_to": "2025-01-01"}),
    ("POST", "/api/v1/activities", {**ACTIVITY, "commune_nis": "12345"}),
    ("POST", "/api/v1/activities", {**ACTIVITY, "theme": "astrologie"}),
    ("POST", "/api/v1/activities", {**ACTIVITY, "descriptions": [{"lang": "xx",
                                                                   "text": "?"}]}),
    ("PUT", "/api/v1/activities/nope/participation", {"counts": {"names": 3}}),
    ("PUT", "/api/v1/activities/nope/participation", {"counts": {"newcomers": -1}}),
    ("POST", "/api/v1/trainings", {"training_id": "t", "title": "T", "theme": "pathway",
                                   "audiences": [], "commune_nis": "62063", "capacity": 5,
                                   "sessions": []}),
    ("GET", "/api/v1/plans/does-not-exist", None),
    ("GET", "/api/v1/trainings/t/registrations/r/certificate.pdf", None),
    ("GET", "/api/v1/directory?commune=abc", None),
])
def test_bad_input_is_a_french_4xx_that_writes_nothing(app, method, path, body):  # noqa: F811
    before = commits(app)
    r = app.test_client().open(path, method=method, json=body, headers=headers(app))
    assert 400 <= r.status_code < 500, (r.status_code, r.get_data(as_text=True)[:300])
    assert r.headers["Content-Type"].startswith("application/problem+json")
    assert r.get_json()["detail"] and "Traceback" not in r.get_data(as_text=True)
    assert commits(app) == before


def test_public_directory_without_token_rtl_and_cacheable(app):  # noqa: F811
    client = app.test_client()
    coord = headers(app)
    assert client.put("/api/v1/directory/contact", json={"name": "CRIPEL", "address": "x"}
                      ).status_code == 401
    assert client.post("/api/v1/activities", headers=coord, json={
        **ACTIVITY, "activity_id": "act-rtl", "starts_on": "2099-01-10",
        "ends_on": "2099-01-10", "descriptions": [
            {"lang": "fr", "text": "Atelier citoyen"},
            {"lang": "prs", "text": "کارگاه شهروندی"}]}).status_code == 201
    r = client.get("/api/v1/directory")
    assert r.status_code == 200 and r.headers["Cache-Control"].startswith("public")
    item = r.get_json()["communes"][0]["activities"][0]
    assert [(d["lang"], d["dir"]) for d in item["descriptions"]] == [("fr", "ltr"),
                                                                     ("prs", "rtl")]
    again = client.get("/api/v1/directory", headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304
    page = client.get("/annuaire").get_data(as_text=True)
    assert '<html lang="fr">' in page and 'lang="prs" dir="rtl"' in page
    assert "کارگاه شهروندی" in page and "Liège" in page


def test_the_public_directory_is_rate_limited_per_address_across_workers(app):  # noqa: F811
    """Two test clients stand for two gunicorn workers: one budget, counted in the store."""
    allowed = int(app.extensions["cri_services"].config.directory_rate_limit.split()[0])
    one, two = app.test_client(), app.test_client()
    me = {"REMOTE_ADDR": "198.51.100.7"}
    codes = [(one if i % 2 else two).get("/annuaire" if i % 3 else "/api/v1/directory",
                                         environ_base=me).status_code
             for i in range(allowed + 1)]
    assert codes[:-1] == [200] * allowed and codes[-1] == 429, codes
    r = one.get("/api/v1/directory", environ_base=me)
    assert r.status_code == 429 and r.mimetype == "application/problem+json"
    assert "réessayez" in r.get_json()["detail"] and int(r.headers["Retry-After"]) >= 1
    counters = app.extensions["cri_services"].db["rate_limits"]
    assert [d["n"] for d in counters.find() if "198.51.100.7" in d["_id"]] == [allowed + 2]
    other = one.get("/api/v1/directory", environ_base={"REMOTE_ADDR": "198.51.100.8"})
    assert other.status_code == 200
