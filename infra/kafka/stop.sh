#!/usr/bin/env bash
# Stop the local Kafka broker started by infra/kafka/start.sh (same KAFKA_PORT / HOP_CACHE_DIR).
# Sends SIGTERM (controlled shutdown), waits up to KAFKA_STOP_TIMEOUT=60 s, then SIGKILL.
set -euo pipefail
# shellcheck source=env.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/env.sh"

pid=""
if ! pid="$(kafka_pid)"; then
  # No (valid) pid file: look for a broker running with exactly our config file.
  pid=""
  for d in /proc/[0-9]*; do
    if tr '\0' ' ' <"$d/cmdline" 2>/dev/null | grep -qF "kafka.Kafka $KAFKA_CONF"; then
      pid="${d#/proc/}"; break
    fi
  done
fi
if [[ -z "$pid" ]]; then
  kafka_log "not running (port $KAFKA_PORT)"
  rm -f "$KAFKA_PID_FILE"
  exit 0
fi

kafka_log "stopping broker pid $pid"
kill -TERM "$pid" 2>/dev/null || true
timeout="${KAFKA_STOP_TIMEOUT:-60}"
for ((i = 0; i < timeout * 5; i++)); do
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.2
done
if kill -0 "$pid" 2>/dev/null; then
  kafka_log "still alive after ${timeout}s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  sleep 0.5
fi
rm -f "$KAFKA_PID_FILE"
kafka_log "stopped"
