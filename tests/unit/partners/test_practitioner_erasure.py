"""A practitioner's right to erasure (Flask test client, in-memory store): the data
protection officer erases a registration; its name, organisation and role can no longer
be read anywhere (API, certificate, store), its hours stay; nobody else may do it."""
from __future__ import annotations

import uuid
from datetime import timedelta

from shared import clock
from tests.unit.partners.test_partners_api_hostile import app, commits, headers  # noqa: F401

NAME = "Amélie Dupont-Erasmus"


def _registered(app) -> tuple[str, str]:  # noqa: F811
    client, coord = app.test_client(), headers(app)
    tid = f"t-{uuid.uuid4().hex[:8]}"
    yesterday = (clock.today() - timedelta(days=1)).isoformat()
    r = client.post("/api/v1/trainings", headers=coord, json={
        "training_id": tid, "title": "Le parcours", "theme": "pathway",
        "audiences": ["operator"], "commune_nis": "62063", "capacity": 5,
        "sessions": [{"date": yesterday, "hours": 3.5}]})
    assert r.status_code == 201, r.get_json()
    r = client.post(f"/api/v1/trainings/{tid}/registrations", headers=coord, json={
        "name": NAME, "organisation": "ASBL Lire et Écrire", "role": "formatrice",
        "audience": "operator"})
    assert r.status_code == 201, r.get_json()
    rid = r.get_json()["registration_id"]
    r = client.post(f"/api/v1/trainings/{tid}/registrations/{rid}/attendance",
                    headers=coord, json={"session_date": yesterday})
    assert r.status_code == 200, r.get_json()
    return tid, rid


def test_the_dpo_erases_a_practitioner_and_the_hours_stay(app):  # noqa: F811
    client = app.test_client()
    tid, rid = _registered(app)
    path = f"/api/v1/trainings/{tid}/registrations/{rid}"
    assert client.get(path, headers=headers(app)).get_json()["name"] == NAME
    assert client.get(f"{path}/certificate.pdf", headers=headers(app)).status_code == 200

    r = client.post(f"{path}/erasure", headers=headers(app, role="dpo"))
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["erased"] is True and body["name"] is None and body["role"] is None
    assert body["hours"] == 3.5                              # the counts stay
    shown = client.get(path, headers=headers(app)).get_json()
    assert shown["erased"] and shown["name"] is None and shown["organisation"] is None
    pdf = client.get(f"{path}/certificate.pdf", headers=headers(app))
    assert pdf.status_code == 404 and "effacées" in pdf.get_json()["detail"]
    svc = app.config["svc"]
    assert svc.practitioners.open(tid, rid, svc.trainings.load(tid).state
                                  .registrations[rid].sealed) is None
    assert NAME not in str(list(svc.db["commits"].find({})))   # sealed, never in clear

    before = commits(app)                                      # once is enough
    again = client.post(f"{path}/erasure", headers=headers(app, role="dpo"))
    assert again.status_code == 200 and again.get_json()["erased"]
    assert commits(app) == before


def test_only_the_dpo_of_the_centre_may_erase_a_practitioner(app):  # noqa: F811
    client = app.test_client()
    tid, rid = _registered(app)
    path = f"/api/v1/trainings/{tid}/registrations/{rid}/erasure"
    before = commits(app)
    for h in (headers(app), headers(app, role="partenaire", operator="op-1"),
              headers(app, role="dpo", centre="cai")):
        r = client.post(path, headers=h)
        assert r.status_code == 403, r.get_json()
        assert r.headers["Content-Type"].startswith("application/problem+json")
    assert client.post(path).status_code == 401
    r = client.post(f"/api/v1/trainings/{tid}/registrations/nope/erasure",
                    headers=headers(app, role="dpo"))
    assert r.status_code == 404 and r.get_json()["detail"] == "inscription inconnue"
    assert commits(app) == before
    assert client.get(f"/api/v1/trainings/{tid}/registrations/{rid}",
                      headers=headers(app)).get_json()["name"] == NAME
