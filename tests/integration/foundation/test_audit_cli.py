"""`cri audit verify`: exit 0 on an untouched store, 1 naming the altered stream."""
from __future__ import annotations

import subprocess
import sys

from shared.messages import DomainEvent
from shared.store.commits import CommitStore
from tests.integration.foundation.events_fixture import registry


def run_verify(uri: str, db: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "services.cli", "audit", "verify", "--db", db,
                           "--mongodb-uri", uri], capture_output=True, text=True, timeout=120)


def test_audit_verify_names_the_altered_stream_and_version(infra, mongo):
    db = mongo["cri_audit_test"]
    try:
        store = CommitStore(db["commits"], registry())
        for v in range(3):
            store.append("person-42", [DomainEvent("test.CounterIncremented", {"by": v})],
                         expected_version=v)
            store.append("person-43", [DomainEvent("test.CounterIncremented", {"by": v})],
                         expected_version=v)
        ok = run_verify(infra["mongodb_uri"], db.name)
        assert ok.returncode == 0, ok.stdout + ok.stderr
        assert "6 commits vérifiés" in ok.stdout
        raw = db["commits"].find_one({"_id": "person-43:0000000002"})
        db["commits"].update_one({"_id": raw["_id"]}, {"$set": {
            "body": raw["body"].replace('"by":1}', '"by":1000}')}})
        bad = run_verify(infra["mongodb_uri"], db.name)
        assert bad.returncode == 1
        assert "person-43 v2: altered" in bad.stdout and "person-42" not in bad.stdout
        # a field beside the body is read by nobody, yet it is not what was hashed
        db["commits"].update_one({"_id": raw["_id"]}, {"$set": {"body": raw["body"],
                                                               "events": []}})
        bad = run_verify(infra["mongodb_uri"], db.name)
        assert bad.returncode == 1 and "person-43 v2: altered" in bad.stdout
    finally:
        mongo.drop_database(db.name)
