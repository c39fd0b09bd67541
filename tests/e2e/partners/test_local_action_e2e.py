"""Local action on the real stack (gunicorn, Kafka, FerretDB): a plan with an action and
an indicator, a measured value → reporting shows it against its target; an activity
with participation → counted by theme; a practitioner training → a certificate PDF,
rendered to a picture and read back; the public directory's JSON feed without a token
lists an offer with free seats and an activity to come, an Arabic description
right-to-left."""
from __future__ import annotations

import shutil
import subprocess
import uuid
from datetime import timedelta

import pytest
import requests

from shared.clock import today as brussels_today
from tests.api_client import ApiClient, eventually
from tests.e2e.partners_flow import network, ok

WAIT = 300


def row(body: dict, key: str) -> dict | None:
    return next((r for r in body["rows"] if r["key"] == key), None)


def cell(body: dict, key: str, column: str):
    r = row(body, key)
    if r is None:
        return None
    return r["cells"][[c["key"] for c in body["columns"]].index(column)]["value"]


@pytest.fixture(scope="module")
def net(stack):
    return network(stack, "cripel", capacity=20, sessions=2)


def test_plan_indicator_measured_shows_against_its_target(stack, net):
    tag = uuid.uuid4().hex[:8]
    coord, today = net.coordination, brussels_today()
    plan_id = f"pli-{tag}"
    ok(coord.post("/api/v1/plans", {
        "plan_id": plan_id, "title": f"PLI Chaudfontaine {tag}", "communes": ["62022"],
        "period_from": f"{today.year}-01-01", "period_to": f"{today.year + 2}-12-31",
        "diagnosis": [{"theme": "language", "findings": "Peu de places de FLE"}],
        "objectives": [{"objective_id": "o1", "theme": "language", "text": "Plus de FLE"}]}),
        201)
    ok(coord.put(f"/api/v1/plans/{plan_id}/actions/a1", {
        "objective_id": "o1", "title": "Deux groupes FLE", "lead_operator_id": net.operator_id,
        "operators": [net.operator_id], "communes": ["62022"], "budget": 15000,
        "period_from": f"{today.year}-01-01", "period_to": f"{today.year}-12-31"}))
    ok(coord.put(f"/api/v1/plans/{plan_id}/indicators/places", {
        "objective_id": "o1", "label": "Places de FLE ouvertes", "unit": "count",
        "baseline": 20, "target": 60, "target_on": f"{today.year + 2}-12-31"}))
    # the operator edits its own action; another operator may not
    ok(net.operator.post(f"/api/v1/plans/{plan_id}/actions/a1/status",
                         {"status": "in_progress"}))
    stranger = stack.client("cripel", "partners", "partenaire", operator_id="op-autre")
    assert stranger.post(f"/api/v1/plans/{plan_id}/actions/a1/status",
                         {"status": "done"}).status_code == 403
    ok(coord.post(f"/api/v1/plans/{plan_id}/adoption",
                  {"decision": "conseil communal du 12 mars"}))
    changed = coord.put(f"/api/v1/plans/{plan_id}/indicators/places", {
        "label": "Places", "unit": "count", "baseline": 20, "target": 90,
        "target_on": f"{today.year + 2}-12-31"})
    assert changed.status_code == 409 and "nouvelle version" in changed.json()["detail"]
    ok(coord.post(f"/api/v1/plans/{plan_id}/indicators/places/measurements",
                  {"value": 40, "measured_on": today.isoformat()}))

    analyst = stack.client("region", "reporting", "analyste")
    key = f"cripel:{plan_id}:places"

    def shown():
        body = ok(analyst.get("/api/v1/statistics/indicateurs-des-plans-locaux"
                              f"?year={today.year}")).json()
        return cell(body, key, "measured") == 40 and body
    body = eventually(shown, timeout=WAIT)
    assert (cell(body, key, "baseline"), cell(body, key, "target"),
            cell(body, key, "achievement")) == (20, 60, 50)


def test_activity_participation_is_counted_by_theme(stack, net):
    tag = uuid.uuid4().hex[:8]
    today = brussels_today()
    analyst = stack.client("region", "reporting", "analyste")
    table = f"/api/v1/statistics/participants-aux-activites-par-theme?year={today.year}"
    before = cell(ok(analyst.get(table)).json(), "anti_discrimination", "cripel") or 0
    ok(net.operator.post("/api/v1/activities", {
        "activity_id": f"act-{tag}", "operator_id": net.operator_id,
        "title": "Atelier contre les discriminations", "kind": "workshop",
        "theme": "anti_discrimination", "public": "all", "commune_nis": "62022",
        "starts_on": today.isoformat(), "ends_on": (today + timedelta(days=1)).isoformat(),
        "place": "Salle communale", "descriptions": [
            {"lang": "fr", "text": "Atelier ouvert à tous"},
            {"lang": "ar", "text": "ورشة عمل مفتوحة للجميع"}]}), 201)
    ok(net.operator.put(f"/api/v1/activities/act-{tag}/participation",
                        {"counts": {"newcomers": 9, "residents": 6}}))
    eventually(lambda: cell(ok(analyst.get(table)).json(), "anti_discrimination",
                            "cripel") == before + 15, timeout=WAIT)


def test_practitioner_training_certificate(stack, net, tmp_path):
    tag = uuid.uuid4().hex[:8]
    today = brussels_today()
    yesterday = today - timedelta(days=1)
    coord = net.coordination
    tid = f"form-{tag}"
    ok(coord.post("/api/v1/trainings", {
        "training_id": tid, "title": "Le parcours d'intégration", "theme": "pathway",
        "audiences": ["operator", "cpas"], "commune_nis": "62022", "capacity": 10,
        "sessions": [{"date": yesterday.isoformat(), "hours": 3.5}]}), 201)
    r = ok(net.operator.post(f"/api/v1/trainings/{tid}/registrations", {
        "name": "Amélie Dupont", "organisation": "ASBL Lire et Écrire", "role": "formatrice",
        "audience": "operator", "operator_id": net.operator_id}), 201).json()
    rid = r["registration_id"]
    ok(coord.post(f"/api/v1/trainings/{tid}/registrations/{rid}/attendance",
                  {"session_date": yesterday.isoformat()}))
    pdf = ok(net.operator.get(f"/api/v1/trainings/{tid}/registrations/{rid}/certificate.pdf"))
    assert pdf.headers["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    path = tmp_path / "attestation.pdf"
    path.write_bytes(pdf.content)
    if not (shutil.which("pdftoppm") and shutil.which("pdftotext")):
        # `make setup` installs them: their absence is a broken set-up, not a reason to
        # leave the certificate unlooked-at
        pytest.fail("poppler-utils (pdftoppm, pdftotext) missing: run `make setup`")
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "Amélie Dupont" in text and "3,5 heures" in text and "Attestation de formation" in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-singlefile", str(path),
                    str(tmp_path / "page")], check=True)
    from PIL import Image
    with Image.open(tmp_path / "page.png") as img:
        assert img.size[1] > img.size[0] > 300           # an A4 page, portrait
        gray = img.convert("L")
        dark = sum(1 for p in gray.tobytes() if p < 128)
        assert dark > 500                                  # text drawn, not a blank page
    # reporting counts the practitioner trained (one person: a small cell, so hidden)
    analyst = stack.client("region", "reporting", "analyste")

    def counted():
        body = ok(analyst.get(f"/api/v1/statistics/intervenants-formes?year={yesterday.year}"
                              )).json()
        r = row(body, "pathway")
        c = r and r["cells"][[k["key"] for k in body["columns"]].index("cripel")]
        return c and (c["flag"] == "supprimé" or (c["value"] or 0) >= 1)
    eventually(counted, timeout=WAIT)
    assert "Amélie" not in ok(analyst.get("/api/v1/statistics/intervenants-formes")).text


def test_public_directory_lists_offer_and_activity_without_token(stack, net):
    tag = uuid.uuid4().hex[:8]
    today = brussels_today()
    ok(net.coordination.put(f"/api/v1/directory/offers/{net.offer_id}", {"descriptions": [
        {"lang": "fr", "text": "Cours de français pour débutants"},
        {"lang": "ar", "text": "دروس اللغة الفرنسية للمبتدئين"}]}))
    ok(net.coordination.post("/api/v1/activities", {
        "activity_id": f"act-pub-{tag}", "title": "Rencontre interculturelle",
        "kind": "meeting", "theme": "interculturality", "commune_nis": "62022",
        "starts_on": (today + timedelta(days=7)).isoformat(),
        "ends_on": (today + timedelta(days=7)).isoformat()}), 201)
    base = stack.url("cripel", "partners")
    r = requests.get(f"{base}/api/v1/directory?commune=62022", timeout=30)   # no token
    assert r.status_code == 200, r.text[:500]
    assert r.headers["Cache-Control"].startswith("public") and r.headers.get("ETag")
    commune = r.json()["communes"][0]
    assert commune["commune"] == "Chaudfontaine"
    offer = next(o for o in commune["offers"] if o["offer_id"] == net.offer_id)
    assert offer["free_seats"] > 0
    assert [(d["lang"], d["dir"]) for d in offer["descriptions"]] == [("fr", "ltr"),
                                                                      ("ar", "rtl")]
    assert any(a["activity_id"] == f"act-pub-{tag}" for a in commune["activities"])
    assert "person_id" not in r.text and "Amélie" not in r.text
    cached = requests.get(f"{base}/api/v1/directory?commune=62022", timeout=30,
                          headers={"If-None-Match": r.headers["ETag"]})
    assert cached.status_code == 304
    html = requests.get(f"{base}/annuaire?commune=62022", timeout=30)
    assert html.status_code == 200 and 'lang="ar" dir="rtl"' in html.text
    assert ApiClient(base, "pas-un-jeton").put("/api/v1/directory/contact", {
        "name": "x", "address": "y"}).status_code == 401
