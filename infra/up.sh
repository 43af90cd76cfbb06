#!/usr/bin/env bash
# Bring up everything the tests and `pnpm start` need, without Docker:
#   PostgreSQL 127.0.0.1:5432 and Redis 127.0.0.1:6379   (infra/local/ensure-pg-redis.sh)
#   Kafka 3.9 KRaft on 127.0.0.1:${KAFKA_PORT:-9092}      (infra/kafka/start.sh)
# Creates the per-service databases (hop_gateway, hop_link, ...) if missing.
# Idempotent; takes well under a second when everything already runs.
# Cold first run: installs what is missing, fetches the Kafka jars once (Maven Central)
# into ${HOP_CACHE_DIR:-~/.cache/hop}. Stop Kafka with infra/kafka/stop.sh.
set -euo pipefail
INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

t0=$(date +%s%N)
"$INFRA_DIR/local/ensure-pg-redis.sh"

# One database per service (see DESIGN.md); created if missing. Services run their own migrations.
HOP_DATABASES="${HOP_DATABASES:-hop_gateway hop_link hop_catalog hop_partner hop_analytics hop_conversion}"
if command -v psql >/dev/null 2>&1; then
  psql_pg() { PGPASSWORD="${PGPASSWORD:-postgres}" psql -h "${PG_HOST:-127.0.0.1}" -p "${PG_PORT:-5432}" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
  existing=" $(psql_pg -c 'select datname from pg_database' | tr '\n' ' ') "
  for db in $HOP_DATABASES; do
    if [[ "$existing" != *" $db "* ]]; then
      psql_pg -c "create database \"$db\"" >/dev/null 2>&1 || true # a concurrent run may win the race
      echo "[up] created database $db" >&2
    fi
  done
fi

"$INFRA_DIR/kafka/start.sh"
ms=$((($(date +%s%N) - t0) / 1000000))
echo "[up] infra ready in ${ms} ms: postgres=127.0.0.1:${PG_PORT:-5432} redis=127.0.0.1:${REDIS_PORT:-6379} kafka=${KAFKA_HOST:-127.0.0.1}:${KAFKA_PORT:-9092}" >&2
