"""Transfer between centres, intake's side: the sending centre seals the file for the
receiving centre on cri.region.transfers and keeps a forwarding record; the receiving
centre opens it and registers the person under the same id."""
from __future__ import annotations

import json
import uuid

from shared import bus
from shared.events import envelope
from tests.api_client import eventually
from tests.e2e.intake import kafka_scan, people


def _transfer_completed(intake, person_id: str, transfer_id: str) -> None:
    """What cripel's pathway publishes when CAI accepted the transfer."""
    event = {"type": "pathway.TransferCompleted", "version": 1,
             "data": {"transfer_id": transfer_id, "to_centre": "cai",
                      "completed_on": "2026-01-15"}}
    key, value, headers = envelope.encode("/cri/cripel/pathway", f"pathway-{person_id}", 7, 0,
                                          "2026-01-15T10:00:00+00:00", event)
    producer = bus.producer(intake.kafka)
    try:
        producer.send("cri.cripel.pathway.events", key=key, value=value,
                      headers=headers).get(timeout=30)
    finally:
        producer.close()


def test_file_handed_over_sealed_and_registered_at_the_receiver(intake, accueil, register):
    body = people.body()
    f = register(body)
    pid = f["person_id"]
    path = f"/api/v1/persons/{pid}"
    accueil.put(f"{path}/bilan-social", etag=1, json={"needs": {"housing": {"need": True,
                                                                           "notes": "urgent"}}})
    r = accueil.post(f"{path}/address", etag=2, json={
        "commune_nis": "92094", "address": {"street": "Rue de Fer", "house_number": "4",
                                            "postal_code": "5000"}})
    assert r.json()["moved_to_centre"] == "cai"
    transfer_id = str(uuid.uuid4())
    _transfer_completed(intake, pid, transfer_id)

    def forwarded():
        r = accueil.get(path)
        assert r.status_code == 410, r.text
        return r.json()
    gone = eventually(forwarded, 60, 0.5)
    assert gone["transferred_to"] == "cai" and "transféré vers CAI" in gone["detail"]

    cai = intake.client("cai", "accueil")
    received = eventually(lambda: (r := cai.get(path)).status_code == 200 and r, 60, 0.5)
    got = received.json()
    assert got["identity"]["last_name"] == body["last_name"]
    assert got["identity"]["national_number"] == body["national_number"]
    assert got["centre"] == "cai" and got["received_from"] == "cripel"
    assert got["address"]["commune_nis"] == "92094" and got["address"]["street"] == "Rue de Fer"
    assert got["bilan_social"]["needs"]["housing"]["notes"] == "urgent"
    assert got["eligibility"]["status"] == f["eligibility"]["status"]
    eventually(lambda: cai.get("/api/v1/persons", params={"q": body["last_name"]})
               .json()["total"] == 1, 30)
    assert accueil.get("/api/v1/persons", params={"q": body["last_name"]}).json()["total"] == 0
    # the receiving centre holds its own key; the sender keeps a forwarding record only
    assert intake.db("cai")["keys"].find_one({"_id": pid})["wrapped"]
    dpo = intake.client("cripel", "dpo")
    assert dpo.get(f"{path}/export").json()["transferred_to"] == "cai"

    # on the region topic: ids and centres in clear, the file sealed
    def bundle():
        for rec in kafka_scan.read_all(intake.kafka, [envelope.REGION_TRANSFERS]):
            data = json.loads(rec.value)
            if data.get("transfer_id") == transfer_id:
                return rec, data
        return None
    rec, data = eventually(bundle, 30, 0.5)
    assert dict(rec.headers)["ce_type"] == b"be.wallonie.cri.intake.PersonFileHandedOver.v1"
    assert set(data) == {"transfer_id", "person_id", "from_centre", "to_centre", "sealed"}
    assert (data["from_centre"], data["to_centre"], data["person_id"]) == ("cripel", "cai", pid)
    assert body["last_name"] not in rec.value.decode() and "Rue de Fer" not in rec.value.decode()

    # a redelivered TransferCompleted changes nothing (idempotent on both sides)
    version = received.headers["ETag"]
    _transfer_completed(intake, pid, transfer_id)
    eventually(lambda: kafka_scan.consumed(intake.kafka, "cripel.intake.transfers-out",
                                           "cri.cripel.pathway.events"), 30, 0.5)
    duplicates = len([r for r in kafka_scan.read_all(intake.kafka, [envelope.REGION_TRANSFERS])
                      if json.loads(r.value).get("transfer_id") == transfer_id])
    assert duplicates == 1
    assert cai.get(path).headers["ETag"] == version
