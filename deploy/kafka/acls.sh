#!/bin/sh
# Topics and ACLs of the region's Kafka cluster. Clients authenticate with TLS client
# certificates (mTLS); the brokers map a certificate's CN to the principal
# (ssl.principal.mapping.rules), so CN=cri-cripel is User:cri-cripel. Run once, and again
# whenever a centre joins, from a container of the apache/kafka image (the `kafka-setup`
# service of docker-compose.yml) with the admin's client properties.
#
#   CENTRES              the centres (default: the eight CRI)
#   BOOTSTRAP            brokers (default kafka:9092)
#   ADMIN_CONFIG         client properties of the admin principal (SSL, CN=kafka-admin)
#   DRY_RUN=1            print the commands instead of running them (the tests read them)
#
# Principals: User:cri-<centre> (the intake, pathway and partners processes of a centre),
# User:cri-reporting (the region), User:cri-auditor (`cri audit verify`). A centre writes
# only its own topics, the two region topics, and the dead-letter topics of what it reads;
# it reads its own topics, every centre's intake topic (the regional pseudonym index) and
# the region topics. Reporting reads every centre's topics. No one else may do anything
# (allow.everyone.if.no.acl.found=false on the brokers).
set -eu

CENTRES=${CENTRES:-"cripel crvi cai cribw crilux cimb ceraic cric"}
BOOTSTRAP=${BOOTSTRAP:-kafka:9092}
ADMIN_CONFIG=${ADMIN_CONFIG:-/run/secrets/kafka-admin.properties}
BIN=${KAFKA_BIN:-/opt/kafka/bin}
REPLICATION=${CRI_TOPIC_REPLICATION:-3}
SERVICES="intake pathway partners"
REGION_TOPICS="cri.region.transfers cri.region.anchors"

run() {
  if [ "${DRY_RUN:-0}" = 1 ]; then echo "$*"; else "$@"; fi
}

acl() {  # acl <principal> <operation> <resource type> <name> [prefixed]
  pattern=literal
  [ "${5:-}" = prefixed ] && pattern=prefixed
  run "$BIN/kafka-acls.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" \
    --add --allow-principal "User:$1" --operation "$2" "--$3" "$4" \
    --resource-pattern-type "$pattern"
}

topic() {  # topic <name>: created once, retention infinite (the event log is the audit log)
  run "$BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" \
    --create --if-not-exists --topic "$1" --partitions 3 --replication-factor "$REPLICATION" \
    --config retention.ms=-1
}

for t in $REGION_TOPICS; do topic "$t"; topic "$t.dlq"; done
for c in $CENTRES; do
  for s in $SERVICES; do topic "cri.$c.$s.events"; topic "cri.$c.$s.events.dlq"; done
done

for c in $CENTRES; do
  p="cri-$c"
  for s in $SERVICES; do                       # its own topics: write and read
    for op in Write Read Describe; do acl "$p" "$op" topic "cri.$c.$s.events"; done
    for op in Write Describe; do acl "$p" "$op" topic "cri.$c.$s.events.dlq"; done
  done
  for o in $CENTRES; do                        # every centre's intake topic: the pseudonyms
    [ "$o" = "$c" ] && continue
    for op in Read Describe; do acl "$p" "$op" topic "cri.$o.intake.events"; done
    for op in Write Describe; do acl "$p" "$op" topic "cri.$o.intake.events.dlq"; done
  done
  for t in $REGION_TOPICS; do                  # shared by the region: signed / HMAC'd
    for op in Write Read Describe; do acl "$p" "$op" topic "$t"; done
    for op in Write Describe; do acl "$p" "$op" topic "$t.dlq"; done
  done
  acl "$p" Read group "$c." prefixed           # intake's groups: <centre>.intake.<loop>
  acl "$p" Read group "pathway-$c-" prefixed   # pathway's groups: pathway-<centre>-<loop>
  acl "$p" Read group "partners-$c-" prefixed  # partners' groups: partners-<centre>-<loop>
  acl "$p" IdempotentWrite cluster kafka-cluster
done

for c in $CENTRES; do
  for s in $SERVICES; do
    for op in Read Describe; do acl cri-reporting "$op" topic "cri.$c.$s.events"; done
    for op in Write Describe; do acl cri-reporting "$op" topic "cri.$c.$s.events.dlq"; done
  done
done
acl cri-reporting Read group reporting- prefixed
acl cri-reporting IdempotentWrite cluster kafka-cluster

for op in Read Describe; do acl cri-auditor "$op" topic cri.region.anchors; done
