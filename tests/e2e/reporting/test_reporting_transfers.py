"""A transfer between centres on the real stack: five people registered at cripel in
Visé move to Gembloux (CAI's territory); pathway proposes the transfers, CAI accepts,
intake hands the files over. Reporting then counts them once, at CAI, in Gembloux, and
counts the transfers separately."""
from __future__ import annotations

import pytest

from tests.api_client import eventually
from tests.e2e.reporting.people import registration
from tests.e2e.reporting.test_reporting_e2e import cells

VISE, GEMBLOUX = ("62108", "4600"), ("92142", "5030")
MOVERS = 5

# Earlier tests in a full run (the privacy scan registers 1,000 people) leave the
# workers a backlog to consume on FerretDB first; the wait is for that, not for us.
QUEUE_WAIT = 400


def ok(resp, *codes):
    assert resp.status_code in (codes or (200,)), (resp.status_code, resp.text[:1000])
    return resp


@pytest.fixture(scope="module")
def moved(stack):
    intake = stack.client("cripel", "intake", "accueil")
    pathway = stack.client("cripel", "pathway", "coordination")
    cai = stack.client("cai", "pathway", "coordination")
    people = [ok(intake.post("/api/v1/persons", json=registration(*VISE, n)), 201).json()
              ["person_id"] for n in range(MOVERS)]
    for pid in people:
        eventually(lambda: ok(pathway.get(f"/api/v1/pathways/{pid}")), timeout=QUEUE_WAIT)
    known = {i["transfer_id"] for i in ok(cai.get("/api/v1/transfers/incoming")).json()["items"]}
    for pid in people:
        r = ok(intake.get(f"/api/v1/persons/{pid}"))
        r = ok(intake.post(f"/api/v1/persons/{pid}/address", etag=r.headers["ETag"], json={
            "commune_nis": GEMBLOUX[0], "address": {"street": "Rue Chapelle-Marion",
                                                    "house_number": "1",
                                                    "postal_code": GEMBLOUX[1]}}))
        assert r.json()["moved_to_centre"] == "cai"

    def arrived():
        items = [i for i in ok(cai.get("/api/v1/transfers/incoming")).json()["items"]
                 if i["transfer_id"] not in known and i["from_centre"] == "cripel"]
        return len(items) >= MOVERS and items
    for item in eventually(arrived, timeout=90, interval=1):
        ok(cai.post(f"/api/v1/transfers/{item['transfer_id']}/accept"))
    return people


def test_transferred_people_count_once_where_they_are_now(moved, analyst):
    def counted():
        c = cells(ok(analyst.get("/api/v1/statistics/personnes-par-commune")).json())
        assert c.get((GEMBLOUX[0], "cai"), {}).get("value") == MOVERS, c.get((GEMBLOUX[0], "cai"))
        return c
    c = eventually(counted, timeout=120, interval=1)
    # not also at cripel (whose files now only forward), and nobody left in Visé
    assert c[(GEMBLOUX[0], "cripel")] == {"value": 0, "flag": None}
    assert (VISE[0], "cripel") not in c


def test_transfers_are_counted_apart(moved, analyst):
    def published():
        body = ok(analyst.get("/api/v1/statistics/transferts")).json()
        cell = cells(body)[("cripel", "cai")]
        assert cell["flag"] or cell["value"] >= MOVERS, cell
        total = cells(body)[("total", "total")]
        assert total["flag"] or total["value"] >= MOVERS, total
        return body
    body = eventually(published, timeout=120, interval=1)
    assert body["title"].startswith("Transferts")
