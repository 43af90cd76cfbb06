#!/usr/bin/env bash
# Entrypoint of hop-infra/redis:7: redis-server in the foreground on all interfaces.
set -euo pipefail
if [[ $# -eq 0 || "${1:0:1}" == "-" ]]; then set -- redis-server "$@"; fi
if [[ "$1" == "redis-server" ]]; then
  shift
  exec redis-server --bind 0.0.0.0 '-::*' --port 6379 --protected-mode no \
    --daemonize no --save '' --appendonly no --dir /data --logfile '' "$@"
fi
exec "$@"
