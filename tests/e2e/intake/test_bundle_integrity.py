"""Forged transfer bundles on the real region topic, read by CAI's real intake worker:
unsigned, signed with another key, or sent under another centre's source, they are
refused (dead-lettered with the reason, never registered) and the consumer goes on; the
same bundle signed with cripel's key is registered. The forgery is the point here: this
test publishes on cri.region.transfers what an attacker could."""
from __future__ import annotations

import base64
import json
import uuid
from datetime import datetime, timezone

import pytest
from kafka import KafkaProducer
from kafka.errors import KafkaError

from services.intake.domain.person_state import PersonState
from services.intake.domain.transfers import BUNDLE_SIGNATURE, file_from_state, signed_part
from shared.events import envelope
from shared.sealed import seal
from shared.signing import generate_pem, sign
from tests.api_client import eventually
from tests.e2e.intake import kafka_scan
from shared import clock

pytestmark = pytest.mark.infra
GROUP = "cai.intake.transfers-in"


def _bundle(secrets_dir, person_id: str) -> dict:
    state = PersonState(person_id=person_id, centre="cripel", pseudonym=f"w-{uuid.uuid4().hex}",
                        pseudonym_strength="weak", sex="F", nationality="MA",
                        commune_nis="62063", registered_on="2026-01-05",
                        personal={"last_name": "Zorvika", "first_name": "Anouk",
                                  "birth_date": "1991-04-02"})
    transfer_id = f"forged-{uuid.uuid4().hex[:12]}"
    file = file_from_state(state, [], transfer_id, "cai", clock.today())
    cai_pub = (secrets_dir / "public" / "cai.pub.pem").read_text()
    sealed = base64.b64encode(seal(json.dumps(file).encode(), cai_pub)).decode()
    return {"transfer_id": transfer_id, "person_id": person_id, "from_centre": "cripel",
            "to_centre": "cai", "sealed": sealed}


def _publish(producer, source: str, data: dict) -> None:
    stream = f"person-{data['person_id']}"
    event = {"type": "intake.PersonFileHandedOver", "version": 1, "data": data}
    key, value, headers = envelope.encode(source, stream, 1, 0,
                                          datetime.now(timezone.utc).isoformat(), event)
    producer.send(envelope.REGION_TRANSFERS, key=key, value=value, headers=headers).get(30)


def _consumed(bootstrap: str) -> bool:
    try:
        return kafka_scan.consumed(bootstrap, GROUP, envelope.REGION_TRANSFERS)
    except KafkaError:          # the group coordinator is not elected yet: ask again
        return False


def test_unsigned_forged_and_misattributed_bundles_are_refused(intake):
    secrets_dir = intake.stack.stack.home / "secrets"
    cripel_key = (secrets_dir / "cripel" / "signing.pem").read_text()
    attacker_key = generate_pem()[0].decode()
    cases = {}
    for reason, key, source in (("unsigned", None, "/cri/cripel/intake"),
                                ("forged", attacker_key, "/cri/cripel/intake"),
                                ("misattributed", cripel_key, "/cri/cai/intake"),
                                (None, cripel_key, "/cri/cripel/intake")):   # the genuine one
        data = _bundle(secrets_dir, str(uuid.uuid4()))
        data["signature"] = sign(BUNDLE_SIGNATURE, signed_part(data), key) if key else None
        cases[data["person_id"]] = (reason, source, data)
    producer = KafkaProducer(bootstrap_servers=intake.kafka)
    try:
        for reason, source, data in cases.values():
            _publish(producer, source, data)
    finally:
        producer.close()

    # The consumer read past every one of them: it was not stopped by a refusal.
    eventually(lambda: _consumed(intake.kafka), 90, 0.5)
    commits = intake.db("cai")["commits"]
    genuine = next(pid for pid, (reason, *_) in cases.items() if reason is None)
    eventually(lambda: commits.count_documents({"stream_id": f"person-{genuine}"}) == 1, 30)

    dead = {}
    for rec in kafka_scan.read_all(intake.kafka, [envelope.dlq(envelope.REGION_TRANSFERS)]):
        headers = dict(rec.headers)
        if headers.get("dlq_group") == GROUP.encode():
            dead[json.loads(rec.value)["person_id"]] = headers["dlq_error"].decode()
    cai = intake.client("cai", "accueil")
    for pid, (reason, _, _) in cases.items():
        if reason is None:
            assert pid not in dead
            continue
        assert commits.count_documents({"stream_id": f"person-{pid}"}) == 0, reason
        assert cai.get(f"/api/v1/persons/{pid}").status_code == 404
        assert pid in dead and f"({reason})" in dead[pid], (reason, dead.get(pid))
