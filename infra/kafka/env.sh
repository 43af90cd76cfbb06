# shellcheck shell=bash disable=SC2034
# Common settings for infra/kafka/*.sh (sourced, not executed).
# Everything lives under ${HOP_CACHE_DIR:-$HOME/.cache/hop}/kafka and survives between runs:
#   lib-<version>/      broker + tools jars (fetched once with Maven from Maven Central)
#   node-<port>/        one broker instance: server.properties, data/, logs/, kafka.pid

KAFKA_SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HOP_CACHE_DIR="${HOP_CACHE_DIR:-${HOME:-/root}/.cache/hop}"
KAFKA_HOST="${KAFKA_HOST:-127.0.0.1}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx512m -Xms256m}"
# Version: env override, else the <kafka.version> pinned in pom.xml.
if [[ -z "${KAFKA_VERSION:-}" ]]; then
  KAFKA_VERSION="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$KAFKA_SCRIPT_DIR/pom.xml" | head -n1)"
fi
KAFKA_HOME_DIR="$HOP_CACHE_DIR/kafka"
KAFKA_LIB_DIR="$KAFKA_HOME_DIR/lib-$KAFKA_VERSION"
KAFKA_NODE_DIR="$KAFKA_HOME_DIR/node-$KAFKA_PORT"
KAFKA_DATA_DIR="$KAFKA_NODE_DIR/data"
KAFKA_LOG_DIR="$KAFKA_NODE_DIR/logs"
KAFKA_CONF="$KAFKA_NODE_DIR/server.properties"
KAFKA_PID_FILE="$KAFKA_NODE_DIR/kafka.pid"

kafka_log() { printf '[kafka] %s\n' "$*" >&2; }

# pid of the broker this script started (from the pid file), if it is still alive.
kafka_pid() {
  local pid
  [[ -f "$KAFKA_PID_FILE" ]] || return 1
  pid="$(cat "$KAFKA_PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  # guard against pid reuse: it must be our broker (same config file)
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "kafka.Kafka $KAFKA_CONF" || return 1
  echo "$pid"
}

# Is something accepting TCP connections on host:port?
kafka_port_open() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# Broker ready = answers a Metadata request with a broker list and a controller.
kafka_ready() {
  if command -v node >/dev/null 2>&1; then
    node "$KAFKA_SCRIPT_DIR/probe.cjs" "$KAFKA_HOST" "$KAFKA_PORT" 2000 >/dev/null 2>&1
  else
    kafka_port_open "$KAFKA_HOST" "$KAFKA_PORT" &&
      [[ -f "$KAFKA_LIB_DIR/.complete" ]] &&
      kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "$KAFKA_HOST:$KAFKA_PORT" --list >/dev/null 2>&1
  fi
}

# Run a main class from the broker jars (CLI tools), quiet logging, fast JVM start.
kafka_java() {
  local main="$1"; shift
  java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto \
    -Dlog4j.configuration="file:$KAFKA_SCRIPT_DIR/tools-log4j.properties" \
    -cp "$KAFKA_LIB_DIR/*" "$main" "$@"
}
