"""Partners on the real stack (gunicorn processes, Kafka, FerretDB): the centre refers
people to an operator's offer, the operator accepts and uploads a 5,000-row attendance
CSV with 3 bad rows; the pathway credits exactly the good rows' hours, reporting counts
them by operator with the offer's seats; the same file again changes nothing anywhere;
another operator sees and changes nothing; the operator sees only what was consented."""
from __future__ import annotations

import json
from collections import Counter

import pytest

from tests.api_client import ApiClient, eventually
from tests.e2e.partners_flow import network, ok
from tests.integration.foundation.helpers import caught_up
from tests.e2e.reporting.people import registration

PEOPLE, SESSIONS, HOURS = 50, 100, 2.0
WAIT = 300


@pytest.fixture(scope="module")
def flow(stack):
    intake = stack.client("cripel", "intake", "accueil")
    people = []
    for n in range(PEOPLE):   # Chaudfontaine: a commune no other test uses
        r = ok(intake.post("/api/v1/persons", registration("62022", "4050", n)), 201)
        assert r.json()["eligibility"]["status"] == "obligated"
        people.append(r.json()["person_id"])
    net = network(stack, "cripel", capacity=PEOPLE, sessions=SESSIONS, hours=HOURS)
    referrals = [net.refer(p, consent=(i == 0), partage={"first_name": "Nadia",
                                                         "contact": "0470 12 34 56"}
                           if i == 0 else None) for i, p in enumerate(people)]
    for rid in referrals:
        assert net.accept(rid)["status"] == "accepted"
    return {"people": people, "referrals": referrals, "net": net}


def csv_file(flow) -> tuple[bytes, dict[str, float]]:
    """5,000 rows: 4,997 good ones and 3 bad ones at known lines; hours per person."""
    net = flow["net"]
    lines, expected = ["Orientation;Date;Heures;Présence;Motif"], Counter()
    for person, rid in zip(flow["people"], flow["referrals"]):
        for day in net.sessions:
            lines.append(f"{rid};{day[8:10]}/{day[5:7]}/{day[:4]};{HOURS:g};oui;")
            expected[person] += HOURS
    last_person, last_rid = flow["people"][-1], flow["referrals"][-1]
    for n, bad in ((1000, f"inconnue-xyz;{net.sessions[0]};2;oui;"),
                   (2000, f"{last_rid};32/13/2026;2;oui;"),
                   (3000, f"{last_rid};{net.sessions[1]};deux;oui;")):
        removed = lines.pop(n)                   # keep 5,000 rows: replace a good one
        expected[flow["people"][(n - 1) // SESSIONS]] -= HOURS
        lines.insert(n, bad)
        assert removed.split(";")[0] in flow["referrals"]
    assert len(lines) == 5001 and last_person
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"), dict(expected)


def upload(client: ApiClient, body: bytes):
    return client.post("/api/v1/attendance/csv", data=body, timeout=1800,
                       headers={"Content-Type": "text/csv; charset=utf-8"})


def credited(pathway: ApiClient, person: str) -> float:
    return ok(pathway.get(f"/api/v1/pathways/{person}")).json()["hours_credited"]["french"]


def state_of_everything(stack, mongo, flow) -> dict:
    """What a second upload must not change: the partners and pathway stores, and the
    reporting projections' documents for this operator."""
    net = flow["net"]
    reporting = mongo["cri_region_reporting"]
    return {
        "partners_commits": mongo["cri_cripel_partners"]["commits"].count_documents({}),
        "pathway_commits": mongo["cri_cripel_pathway"]["commits"].count_documents({}),
        "attendance_docs": sorted(json.dumps(d, sort_keys=True, default=str) for d in
                                  reporting["attendance"].find({"operator_id": net.operator_id})),
        "offer_doc": json.dumps(reporting["offers"].find_one(
            {"_id": f"cripel:offer-{net.offer_id}"}), sort_keys=True, default=str)}


def operator_hours(analyst: ApiClient, net, years: set[str]) -> float:
    total = 0.0
    for year in sorted(years):
        body = ok(analyst.get(f"/api/v1/statistics/heures-par-operateur?year={year}")).json()
        keys = [c["key"] for c in body["columns"]]
        row = next((r for r in body["rows"] if r["key"] == f"cripel:{net.operator_id}"), None)
        if row:
            total += row["cells"][keys.index("cripel")]["value"] or 0.0
    return total


def test_csv_attendance_reaches_the_pathway_and_reporting_exactly_once(stack, infra, mongo,
                                                                        flow):
    net = flow["net"]
    body, expected = csv_file(flow)
    r = ok(upload(net.operator, body))
    result = r.json()
    assert (result["rows"], result["applied"], result["rejected"]) == (5000, 4997, 3), result
    assert [row["line"] for row in result["rejected_rows"]] == [1001, 2001, 3001]
    reasons = [row["reason"] for row in result["rejected_rows"]]
    assert "inconnue" in reasons[0] and "date illisible" in reasons[1] and \
        "heures illisibles" in reasons[2]

    pathway = stack.client("cripel", "pathway", "coordination")
    for person in flow["people"]:
        eventually(lambda: credited(pathway, person) == expected[person], timeout=WAIT)
    analyst = stack.client("region", "reporting", "analyste")
    years = {d[:4] for d in net.sessions}
    eventually(lambda: operator_hours(analyst, net, years) == sum(expected.values()),
               timeout=WAIT)
    seats = ok(analyst.get("/api/v1/statistics/places-des-offres")).json()
    taken = next(r for r in seats["rows"] if r["key"] == "taken")
    keys = [c["key"] for c in seats["columns"]]
    assert (taken["cells"][keys.index("cripel")]["value"] or 0) >= PEOPLE

    # The same file again: nothing anywhere moves.
    kafka = infra["kafka_bootstrap_servers"]
    before = state_of_everything(stack, mongo, flow)
    again = ok(upload(net.operator, body)).json()
    assert (again["applied"], again["unchanged"], again["rejected"]) == (0, 4997, 3), again
    for group in ("pathway-cripel-partners", "reporting-projector"):
        eventually(lambda: caught_up(kafka, group, "cri.cripel.partners.events"), timeout=WAIT)
    assert state_of_everything(stack, mongo, flow) == before
    assert all(credited(pathway, p) == expected[p] for p in flow["people"][:5])

    # A correction supersedes one report; the pathway and reporting follow.
    first, rid = flow["people"][0], flow["referrals"][0]
    day = net.sessions[-1]
    fix = f"orientation;date;heures;presence;motif;correction\n{rid};{day};0;non;justifiée;oui\n"
    assert ok(upload(net.operator, fix.encode())).json()["applied"] == 1
    eventually(lambda: credited(pathway, first) == expected[first] - HOURS, timeout=WAIT)
    eventually(lambda: operator_hours(analyst, net, years) == sum(expected.values()) - HOURS,
               timeout=WAIT)


def test_the_pathway_shows_its_referrals(stack, flow):
    pathway = stack.client("cripel", "pathway", "coordination")
    person, rid = flow["people"][0], flow["referrals"][0]
    items = eventually(lambda: [i for i in ok(pathway.get(
        f"/api/v1/pathways/{person}/referrals")).json()["items"]
        if i["referral_id"] == rid and i["status"] == "accepted"], timeout=WAIT)
    assert items[0]["offer_id"] == flow["net"].offer_id


def test_another_operator_sees_and_changes_nothing(stack, mongo, flow):
    net = flow["net"]
    other = network(stack, "cripel", capacity=5, sessions=2)
    rid = flow["referrals"][1]
    for path in (f"/api/v1/referrals/{rid}", f"/api/v1/offers/{net.offer_id}",
                 f"/api/v1/offers/{net.offer_id}/waiting-list",
                 f"/api/v1/attendance?referral_id={rid}",
                 f"/api/v1/referrals?operator_id={net.operator_id}"):
        r = other.operator.get(path)
        assert r.status_code == 403, (path, r.status_code, r.text)
        assert r.headers["Content-Type"].startswith("application/problem+json")
    mine = ok(other.operator.get("/api/v1/referrals")).json()
    assert mine["total"] == 0
    commits = mongo["cri_cripel_partners"]["commits"].count_documents({})
    for path, body in ((f"/api/v1/referrals/{rid}/acceptance", None),
                       (f"/api/v1/referrals/{rid}/drop-out", {"reason": "moved"}),
                       ("/api/v1/attendance", {"referral_id": rid, "hours": 2,
                                               "session_date": net.sessions[0]})):
        assert other.operator.post(path, body).status_code == 403, path
    csv = f"orientation;date;heures\n{rid};{net.sessions[0]};1\n".encode()
    result = ok(upload(other.operator, csv)).json()
    assert result["rejected"] == 1 and "autre opérateur" in result["rejected_rows"][0]["reason"]
    # A partner account without an operator, another centre's partner, a region token.
    for client in (stack.client("cripel", "partners", "partenaire"),
                   ApiClient(stack.url("cripel", "partners"),
                             stack.token("partenaire", "cai", operator_id=net.operator_id)),
                   stack.client("cripel", "partners", "coordination", token_centre="region")):
        assert client.get(f"/api/v1/referrals/{rid}").status_code == 403
        assert upload(client, csv).status_code == 403
    assert mongo["cri_cripel_partners"]["commits"].count_documents({}) == commits


def test_the_operator_sees_only_what_was_consented(stack, mongo, flow):
    net = flow["net"]
    body = ok(net.operator.get(f"/api/v1/referrals?offer_id={net.offer_id}&page_size=200"))
    items = {i["referral_id"]: i for i in body.json()["items"]}
    assert items[flow["referrals"][0]]["partage"] == {"first_name": "Nadia",
                                                      "contact": "0470 12 34 56"}
    assert all(items[r]["partage"] is None for r in flow["referrals"][1:])
    text = body.text
    assert "national_number" not in text and "last_name" not in text
    db = mongo["cri_cripel_partners"]
    stored = json.dumps([*db["commits"].find({"stream_id": f"offer-{net.offer_id}"}),
                         *db["partners_referrals"].find({"offer_id": net.offer_id})],
                        default=str)
    assert flow["referrals"][0] in stored                            # the right documents
    assert "Nadia" not in stored and "0470 12 34 56" not in stored   # encrypted at rest
