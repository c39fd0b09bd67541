"""Test harness: the real Kafka and FerretDB, started once per session by the project's
own launcher on free ports (or testcontainers' Kafka and MongoDB with CRI_TEST_DOCKER=1,
or external services named by KAFKA_BOOTSTRAP_SERVERS and MONGODB_URI).

Unit tests under tests/unit never touch these fixtures, so they run without any infra.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pymongo
import pytest


def pytest_sessionstart(session):
    # A SIGTERM (CI time-out, Ctrl-C from a wrapper) must still run the fixtures'
    # teardown, which stops the Kafka and FerretDB processes the session started.
    import signal

    def _interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, _interrupt)


@pytest.fixture(scope="session")
def var_home():
    """Not under pytest's tmp dir (mode 0700): as root, the PostgreSQL cluster inside it
    runs as the `postgres` user, which must be able to reach it."""
    import shutil
    import tempfile
    home = Path(tempfile.mkdtemp(prefix="cri-test-var-"))
    home.chmod(0o755)
    os.environ["CRI_VAR_DIR"] = str(home)
    yield home
    if os.environ.get("CRI_TEST_KEEP_VAR") != "1":   # keep logs and stores to look at
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def infra(var_home):
    """{'kafka_bootstrap_servers': ..., 'mongodb_uri': ..., 'kind': ...}"""
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS") and os.environ.get("MONGODB_URI"):
        yield {"kafka_bootstrap_servers": os.environ["KAFKA_BOOTSTRAP_SERVERS"],
               "mongodb_uri": os.environ["MONGODB_URI"], "kind": "external"}
        return
    if os.environ.get("CRI_TEST_DOCKER") == "1":
        from testcontainers.kafka import KafkaContainer
        from testcontainers.mongodb import MongoDbContainer
        with KafkaContainer("apache/kafka:4.1.1").with_kraft() as kafka, \
                MongoDbContainer("mongo:7") as mongo:
            yield {"kafka_bootstrap_servers": kafka.get_bootstrap_server(),
                   "mongodb_uri": mongo.get_connection_url(), "kind": "testcontainers"}
        return
    from shared.infra.launcher import Infra
    # The tests never crash the OS under PostgreSQL: skip the WAL flush per commit.
    os.environ.setdefault("CRI_PG_SYNCHRONOUS_COMMIT", "off")
    os.environ.setdefault("CRI_PG_SHARED_BUFFERS", "512MB")
    launcher = Infra(var_home)
    try:
        endpoints = launcher.up()  # inside the try: a failed start still stops its part
        print(f"\n[infra] launcher: Kafka at {endpoints['kafka_bootstrap_servers']}, "
              f"FerretDB at {endpoints['mongodb_uri']}")
        yield {**endpoints, "kind": "launcher (Kafka KRaft + FerretDB/PostgreSQL)",
               "postgres": launcher.postgres()}
    finally:
        launcher.down()


@pytest.fixture(scope="session")
def mongo(infra):
    client = pymongo.MongoClient(infra["mongodb_uri"], tz_aware=True)
    yield client
    client.close()


@pytest.fixture
def fresh_db(mongo):
    """A database of its own for one test, dropped afterwards."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    yield mongo[name]
    try:
        with pymongo.timeout(30):
            mongo.drop_database(name)
    except pymongo.errors.PyMongoError as exc:  # a leftover database harms no other test
        print(f"\n[fresh_db] {name} not dropped: {type(exc).__name__}")


@pytest.fixture
def topic_name():
    return f"cri.t{uuid.uuid4().hex[:10]}.test.events"


@pytest.fixture(scope="session")
def stack(infra, var_home):
    """The services of two centres (cripel, cai) and the region, as real processes."""
    from shared.infra.stack import Stack
    os.environ.setdefault("CRI_AUDIT_ANCHOR_SECONDS", "2")   # anchors seen within seconds
    base = _free_port_block(31)
    st = Stack(var_home, ("cripel", "cai"), base_port=base)
    import threading
    stop = threading.Event()
    try:
        urls = st.up(infra)
        supervisor = threading.Thread(target=st.supervise, args=(stop,), daemon=True)
        supervisor.start()   # as `cri up` does: a process that dies is restarted
        yield StackHandle(st, urls)
    finally:
        stop.set()
        st.down()  # also what a failed start-up left running


class StackHandle:
    def __init__(self, stack, urls: dict):
        self.stack = stack
        self.urls = urls

    def url(self, centre: str, service: str) -> str:
        return self.urls["reporting"] if service == "reporting" else \
            self.urls["centres"][centre][service]

    def token(self, role: str, centre: str, operator_id: str | None = None) -> str:
        return self.stack.issuer().token([role], centre, operator_id=operator_id)

    def client(self, centre: str, service: str, role: str, token_centre: str | None = None,
               operator_id: str | None = None):
        from tests.api_client import ApiClient
        return ApiClient(self.url(centre, service),
                         self.token(role, token_centre or centre, operator_id))


def _free_port_block(n: int) -> int:
    """A block of n ports free to bind, below Linux's ephemeral range (32768+), where
    outgoing connections take their local ports and a connect test would not see them."""
    import random
    import socket
    bases = list(range(18100, 32000, 100))
    random.shuffle(bases)  # parallel test sessions on one machine rarely collide
    for base in bases:
        try:
            for p in range(base, base + n):
                with socket.socket() as s:
                    s.bind(("127.0.0.1", p))
        except OSError:
            continue
        return base
    raise RuntimeError("no free port block")
