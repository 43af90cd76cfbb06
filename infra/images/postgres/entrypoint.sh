#!/usr/bin/env bash
# Entrypoint of hop-infra/postgres:15. Initializes $PGDATA on first start, then runs
# postgres in the foreground as user postgres, listening on all interfaces.
set -euo pipefail

PGDATA="${PGDATA:-/var/lib/postgresql/data}"
POSTGRES_USER="${POSTGRES_USER:-postgres}"
POSTGRES_DB="${POSTGRES_DB:-$POSTGRES_USER}"
AUTH="${POSTGRES_HOST_AUTH_METHOD:-trust}"

if [[ $# -eq 0 || "${1:0:1}" == "-" ]]; then set -- postgres "$@"; fi
if [[ "$1" != "postgres" ]]; then exec "$@"; fi
shift

as_pg() {
  if [[ $(id -u) -eq 0 ]]; then setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; else "$@"; fi
}

if [[ $(id -u) -eq 0 ]]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
fi

if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  echo "[entrypoint] initializing $PGDATA (user $POSTGRES_USER, host auth $AUTH)"
  pwopt=()
  if [[ -n "${POSTGRES_PASSWORD:-}" ]]; then
    printf '%s\n' "$POSTGRES_PASSWORD" >/tmp/pgpw && chown postgres /tmp/pgpw 2>/dev/null || true
    pwopt=(--pwfile=/tmp/pgpw)
  fi
  as_pg initdb -D "$PGDATA" -U "$POSTGRES_USER" -E UTF8 --locale=C.UTF-8 \
    --auth-local=trust --auth-host="$AUTH" "${pwopt[@]}" >/dev/null
  rm -f /tmp/pgpw
  {
    echo "host all all 0.0.0.0/0 $AUTH"
    echo "host all all ::/0 $AUTH"
  } >>"$PGDATA/pg_hba.conf"
  {
    echo "listen_addresses = '*'"
    echo "max_connections = 300"
  } >>"$PGDATA/postgresql.conf"

  # one-off setup on a socket-only server: POSTGRES_DB and /docker-entrypoint-initdb.d
  # (its log goes to stdout like the official image's: "ready to accept connections" shows twice)
  as_pg pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start
  if [[ "$POSTGRES_DB" != "postgres" ]]; then
    as_pg psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d postgres -qc "CREATE DATABASE \"$POSTGRES_DB\""
  fi
  for f in /docker-entrypoint-initdb.d/*; do
    [[ -e "$f" ]] || continue
    case "$f" in
      *.sh) echo "[entrypoint] running $f"; bash "$f" ;;
      *.sql) echo "[entrypoint] running $f"; as_pg psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d "$POSTGRES_DB" -qf "$f" ;;
      *) echo "[entrypoint] ignoring $f" ;;
    esac
  done
  as_pg pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  echo "[entrypoint] init done"
fi

if [[ $(id -u) -eq 0 ]]; then
  exec setpriv --reuid=postgres --regid=postgres --init-groups -- postgres -D "$PGDATA" "$@"
fi
exec postgres -D "$PGDATA" "$@"
