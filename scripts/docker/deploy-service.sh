#!/bin/sh
# Inside the Dockerfile's build stage: writes /out/$1, the production tree of services/$1 (its dist,
# the workspace libs it uses and their runtime dependencies, in the workspace's layout: see
# service-tree.js), without sources, tests or type files.
set -eu
svc="$1"
dir="services/$svc"
out="/out/$svc"
node "$(dirname "$0")/service-tree.js" "$svc" "$out"
find "$out" -type f \( -name '*.tsbuildinfo' -o -name '*.map' -o -name '*.md' -o -name '*.d.ts' \) -delete
# geoip-lite's city files (~140 MB: three quarters of the redirector's image, and as much memory
# once loaded) are left out unless GEOIP_CITY=1: geoip-lite then reads its country files, so the
# offline lookup gives the country (link targeting, analytics) and no city; the city comes from
# the CDN's header (GEO_CITY_HEADER) where one is trusted. services/redirector/src/infra/geo.test.ts
# runs the lookup on the country files alone.
if [ "${GEOIP_CITY:-0}" != 1 ]; then
  find "$out/node_modules/.pnpm" -path '*/node_modules/geoip-lite/data/*' -name 'geoip-city*' -delete
fi
port="$(sed -n "s/.*service: '[a-z0-9-]*', port: \([0-9][0-9]*\).*/\1/p" "$dir/src/config.ts" 2>/dev/null | head -n 1)"
if [ -n "$port" ]; then echo "$port" >"$out/.default-port"; fi
echo "$svc: $(du -sh "$out" | cut -f1)"
