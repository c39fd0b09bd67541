"""Erasure reaches every copy, and personal data stays out of every log line.

One person is registered at cripel, followed by a partner (attendance), transferred to
CAI (attendance there too), exported, then erased at CAI. Afterwards neither the person
id nor the regional pseudonym is in any collection of any database of the stack (the
two centres' intake, pathway, partners stores and reporting) — the hash-chained event
logs aside, which keep the events by design (their personal parts are shredded with
the key). The last test reads every log line the stack wrote during the session.
"""
from __future__ import annotations

import json
import uuid

import pytest

from shared.clock import today as brussels_today
from tests.api_client import eventually
from tests.e2e.intake import people

WAIT = 300  # a full run leaves the workers a backlog (the privacy scan's 1,000 people)
# The event log of each store and the relay's bookkeeping of it (ids of handled
# commits): immutable and hash-chained, erased by crypto-shredding, not projections.
EVENT_LOG = {"commits", "commits_relay", "commits_late", "commits_quarantine"}
SEEN: list[dict] = []     # every registration body of this module, for the log scan


def ok(resp, *codes):
    assert resp.status_code in (codes or (200,)), (resp.status_code, resp.text[:1500])
    return resp


def etag(resp) -> str:
    return resp.headers["ETag"].strip('"')


def holders(mongo, needles: list[str]) -> list[str]:
    """Every `db.collection/_id` outside the event logs whose document holds a needle."""
    found = []
    for name in mongo.list_database_names():
        if not name.startswith("cri_"):
            continue
        db = mongo[name]
        for coll in db.list_collection_names():
            if coll in EVENT_LOG:
                continue
            for doc in db[coll].find({}):
                text = json.dumps(doc, default=str, ensure_ascii=False)
                if any(n in text for n in needles):
                    found.append(f"{name}.{coll}/{doc['_id']}")
    return found


@pytest.fixture(scope="module")
def journey(stack, mongo):
    today = brussels_today().isoformat()
    c = {centre: {"intake": stack.client(centre, "intake", "accueil"),
                  "pathway": stack.client(centre, "pathway", "coordination"),
                  "partners": stack.client(centre, "partners", "coordination"),
                  "dpo": stack.client(centre, "intake", "dpo"),
                  "pathway_dpo": stack.client(centre, "pathway", "dpo")}
         for centre in ("cripel", "cai")}
    body = people.body("cripel")
    SEEN.append(body)
    r = ok(c["cripel"]["intake"].post("/api/v1/persons", json=body), 201)
    pid = r.json()["person_id"]
    assert r.json()["eligibility"]["status"] == "obligated", r.json()["eligibility"]
    base = f"/api/v1/pathways/{pid}"
    pathway, intake = c["cripel"]["pathway"], c["cripel"]["intake"]
    eventually(lambda: pathway.get(base).status_code == 200, WAIT)
    # the reception module (bilan and French test from intake), then the convention
    f = ok(intake.put(f"/api/v1/persons/{pid}/bilan-social", etag=1,
                      json={"needs": {"housing": {"need": True}}}))
    ok(intake.post(f"/api/v1/persons/{pid}/french-tests", etag=etag(f), json={
        "level": "A1", "test_date": today, "tester": "Formatrice FLE"}))
    p = eventually(lambda: len(pathway.get(base).json()["reception"]["steps"]) == 2
                   and pathway.get(base), WAIT)
    for step in ({"step": "information", "done_on": today, "session": "group"},
                 {"step": "administrative_help", "done_on": today}):
        p = ok(pathway.post(f"{base}/reception-steps", step, etag=etag(p)))
    ok(pathway.post(f"{base}/convention", {}, etag=etag(p)))
    cripel_attendance = str(uuid.uuid4())
    cripel_report = {"attendance_id": cripel_attendance, "person_id": pid,
                     "training": "citizenship", "hours": 12, "session_date": today}
    eventually(lambda: ok(c["cripel"]["partners"].post("/api/v1/attendance",
                                                       json=cripel_report),
                          201, 404).status_code == 201, WAIT)
    eventually(lambda: pathway.get(base).json()["requirements"]["citizenship"]["credited"]
               == 12.0, WAIT)

    # the person moves to Namur: the transfer is proposed, CAI accepts
    cai_pathway = c["cai"]["pathway"]
    known = {i["transfer_id"] for i in cai_pathway.get("/api/v1/transfers/incoming")
             .json()["items"]}
    f = ok(intake.get(f"/api/v1/persons/{pid}"))
    ok(intake.post(f"/api/v1/persons/{pid}/address", etag=etag(f), json={
        "commune_nis": "92094", "address": {"street": "Rue de Fer", "house_number": "7",
                                            "postal_code": "5000"}}))
    incoming = eventually(lambda: [i["transfer_id"] for i in cai_pathway.get(
        "/api/v1/transfers/incoming").json()["items"] if i["transfer_id"] not in known], WAIT)
    ok(cai_pathway.post(f"/api/v1/transfers/{incoming[0]}/accept"))
    arrived = eventually(lambda: (r := cai_pathway.get(base)).status_code == 200 and r, WAIT)
    before = arrived.json()["requirements"]["citizenship"]["credited"]
    eventually(lambda: c["cai"]["intake"].get(f"/api/v1/persons/{pid}").status_code == 200,
               WAIT)
    cai_attendance = str(uuid.uuid4())
    cai_report = {"attendance_id": cai_attendance, "person_id": pid,
                  "training": "citizenship", "hours": 6, "session_date": today}
    # 404 until CAI's partners worker has read the pathway received on its topic
    eventually(lambda: ok(c["cai"]["partners"].post("/api/v1/attendance", json=cai_report),
                          201, 404).status_code == 201, WAIT)
    eventually(lambda: cai_pathway.get(base).json()["requirements"]["citizenship"]
               ["credited"] == before + 6.0, WAIT)

    # reporting holds the person at both centres, attendance included
    region = mongo["cri_region_reporting"]
    eventually(lambda: region["people"].find_one({"_id": f"cai:person-{pid}"})
               and region["attendance"].find_one({"_id": f"cai:attendance-{cai_attendance}"}),
               WAIT)
    pseudonym = region["people"].find_one({"_id": f"cripel:person-{pid}"})["pseudonym"]
    assert len(pseudonym) == 32
    return {"pid": pid, "pseudonym": pseudonym, "body": body, "c": c,
            "attendance": (cripel_attendance, cai_attendance)}


def test_the_access_export_covers_the_pathway_and_attendance(journey):
    pid, c = journey["pid"], journey["c"]
    export = ok(c["cai"]["dpo"].get(f"/api/v1/persons/{pid}/export")).json()
    part = export["pathway"]
    assert part["centre"] == "cai" and part["pathway"]["status"] == "open"
    assert journey["attendance"][1] in {a["attendance_id"] for a in part["attendance"]}
    assert any(e["type"] == "pathway.PathwayReceived" for e in part["events"])
    assert [t["from_centre"] for t in part["transfers"]] == ["cripel"]
    # the pathway's part is for the DPO only
    assert c["cai"]["pathway"].get(f"/api/v1/pathways/{pid}/export").status_code == 403
    pdf = ok(c["cai"]["dpo"].get(f"/api/v1/persons/{pid}/export.pdf"))
    assert pdf.content.startswith(b"%PDF")


def test_an_erased_person_is_in_no_projection_of_any_store(journey, mongo):
    pid, pseudonym, c = journey["pid"], journey["pseudonym"], journey["c"]
    assert holders(mongo, [pid]), "the scan must see the person before the erasure"
    ok(c["cai"]["dpo"].post(f"/api/v1/persons/{pid}/erasure", json={"reason": "gdpr_request"}))

    # the sending centre's forwarding copy is erased too, by its own intake
    def erased_at_cripel():
        r = c["cripel"]["dpo"].get(f"/api/v1/persons/{pid}/export")
        return r.status_code == 410 and "effacées" in r.json()["detail"]
    eventually(erased_at_cripel, WAIT)

    def nowhere():
        left = holders(mongo, [pid, pseudonym])
        assert not left, left
        return True
    eventually(nowhere, WAIT, 1.0)
    # the services answer as for an erased person, at both centres
    for centre in ("cripel", "cai"):
        assert c[centre]["intake"].get(f"/api/v1/persons/{pid}").status_code == 410
        assert c[centre]["pathway"].get(f"/api/v1/pathways/{pid}").status_code == 410
    # reporting still counts the anonymous facts: the documents moved, not vanished
    region = mongo["cri_region_reporting"]
    assert region["people"].count_documents({"erased": True}) >= 2
    assert region["attendance"].find_one(
        {"_id": f"cai:attendance-{journey['attendance'][1]}"})["hours"] == 6.0
    # and the duplicate lookup no longer finds the person anywhere
    r = ok(c["cripel"]["intake"].post("/api/v1/duplicates/lookup", json={
        "national_number": journey["body"]["national_number"]}))
    assert r.json()["followed_in"] == [] and r.json()["in_this_centre"] == []


def test_no_name_or_national_number_in_any_log_line(stack, var_home, journey):
    """Searches and lookups of this module's people (and a refused GET carrying a name in
    its query string) leave no name or national number in any log of the stack."""
    accueil = journey["c"]["cripel"]["intake"]
    body = people.body("cripel")
    SEEN.append(body)
    ok(accueil.post("/api/v1/persons", json=body), 201)
    ok(accueil.post("/api/v1/persons/search", json={"q": body["last_name"]}))
    ok(accueil.post("/api/v1/duplicates/lookup", json={
        "national_number": body["national_number"]}))
    assert accueil.get("/api/v1/persons", params={"q": body["last_name"]}).status_code == 422
    needles = set()
    for b in SEEN:
        digits = "".join(ch for ch in b["national_number"] if ch.isdigit())
        needles |= {b["last_name"], b["national_number"], digits}
        needles |= {n for n in b["first_names"].split() if len(n) > 3}
    logs = sorted((var_home / "logs").glob("*.log"))
    assert logs, "the stack writes its logs under its var dir"
    # the requests above are in the access logs (the check reads the right files)
    assert any("POST /api/v1/persons/search" in p.read_text(errors="replace") for p in logs)
    leaks = [f"{p.name}: {line[:200]}" for p in logs
             for line in p.read_text(errors="replace").splitlines()
             if any(n in line for n in needles)]
    assert not leaks, leaks
