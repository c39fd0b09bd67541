"""A file's life over HTTP at one centre: register, bilan social, French test, consents,
address changes, versions (ETag / If-Match), roles and centres."""
from __future__ import annotations

import json

from kafka import KafkaConsumer, TopicPartition

from tests.e2e.intake import people
from shared import clock


def test_register_returns_the_file_with_eligibility_and_an_etag(accueil):
    body = people.body(languages=["ar", "fr"], interpreter_needed=True)
    r = accueil.post("/api/v1/persons", json=body)
    assert r.status_code == 201, r.text
    assert r.headers["ETag"] == '"1"' and r.headers["Location"].endswith(r.json()["person_id"])
    f = r.json()
    assert f["identity"]["last_name"] == body["last_name"]
    assert f["identity"]["national_number"] == body["national_number"]
    assert f["identity"]["nationality_name"] == "Syrie"
    assert f["identity"]["languages"] == ["ar", "fr"] and f["identity"]["interpreter_needed"]
    assert f["address"]["commune_name"] == "Liège" and f["centre"] == "cripel"
    assert f["eligibility"]["status"] == "obligated"
    assert f["eligibility"]["rule_version"] == "2025-v1"
    assert f["also_followed_in"] == []
    again = accueil.get(f"/api/v1/persons/{f['person_id']}")
    assert again.status_code == 200 and again.headers["ETag"] == '"1"'
    assert again.json()["identity"] == f["identity"]


def test_bilan_french_test_and_consents_need_the_current_version(accueil, register):
    f = register(people.body())
    pid = f"/api/v1/persons/{f['person_id']}"
    bilan = {"needs": {"housing": {"need": True, "notes": "logement trop petit"},
                       "employment": {"need": True}}, "notes": "entretien avec interprète"}
    assert accueil.put(f"{pid}/bilan-social", json=bilan).status_code == 428
    r = accueil.put(f"{pid}/bilan-social", json=bilan, etag=1)
    assert r.status_code == 200, r.text
    assert r.headers["ETag"] == '"2"'
    assert r.json()["bilan_social"]["needs"]["housing"]["need"] is True
    assert r.json()["bilan_social"]["needs_osp"] is True
    stale = accueil.post(f"{pid}/french-tests", etag=1, json={
        "level": "A1", "test_date": clock.today().isoformat(), "tester": "M. Lenoir"})
    assert stale.status_code == 412
    assert stale.headers["Content-Type"].startswith("application/problem+json")
    r = accueil.post(f"{pid}/french-tests", etag=2, json={
        "level": "A1", "test_date": clock.today().isoformat(), "tester": "M. Lenoir"})
    assert r.status_code == 200 and r.json()["french_level"] == "A1"
    r = accueil.post(f"{pid}/consents", etag=3, json={
        "purpose": "referral", "recipients": ["operators", "cpas"], "given": True})
    assert r.status_code == 200, r.text
    assert r.json()["consents"][0]["recipients"] == ["cpas", "operators"]
    r = accueil.post(f"{pid}/consents", etag=4, json={
        "purpose": "referral", "recipients": ["cpas"], "given": False})
    assert r.json()["consents"][0]["recipients"] == ["operators"]
    assert r.headers["ETag"] == '"5"'


def test_address_change_inside_and_outside_the_territory(intake, accueil, register):
    f = register(people.body())
    pid = f"/api/v1/persons/{f['person_id']}"
    r = accueil.post(f"{pid}/address", etag=1, json={
        "commune_nis": "61031", "address": {"street": "Rue du Pont", "house_number": "2",
                                            "postal_code": "4500"}})
    assert r.status_code == 200, r.text
    assert r.json()["moved_to_centre"] is None and r.json()["address"]["commune_name"] == "Huy"
    r = accueil.post(f"{pid}/address", etag=2, json={
        "commune_nis": "92094", "address": {"street": "Rue de Fer", "house_number": "9",
                                            "postal_code": "5000"}})
    assert r.status_code == 200, r.text
    assert r.json()["moved_to_centre"] == "cai" and r.json()["left_territory"] is False
    # the pathway service learns it from the published event (no address in it)
    message = _published(intake, f"person-{f['person_id']}", "AddressChanged", version=3)
    assert message["moved_to_centre"] == "cai" and message["commune_nis"] == "92094"
    assert "Rue de Fer" not in json.dumps(message) and "personal" not in message


def _published(intake, stream: str, kind: str, version: int) -> dict:
    from tests.api_client import eventually
    consumer = KafkaConsumer(bootstrap_servers=intake.kafka, enable_auto_commit=False)
    try:
        topic = "cri.cripel.intake.events"
        parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic)]
        consumer.assign(parts)

        def find():
            consumer.seek_to_beginning(*parts)
            ends = consumer.end_offsets(parts)
            while any(consumer.position(p) < ends[p] for p in parts):
                for records in consumer.poll(timeout_ms=500).values():
                    for rec in records:
                        h = dict(rec.headers)
                        if h["ce_subject"].decode() == stream and \
                                h["ce_type"].decode().endswith(f".{kind}.v1") and \
                                h["ce_sequence"].decode().startswith(f"{version:010d}"):
                            return json.loads(rec.value)
            return None
        return eventually(find, 30, 0.5)
    finally:
        consumer.close()


def test_other_centres_and_wrong_roles_get_403(intake, register):
    f = register(people.body())
    path = f"/api/v1/persons/{f['person_id']}"
    assert intake.client("cripel", "accueil", token_centre="cai").get(path).status_code == 403
    assert intake.client("cripel", "accueil", token_centre="region").get(path).status_code == 403
    assert intake.client("cripel", "accueil", token_centre="cai").post(
        "/api/v1/persons", json=people.body()).status_code == 403
    assert intake.client("cripel", "auditeur").get(path).status_code == 403
    assert intake.client("cripel", "coordination").get(path).status_code == 200
    assert intake.client("cripel", "coordination").post(
        "/api/v1/persons", json=people.body()).status_code == 403
    assert intake.client("cripel", "accueil").post(f"{path}/eligibility/override", etag=1, json={
        "final_status": "voluntary", "justification": "x"}).status_code == 403
    r = intake.client("cripel", "accueil", token_centre="cai").get(path)
    assert r.json()["title"] == "Accès refusé" and "autre centre" in r.json()["detail"]
    assert intake.client("cripel", "accueil").session.get(
        intake.url("cripel") + path, headers={"Authorization": ""}).status_code == 401


def test_reference_lists_for_the_screens(accueil):
    r = accueil.get("/api/v1/reference/communes", params={"q": "namur"})
    namur = [c for c in r.json()["items"] if c["nis"] == "92094"]
    assert namur and namur[0]["centre"] == "cai" and not namur[0]["in_this_centre"]
    assert "5000" in namur[0]["postal_codes"]
    liege = accueil.get("/api/v1/reference/communes", params={"q": "4000"}).json()["items"]
    assert any(c["name"] == "Liège" and c["in_this_centre"] for c in liege)
    nats = {n["code"]: n["name"] for n in accueil.get("/api/v1/reference/nationalities")
            .json()["items"]}
    assert nats["SY"] == "Syrie" and nats["TR"] == "Turquie" and nats["XK"] == "Kosovo"
    vocab = accueil.get("/api/v1/reference/vocabularies").json()
    assert "student" in vocab["dispense_grounds"] and "asylum_seeker" in vocab["permit_types"]
    spec = accueil.get("/api/v1/openapi.json").json()
    assert "/api/v1/persons/{person_id}/bilan-social" in spec["paths"]
