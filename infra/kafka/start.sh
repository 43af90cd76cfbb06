#!/usr/bin/env bash
# Start a local single-node KRaft Kafka 3.9 broker on ${KAFKA_HOST:-127.0.0.1}:${KAFKA_PORT:-9092}.
#
#   infra/kafka/start.sh            start (idempotent: exits 0 at once if already ready)
#   infra/kafka/start.sh --reset    stop, wipe this broker's data, start fresh
#
# Jars are fetched once with Maven into ${HOP_CACHE_DIR:-~/.cache/hop}/kafka/lib-<version>;
# data, logs and the pid file live in .../kafka/node-<port>/. Waits until the broker
# answers metadata requests (max KAFKA_START_TIMEOUT=90 s). Logs: .../node-<port>/logs/.
set -euo pipefail
# shellcheck source=env.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/env.sh"

RESET=0
for arg in "$@"; do
  case "$arg" in
    --reset) RESET=1 ;;
    -h|--help) sed -n '2,10p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) kafka_log "unknown argument: $arg"; exit 2 ;;
  esac
done

# ---- fast path: already running and healthy -------------------------------------------
if [[ $RESET -eq 0 ]] && kafka_ready; then
  if pid="$(kafka_pid)"; then
    kafka_log "already running on $KAFKA_HOST:$KAFKA_PORT (pid $pid)"
  else
    kafka_log "a Kafka broker already answers on $KAFKA_HOST:$KAFKA_PORT (not started by this script); using it"
  fi
  exit 0
fi

mkdir -p "$KAFKA_HOME_DIR" "$KAFKA_NODE_DIR"
# Serialize concurrent start.sh runs (e.g. parallel test setups).
exec 9>"$KAFKA_NODE_DIR/start.lock"
if ! flock -w 180 9; then
  kafka_log "timed out waiting for another start.sh"; exit 1
fi

if [[ $RESET -eq 1 ]]; then
  "$KAFKA_SCRIPT_DIR/stop.sh"
  kafka_log "wiping $KAFKA_DATA_DIR"
  rm -rf "$KAFKA_DATA_DIR"
fi

wait_ready() {
  local pid="$1" deadline=$((SECONDS + KAFKA_START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if kafka_ready; then return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then
      kafka_log "broker process $pid exited during startup; last log lines:"
      tail -n 40 "$KAFKA_LOG_DIR/kafkaServer.out" >&2 2>/dev/null || true
      tail -n 20 "$KAFKA_LOG_DIR/server.log" >&2 2>/dev/null || true
      kafka_log "if the data dir is broken, retry with: $KAFKA_SCRIPT_DIR/start.sh --reset"
      return 1
    fi
    sleep 0.5
  done
  kafka_log "broker not ready after ${KAFKA_START_TIMEOUT}s; see $KAFKA_LOG_DIR/server.log"
  tail -n 30 "$KAFKA_LOG_DIR/server.log" >&2 2>/dev/null || true
  return 1
}

# Someone else (another start.sh) may have finished starting it while we waited for the lock.
if pid="$(kafka_pid)"; then
  kafka_log "broker pid $pid is running; waiting until it is ready"
  wait_ready "$pid"
  kafka_log "ready on $KAFKA_HOST:$KAFKA_PORT (pid $pid)"
  exit 0
fi
rm -f "$KAFKA_PID_FILE"

if kafka_port_open "$KAFKA_HOST" "$KAFKA_PORT"; then
  kafka_log "port $KAFKA_HOST:$KAFKA_PORT is taken by a process that is not a ready Kafka broker"
  exit 1
fi
if kafka_port_open "$KAFKA_HOST" "$KAFKA_CONTROLLER_PORT"; then
  kafka_log "controller port $KAFKA_HOST:$KAFKA_CONTROLLER_PORT is taken (set KAFKA_CONTROLLER_PORT)"
  exit 1
fi

# ---- tools ---------------------------------------------------------------------------
apt_install() {
  if [[ $(id -u) -ne 0 ]]; then kafka_log "missing $*; install it (needs root)"; exit 1; fi
  kafka_log "installing $* with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
command -v java >/dev/null 2>&1 || apt_install openjdk-17-jre-headless
command -v flock >/dev/null 2>&1 || apt_install util-linux

# ---- jars (once) ---------------------------------------------------------------------
if [[ ! -f "$KAFKA_LIB_DIR/.complete" ]]; then
  command -v mvn >/dev/null 2>&1 || apt_install maven
  kafka_log "fetching Kafka $KAFKA_VERSION jars with Maven into $KAFKA_LIB_DIR (one time)"
  t0=$SECONDS
  rm -rf "$KAFKA_LIB_DIR.tmp"
  if ! mvn -q -B -f "$KAFKA_SCRIPT_DIR/pom.xml" dependency:copy-dependencies \
    -Dkafka.version="$KAFKA_VERSION" -DoutputDirectory="$KAFKA_LIB_DIR.tmp" >"$KAFKA_HOME_DIR/mvn.log" 2>&1; then
    cat "$KAFKA_HOME_DIR/mvn.log" >&2
    kafka_log "Maven could not fetch the Kafka jars (needs Maven Central or a filled ~/.m2)"
    exit 1
  fi
  rm -rf "$KAFKA_LIB_DIR"
  mv "$KAFKA_LIB_DIR.tmp" "$KAFKA_LIB_DIR"
  touch "$KAFKA_LIB_DIR/.complete"
  kafka_log "jars fetched in $((SECONDS - t0))s ($(find "$KAFKA_LIB_DIR" -name '*.jar' | wc -l) jars)"
fi

# ---- config --------------------------------------------------------------------------
mkdir -p "$KAFKA_DATA_DIR" "$KAFKA_LOG_DIR"
sed -e "s|@HOST@|$KAFKA_HOST|g" \
    -e "s|@PORT@|$KAFKA_PORT|g" \
    -e "s|@CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" \
    -e "s|@DATA_DIR@|$KAFKA_DATA_DIR|g" \
    "$KAFKA_SCRIPT_DIR/server.properties" >"$KAFKA_CONF.tmp"
mv "$KAFKA_CONF.tmp" "$KAFKA_CONF"
cp "$KAFKA_SCRIPT_DIR/log4j.properties" "$KAFKA_NODE_DIR/log4j.properties"

# ---- format storage (first run) ------------------------------------------------------
if [[ ! -f "$KAFKA_DATA_DIR/meta.properties" ]]; then
  # KRaft cluster id: 16 random bytes, base64url without padding (what `kafka-storage random-uuid` prints).
  # One starting with '-' reads as an option to the storage tool's argument parser: drawn again.
  cluster_id=-
  while [[ $cluster_id == -* ]]; do cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"; done
  kafka_log "formatting storage in $KAFKA_DATA_DIR (cluster id $cluster_id)"
  kafka_java kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_CONF" --ignore-formatted >&2
fi

# ---- launch --------------------------------------------------------------------------
kafka_log "starting Kafka $KAFKA_VERSION on $KAFKA_HOST:$KAFKA_PORT (controller :$KAFKA_CONTROLLER_PORT), logs in $KAFKA_LOG_DIR"
t0=$SECONDS
# setsid: own session, so it outlives the calling shell / process group; 9>&-: do not
# inherit the start.lock descriptor (the broker would hold the lock forever).
# shellcheck disable=SC2086  # KAFKA_HEAP_OPTS / KAFKA_JVM_OPTS are word lists
setsid nohup java $KAFKA_HEAP_OPTS \
  -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
  -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true ${KAFKA_JVM_OPTS:-} \
  -Dkafka.logs.dir="$KAFKA_LOG_DIR" \
  -Dlog4j.configuration="file:$KAFKA_NODE_DIR/log4j.properties" \
  -cp "$KAFKA_LIB_DIR/*" kafka.Kafka "$KAFKA_CONF" \
  >"$KAFKA_LOG_DIR/kafkaServer.out" 2>&1 </dev/null 9>&- &
pid=$!
echo "$pid" >"$KAFKA_PID_FILE"

if ! wait_ready "$pid"; then
  kill "$pid" 2>/dev/null || true
  rm -f "$KAFKA_PID_FILE"
  exit 1
fi
# Create __consumer_offsets / __transaction_state now rather than on the first test's consumer.
if command -v node >/dev/null 2>&1 &&
  ! node "$KAFKA_SCRIPT_DIR/probe.cjs" "$KAFKA_HOST" "$KAFKA_PORT" 5000 warm >/dev/null; then
  kafka_log "warning: group/transaction coordinators not available yet (see $KAFKA_LOG_DIR/server.log)"
fi
kafka_log "ready on $KAFKA_HOST:$KAFKA_PORT (pid $pid) after $((SECONDS - t0))s"
