#!/usr/bin/env bash
# Make sure PostgreSQL (127.0.0.1:5432, user postgres, trust auth on loopback) and
# Redis (127.0.0.1:6379) are running on this machine, without Docker.
#   reachable            -> nothing to do (fast path, well under a second)
#   installed, stopped   -> start them
#   not installed        -> apt-get install postgresql / redis-server, configure, start
# Waits until `pg_isready` and `redis-cli ping` succeed (max 60 s each).
# Env: PG_HOST (127.0.0.1) PG_PORT (5432) REDIS_HOST (127.0.0.1) REDIS_PORT (6379)
set -euo pipefail

PG_HOST="${PG_HOST:-127.0.0.1}"
PG_PORT="${PG_PORT:-5432}"
REDIS_HOST="${REDIS_HOST:-127.0.0.1}"
REDIS_PORT="${REDIS_PORT:-6379}"
WAIT_SECS="${HOP_INFRA_WAIT_SECS:-60}"

log() { printf '[pg-redis] %s\n' "$*" >&2; }

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
  else log "need root for: $*"; return 1
  fi
}

APT_UPDATED=0
apt_install() {
  log "installing $* with apt-get"
  if [[ $APT_UPDATED -eq 0 ]]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# ------------------------------------------------------------------ PostgreSQL
pg_ready() {
  if command -v pg_isready >/dev/null 2>&1; then
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2
  else
    tcp_open "$PG_HOST" "$PG_PORT"
  fi
}

pg_versions() {
  local d
  for d in /etc/postgresql/*/; do [[ -d "$d" ]] && basename "$d"; done | sort -V || true
}

# trust for loopback TCP (user postgres and the test roles), password 'postgres' as a fallback
pg_configure() {
  local ver="$1" hba conf
  hba="/etc/postgresql/$ver/main/pg_hba.conf"
  conf="/etc/postgresql/$ver/main/postgresql.conf"
  if [[ -f "$hba" ]] && ! grep -q '^# hop: loopback trust' "$hba"; then
    log "configuring trust auth for 127.0.0.1 / ::1 in $hba"
    as_root cp "$hba" "$hba.hop-orig"
    {
      echo '# hop: loopback trust (added by infra/local/ensure-pg-redis.sh)'
      echo 'local   all   postgres                trust'
      echo 'host    all   all        127.0.0.1/32 trust'
      echo 'host    all   all        ::1/128      trust'
      cat "$hba.hop-orig"
    } | as_root tee "$hba" >/dev/null
  fi
  if [[ -f "$conf" ]]; then
    # loopback only, enough connections for six services + parallel tests
    as_root sed -i -E "s/^#?listen_addresses\s*=.*/listen_addresses = 'localhost'/" "$conf"
    as_root sed -i -E "s/^#?port\s*=\s*[0-9]+/port = $PG_PORT/" "$conf"
    if ! grep -qE '^max_connections\s*=\s*(2[0-9]{2}|[3-9][0-9]{2})' "$conf"; then
      as_root sed -i -E "s/^#?max_connections\s*=.*/max_connections = 300/" "$conf"
    fi
  fi
}

pg_start() {
  local ver
  ver="$(pg_versions | tail -n1)"
  if [[ -z "$ver" ]]; then
    apt_install postgresql postgresql-client
    ver="$(pg_versions | tail -n1)"
    [[ -n "$ver" ]] || { log "postgresql installed but no cluster in /etc/postgresql"; exit 1; }
    if [[ ! -d "/etc/postgresql/$ver/main" ]]; then
      as_root pg_createcluster "$ver" main
    fi
    pg_configure "$ver"
    PG_FRESH=1
    # the package may have started it already (with the old config): restart to apply
    if pg_ready; then
      as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main restart
      return
    fi
  fi
  log "starting PostgreSQL $ver cluster main"
  as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start ||
    log "pg_ctlcluster start returned non-zero (may already be starting); waiting"
}

PG_FRESH=0
pg_action="already running"
if ! pg_ready; then
  pg_start
  deadline=$((SECONDS + WAIT_SECS))
  until pg_ready; do
    if ((SECONDS >= deadline)); then
      log "PostgreSQL not ready on $PG_HOST:$PG_PORT after ${WAIT_SECS}s"
      tail -n 20 /var/log/postgresql/*.log >&2 2>/dev/null || true
      exit 1
    fi
    sleep 0.3
  done
  pg_action="started"
  if [[ $PG_FRESH -eq 1 ]]; then
    pg_action="installed and started"
    as_root runuser -u postgres -- psql -q -c "ALTER USER postgres PASSWORD 'postgres'" >/dev/null 2>&1 || true
  fi
fi
# auth check (cheap): tests and services connect as postgres over TCP
if command -v psql >/dev/null 2>&1 &&
  ! PGPASSWORD="${PGPASSWORD:-postgres}" PGCONNECT_TIMEOUT=3 psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -tAc 'select 1' >/dev/null 2>&1; then
  log "warning: PostgreSQL answers but 'psql -h $PG_HOST -U postgres' fails (auth?); see pg_hba.conf"
fi
log "PostgreSQL $PG_HOST:$PG_PORT: $pg_action"

# ------------------------------------------------------------------ Redis
redis_ready() {
  if command -v redis-cli >/dev/null 2>&1; then
    [[ "$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null)" == "PONG" ]]
  else
    tcp_open "$REDIS_HOST" "$REDIS_PORT"
  fi
}

redis_action="already running"
if ! redis_ready; then
  redis_action="started"
  if ! command -v redis-server >/dev/null 2>&1; then
    apt_install redis-server
    redis_action="installed and started"
  fi
  if ! redis_ready; then # the package may have started it
    log "starting redis-server on $REDIS_HOST:$REDIS_PORT"
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" \
      --save "" --appendonly no >/dev/null
  fi
  deadline=$((SECONDS + WAIT_SECS))
  until redis_ready; do
    if ((SECONDS >= deadline)); then
      log "Redis not ready on $REDIS_HOST:$REDIS_PORT after ${WAIT_SECS}s"; exit 1
    fi
    sleep 0.2
  done
fi
log "Redis $REDIS_HOST:$REDIS_PORT: $redis_action"
