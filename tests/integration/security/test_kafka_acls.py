"""The production ACLs of `deploy/kafka/acls.sh`, applied to a real Kafka 4 broker that
authenticates every client (SASL/PLAIN here, mTLS or SCRAM in production: the same
principals `User:cri-<centre>`) with `allow.everyone.if.no.acl.found=false`: a centre
writes only its own topics and the region's, reads the other centres' intake topics
(the regional pseudonym index) but not their pathway or partners topics, and each of
its services' consumer groups works; reporting reads every centre and writes nothing.

The script runs with DRY_RUN=1 (it prints its kafka-acls.sh / kafka-topics.sh commands,
as it does for an operator's review); each printed command is applied through the admin
API, one broker start instead of a JVM per command."""
from __future__ import annotations

import os
import shlex
import subprocess

import pytest
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import (ACL, ACLFilter, ACLOperation, ACLPermissionType,
                         ACLResourcePatternType, NewTopic, ResourcePattern,
                         ResourcePatternFilter, ResourceType)
from kafka.errors import (GroupAuthorizationFailedError, KafkaError,
                          TopicAuthorizationFailedError)

from shared.infra import artifacts
from shared.infra.launcher import format_kafka, kafka_java, kafka_node, single_node
from shared.infra.processes import free_port, spawn, stop, wait_until
from shared.paths import ROOT

pytestmark = pytest.mark.infra

CENTRES = ("cripel", "cai")
USERS = {"kafka-admin": "admin-secret", "cri-cripel": "cripel-secret",
         "cri-cai": "cai-secret", "cri-reporting": "reporting-secret"}
OPERATIONS = {"Write": ACLOperation.WRITE, "Read": ACLOperation.READ,
              "Describe": ACLOperation.DESCRIBE, "IdempotentWrite": ACLOperation.IDEMPOTENT_WRITE}
RESOURCES = {"--topic": ResourceType.TOPIC, "--group": ResourceType.GROUP,
             "--cluster": ResourceType.CLUSTER}


def _client(user: str, port: int) -> dict:
    return {"bootstrap_servers": f"127.0.0.1:{port}", "security_protocol": "SASL_PLAINTEXT",
            "sasl_mechanism": "PLAIN", "sasl_plain_username": user,
            "sasl_plain_password": USERS[user], "request_timeout_ms": 10000}


def _admin_ready(port: int) -> bool:
    try:
        admin = KafkaAdminClient(**_client("kafka-admin", port))
        admin.list_topics()
        admin.close()
        return True
    except Exception:  # noqa: BLE001 - not ready yet, whatever the reason
        return False


@pytest.fixture(scope="module")
def broker(tmp_path_factory):
    base = tmp_path_factory.mktemp("kafka-acl")
    port, controller = free_port(), free_port()
    users = " ".join(f'user_{u}="{p}"' for u, p in USERS.items())
    props = base / "server.properties"
    props.write_text("\n".join([
        *single_node(port, controller, base / "data", "SASL_PLAINTEXT"),
        "sasl.enabled.mechanisms=PLAIN", "sasl.mechanism.inter.broker.protocol=PLAIN",
        "listener.name.sasl_plaintext.plain.sasl.jaas.config="
        "org.apache.kafka.common.security.plain.PlainLoginModule required "
        f'username="kafka-admin" password="{USERS["kafka-admin"]}" {users};',
        "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        # the controller listener (this node talking to itself) is the only anonymous one
        "super.users=User:kafka-admin;User:ANONYMOUS",
        "allow.everyone.if.no.acl.found=false", "auto.create.topics.enable=false",
        "num.partitions=1", "offsets.topic.num.partitions=3",
    ]) + "\n")
    java = kafka_java(artifacts.kafka_libs(), base)
    format_kafka(java, props)
    pid = spawn(kafka_node(java, props, "384m"), base / "stdout.log")
    try:
        wait_until(lambda: _admin_ready(port), 120, "secured Kafka", base / "server.log")
        _apply_deploy_script(port)
        yield port
    finally:
        stop(pid)


def _apply_deploy_script(port: int) -> None:
    """deploy/kafka/acls.sh, DRY_RUN: its topics and ACLs, through the admin API."""
    out = subprocess.run(["sh", str(ROOT / "deploy" / "kafka" / "acls.sh")], check=True,
                         capture_output=True, text=True,
                         env={**os.environ, "DRY_RUN": "1", "CENTRES": " ".join(CENTRES),
                              "CRI_TOPIC_REPLICATION": "1"}).stdout
    topics, acls = [], []
    for line in out.splitlines():
        argv = shlex.split(line)
        opt = {argv[i]: argv[i + 1] for i in range(len(argv) - 1) if argv[i].startswith("--")}
        if argv[0].endswith("kafka-topics.sh"):
            topics.append(NewTopic(opt["--topic"], int(opt["--partitions"]),
                                   int(opt["--replication-factor"])))
        elif argv[0].endswith("kafka-acls.sh"):
            kind = next(k for k in RESOURCES if k in opt)
            pattern = (ACLResourcePatternType.PREFIXED
                       if opt["--resource-pattern-type"] == "prefixed"
                       else ACLResourcePatternType.LITERAL)
            acls.append(ACL(opt["--allow-principal"], "*", OPERATIONS[opt["--operation"]],
                            ACLPermissionType.ALLOW,
                            ResourcePattern(RESOURCES[kind], opt[kind], pattern)))
        else:
            raise AssertionError(f"unexpected command in acls.sh: {line}")
    assert topics and acls
    admin = KafkaAdminClient(**_client("kafka-admin", port))
    try:
        admin.create_topics(topics)
        result = admin.create_acls(acls)
        assert not result["failed"], result["failed"]
        # ACLs reach the authorizer through the metadata log: wait until they are all in
        everything = ACLFilter(None, "*", ACLOperation.ANY, ACLPermissionType.ANY,
                               ResourcePatternFilter(ResourceType.ANY, None,
                                                     ACLResourcePatternType.ANY))
        wait_until(lambda: len(admin.describe_acls(everything)[0]) >= len(acls), 30,
                   "the deploy ACLs in the authorizer")
    finally:
        admin.close()


def _produce(user: str, port: int, topic: str) -> None:
    """Raises the broker's refusal (TopicAuthorizationFailedError), else returns."""
    producer = KafkaProducer(**_client(user, port), acks="all", enable_idempotence=True,
                             max_block_ms=5000)
    try:
        producer.send(topic, key=b"k", value=b"{}").get(timeout=15)
    finally:
        producer.close(timeout=5)


def _consume(user: str, port: int, topic: str, group: str) -> None:
    """Joins `group` on `topic` and commits its offsets (raises the broker's refusal)."""
    consumer = KafkaConsumer(**_client(user, port), group_id=group,
                             auto_offset_reset="earliest", enable_auto_commit=False)
    try:
        consumer.subscribe([topic])
        for _ in range(20):
            consumer.poll(timeout_ms=500)
            if consumer.assignment():
                break
        assert consumer.assignment(), f"{group} never assigned {topic}"
        consumer.commit()
    finally:
        consumer.close()


def _read(user: str, port: int, topic: str) -> None:
    """Fetches from `topic` without a group (raises the broker's refusal)."""
    consumer = KafkaConsumer(**_client(user, port), group_id=None,
                             auto_offset_reset="earliest")
    try:
        tp = TopicPartition(topic, 0)
        consumer.assign([tp])
        consumer.poll(timeout_ms=2000)
        consumer.position(tp, timeout_ms=5000)
    finally:
        consumer.close()


def _refused(call) -> bool:
    try:
        call()
    except TopicAuthorizationFailedError:
        return True
    return False


def test_a_centre_writes_only_its_own_topics_and_the_regions(broker):
    for service in ("intake", "pathway", "partners"):
        _produce("cri-cripel", broker, f"cri.cripel.{service}.events")
    _produce("cri-cripel", broker, "cri.region.transfers")
    _produce("cri-cripel", broker, "cri.region.anchors")
    _produce("cri-cripel", broker, "cri.cai.intake.events.dlq")  # what it reads, dead-lettered
    for topic in ("cri.cai.intake.events", "cri.cai.pathway.events", "cri.cai.partners.events"):
        assert _refused(lambda t=topic: _produce("cri-cripel", broker, t)), topic


def test_each_services_consumer_groups_read_what_the_service_reads(broker):
    # group ids as the workers name them (intake, pathway and partners of cripel)
    for topic, group in (("cri.cripel.pathway.events", "cripel.intake.pathway"),
                         ("cri.cai.intake.events", "cripel.intake.pseudonyms"),
                         ("cri.cripel.intake.events", "pathway-cripel-intake"),
                         ("cri.region.transfers", "pathway-cripel-region"),
                         ("cri.cripel.pathway.events", "partners-cripel-people"),
                         ("cri.cripel.intake.events", "partners-cripel-intake")):
        _consume("cri-cripel", broker, topic, group)


def test_a_centre_reads_no_other_centres_pathway_or_partners_topic(broker):
    _read("cri-cripel", broker, "cri.cai.intake.events")           # allowed: the index
    for topic in ("cri.cai.pathway.events", "cri.cai.partners.events"):
        with pytest.raises(TopicAuthorizationFailedError):
            _read("cri-cripel", broker, topic)
    with pytest.raises(GroupAuthorizationFailedError):             # another centre's group
        _consume("cri-cripel", broker, "cri.cripel.intake.events", "pathway-cai-intake")


def test_reporting_reads_every_centre_and_writes_none(broker):
    for centre in CENTRES:
        _consume("cri-reporting", broker, f"cri.{centre}.pathway.events", "reporting-projector")
    for topic in ("cri.cripel.intake.events", "cri.region.transfers"):
        assert _refused(lambda t=topic: _produce("cri-reporting", broker, t)), topic


def test_an_unknown_or_wrong_password_is_not_let_in(broker):
    for user, password in (("cri-cai", "guess"), ("cri-nobody", "x")):
        bad = {**_client("cri-cai", broker), "sasl_plain_username": user,
               "sasl_plain_password": password, "bootstrap_timeout_ms": 3000}
        with pytest.raises(KafkaError):
            KafkaAdminClient(**bad).list_topics()
