"""`cri infra up|down`: Kafka, PostgreSQL and FerretDB as local processes; `down` stops all
three; the store's data survives a restart (same cluster, same port)."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pymongo
import pytest

from shared.infra.launcher import Infra
from shared.infra.processes import alive

pytestmark = pytest.mark.infra


@pytest.fixture
def home():
    path = Path(tempfile.mkdtemp(prefix="cri-launcher-"))
    path.chmod(0o755)
    yield path
    Infra(path).down()
    shutil.rmtree(path, ignore_errors=True)


def test_down_stops_everything_and_data_survives_a_restart(home, infra):
    if infra["kind"] != "launcher (Kafka KRaft + FerretDB/PostgreSQL)":
        pytest.skip(f"the launcher itself is under test; this session uses {infra['kind']}")
    launcher = Infra(home)
    endpoints = launcher.up()
    assert set(endpoints) == {"kafka_bootstrap_servers", "mongodb_uri"}
    with pymongo.MongoClient(endpoints["mongodb_uri"]) as client:
        client["keep"]["things"].insert_one({"_id": "a", "note": "survit"})
    pids = {name: entry["pid"] for name, entry in launcher.state.read().items()}
    assert set(pids) == {"kafka", "postgres", "ferretdb"}
    assert launcher.down() == ["ferretdb", "postgres", "kafka"]
    assert not any(alive(pid) for pid in pids.values())
    endpoints = launcher.up()
    with pymongo.MongoClient(endpoints["mongodb_uri"]) as client:
        assert client["keep"]["things"].find_one({"_id": "a"})["note"] == "survit"
    assert all(entry["running"] for entry in launcher.status().values())
    assert os.path.exists(home / "postgres" / "data" / "PG_VERSION")
