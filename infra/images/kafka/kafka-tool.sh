#!/usr/bin/env bash
# CLI tools of hop-infra/kafka:3.9, named like the Kafka distribution's bin/ scripts
# (this file is symlinked as kafka-topics.sh, kafka-broker-api-versions.sh, ...).
set -euo pipefail
KAFKA_HOME="${KAFKA_HOME:-/opt/kafka}"
case "$(basename "$0")" in
  kafka-topics.sh)              main=org.apache.kafka.tools.TopicCommand ;;
  kafka-broker-api-versions.sh) main=kafka.admin.BrokerApiVersionsCommand ;;
  kafka-consumer-groups.sh)     main=org.apache.kafka.tools.consumer.group.ConsumerGroupCommand ;;
  kafka-console-producer.sh)    main=kafka.tools.ConsoleProducer ;;
  kafka-console-consumer.sh)    main=org.apache.kafka.tools.consumer.ConsoleConsumer ;;
  kafka-storage.sh)             main=kafka.tools.StorageTool ;;
  kafka-get-offsets.sh)         main=org.apache.kafka.tools.GetOffsetShell ;;
  *)                            main="$1"; shift ;; # kafka-run-class.sh / kafka-tool.sh <MainClass> args
esac
# shellcheck disable=SC2086
exec java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 ${KAFKA_TOOL_OPTS:-} \
  -Dlog4j.configuration="file:$KAFKA_HOME/config/tools-log4j.properties" \
  -cp "$KAFKA_HOME/libs/*" "$main" "$@"
