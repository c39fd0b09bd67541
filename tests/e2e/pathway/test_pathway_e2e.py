"""Two centres on one Kafka: register at cripel, follow, move, accept at cai, finish,
attest, verify publicly; cripel can no longer read the file."""
from __future__ import annotations

import pytest

from tests.api_client import eventually

from .journey import ok, public

pytestmark = pytest.mark.infra


def test_attestation_is_publicly_verifiable_without_a_token(stack, journey):
    anonymous = public(stack, "cai")
    v = ok(anonymous.get(f"/api/v1/attestations/{journey.number}/verification")).json()
    assert v["status"] == "valid" and v["centre"] == "cai" and v["initials"] == "S.E."
    assert journey.number.startswith("CAI-")
    assert journey.verification_url == (f"{stack.url('cai', 'pathway')}/verification/"
                                        f"{journey.number}")
    page = ok(anonymous.get(f"/verification/{journey.number}"))
    assert "Attestation valide" in page.text and "S.E." in page.text
    pdf = ok(stack.client("cai", "pathway", "accueil").get(
        f"/api/v1/attestations/{journey.number}/pdf"))
    assert pdf.content.startswith(b"%PDF")
    # cripel issued nothing under that number
    assert anonymous.get(f"/verification/{journey.number}").status_code == 200
    assert public(stack, "cripel").get(
        f"/api/v1/attestations/{journey.number}/verification").status_code == 404


def test_first_centre_can_no_longer_read_the_file(stack, journey):
    base = f"/api/v1/pathways/{journey.person_id}"
    cripel = stack.client("cripel", "pathway", "coordination")
    r = cripel.get(base)
    assert r.status_code == 410 and r.json()["forwarded_to"] == "cai"
    assert cripel.post(f"{base}/convention", {}, etag=1).status_code == 410
    listed = ok(cripel.get("/api/v1/pathways", params={"status": "open"})).json()["items"]
    assert journey.person_id not in {i["person_id"] for i in listed}
    # Other tests of the session moved people too: this person's transfer only. The
    # list is the read model, which the worker brings to the stream's last version.
    def outgoing():
        items = ok(cripel.get("/api/v1/transfers/outgoing")).json()["items"]
        return [(o["person_id"], o["state"]) for o in items
                if o["person_id"] == journey.person_id]
    eventually(lambda: outgoing() == [(journey.person_id, "accepted")], timeout=30)
    # Another centre's token reads nothing at cai either.
    assert stack.client("cai", "pathway", "coordination", token_centre="cripel").get(
        base).status_code == 403
    # Intake's side: the person's file left cripel too.
    intake = stack.client("cripel", "intake", "accueil")
    eventually(lambda: intake.get(f"/api/v1/persons/{journey.person_id}").status_code
               in (403, 410), timeout=60)
