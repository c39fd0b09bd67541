"""Transfer between centres, intake's side: the sending centre seals the file for the
receiving centre on cri.region.transfers and keeps a forwarding record; the receiving
centre opens it and registers the person under the same id."""
from __future__ import annotations

import json

from shared.events import envelope
from tests.api_client import eventually
from tests.e2e.intake import kafka_scan, people

# A full run leaves the workers a backlog (the privacy scan's 1,000 people just before):
# cripel's pathway opens this person's pathway, and proposes the transfer, after them.
WAIT = 300


def _incoming_at_cai(cai_pathway) -> set[str]:
    return {i["transfer_id"] for i in cai_pathway.get("/api/v1/transfers/incoming").json()["items"]}


def _accept_at_cai(cai_pathway, known: set[str], cripel_pathway=None, pid: str = "") -> str:
    """The real flow (no forged event): cripel's pathway proposes the transfer when the
    address moves to Namur; CAI's coordinator accepts; cripel's pathway publishes
    TransferCompleted, which cripel's intake consumes."""
    try:
        new = eventually(lambda: _incoming_at_cai(cai_pathway) - known, WAIT, 0.5)
    except AssertionError:
        if cripel_pathway is None:
            raise
        # what cripel's pathway holds then: not opened, opened late, or no transfer
        r = cripel_pathway.get(f"/api/v1/pathways/{pid}")
        raise AssertionError(f"no incoming transfer at cai within {WAIT} s; cripel's pathway: "
                             f"{r.status_code} {r.text[:600]}") from None
    (transfer_id,) = new
    r = cai_pathway.post(f"/api/v1/transfers/{transfer_id}/accept")
    assert r.status_code == 200, r.text
    return transfer_id


def test_file_handed_over_sealed_and_registered_at_the_receiver(intake, accueil, register):
    body = people.body()
    f = register(body)
    pid = f["person_id"]
    path = f"/api/v1/persons/{pid}"
    cai_pathway = intake.stack.client("cai", "pathway", "coordination")
    known = _incoming_at_cai(cai_pathway)
    accueil.put(f"{path}/bilan-social", etag=1, json={"needs": {"housing": {"need": True,
                                                                           "notes": "urgent"}}})
    r = accueil.post(f"{path}/address", etag=2, json={
        "commune_nis": "92094", "address": {"street": "Rue de Fer", "house_number": "4",
                                            "postal_code": "5000"}})
    assert r.json()["moved_to_centre"] == "cai"
    assert f["eligibility"]["status"] in ("obligated", "voluntary"), f["eligibility"]  # opened
    transfer_id = _accept_at_cai(cai_pathway, known,
                                 intake.stack.client("cripel", "pathway", "coordination"), pid)

    def forwarded():
        r = accueil.get(path)
        assert r.status_code == 410, r.text
        return r.json()
    gone = eventually(forwarded, WAIT, 0.5)
    assert gone["transferred_to"] == "cai" and "transféré vers CAI" in gone["detail"]

    cai = intake.client("cai", "accueil")
    received = eventually(lambda: (r := cai.get(path)).status_code == 200 and r, WAIT, 0.5)
    got = received.json()
    assert got["identity"]["last_name"] == body["last_name"]
    assert got["identity"]["national_number"] == body["national_number"]
    assert got["centre"] == "cai" and got["received_from"] == "cripel"
    assert got["address"]["commune_nis"] == "92094" and got["address"]["street"] == "Rue de Fer"
    assert got["bilan_social"]["needs"]["housing"]["notes"] == "urgent"
    assert got["eligibility"]["status"] == f["eligibility"]["status"]
    eventually(lambda: cai.post("/api/v1/persons/search", json={"q": body["last_name"]})
               .json()["total"] == 1, 30)
    assert accueil.post("/api/v1/persons/search", json={"q": body["last_name"]}).json()["total"] == 0
    # the receiving centre holds its own key; the sender keeps a forwarding record only
    assert intake.db("cai")["commits"].find_one({"_id": pid})["wrapped"]
    dpo = intake.client("cripel", "dpo")
    assert dpo.get(f"{path}/export").json()["transferred_to"] == "cai"

    # on the region topic: ids and centres in clear, the file sealed
    def bundle():
        for rec in kafka_scan.read_all(intake.kafka, [envelope.REGION_TRANSFERS]):
            data = json.loads(rec.value)
            if data.get("transfer_id") == transfer_id and dict(rec.headers)["ce_type"] \
                    == b"be.wallonie.cri.intake.PersonFileHandedOver.v1":
                return rec, data   # pathway's own transfer messages share the transfer id
        return None
    rec, data = eventually(bundle, 30, 0.5)
    assert dict(rec.headers)["ce_type"] == b"be.wallonie.cri.intake.PersonFileHandedOver.v1"
    assert set(data) == {"transfer_id", "person_id", "from_centre", "to_centre", "sealed",
                         "signature"}
    assert (data["from_centre"], data["to_centre"], data["person_id"]) == ("cripel", "cai", pid)
    assert body["last_name"] not in rec.value.decode() and "Rue de Fer" not in rec.value.decode()

    # accepting again changes nothing (idempotent on both sides)
    version = received.headers["ETag"]
    again = cai_pathway.post(f"/api/v1/transfers/{transfer_id}/accept")
    assert again.status_code in (200, 409), again.text
    eventually(lambda: kafka_scan.consumed(intake.kafka, "cripel.intake.transfers-out",
                                           "cri.cripel.pathway.events"), 30, 0.5)
    bundles = [r for r in kafka_scan.read_all(intake.kafka, [envelope.REGION_TRANSFERS])
               if json.loads(r.value).get("transfer_id") == transfer_id
               and dict(r.headers)["ce_type"].endswith(b"PersonFileHandedOver.v1")]
    assert len(bundles) == 1, [(dict(r.headers)["ce_id"], dict(r.headers)["ce_type"])
                               for r in bundles]
    assert cai.get(path).headers["ETag"] == version
