"""`cri audit verify` on the running stack: the workers anchor their chain heads on
cri.region.anchors; after a whole stream is deleted and a commit modified in cripel's
intake store, the command exits 1 naming both (the chain alone cannot see a deletion)."""
from __future__ import annotations

from shared.store.layout import logical

import base64
import subprocess
import sys

import pytest

from shared import bus
from shared.anchors import read_anchored
from shared.store import audit
from tests.api_client import eventually
from tests.e2e.intake import people

pytestmark = pytest.mark.infra
DB, SOURCE = "cri_cripel_intake", "/cri/cripel/intake"


def _verify(stack, infra) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "services.cli", "audit", "verify", "--db", DB,
         "--mongodb-uri", infra["mongodb_uri"], "--kafka", infra["kafka_bootstrap_servers"],
         "--keys-dir", str(stack.stack.home / "secrets")],
        capture_output=True, text=True, timeout=300)


def _anchored(stack, infra) -> dict:
    key = base64.b64decode((stack.stack.home / "secrets" / "cripel" / "audit_key").read_text())
    consumer = bus.consumer(infra["kafka_bootstrap_servers"], None)
    try:
        return read_anchored(consumer, {"cripel": key}).get(SOURCE, {})
    finally:
        consumer.close()


def test_audit_verify_names_a_deleted_stream_and_a_modified_commit(stack, infra, mongo):
    accueil = stack.client("cripel", "intake", "accueil")
    ids = []
    for _ in range(2):
        r = accueil.post("/api/v1/persons", json=people.body())
        assert r.status_code == 201, r.text
        ids.append(f"person-{r.json()['person_id']}")
    commits = mongo[DB]["commits"]
    assert all(logical(d).get("chain") == 2 for d in commits.find({"stream_id": {"$in": ids}}))
    heads = {s: h for s, h in audit.heads(commits).items() if s in ids}
    assert set(heads) == set(ids)
    anchored = eventually(lambda: (a := _anchored(stack, infra)) and all(
        a.get(s, (0,))[0] >= v for s, (v, _) in heads.items()) and a, 90, 1.0)
    ok = _verify(stack, infra)
    assert ok.returncode == 0, ok.stdout + ok.stderr

    deleted, modified = ids
    saved = list(commits.find({"stream_id": deleted}))
    original = commits.find_one({"_id": f"{modified}:0000000001"})
    try:
        commits.delete_many({"stream_id": deleted})
        commits.update_one({"_id": original["_id"]}, {"$set": {"recorded_at": "2020-01-01"}})
        bad = _verify(stack, infra)
        assert bad.returncode == 1, bad.stdout + bad.stderr
        assert f"{deleted} v{anchored[deleted][0]}: deleted" in bad.stdout, bad.stdout
        assert f"{modified} v1: altered" in bad.stdout, bad.stdout
    finally:
        commits.replace_one({"_id": original["_id"]}, original)
        for doc in saved:
            commits.replace_one({"_id": doc["_id"]}, doc, upsert=True)
    again = _verify(stack, infra)
    assert again.returncode == 0, again.stdout + again.stderr
