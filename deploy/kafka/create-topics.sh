#!/usr/bin/env bash
# Create dondoc's topics before any service starts (the broker runs with auto-create off, so a typo
# in a topic name fails loudly instead of creating a stray topic). Idempotent: safe on every `up`.
#
# Partitions bound how many replicas of a consumer group can work in parallel; task.assigned gets
# the most because one plan fans out to a hundred or more assignments. Partition counts are never
# raised here: adding partitions moves keys to other partitions and breaks per-aggregate ordering,
# so that is an operator's decision (see deploy/README.md).
set -euo pipefail

BOOTSTRAP="${KAFKA_BOOTSTRAP:-kafka:9092}"
BIN="${KAFKA_BIN:-/opt/kafka/bin}"
REPLICATION="${KAFKA_REPLICATION_FACTOR:-1}"
DAY_MS=86400000

create_topic() {  # name partitions retention_days
  local name="$1" partitions="$2" retention_ms=$(( $3 * DAY_MS ))
  "$BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
    --topic "$name" --partitions "$partitions" --replication-factor "$REPLICATION" \
    --config "retention.ms=$retention_ms" --config cleanup.policy=delete
  # An existing topic keeps its old settings under --if-not-exists: bring retention in line.
  "$BIN/kafka-configs.sh" --bootstrap-server "$BOOTSTRAP" --alter --entity-type topics \
    --entity-name "$name" --add-config "retention.ms=$retention_ms"
}

# name                 partitions  retention (days)
# Plans are the system's source of truth: keep them a year so a service can be rebuilt by replay.
create_topic plan.received        3  365
create_topic credential.changed   3  365
create_topic directory.published  3  365
# Reporting's read model is rebuilt by replaying what it is built from: keep those a year too.
create_topic task.assigned        6  365
create_topic task.withdrawn       3  365
create_topic task.status_changed  3  365
create_topic result.submitted     3  365
create_topic report.submitted     3  365
create_topic report.expected      3  365
create_topic report.due           3  365
create_topic report.missed        3  365
create_topic deadline.near        3  14
create_topic task.overdue         3  14
create_topic report.generated     3  30
create_topic submission.reviewed  3  30
create_topic notification.sent    3  30
# A person's sessions end everywhere: only the services running now need to hear it.
create_topic person.signed_out    3  30
# A result or report waiting for, or decided by, the unit's leader: told to the unit at once.
create_topic approval.requested   3  30
create_topic approval.decided     3  30
# Dead letters wait for a person: keep them long enough to be noticed, fixed and replayed.
create_topic dondoc.dlq           3  90

# The broker-epoch marker (dondoc/platform/epoch.py): one partition, kept forever. Its first record changes
# only when a broker has forgotten its log, which a Kafka cluster never does. The services would create it
# themselves if it were missing, but unreplicated; here it gets the cluster's replication factor.
"$BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --create --if-not-exists \
  --topic dondoc.broker-epoch --partitions 1 --replication-factor "$REPLICATION" \
  --config retention.ms=-1 --config retention.bytes=-1 --config cleanup.policy=delete

"$BIN/kafka-topics.sh" --bootstrap-server "$BOOTSTRAP" --list
