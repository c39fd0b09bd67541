"""What the pathway puts on cri.region.transfers for a transfer, read back from the real
topic: routing in clear, the preview and the history (an illness suspension, the
permit date, the justification) only sealed for the receiving centre's pathway key.

(Named to run after the replay test: the suspension's precise reason stays in cripel's
store only, which a replay from the topics does not rebuild.)"""
from __future__ import annotations

import base64
import json
import uuid

import pytest

from services.pathway.adapters import topic_replay
from shared.events import envelope
from shared.events.envelope import REGION_TRANSFERS
from shared.infra import secrets
from shared.sealed import SealError, open_sealed
from tests.api_client import eventually

from .journey import QUEUE_WAIT, etag, ok

pytestmark = pytest.mark.infra


def test_region_messages_carry_no_art9_reason_justification_or_permit_date(stack, infra):
    intake = stack.client("cripel", "intake", "accueil")
    pathway = stack.client("cripel", "pathway", "coordination")
    cai = stack.client("cai", "pathway", "coordination")
    letters = "".join(chr(ord("a") + int(c, 16) % 26) for c in uuid.uuid4().hex[:8])
    r = ok(intake.post("/api/v1/persons", {
        "last_name": f"Scelle{letters}", "first_names": "Amina", "birth_date": "1988-02-03",
        "sex": "F", "nationality": "SY", "commune_nis": "62063", "permit_type": "B",
        "permit_order_date": "2025-06-01", "arrival_date": "2025-05-20",
        "address": {"street": "Rue Saint-Gilles", "house_number": "14",
                    "postal_code": "4000"}}), 201)
    person = r.json()["person_id"]
    base = f"/api/v1/pathways/{person}"
    p = eventually(lambda: ok(pathway.get(base)), timeout=QUEUE_WAIT)
    # an illness suspension (GDPR art. 9), before the clock started: the deadline stays
    ok(pathway.post(f"{base}/suspensions", {"reason": "illness", "start": "2025-05-01",
                                            "end": "2025-05-10"}, etag=etag(p)), 201, 200)
    known = {i["transfer_id"] for i in ok(cai.get("/api/v1/transfers/incoming")).json()["items"]}
    r = ok(intake.get(f"/api/v1/persons/{person}"))
    r = ok(intake.post(f"/api/v1/persons/{person}/address", {
        "commune_nis": "92094", "address": {"street": "Rue de Fer", "house_number": "5",
                                            "postal_code": "5000"}}, etag=etag(r)))
    assert r.json()["moved_to_centre"] == "cai"
    item = eventually(lambda: next((i for i in ok(cai.get("/api/v1/transfers/incoming"))
                                    .json()["items"] if i["transfer_id"] not in known), None),
                      timeout=QUEUE_WAIT)
    assert item["preview"]["status"] == "obligated"           # opened by cai's pathway
    assert item["preview"]["rule_version"] == "2025"
    ok(cai.post(f"/api/v1/transfers/{item['transfer_id']}/accept"))
    arrived = eventually(lambda: ok(cai.get(base)), timeout=QUEUE_WAIT).json()
    assert arrived["previous_centres"] == ["cripel"]

    stream = f"transfer-{item['transfer_id']}"
    def sent():
        envs = topic_replay.read_topics(infra["kafka_bootstrap_servers"], [REGION_TRANSFERS],
                                        envelope.source("cripel", "pathway"))
        mine = {e.type: e for e in envs if e.subject == stream}
        return mine if {"pathway.TransferOffered", "pathway.TransferHistorySent"} <= set(mine) \
            else None
    messages = eventually(sent, timeout=QUEUE_WAIT)

    cai_key = secrets.centre_keypair(stack.stack.home, "cai", "pathway")[0].read_text()
    # the sender's own pathway key (and intake's keys of cai) do not open it either
    others = [secrets.centre_keypair(stack.stack.home, "cripel", "pathway")[0].read_text(),
              secrets.centre_keypair(stack.stack.home, "cai")[0].read_text()]
    history = json.loads(open_sealed(base64.b64decode(
        messages["pathway.TransferHistorySent"].data["sealed"]), cai_key))["history"]
    # what the receiver reads sealed is precise…
    assert [s["reason"] for s in history["suspensions"]] == ["illness"]
    permit = history["permit_order_date"]
    assert permit and "justification" in history
    for env in messages.values():
        assert env.version == 2 and env.data["signature"]
        clear = json.dumps(env.data)
        # …and none of it is in clear on the shared topic
        for secret in ("illness", "motif_protege", permit, '"suspensions"', '"justification"',
                       '"history"', '"preview"', '"interviews"', history["pseudonym"]):
            assert secret not in clear, (env.type, secret)
        for other in others:
            with pytest.raises(SealError):
                open_sealed(base64.b64decode(env.data["sealed"]), other)
