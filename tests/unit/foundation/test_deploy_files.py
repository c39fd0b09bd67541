"""The production deploy files, checked without Docker: every compose file loads, Kafka
listens only on TLS with client certificates and denies what no ACL allows, MongoDB
requires authentication, every service is configured for the secured transport, and the
ACL script gives each centre write access to its own topics only (and reporting reads)."""
from __future__ import annotations

import re
import subprocess
from collections import defaultdict

import pytest
import yaml

from services.intake.domain.territory import CENTRES
from services.intake.worker import INTAKE_TOPICS
from services.pathway.consumers.loops import topics as pathway_topics
from services.reporting.worker import CENTRE_TOPICS, GROUP as REPORTING_GROUP
from shared.config import kafka_security
from shared.events import envelope
from shared.paths import ROOT

COMPOSE = ["docker-compose.yml", "deploy/region/docker-compose.region.yml"]
SERVICES = ("intake", "pathway", "partners")


def _load(path):
    return yaml.safe_load((ROOT / path).read_text())


@pytest.mark.parametrize("path", COMPOSE)
def test_compose_files_secure_kafka_and_mongodb(path):
    doc = _load(path)
    for name, svc in doc["services"].items():
        env = svc.get("environment") or {}
        if "KAFKA_LISTENERS" in env:                        # a broker
            assert "PLAINTEXT" not in env["KAFKA_LISTENERS"]
            assert "PLAINTEXT" not in env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"]
            assert env["KAFKA_SSL_CLIENT_AUTH"] == "required"
            assert env["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false"
            assert "StandardAuthorizer" in env["KAFKA_AUTHORIZER_CLASS_NAME"]
        if name.startswith("mongo"):
            assert "--auth" in (svc.get("command") or doc["x-mongo"]["command"]), name
        if env.get("CRI_SERVICE") == "portal":   # no store, no broker
            assert not {k for k in env if k.startswith(("MONGODB", "KAFKA"))}, name
        elif "CRI_SERVICE" in env:
            assert env["KAFKA_SECURITY_PROTOCOL"] in ("SSL", "SASL_SSL"), name
            assert env["MONGODB_USERNAME"] and env["MONGODB_PASSWORD_FILE"], name
            if env["CRI_SERVICE"] != "reporting":
                assert env["MONGODB_USERNAME"] == f"cri_{env['CRI_CENTRE']}_{env['CRI_SERVICE']}"


def _acls(centres):
    out = subprocess.run(["sh", str(ROOT / "deploy/kafka/acls.sh")], capture_output=True,
                         text=True, check=True,
                         env={"DRY_RUN": "1", "CENTRES": " ".join(centres), "PATH": "/usr/bin:/bin"})
    created, allowed = set(), defaultdict(set)     # (kind, name, pattern) -> {(user, op)}
    for line in out.stdout.splitlines():
        if "kafka-topics.sh" in line:
            created.add(re.search(r"--topic (\S+)", line)[1])
        elif "kafka-acls.sh" in line:
            user = re.search(r"--allow-principal User:(\S+)", line)[1]
            op = re.search(r"--operation (\S+)", line)[1]
            kind, name = re.search(r"--(topic|group|cluster) (\S+)", line).groups()
            pattern = re.search(r"--resource-pattern-type (\S+)", line)[1]
            allowed[(kind, name, pattern)].add((user, op))
    return created, allowed


def _can(allowed, user, op, kind, name) -> bool:
    return any((user, op) in who for (k, n, p), who in allowed.items()
               if k == kind and (n == name if p == "literal" else name.startswith(n)))


def test_the_acl_script_lets_each_centre_write_only_its_own_topics():
    centres = sorted(CENTRES)
    created, allowed = _acls(centres)
    own = {c: [envelope.topic(c, s) for s in SERVICES] for c in centres}
    region = [envelope.REGION_TRANSFERS, envelope.REGION_ANCHORS]
    every = [t for ts in own.values() for t in ts] + region
    assert set(every) | {envelope.dlq(t) for t in every} <= created
    for c in centres:
        user = f"cri-{c}"
        for t in every:
            mine = t in own[c] or t in region
            assert _can(allowed, user, "Write", "topic", t) == mine, (user, t)
        # what its consumers read: own topics, every intake topic (pseudonyms), region
        reads = set(own[c]) | set(pathway_topics(c).values()) | {
            t for t in every if re.match(INTAKE_TOPICS, t)} | {envelope.REGION_TRANSFERS}
        for t in reads:
            assert _can(allowed, user, "Read", "topic", t), (user, t)
            assert _can(allowed, user, "Write", "topic", envelope.dlq(t)), (user, t)
        assert _can(allowed, user, "Read", "group", f"{c}.intake.pseudonyms")
        assert _can(allowed, user, "Read", "group", f"pathway-{c}-region")
        other = next(o for o in centres if o != c)
        assert not _can(allowed, user, "Read", "group", f"{other}.intake.pseudonyms")
    for t in every:
        assert not _can(allowed, "cri-reporting", "Write", "topic", t), t
        if re.match(CENTRE_TOPICS, t):
            assert _can(allowed, "cri-reporting", "Read", "topic", t), t
    assert _can(allowed, "cri-reporting", "Read", "group", REPORTING_GROUP)
    assert _can(allowed, "cri-auditor", "Read", "topic", envelope.REGION_ANCHORS)


def test_kafka_security_comes_from_the_environment(monkeypatch):
    for k in ("KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_PASSWORD", "KAFKA_SSL_CAFILE"):
        monkeypatch.delenv(k, raising=False)
    assert kafka_security() == {}                          # local development: PLAINTEXT
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("KAFKA_SASL_USERNAME", "cri-cripel")
    monkeypatch.setenv("KAFKA_SASL_PASSWORD", "s3cret")
    monkeypatch.setenv("KAFKA_SSL_CAFILE", "/run/secrets/kafka/ca.pem")
    assert kafka_security() == {"security_protocol": "SASL_SSL",
                                "sasl_mechanism": "SCRAM-SHA-512",
                                "sasl_plain_username": "cri-cripel",
                                "sasl_plain_password": "s3cret",
                                "ssl_cafile": "/run/secrets/kafka/ca.pem"}
