# Every Hop service's image from one Dockerfile: dependencies are installed and TypeScript is built
# once for the whole workspace (stage `build`, shared through the build cache by every image); each
# service's image copies only its own production tree (scripts/docker/service-tree.js: its dist, the
# workspace libs it uses, their runtime dependencies) onto a trimmed Node runtime.
#
#   docker build --network host --build-arg SERVICE=link -t hop/link .
#   scripts/docker-build.sh            every services/* image, sizes and time (what CI runs)
#
# SERVICE: any directory under services/ (the redirector image also runs `node dist/projector.js`).
# NODE_IMAGE: a Debian-based Node 20 image. The default is the one infra/images/build.sh makes on
# this machine without any registry; node:20-bookworm-slim works the same where a registry is reachable.
ARG NODE_IMAGE=hop-infra/node:20

# ---------------------------------------------------------------- pnpm
FROM ${NODE_IMAGE} AS pnpm
ARG PNPM_VERSION=9.15.9
ENV CI=true \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    PNPM_HOME=/pnpm \
    PATH=/pnpm:$PATH
RUN npm i -g "pnpm@${PNPM_VERSION}" && pnpm --version

# ---------------------------------------------------------------- manifests
# Only the files `pnpm install` reads (manifests, lockfile, the dependency patches it applies), so
# the install layer below stays cached while sources change (this stage reruns on any change, but
# its output, and so the next COPY, is identical).
FROM pnpm AS manifests
WORKDIR /src
COPY . .
RUN find . -type f ! -name package.json ! -name pnpm-lock.yaml ! -name pnpm-workspace.yaml ! -name .npmrc ! -path './patches/*' -delete \
 && find . -depth -type d -empty -delete

# ---------------------------------------------------------------- build (once for all services)
FROM pnpm AS build
WORKDIR /repo
COPY pnpm-lock.yaml pnpm-workspace.yaml package.json .npmrc ./
COPY patches ./patches
RUN pnpm fetch
COPY --from=manifests /src/ ./
RUN pnpm install --frozen-lockfile --offline --reporter=silent
COPY . .
# What the images run: the libs and services (type-checked as they compile) and the console's web
# app. The SDK with its OpenAPI input, the web app's type declarations and the test helpers
# (libs/testing) are for developers and CI (`pnpm run build`): ≈12 s of CPU the images do not need.
RUN pnpm exec tsc -b $(ls -d libs/*/ services/*/ | grep -v -e '^libs/sdk/' -e '^libs/testing/') \
 && node services/console/scripts/build-web.js
# /out/<service>: one self-contained production tree per services/* directory (side by side: the
# work is hard-linking files), plus the port its config listens on by default (read by the health
# check when PORT is not set).
COPY scripts/docker/deploy-service.sh scripts/docker/service-tree.js /usr/local/lib/hop-build/
# 1 keeps geoip-lite's city data in the redirector's image (+140 MB; see deploy-service.sh, which
# reads it from the environment).
ARG GEOIP_CITY=0
RUN set -eu; \
    pids=""; for dir in services/*/; do /usr/local/lib/hop-build/deploy-service.sh "$(basename "$dir")" & pids="$pids $!"; done; \
    failed=0; for pid in $pids; do wait "$pid" || failed=1; done; \
    [ "$failed" -eq 0 ]

# ---------------------------------------------------------------- runtime base (shared by every service)
# The Node image less what a running service never uses (npm, package docs, man pages, locales,
# apt lists), plus tini as PID 1 (forwards SIGTERM to node, reaps zombies), flattened into one
# layer so that what was removed is really gone.
FROM ${NODE_IMAGE} AS runtime-files
RUN set -eu; \
    apt-get update; \
    apt-get install -y --no-install-recommends tini; \
    apt-get clean; \
    rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/log/* \
      /usr/local/lib/node_modules/npm /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /usr/local/include/node \
      /opt/yarn* /usr/local/bin/yarn /usr/local/bin/yarnpkg \
      /usr/share/doc/* /usr/share/man/* /usr/share/info/* /usr/share/locale/* /usr/lib/x86_64-linux-gnu/gconv; \
    groupadd --system hop; \
    useradd --system --gid hop --create-home --home-dir /home/hop --shell /usr/sbin/nologin hop; \
    node --version; tini --version
COPY scripts/docker/healthcheck.cjs /usr/local/lib/hop/healthcheck.cjs

FROM scratch AS runtime
COPY --from=runtime-files / /
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 \
    NODE_ENV=production \
    HOST=0.0.0.0

# ---------------------------------------------------------------- one service
FROM runtime AS service
ARG SERVICE
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="hop-${SERVICE}" \
      org.opencontainers.image.description="Hop ${SERVICE} service (self-hostable link attribution platform)" \
      org.opencontainers.image.vendor="Hop" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="hop-runtime"
ENV HOP_SERVICE=${SERVICE}
COPY --from=build /out/${SERVICE}/ /app/
# The workspace's layout (pnpm's relative links): the service's own directory is its working directory.
WORKDIR /app/services/${SERVICE}
USER hop
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
  CMD ["node", "/usr/local/lib/hop/healthcheck.cjs"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/main.js"]
