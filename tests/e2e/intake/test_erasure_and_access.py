"""Access log, access export (JSON and PDF) and erasure by crypto-shredding: the data
is gone (410), the events and hash chains still verify, and replay still works."""
from __future__ import annotations

import json

from shared.infra import secrets
from services.intake.adapters.cipher import PersonCipher
from shared.store.keys import KeyStore
from services.intake.domain.person import replay
from tests.api_client import eventually
from tests.e2e.intake import people
from shared.store import audit
from shared.store.erasure import erased_id


def test_every_read_is_logged_with_who_and_why(intake, accueil, register):
    f = register(people.body())
    path = f"/api/v1/persons/{f['person_id']}"
    assert accueil.get(path, params={"purpose": "suivi"}).status_code == 200
    assert accueil.get(path, headers={"X-Purpose": "bilan"}).status_code == 200
    assert accueil.get(path, params={"purpose": "curiosité"}).status_code == 422
    eventually(lambda: accueil.post("/api/v1/persons/search", json={
        "q": f["identity"]["last_name"], "purpose": "accueil"}).json()["total"] == 1, 30)
    log = intake.client("cripel", "auditeur").get(f"{path}/access-log")
    assert log.status_code == 200
    entries = log.json()["items"]
    assert [(e["read_by"], e["purpose"], e["what"]) for e in entries][:3] == [
        ("agent-accueil-cripel", "suivi", "file"), ("agent-accueil-cripel", "bilan", "file"),
        ("agent-accueil-cripel", "accueil", "list")]
    assert all(e["read_at"] and e["roles"] == ["accueil"] for e in entries)
    assert accueil.get(f"{path}/access-log").status_code == 403
    # reads do not move the file's version
    assert accueil.get(path).headers["ETag"] == '"1"'


def test_access_export_json_and_pdf(intake, accueil, register):
    body = people.body()
    f = register(body)
    path = f"/api/v1/persons/{f['person_id']}"
    accueil.put(f"{path}/bilan-social", etag=1, json={"needs": {"health": {"need": True}}})
    dpo = intake.client("cripel", "dpo", subject="dpo-cripel")
    assert accueil.get(f"{path}/export").status_code == 403
    r = dpo.get(f"{path}/export")
    assert r.status_code == 200, r.text
    export = r.json()
    assert export["file"]["identity"]["last_name"] == body["last_name"]
    assert [e["type"] for e in export["events"]] == [
        "intake.PersonRegistered", "intake.EligibilityDecided", "intake.BilanSocialRecorded"]
    assert export["events"][0]["data"]["personal"]["email"] == body["email"]
    assert export["data_key"]["created_at"] and export["data_key"]["destroyed_at"] is None
    pdf = dpo.get(f"{path}/export.pdf")
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 2000
    log = dpo.get(f"{path}/access-log").json()["items"]
    assert [(e["read_by"], e["what"], e["purpose"]) for e in log if e["what"] != "list"] == [
        ("dpo-cripel", "export_json", "demande_personne"),
        ("dpo-cripel", "export_pdf", "demande_personne")]


def test_erasure_shreds_the_data_and_keeps_the_chain(intake, accueil, register, var_home):
    body = people.body()
    f = register(body)
    pid = f["person_id"]
    path = f"/api/v1/persons/{pid}"
    eventually(lambda: accueil.post("/api/v1/persons/search", json={"q": body["last_name"]})
               .json()["total"] == 1, 30)
    accueil.post(f"{path}/french-tests", etag=1, json={"level": "A2", "tester": "T. Dubois",
                                                        "test_date": "2025-06-01"})
    dpo = intake.client("cripel", "dpo")
    assert accueil.post(f"{path}/erasure", json={"reason": "gdpr_request"}).status_code == 403
    assert dpo.post(f"{path}/erasure", json={"reason": "because"}).status_code == 422
    assert dpo.post(f"{path}/erasure", json={"reason": "gdpr_request"}, etag=1).status_code == 412
    r = dpo.post(f"{path}/erasure", json={"reason": "gdpr_request"})
    assert r.status_code == 200 and r.json() == {"person_id": pid, "erased": True, "version": 3}

    gone = accueil.get(path)
    assert gone.status_code == 410 and "effacées" in gone.json()["detail"]
    assert dpo.get(f"{path}/export").status_code == 410
    assert accueil.post(f"{path}/consents", etag=3, json={
        "purpose": "referral", "recipients": ["cpas"], "given": True}).status_code == 410
    hits = accueil.post("/api/v1/persons/search", json={"q": body["last_name"]}).json()
    assert hits["total"] == 0
    db = intake.db("cripel")
    assert db["commits"].find_one({"_id": pid}) is None   # only a tombstone without the id
    assert db["commits"].find_one({"_id": erased_id(pid)})["wrapped"] is None
    assert db["directory"].find_one({"_id": pid}) is None
    raw = json.dumps([db["commits"].find_one({"_id": f"person-{pid}:{v:010d}"})
                      for v in (1, 2, 3)], default=str, ensure_ascii=False)
    assert body["last_name"] not in raw and body["email"] not in raw

    # `cri audit verify`: every chain of the store still verifies
    key = secrets.audit_key(var_home, "cripel")
    assert audit.verify(intake.store("cripel").collection, key=key) == []
    assert intake.client("cripel", "auditeur").get("/api/v1/audit/verify").json()["ok"]
    # replay still works, with the personal parts gone
    keys = KeyStore(db["commits"], secrets.master_key(var_home, "cripel"))
    stream = intake.store("cripel", PersonCipher(keys)).load(f"person-{pid}")
    assert [e.data.get("personal") for e in stream.events[:2]] == [None, None]
    state = replay(stream.events)
    assert state.erased and state.personal == {} and state.final_status == "obligated"
    assert state.french_level == "A2"
