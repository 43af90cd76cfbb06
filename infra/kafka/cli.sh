#!/usr/bin/env bash
# Run a Kafka CLI tool from the cached broker jars (no Kafka distribution needed).
#   infra/kafka/cli.sh topics --bootstrap-server 127.0.0.1:9092 --list
#   infra/kafka/cli.sh topics --bootstrap-server 127.0.0.1:9092 --create --topic t --partitions 3
#   infra/kafka/cli.sh consumer-groups --bootstrap-server 127.0.0.1:9092 --list
#   infra/kafka/cli.sh console-consumer --bootstrap-server 127.0.0.1:9092 --topic t --from-beginning
#   infra/kafka/cli.sh broker-api-versions --bootstrap-server 127.0.0.1:9092
#   infra/kafka/cli.sh <fully.qualified.MainClass> args...
# Needs the jars: run infra/kafka/start.sh once first.
set -euo pipefail
# shellcheck source=env.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/env.sh"

[[ $# -ge 1 ]] || { sed -n '2,9p' "${BASH_SOURCE[0]}"; exit 2; }
tool="$1"; shift
case "$tool" in
  topics)              main=org.apache.kafka.tools.TopicCommand ;;
  consumer-groups)     main=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
  console-consumer)    main=org.apache.kafka.tools.consumer.ConsoleConsumer ;;
  console-producer)    main=kafka.tools.ConsoleProducer ;;
  get-offsets)         main=org.apache.kafka.tools.GetOffsetShell ;;
  broker-api-versions) main=kafka.admin.BrokerApiVersionsCommand ;;
  storage)             main=kafka.tools.StorageTool ;;
  *.*)                 main="$tool" ;;
  *) kafka_log "unknown tool: $tool"; exit 2 ;;
esac
if [[ ! -f "$KAFKA_LIB_DIR/.complete" ]]; then
  kafka_log "no jars in $KAFKA_LIB_DIR; run $KAFKA_SCRIPT_DIR/start.sh first"; exit 1
fi
kafka_java "$main" "$@"
