// Docker HEALTHCHECK of every Hop service image: GET /healthz on the port the service listens on
// (HEALTHCHECK_PORT, else PORT, else the default port of its config, recorded at image build).
const fs = require('node:fs');

function port() {
  const fromEnv = process.env.HEALTHCHECK_PORT || process.env.PORT;
  if (fromEnv) return fromEnv;
  try {
    return fs.readFileSync('/app/.default-port', 'utf8').trim();
  } catch {
    console.error('healthcheck: set PORT (this service has no default port on record)');
    process.exit(1);
  }
}

fetch(`http://127.0.0.1:${port()}/healthz`, { signal: AbortSignal.timeout(4000) }).then(
  (res) => process.exit(res.ok ? 0 : 1),
  (err) => {
    console.error(`healthcheck: ${err.message}`);
    process.exit(1);
  },
);
