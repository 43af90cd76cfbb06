# One image per Hop service, from the pnpm monorepo:
#   docker build --build-arg SERVICE=gateway -t hop/gateway .
# SERVICE: gateway | link | catalog | partner | analytics | conversion | redirector | console
# (the redirector image also runs the route projector: `node dist/projector.js`).
# NODE_IMAGE: base image with Node 20 (default node:20-bookworm-slim; without a registry use
# hop-infra/node:20 from infra/images/build.sh node).
ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------- pnpm
FROM ${NODE_IMAGE} AS pnpm
ARG PNPM_VERSION=9.15.9
ENV CI=true \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    PNPM_HOME=/pnpm \
    PATH=/pnpm:$PATH
# corepack is unreliable here: install pnpm with npm
RUN npm i -g "pnpm@${PNPM_VERSION}" && pnpm --version

# ---------------------------------------------------------------- manifests
# Only the files `pnpm install` reads, so the install layer below stays cached while
# sources change (this stage reruns, but its output is identical).
FROM pnpm AS manifests
WORKDIR /src
COPY . .
RUN find . -type f ! -name package.json ! -name pnpm-lock.yaml ! -name pnpm-workspace.yaml ! -name .npmrc -delete \
 && find . -depth -type d -empty -delete

# ---------------------------------------------------------------- build
FROM pnpm AS build
WORKDIR /repo
# 1. dependencies: fetched from the lockfile alone, then linked for every workspace package
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json .npmrc ./
RUN pnpm fetch
COPY --from=manifests /src/ ./
RUN pnpm install --frozen-lockfile --offline

# 2. sources; build the service and the workspace libs it uses
COPY . .
ARG SERVICE
RUN set -eu; \
    case "${SERVICE:-}" in \
      gateway|link|catalog|partner|analytics|conversion|redirector|console) ;; \
      *) echo "build arg SERVICE must be one of gateway link catalog partner analytics conversion redirector console (got '${SERVICE:-}')" >&2; exit 1 ;; \
    esac; \
    pnpm --filter "@hop/${SERVICE}..." run build; \
    test -f "services/${SERVICE}/dist/main.js"

# 3. a self-contained copy of the service with production dependencies only
RUN set -eu; \
    pnpm --filter "@hop/${SERVICE}" deploy --prod /out; \
    cd /out; \
    test -f dist/main.js; \
    rm -rf test src tsconfig*.json dist/.tsbuildinfo; \
    find node_modules/.pnpm -path '*/node_modules/@hop/*/src' -prune -exec rm -rf {} + 2>/dev/null || true

# ---------------------------------------------------------------- runtime
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ENV NODE_ENV=production \
    HOP_SERVICE=${SERVICE} \
    HOST=0.0.0.0
RUN set -eu; \
    if command -v useradd >/dev/null 2>&1; then \
      groupadd --system hop && useradd --system --gid hop --create-home --home-dir /home/hop --shell /usr/sbin/nologin hop; \
    else \
      addgroup -S hop && adduser -S -G hop -h /home/hop hop; \
    fi
WORKDIR /app
COPY --from=build /out /app
USER hop
# The port each service listens on unless PORT says otherwise.
EXPOSE 8080 8081 4001 4002 4003 4004 4005 4007
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
  CMD node -e "const d={gateway:8080,link:4001,catalog:4002,partner:4003,analytics:4004,conversion:4005,redirector:8081,console:4007};const p=process.env.HEALTHCHECK_PORT||process.env.PORT||d[process.env.HOP_SERVICE];fetch('http://127.0.0.1:'+p+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/main.js"]
