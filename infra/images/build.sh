#!/usr/bin/env bash
# Build the local infra images without any image registry:
#   hop-infra/debian:bookworm  base rootfs made with debootstrap from the machine's Debian mirror
#   hop-infra/postgres:15      postgresql-15, trust auth, user postgres, 0.0.0.0:5432
#   hop-infra/redis:7          redis-server, 0.0.0.0:6379
#   hop-infra/kafka:3.9        openjdk-17 + the Maven-fetched Kafka 3.9 jars, KRaft single node
#   hop-infra/haproxy:2.6      (only when asked: `build.sh haproxy`) the compose stack's edge
#   hop-infra/node:20          (only when asked: `build.sh node`) this machine's Node 20 on the base,
#                              a stand-in for node:20-bookworm-slim for the root Dockerfile
#
#   infra/images/build.sh                 build what is missing (idempotent)
#   infra/images/build.sh --force         rebuild the images (`--force base` re-imports the base; the
#                                         cached rootfs tarball is kept: delete it to debootstrap again)
#   infra/images/build.sh --test          also run each image and check that its server answers
#   infra/images/build.sh postgres redis  only these (base is built when needed); also: node
#
# Starts a Docker engine when none runs (installs docker.io with apt if missing; dockerd log
# under ${HOP_CACHE_DIR:-~/.cache/hop}/docker/). The debootstrap tarball is cached in
# ${HOP_CACHE_DIR}/images/. Env: DEBIAN_MIRROR, DEBIAN_SECURITY_MIRROR override the mirrors.
set -euo pipefail

IMAGES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
INFRA_DIR="$(dirname "$IMAGES_DIR")"
HOP_CACHE_DIR="${HOP_CACHE_DIR:-${HOME:-/root}/.cache/hop}"
CACHE="$HOP_CACHE_DIR/images"
SUITE=bookworm
BASE_IMAGE="hop-infra/debian:$SUITE"
ROOTFS_TAR="$CACHE/debian-$SUITE-minbase.tar"

FORCE=0
TEST=0
WANT=()
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    --test) TEST=1 ;;
    -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}"; exit 0 ;;
    base|postgres|redis|kafka|node|haproxy) WANT+=("$arg") ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done
[[ ${#WANT[@]} -gt 0 ]] || WANT=(postgres redis kafka)

log() { printf '[images] %s\n' "$*" >&2; }
now() { date +%s; }
T_START=$(now)

APT_UPDATED=0
apt_install() {
  [[ $(id -u) -eq 0 ]] || { log "need root to install $*"; exit 1; }
  log "installing $* with apt-get"
  if [[ $APT_UPDATED -eq 0 ]]; then DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# Prefer Debian's docker client (matches the daemon) when present.
DOCKER=docker
[[ -x /usr/bin/docker ]] && DOCKER=/usr/bin/docker

# ------------------------------------------------------------------ Docker engine
ensure_docker() {
  if "$DOCKER" info >/dev/null 2>&1; then return 0; fi
  if ! command -v dockerd >/dev/null 2>&1; then
    apt_install docker.io
    DOCKER=/usr/bin/docker
    if "$DOCKER" info >/dev/null 2>&1; then return 0; fi
  fi
  mkdir -p "$HOP_CACHE_DIR/docker"
  log "starting dockerd (log: $HOP_CACHE_DIR/docker/dockerd.log)"
  # own session so it outlives this script
  setsid nohup dockerd >>"$HOP_CACHE_DIR/docker/dockerd.log" 2>&1 </dev/null &
  local i
  for ((i = 0; i < 60; i++)); do
    if "$DOCKER" info >/dev/null 2>&1; then log "dockerd is up"; return 0; fi
    sleep 1
  done
  log "dockerd did not come up in 60s; last log lines:"
  tail -n 30 "$HOP_CACHE_DIR/docker/dockerd.log" >&2 || true
  exit 1
}

image_exists() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

# ------------------------------------------------------------------ mirrors
# First Debian mirror URI configured on this machine (deb822 .sources or one-line format).
apt_uri() { # $1: regex the suite must match
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] || continue
    awk -v re="$1" '
      /^[[:space:]]*$/ { if (uri != "" && suites ~ re) { print uri; exit } uri=""; suites=""; next }
      /^URIs:/ { uri=$2 } /^Suites:/ { suites=$0 }
      END { if (uri != "" && suites ~ re) print uri }' "$f" || true
  done
  cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    awk -v re="$1" '$1 == "deb" && $3 ~ re { print $2 }' || true
}
DEBIAN_MIRROR="${DEBIAN_MIRROR:-$(apt_uri "(^|[[:space:]])$SUITE([[:space:]]|$)" | grep -i debian | grep -v security | head -n1 || true)}"
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
DEBIAN_SECURITY_MIRROR="${DEBIAN_SECURITY_MIRROR:-$(apt_uri "$SUITE-security" | head -n1 || true)}"
DEBIAN_SECURITY_MIRROR="${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"

# ------------------------------------------------------------------ base rootfs
build_rootfs_tar() {
  command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
  mkdir -p "$CACHE"
  local root="$CACHE/rootfs-$SUITE.tmp"
  rm -rf "$root"
  log "debootstrap --variant=minbase $SUITE from $DEBIAN_MIRROR (log: $CACHE/debootstrap.log)"
  local t0; t0=$(now)
  if ! debootstrap --variant=minbase --components=main --arch=amd64 \
      --keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
      "$SUITE" "$root" "$DEBIAN_MIRROR" >"$CACHE/debootstrap.log" 2>&1; then
    tail -n 30 "$CACHE/debootstrap.log" >&2
    log "debootstrap failed"; exit 1
  fi
  # container-friendly apt/dpkg setup (like the official debian image)
  cat >"$root/etc/apt/sources.list" <<SRC
deb $DEBIAN_MIRROR $SUITE main
deb $DEBIAN_MIRROR $SUITE-updates main
deb $DEBIAN_SECURITY_MIRROR $SUITE-security main
SRC
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"; chmod 0755 "$root/usr/sbin/policy-rc.d"
  printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$root/etc/apt/apt.conf.d/90hop-norecommends"
  printf 'Acquire::Languages "none";\n' >"$root/etc/apt/apt.conf.d/90hop-nolanguages"
  cat >"$root/etc/dpkg/dpkg.cfg.d/90hop-excludes" <<'EXC'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
EXC
  chroot "$root" apt-get clean >/dev/null 2>&1 || true
  rm -rf "${root:?}"/var/lib/apt/lists/* "${root:?}"/var/cache/apt/*.bin "${root:?}"/var/log/*.log "${root:?}"/tmp/* "${root:?}"/dev/*
  printf 'hop\n' >"$root/etc/hostname"
  tar --numeric-owner --xattrs -C "$root" -cf "$ROOTFS_TAR.tmp" .
  mv "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
  rm -rf "$root"
  log "rootfs tarball $ROOTFS_TAR ($(du -h "$ROOTFS_TAR" | cut -f1)) in $(($(now) - t0))s"
}

build_base() {
  # --force re-imports the base only when `base` is named (rebuilding it changes every image's parent)
  if image_exists "$BASE_IMAGE" && [[ $FORCE -eq 0 || " ${WANT[*]} " != *" base "* ]]; then
    log "$BASE_IMAGE exists"; return
  fi
  [[ -f "$ROOTFS_TAR" ]] || build_rootfs_tar
  log "importing $ROOTFS_TAR as $BASE_IMAGE"
  "$DOCKER" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["bash"]' \
    "$ROOTFS_TAR" "$BASE_IMAGE" >/dev/null
}

# ------------------------------------------------------------------ service images
docker_build() { # tag context
  local tag="$1" ctx="$2" t0
  t0=$(now)
  log "building $tag (log: $CACHE/build-${tag//[\/:]/_}.log)"
  if ! "$DOCKER" build --network host --build-arg BASE_IMAGE="$BASE_IMAGE" -t "$tag" "$ctx" \
      >"$CACHE/build-${tag//[\/:]/_}.log" 2>&1; then
    tail -n 40 "$CACHE/build-${tag//[\/:]/_}.log" >&2
    log "build of $tag failed"; exit 1
  fi
  log "built $tag in $(($(now) - t0))s ($("$DOCKER" image inspect -f '{{.Size}}' "$tag" | awk '{printf "%d MB", $1/1e6}'))"
}

build_simple() { # name tag
  if image_exists "$2" && [[ $FORCE -eq 0 ]]; then log "$2 exists"; return; fi
  docker_build "$2" "$IMAGES_DIR/$1"
}

build_kafka() {
  local tag=hop-infra/kafka:3.9
  if image_exists "$tag" && [[ $FORCE -eq 0 ]]; then log "$tag exists"; return; fi
  # jars: the same cache infra/kafka/start.sh fills (fetch them if needed, without starting a broker)
  # shellcheck source=../kafka/env.sh
  (
    source "$INFRA_DIR/kafka/env.sh"
    if [[ ! -f "$KAFKA_LIB_DIR/.complete" ]]; then
      log "fetching Kafka $KAFKA_VERSION jars with Maven"
      rm -rf "$KAFKA_LIB_DIR.tmp"; mkdir -p "$KAFKA_HOME_DIR"
      mvn -q -B -f "$INFRA_DIR/kafka/pom.xml" dependency:copy-dependencies \
        -Dkafka.version="$KAFKA_VERSION" -DoutputDirectory="$KAFKA_LIB_DIR.tmp" >"$KAFKA_HOME_DIR/mvn.log" 2>&1 ||
        { cat "$KAFKA_HOME_DIR/mvn.log" >&2; exit 1; }
      rm -rf "$KAFKA_LIB_DIR"; mv "$KAFKA_LIB_DIR.tmp" "$KAFKA_LIB_DIR"; touch "$KAFKA_LIB_DIR/.complete"
    fi
    echo "$KAFKA_LIB_DIR" >"$CACHE/.kafka-lib-dir"
  )
  local lib ctx="$CACHE/ctx-kafka"
  lib="$(cat "$CACHE/.kafka-lib-dir")"
  rm -rf "$ctx"; mkdir -p "$ctx/libs"
  cp "$IMAGES_DIR/kafka/"{Dockerfile,entrypoint.sh,kafka-tool.sh,server.properties,log4j.properties} "$ctx/"
  cp "$INFRA_DIR/kafka/tools-log4j.properties" "$ctx/"
  cp "$lib"/*.jar "$ctx/libs/"
  docker_build "$tag" "$ctx"
  rm -rf "$ctx"
}

build_node() {
  local tag=hop-infra/node:20 node_bin npm_dir ctx="$CACHE/ctx-node"
  if image_exists "$tag" && [[ $FORCE -eq 0 ]]; then log "$tag exists"; return; fi
  node_bin="$(readlink -f "$(command -v node)")"
  npm_dir="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")"
  [[ "$("$node_bin" --version)" == v20.* ]] || { log "need Node 20 on this machine for $tag"; exit 1; }
  rm -rf "$ctx"; mkdir -p "$ctx/node/bin" "$ctx/node/lib/node_modules"
  cp "$IMAGES_DIR/node/Dockerfile" "$ctx/"
  cp "$node_bin" "$ctx/node/bin/node"
  cp -r "$npm_dir" "$ctx/node/lib/node_modules/npm"
  mkdir -p "$ctx/node/ca"
  cp /usr/local/share/ca-certificates/*.crt "$ctx/node/ca/" 2>/dev/null || true
  docker_build "$tag" "$ctx"
  rm -rf "$ctx"
}

# ------------------------------------------------------------------ smoke tests
TEST_CONTAINERS=()
cleanup_tests() {
  local c
  for c in "${TEST_CONTAINERS[@]}"; do "$DOCKER" rm -f -v "$c" >/dev/null 2>&1 || true; done
}

wait_for() { # seconds description command...
  local secs="$1" what="$2"; shift 2
  local deadline=$((SECONDS + secs))
  while ((SECONDS < deadline)); do
    if timeout 30 "$@" >/dev/null 2>&1; then log "test: $what OK"; return 0; fi
    sleep 0.5
  done
  log "test: $what FAILED"; return 1
}

# free loopback TCP port
free_port() {
  local p
  for p in $(seq "$1" $(($1 + 100))); do
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  return 1
}

run_tests() {
  trap cleanup_tests EXIT
  local ok=1 name port
  for want in "${WANT[@]}"; do
    case "$want" in
      postgres)
        name="hop-infra-test-postgres-$$"; port="$(free_port 25432)"
        TEST_CONTAINERS+=("$name")
        "$DOCKER" run -d --name "$name" -p "127.0.0.1:$port:5432" -e POSTGRES_DB=hop_test hop-infra/postgres:15 -c fsync=off >/dev/null
        wait_for 60 "postgres answers on 127.0.0.1:$port" \
          psql "postgresql://postgres@127.0.0.1:$port/hop_test" -tAc 'select 1' || { ok=0; "$DOCKER" logs "$name" | tail -20 >&2; }
        wait_for 30 "postgres container healthy" \
          bash -c "[ \"\$($DOCKER inspect -f '{{.State.Health.Status}}' $name)\" = healthy ]" || ok=0
        ;;
      redis)
        name="hop-infra-test-redis-$$"; port="$(free_port 26379)"
        TEST_CONTAINERS+=("$name")
        "$DOCKER" run -d --name "$name" -p "127.0.0.1:$port:6379" hop-infra/redis:7 >/dev/null
        wait_for 30 "redis answers on 127.0.0.1:$port" \
          bash -c "[ \"\$(redis-cli -h 127.0.0.1 -p $port ping)\" = PONG ]" || { ok=0; "$DOCKER" logs "$name" | tail -20 >&2; }
        wait_for 30 "redis container healthy" \
          bash -c "[ \"\$($DOCKER inspect -f '{{.State.Health.Status}}' $name)\" = healthy ]" || ok=0
        ;;
      node)
        wait_for 30 "node image runs node 20" bash -c "$DOCKER run --rm hop-infra/node:20 node -e 'process.exit(process.version.startsWith(\"v20.\")?0:1)'" || ok=0
        ;;
      kafka)
        name="hop-infra-test-kafka-$$"; port="$(free_port 29092)"
        TEST_CONTAINERS+=("$name")
        # testcontainers-style: random host port, advertised listener set by env
        "$DOCKER" run -d --name "$name" -p "127.0.0.1:$port:9092" \
          -e KAFKA_ADVERTISED_LISTENERS="PLAINTEXT://127.0.0.1:$port" hop-infra/kafka:3.9 >/dev/null
        wait_for 90 "kafka answers metadata on 127.0.0.1:$port" \
          node "$INFRA_DIR/kafka/probe.cjs" 127.0.0.1 "$port" 2000 warm || { ok=0; "$DOCKER" logs "$name" | tail -30 >&2; }
        # from the host through the mapped port, as a test would (clients follow the advertised listener)
        wait_for 60 "kafka topic create/list via 127.0.0.1:$port" \
          bash -c "'$INFRA_DIR/kafka/cli.sh' topics --bootstrap-server 127.0.0.1:$port --create --if-not-exists --topic smoke --partitions 2 &&
                   '$INFRA_DIR/kafka/cli.sh' topics --bootstrap-server 127.0.0.1:$port --list | grep -qx smoke" || ok=0
        wait_for 60 "kafka container healthy" \
          bash -c "[ \"\$($DOCKER inspect -f '{{.State.Health.Status}}' $name)\" = healthy ]" || ok=0
        ;;
    esac
  done
  cleanup_tests
  trap - EXIT
  [[ $ok -eq 1 ]] || { log "image tests FAILED"; exit 1; }
  log "image tests passed"
}

# ------------------------------------------------------------------ main
mkdir -p "$CACHE"
ensure_docker
build_base
for want in "${WANT[@]}"; do
  case "$want" in
    base) ;;
    postgres) build_simple postgres hop-infra/postgres:15 ;;
    redis) build_simple redis hop-infra/redis:7 ;;
    haproxy) build_simple haproxy hop-infra/haproxy:2.6 ;;
    kafka) build_kafka ;;
    node) build_node ;;
  esac
done
[[ $TEST -eq 0 ]] || run_tests
log "done in $(($(now) - T_START))s: $("$DOCKER" images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^hop-infra/' | tr '\n' ' ')"
