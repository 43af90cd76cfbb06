#!/usr/bin/env bash
# Builds the image of every service under services/ (or only those named) from the root Dockerfile:
# the install and the TypeScript build run once (shared `build` stage); each image then only adds
# its own production tree. Prints each image's time and size, then the total.
#   scripts/docker-build.sh [service...]
# Env: HOP_IMAGE_PREFIX (hop), HOP_IMAGE_TAG (dev), NODE_IMAGE (hop-infra/node:20, built by
# `infra/images/build.sh node` when missing and it is the default), GEOIP_CITY=1 (keep geoip-lite's
# city data in the redirector's image: +140 MB; see scripts/docker/deploy-service.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PREFIX="${HOP_IMAGE_PREFIX:-hop}"
TAG="${HOP_IMAGE_TAG:-dev}"
NODE_IMAGE="${NODE_IMAGE:-hop-infra/node:20}"
# Debian's docker client matches Debian's engine and has BuildKit built in (a newer client would need buildx).
DOCKER=docker
[[ -x /usr/bin/docker ]] && DOCKER=/usr/bin/docker
export DOCKER_BUILDKIT="${DOCKER_BUILDKIT:-1}"

services=("$@")
if [[ ${#services[@]} -eq 0 ]]; then
  for dir in services/*/; do [[ -f "$dir/package.json" ]] && services+=("$(basename "$dir")"); done
fi

if [[ "$NODE_IMAGE" == hop-infra/node:20 ]] && ! "$DOCKER" image inspect "$NODE_IMAGE" >/dev/null 2>&1; then
  bash infra/images/build.sh node
fi

revision="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
version="$(node -p "require('./package.json').version || '0.0.0'" 2>/dev/null || echo 0.0.0)"
created="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
started=$(date +%s)
log_dir="${HOP_CACHE_DIR:-$HOME/.cache/hop}/docker-build"
mkdir -p "$log_dir"
for svc in "${services[@]}"; do
  t0=$(date +%s)
  if ! "$DOCKER" build --network host --progress=plain \
      --build-arg NODE_IMAGE="$NODE_IMAGE" --build-arg SERVICE="$svc" --build-arg GEOIP_CITY="${GEOIP_CITY:-0}" \
      --build-arg VERSION="$version" --build-arg REVISION="$revision" --build-arg CREATED="$created" \
      -t "$PREFIX/$svc:$TAG" . >"$log_dir/$svc.log" 2>&1; then
    tail -n 40 "$log_dir/$svc.log" >&2
    echo "[docker-build] $PREFIX/$svc:$TAG failed (log: $log_dir/$svc.log)" >&2
    exit 1
  fi
  size="$("$DOCKER" image inspect -f '{{.Size}}' "$PREFIX/$svc:$TAG" | awk '{printf "%d MB", $1/1e6}')"
  echo "[docker-build] $PREFIX/$svc:$TAG in $(($(date +%s) - t0))s, $size"
done
echo "[docker-build] ${#services[@]} images in $(($(date +%s) - started))s"
