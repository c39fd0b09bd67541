"""The production transport and ACLs of the deploy files, on a real Kafka 4 broker that
authenticates every client and denies what no ACL allows: once with the broker settings
of `docker-compose.yml` (TLS with client certificates, a certificate's CN as principal,
PEM keystore and truststore, StandardAuthorizer), once over SASL/PLAIN (the SASL_SSL
option of `shared.config.kafka_security`, without TLS here) — the same principals
`User:cri-<centre>`. With the ACLs of `deploy/kafka/acls.sh`: a centre writes only its
own topics and the region's, reads the other centres' intake topics (the regional
pseudonym index) but not their pathway or partners topics, and each of its services'
consumer groups works; reporting reads every centre and writes nothing.

The script runs with DRY_RUN=1 (it prints its kafka-acls.sh / kafka-topics.sh commands,
as it does for an operator's review); each printed command is applied through the admin
API, one broker start instead of a JVM per command."""
from __future__ import annotations

import datetime
import ipaddress
import os
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
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


class Broker:
    def __init__(self, mode: str, port: int, certs: Path):
        self.mode, self.port, self.certs = mode, port, certs

    def client(self, user: str, password: str | None = None) -> dict:
        common = {"bootstrap_servers": f"127.0.0.1:{self.port}", "request_timeout_ms": 10000}
        if self.mode == "sasl":
            return {**common, "security_protocol": "SASL_PLAINTEXT", "sasl_mechanism": "PLAIN",
                    "sasl_plain_username": user,
                    "sasl_plain_password": password or USERS.get(user, "")}
        return {**common, "security_protocol": "SSL", "ssl_cafile": str(self.certs / "ca.pem"),
                "ssl_certfile": str(self.certs / f"{user}.pem"),
                "ssl_keyfile": str(self.certs / f"{user}.key")}

    def ready(self) -> bool:
        try:
            admin = KafkaAdminClient(**self.client("kafka-admin"))
            admin.list_topics()
            admin.close()
            return True
        except Exception:  # noqa: BLE001 - not ready yet, whatever the reason
            return False


def _certificates(directory: Path, names: list[str]) -> None:
    """A CA, and per name a key and a certificate with CN=<name> (SAN 127.0.0.1) signed
    by it; the broker's keystore (key + chain, PEM) as the deploy files expect it."""
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cri-test-ca")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    (directory / "ca.pem").write_bytes(ca.public_bytes(pem))
    for name in names:
        key = ec.generate_private_key(ec.SECP256R1())
        cert = (x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
                .issuer_name(ca_name).public_key(key.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(now)
                .not_valid_after(now + datetime.timedelta(days=1))
                .add_extension(x509.SubjectAlternativeName(
                    [x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                     x509.DNSName("localhost")]), critical=False)
                .sign(ca_key, hashes.SHA256()))
        key_pem = key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
        (directory / f"{name}.key").write_bytes(key_pem)
        (directory / f"{name}.pem").write_bytes(cert.public_bytes(pem))
        if name == "kafka":
            (directory / "broker-keystore.pem").write_bytes(
                key_pem + cert.public_bytes(pem) + ca.public_bytes(pem))


def _compose_tls_settings(certs: Path) -> list[str]:
    """The broker's security settings of docker-compose.yml (the apache/kafka image maps
    KAFKA_FOO_BAR to foo.bar), files under `certs` instead of /run/secrets/kafka."""
    env = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]["kafka"][
        "environment"]
    keep = ("SSL_", "AUTHORIZER_", "SUPER_USERS", "ALLOW_EVERYONE_IF_NO_ACL_FOUND",
            "AUTO_CREATE_TOPICS_ENABLE")
    out = []
    for name, value in env.items():
        key = name[len("KAFKA_"):]
        if key.startswith(keep):
            value = str(value).replace("/run/secrets/kafka", str(certs)).replace("$$", "$")
            out.append(f"{key.lower().replace('_', '.')}={value}")
    assert any(line.startswith("ssl.client.auth=required") for line in out), out
    return out


@pytest.fixture(scope="module", params=["mtls", "sasl"])
def broker(request, tmp_path_factory):
    base = tmp_path_factory.mktemp(f"kafka-{request.param}")
    port, controller = free_port(), free_port()
    certs = base / "certs"
    certs.mkdir()
    if request.param == "mtls":
        _certificates(certs, ["kafka", *USERS, "cri-nobody"])
        security = [*single_node(port, controller, base / "data", "SSL", "SSL"),
                    *_compose_tls_settings(certs)]
    else:
        users = " ".join(f'user_{u}="{p}"' for u, p in USERS.items())
        security = [
            *single_node(port, controller, base / "data", "SASL_PLAINTEXT"),
            "sasl.enabled.mechanisms=PLAIN", "sasl.mechanism.inter.broker.protocol=PLAIN",
            "listener.name.sasl_plaintext.plain.sasl.jaas.config="
            "org.apache.kafka.common.security.plain.PlainLoginModule required "
            f'username="kafka-admin" password="{USERS["kafka-admin"]}" {users};',
            "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            # the controller listener (this node talking to itself) is the only anonymous one
            "super.users=User:kafka-admin;User:ANONYMOUS",
            "allow.everyone.if.no.acl.found=false", "auto.create.topics.enable=false"]
    props = base / "server.properties"
    props.write_text("\n".join([*security, "num.partitions=1",
                                "offsets.topic.num.partitions=3"]) + "\n")
    java = kafka_java(artifacts.kafka_libs(), base)
    format_kafka(java, props)
    pid = spawn(kafka_node(java, props, "384m"), base / "stdout.log")
    node = Broker(request.param, port, certs)
    try:
        wait_until(node.ready, 120, f"Kafka ({request.param})", base / "server.log")
        _apply_deploy_script(node)
        yield node
    finally:
        stop(pid)


def _apply_deploy_script(broker: Broker) -> None:
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
    admin = KafkaAdminClient(**broker.client("kafka-admin"))
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


def _produce(broker: Broker, user: str, topic: str) -> None:
    """Raises the broker's refusal (TopicAuthorizationFailedError), else returns."""
    producer = KafkaProducer(**broker.client(user), acks="all", enable_idempotence=True,
                             max_block_ms=5000)
    try:
        producer.send(topic, key=b"k", value=b"{}").get(timeout=15)
    finally:
        producer.close(timeout=5)


def _consume(broker: Broker, user: str, topic: str, group: str) -> None:
    """Joins `group` on `topic` and commits its offsets (raises the broker's refusal)."""
    consumer = KafkaConsumer(**broker.client(user), group_id=group,
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


def _read(broker: Broker, user: str, topic: str) -> None:
    """Fetches from `topic` without a group (raises the broker's refusal)."""
    consumer = KafkaConsumer(**broker.client(user), group_id=None,
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
        _produce(broker, "cri-cripel", f"cri.cripel.{service}.events")
    _produce(broker, "cri-cripel", "cri.region.transfers")
    _produce(broker, "cri-cripel", "cri.region.anchors")
    _produce(broker, "cri-cripel", "cri.cai.intake.events.dlq")  # what it reads, dead-lettered
    for topic in ("cri.cai.intake.events", "cri.cai.pathway.events", "cri.cai.partners.events"):
        assert _refused(lambda t=topic: _produce(broker, "cri-cripel", t)), topic


def test_each_services_consumer_groups_read_what_the_service_reads(broker):
    # group ids as the workers name them (intake, pathway and partners of cripel)
    for topic, group in (("cri.cripel.pathway.events", "cripel.intake.pathway"),
                         ("cri.cai.intake.events", "cripel.intake.pseudonyms"),
                         ("cri.cripel.intake.events", "pathway-cripel-intake"),
                         ("cri.region.transfers", "pathway-cripel-region"),
                         ("cri.cripel.pathway.events", "partners-cripel-people"),
                         ("cri.cripel.intake.events", "partners-cripel-intake")):
        _consume(broker, "cri-cripel", topic, group)


def test_a_centre_reads_no_other_centres_pathway_or_partners_topic(broker):
    _read(broker, "cri-cripel", "cri.cai.intake.events")           # allowed: the index
    for topic in ("cri.cai.pathway.events", "cri.cai.partners.events"):
        with pytest.raises(TopicAuthorizationFailedError):
            _read(broker, "cri-cripel", topic)
    with pytest.raises(GroupAuthorizationFailedError):             # another centre's group
        _consume(broker, "cri-cripel", "cri.cripel.intake.events", "pathway-cai-intake")


def test_reporting_reads_every_centre_and_writes_none(broker):
    for centre in CENTRES:
        _consume(broker, "cri-reporting", f"cri.{centre}.pathway.events", "reporting-projector")
    for topic in ("cri.cripel.intake.events", "cri.region.transfers"):
        assert _refused(lambda t=topic: _produce(broker, "cri-reporting", t)), topic


def test_an_unknown_or_wrong_credential_is_not_let_in(broker):
    if broker.mode == "sasl":
        bad = [broker.client("cri-cai", "guess"), broker.client("cri-nobody", "x")]
    else:   # a certificate of another CA; none at all
        other = broker.certs / "other"
        other.mkdir(exist_ok=True)
        _certificates(other, ["cri-cai"])
        bad = [{**broker.client("cri-cai"), "ssl_certfile": str(other / "cri-cai.pem"),
                "ssl_keyfile": str(other / "cri-cai.key")},
               {k: v for k, v in broker.client("cri-cai").items()
                if k not in ("ssl_certfile", "ssl_keyfile")}]
    for settings in bad:
        with pytest.raises(KafkaError):
            KafkaAdminClient(**settings, bootstrap_timeout_ms=3000).list_topics()
    if broker.mode == "mtls":   # a valid certificate that no ACL names may do nothing
        assert _refused(lambda: _produce(broker, "cri-nobody", "cri.cripel.intake.events"))
        with pytest.raises(TopicAuthorizationFailedError):
            _read(broker, "cri-nobody", "cri.cripel.intake.events")
