#!/usr/bin/env bash
# Entrypoint of hop-infra/kafka:3.9: renders server.properties (defaults + KAFKA_* env
# overrides), formats the KRaft storage on first start, runs the broker in the foreground.
set -euo pipefail

KAFKA_HOME="${KAFKA_HOME:-/opt/kafka}"
CONF_DEFAULTS="$KAFKA_HOME/config/server.properties"
CONF="${KAFKA_CONFIG_FILE:-/tmp/kafka-server.properties}"

if [[ $# -gt 0 && "${1:0:1}" != "-" ]]; then exec "$@"; fi

cp "$CONF_DEFAULTS" "$CONF"
set_prop() { # key value: replace or append
  local key="$1" val="$2" tmp
  tmp="$(mktemp)"
  grep -v -E "^${key//./\\.}=" "$CONF" >"$tmp" || true
  printf '%s=%s\n' "$key" "$val" >>"$tmp"
  mv "$tmp" "$CONF"
}
# Env vars that configure the JVM / this script, not broker properties.
skip_re='^KAFKA_(HOME|HEAP_OPTS|JVM_PERFORMANCE_OPTS|OPTS|LOG4J_OPTS|JMX_OPTS|DEBUG|VERSION|CONFIG_FILE|GC_LOG_OPTS)$'
while IFS='=' read -r name _; do
  [[ "$name" =~ ^KAFKA_ ]] || continue
  [[ "$name" =~ $skip_re ]] && continue
  key="${name#KAFKA_}"
  key="${key,,}"
  key="${key//___/-}"
  key="${key//__/@US@}"
  key="${key//_/.}"
  key="${key//@US@/_}"
  set_prop "$key" "${!name}"
done < <(env)

log_dirs="$(sed -n 's/^log\.dirs=//p' "$CONF" | tail -n1)"
log_dirs="${log_dirs:-/var/lib/kafka/data}"
first_dir="${log_dirs%%,*}"
if [[ ! -f "$first_dir/meta.properties" ]]; then
  cid="${CLUSTER_ID:-}"
  # a random id starting with '-' would read as an option to the storage tool: drawn again
  while [[ -z $cid || $cid == -* ]]; do cid="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"; done
  echo "[entrypoint] formatting $log_dirs (cluster id $cid)"
  java -Xmx256m -XX:TieredStopAtLevel=1 -Dlog4j.configuration="file:$KAFKA_HOME/config/tools-log4j.properties" \
    -cp "$KAFKA_HOME/libs/*" kafka.tools.StorageTool format -t "$cid" -c "$CONF" --ignore-formatted
fi

echo "[entrypoint] starting Kafka: $(grep -E '^(listeners|advertised\.listeners)=' "$CONF" | tr '\n' ' ')"
# shellcheck disable=SC2086
exec java ${KAFKA_HEAP_OPTS:--Xmx512m -Xms256m} \
  ${KAFKA_JVM_PERFORMANCE_OPTS:--server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true} \
  ${KAFKA_OPTS:-} \
  ${KAFKA_LOG4J_OPTS:--Dlog4j.configuration=file:$KAFKA_HOME/config/log4j.properties} \
  -cp "$KAFKA_HOME/libs/*" kafka.Kafka "$CONF" "$@"
