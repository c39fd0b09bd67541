"""Kafka (KRaft, single node) and FerretDB on PostgreSQL 15 as local processes."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from shared.infra import artifacts
from shared.infra.postgres import Cluster
from shared.infra.processes import (StateFile, alive, free_port, port_open, spawn, stop,
                                    wait_until)

# Seconds a component may take to come up: a cold JVM on a busy 2-core machine needs
# more than two minutes (measured: Kafka still starting at 120 s under load 60).
START_TIMEOUT = float(os.environ.get("CRI_START_TIMEOUT", 300))

_LOG4J = """status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = {log}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.file.ref = file
logger.kafka.name = kafka
logger.kafka.level = INFO
"""


def single_node(port: int, controller: int, data: Path, protocol: str = "PLAINTEXT",
                controller_protocol: str = "PLAINTEXT") -> list[str]:
    """server.properties of a one-node KRaft cluster (broker and controller) on loopback,
    its clients on `protocol`."""
    return ["process.roles=broker,controller", "node.id=1",
            f"controller.quorum.voters=1@127.0.0.1:{controller}",
            f"listeners={protocol}://127.0.0.1:{port},CONTROLLER://127.0.0.1:{controller}",
            f"advertised.listeners={protocol}://127.0.0.1:{port}",
            "controller.listener.names=CONTROLLER", f"inter.broker.listener.name={protocol}",
            f"listener.security.protocol.map={protocol}:{protocol},"
            f"CONTROLLER:{controller_protocol}",
            f"log.dirs={data}", "offsets.topic.replication.factor=1",
            "transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1",
            "group.initial.rebalance.delay.ms=0"]


def kafka_java(libs: Path, base: Path) -> list[str]:
    """`java` with Kafka's jars and a log4j configuration writing to `base/server.log`."""
    log4j = base / "log4j2.properties"
    log4j.write_text(_LOG4J.format(log=base / "server.log"))
    return ["java", f"-Dlog4j2.configurationFile={log4j}", "-cp", f"{libs}/*"]


def format_kafka(java: list[str], props: Path) -> None:
    """Format a KRaft node's storage (a new cluster id) for `props`."""
    cluster_id = subprocess.run(java + ["kafka.tools.StorageTool", "random-uuid"], check=True,
                                capture_output=True, text=True).stdout.strip()
    subprocess.run(java + ["kafka.tools.StorageTool", "format", "-t", cluster_id,
                           "-c", str(props)], check=True, capture_output=True)


def kafka_node(java: list[str], props: Path, heap: str) -> list[str]:
    """The argv of a Kafka node (broker and controller) for `props`."""
    return [java[0], f"-Xmx{heap}", f"-Xms{heap}", "-XX:+UseG1GC", *java[1:], "kafka.Kafka",
            str(props)]


@dataclass
class Infra:
    home: Path          # the var/ directory: data, logs, state
    kafka_port: int = 0
    mongo_port: int = 0
    postgres_port: int = 0

    @property
    def state(self) -> StateFile:
        return StateFile(self.home / "infra" / "state.json")

    def endpoints(self) -> dict:
        st = self.state.read()
        return {"kafka_bootstrap_servers": f"127.0.0.1:{st['kafka']['port']}",
                "mongodb_uri": f"mongodb://127.0.0.1:{st['ferretdb']['port']}/"}

    def status(self) -> dict:
        st = self.state.read()
        return {name: {**entry, "running": alive(entry["pid"]) and port_open(entry["port"])}
                for name, entry in st.items()}

    def up(self) -> dict:
        st = self.state.read()
        for name, start in (("kafka", self._start_kafka), ("postgres", self._start_postgres),
                            ("ferretdb", self._start_ferretdb)):
            entry = st.get(name)
            if entry and alive(entry["pid"]) and port_open(entry["port"]):
                continue  # reuse what runs
            if entry:
                stop(entry["pid"], timeout=5)
            # Record the process as soon as it is spawned so that `down` can stop it
            # even when it never became ready.
            st[name] = start(lambda e, n=name: self.state.write({**st, n: e}))
            self.state.write(st)
        return self.endpoints()

    def down(self) -> list[str]:
        st = self.state.read()
        stopped = []
        for name, entry in reversed(list(st.items())):  # FerretDB before PostgreSQL
            stop(entry["pid"])
            stopped.append(name)
        self.state.write({})
        return stopped

    def _start_kafka(self, record) -> dict:
        libs = artifacts.kafka_libs()
        base = self.home / "kafka"
        data = base / "data"
        base.mkdir(parents=True, exist_ok=True)
        ports_file = base / "ports.json"
        formatted = (data / "meta.properties").exists() and ports_file.exists()
        if formatted:
            # Reuse the ports the metadata was formatted with: the events must survive.
            ports = json.loads(ports_file.read_text())
            port, controller = ports["port"], ports["controller"]
        else:
            port, controller = self.kafka_port or free_port(), free_port()
        props = base / "server.properties"
        props.write_text("\n".join([
            *single_node(port, controller, data), "num.partitions=3",
            "offsets.topic.num.partitions=10", "auto.create.topics.enable=true",
            "log.retention.ms=-1",  # the event topics are the audit log
        ]) + "\n")
        java = kafka_java(libs, base)
        if not formatted:
            shutil.rmtree(data, ignore_errors=True)
            format_kafka(java, props)
            ports_file.write_text(json.dumps({"port": port, "controller": controller}))
        log = base / "stdout.log"
        _refuse_busy(port, "Kafka")
        pid = spawn(kafka_node(java, props, os.environ.get("CRI_KAFKA_HEAP", "768m")), log)
        entry = {"pid": pid, "port": port, "controller_port": controller, "data": str(data)}
        record(entry)
        wait_until(lambda: _check_alive(pid, "Kafka", log) and _kafka_ready(port), START_TIMEOUT,
                   "Kafka", base / "server.log")
        return entry

    def _start_ferretdb(self, record) -> dict:
        binary = artifacts.ferretdb_binary()
        port = self.mongo_port or free_port()
        base = self.home / "ferretdb"
        base.mkdir(parents=True, exist_ok=True)
        log = base / "stdout.log"
        _refuse_busy(port, "FerretDB")
        pg = self.postgres()
        pid = spawn([str(binary), f"--listen-addr=127.0.0.1:{port}", "--handler=postgresql",
                     f"--postgresql-url={pg.url()}", f"--state-dir={base}",
                     "--debug-addr=-", "--telemetry=disable", "--log-level=warn"], log)
        entry = {"pid": pid, "port": port, "postgresql_url": pg.url()}
        record(entry)
        wait_until(lambda: _check_alive(pid, "FerretDB", log) and _mongo_ready(port), START_TIMEOUT,
                   "FerretDB", log)
        return entry


    def postgres(self) -> Cluster:
        return Cluster(self.home / "postgres", self.postgres_port)

    def _start_postgres(self, record) -> dict:
        return self.postgres().start(record)


def _refuse_busy(port: int, what: str) -> None:
    if port_open(port):
        raise RuntimeError(f"port {port} for {what} is already taken by another process")


def _check_alive(pid: int, what: str, log: Path) -> bool:
    if not alive(pid):
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:]) if log.exists() else ""
        raise RuntimeError(f"{what} exited during start-up\n{tail}")
    return True


def _kafka_ready(port: int) -> bool:
    try:
        from kafka import KafkaAdminClient
        admin = KafkaAdminClient(bootstrap_servers=f"127.0.0.1:{port}",
                                 request_timeout_ms=3000)
        admin.list_topics()
        admin.close()
        return True
    except Exception:  # noqa: BLE001 - not ready yet, whatever the reason
        return False


def _mongo_ready(port: int) -> bool:
    import pymongo
    try:
        with pymongo.MongoClient(f"mongodb://127.0.0.1:{port}/",
                                 serverSelectionTimeoutMS=1000) as c:
            c.admin.command("ping")
        return True
    except Exception:  # noqa: BLE001
        return False
