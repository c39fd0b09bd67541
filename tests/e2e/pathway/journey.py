"""One person's pathway across two centres, over HTTP, on the real stack (real
gunicorn web and worker processes for intake, pathway and partners of cripel and cai,
one Kafka, FerretDB). Used by the e2e test and by the replay test."""
from __future__ import annotations

from dataclasses import dataclass

from shared.clock import today as brussels_today
from tests.api_client import ApiClient, eventually
from tests.e2e.partners_flow import network

# Earlier tests in a full run (the privacy scan registers 1,000 people) leave the
# workers a backlog to consume on FerretDB first; the wait is for that, not for us.
QUEUE_WAIT = 400


@dataclass
class Journey:
    person_id: str
    number: str
    verification_url: str


def etag(resp) -> str:
    return resp.headers["ETag"].strip('"')


def ok(resp, *codes):
    assert resp.status_code in (codes or (200,)), (resp.status_code, resp.text[:2000])
    return resp


def run(stack) -> Journey:
    today = brussels_today().isoformat()  # the services' own calendar day
    c = {centre: {"intake": stack.client(centre, "intake", "accueil"),
                  "pathway": stack.client(centre, "pathway", "coordination")}
         for centre in ("cripel", "cai")}
    intake, pathway = c["cripel"]["intake"], c["cripel"]["pathway"]

    # 1. Registration at cripel's reception office (Liège): obligated, 2025 rules.
    r = ok(intake.post("/api/v1/persons", {
        "last_name": "El Amrani", "first_names": "Samira", "birth_date": "1991-04-12",
        "sex": "F", "nationality": "MA", "commune_nis": "62063", "permit_type": "B",
        "permit_order_date": "2025-06-01", "arrival_date": "2025-05-20",
        "address": {"street": "Rue Saint-Gilles", "house_number": "12",
                    "postal_code": "4000"}}), 201)
    person = r.json()["person_id"]
    assert r.json()["eligibility"]["status"] == "obligated", r.json()["eligibility"]
    base = f"/api/v1/pathways/{person}"
    p = eventually(lambda: ok(pathway.get(base)), timeout=QUEUE_WAIT)
    assert p.json()["clock"]["deadline"] == "2028-06-01", p.json()["clock"]

    # 2. Bilan social and French test at intake -> reception steps in the pathway.
    r = ok(intake.get(f"/api/v1/persons/{person}"))
    r = ok(intake.put(f"/api/v1/persons/{person}/bilan-social",
                      {"needs": {"housing": {"need": True}}}, etag=etag(r)))
    ok(intake.post(f"/api/v1/persons/{person}/french-tests",
                   {"level": "A1", "test_date": today, "tester": "Formatrice FLE"},
                   etag=etag(r)))
    p = eventually(lambda: len(ok(pathway.get(base)).json()["reception"]["steps"]) == 2
                   and pathway.get(base), timeout=QUEUE_WAIT)

    # 3. The coordinator completes the reception module and signs the convention.
    for step in ({"step": "information", "done_on": today, "session": "group"},
                 {"step": "administrative_help", "done_on": today}):
        p = ok(pathway.post(f"{base}/reception-steps", step, etag=etag(p)))
    p = ok(pathway.post(f"{base}/convention", {}, etag=etag(p)))
    assert set(p.json()["requirements"]) == {"citizenship", "french"}

    # 4. Referred to a partner's citizenship course at cripel, accepted; hours reported
    #    per session (one report sent twice counts once).
    net = network(stack, "cripel", kind="citizenship", capacity=5, sessions=2, hours=20)
    rid = net.refer(person)
    assert net.accept(rid)["status"] == "accepted"
    partners = net.operator
    for day in net.sessions:
        body = {"referral_id": rid, "hours": 20, "session_date": day}
        ok(partners.post("/api/v1/attendance", body), 201)
    assert ok(partners.post("/api/v1/attendance", body), 200).json()["created"] is False
    assert partners.post("/api/v1/attendance", {**body, "hours": 3}).status_code == 409
    for role, centre in (("accueil", "cripel"), ("partenaire", "cai")):
        other = stack.client("cripel", "partners", role, token_centre=centre,
                             operator_id="fle-cripel")
        assert other.post("/api/v1/attendance", body).status_code == 403
    eventually(lambda: ok(pathway.get(base)).json()["requirements"]["citizenship"]
               ["credited"] == 40.0, timeout=QUEUE_WAIT)

    # 5. The person moves to Namur (CAI's territory): intake records the address.
    r = ok(intake.get(f"/api/v1/persons/{person}"))
    r = ok(intake.post(f"/api/v1/persons/{person}/address", {
        "commune_nis": "92094", "address": {"street": "Rue de Fer", "house_number": "3",
                                            "postal_code": "5000"}}, etag=etag(r)))
    assert r.json()["moved_to_centre"] == "cai"

    # 6. CAI sees a preview without personal data, and accepts.
    cai = c["cai"]["pathway"]
    known = {i["transfer_id"] for i in ok(cai.get("/api/v1/transfers/incoming")).json()["items"]}
    incoming = eventually(lambda: [i for i in ok(cai.get("/api/v1/transfers/incoming"))
                                   .json()["items"] if i["transfer_id"] not in known],
                          timeout=QUEUE_WAIT)
    item = incoming[0]
    assert item["from_centre"] == "cripel" and item["state"] == "proposed"
    assert "person_id" not in item and item["preview"]["hours"]["citizenship"]["done"] == 40.0
    ok(cai.post(f"/api/v1/transfers/{item['transfer_id']}/accept"))

    # 7. The pathway arrives at CAI; cripel keeps only a forwarding record.
    p = eventually(lambda: ok(cai.get(base)), timeout=QUEUE_WAIT)
    assert p.json()["previous_centres"] == ["cripel"]
    assert p.json()["clock"]["deadline"] == "2028-06-01"
    gone = pathway.get(base)
    assert gone.status_code == 410, gone.text  # completed at cripel before the history left
    assert gone.json()["detail"] == "parcours transféré vers cai"

    # 8. CAI finishes the pathway: more hours, proof of A2, attestation.
    cai_net = network(stack, "cai", kind="citizenship", capacity=5, sessions=1, hours=20)
    cai_rid = cai_net.refer(person)
    assert cai_net.accept(cai_rid)["status"] == "accepted"
    ok(cai_net.operator.post("/api/v1/attendance", {
        "referral_id": cai_rid, "hours": 20, "session_date": cai_net.sessions[0]}), 201)
    p = eventually(lambda: ok(cai.get(base)).json()["requirements"]["citizenship"]["done"]
                   and cai.get(base), timeout=QUEUE_WAIT)
    p = ok(cai.post(f"{base}/french-level", {"level": "A2"}, etag=etag(p)))
    assert p.json()["trainings_done"] is True
    r = ok(cai.post(f"{base}/attestations", {"holder_initials": "S.E."}, etag=etag(p)), 201)
    return Journey(person, r.json()["number"], r.json()["verification_url"])


def reported(partners: ApiClient, body: dict):
    """201 once partners follows the person: 404 until its worker has consumed the
    pathway's opening (or arrival) from the centre's topic."""
    return eventually(lambda: ok(partners.post("/api/v1/attendance", body), 201, 404)
                      .status_code == 201, timeout=QUEUE_WAIT)


def public(stack, centre: str) -> ApiClient:
    client = ApiClient(stack.url(centre, "pathway"), "unused")
    client.session.headers.pop("Authorization")
    return client
