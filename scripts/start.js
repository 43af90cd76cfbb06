#!/usr/bin/env node
// `pnpm start`: brings up the infrastructure if needed, builds, starts every service with
// prefixed logs, creates the demo workspace and key on first start, and stops all on Ctrl-C.
const { spawn, spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const env = { ...process.env };
const gatewayPort = env.GATEWAY_PORT || '8080';
const redirectorPort = env.REDIRECTOR_PORT || '8081';
env.SHORT_BASE_URL ||= `http://localhost:${redirectorPort}`;
// Local branded domains have no certificates: their short URLs use http (production default: https).
env.DOMAIN_URL_SCHEME ||= 'http';

const SERVICES = [
  { name: 'link', entry: 'services/link/dist/main.js', port: env.LINK_PORT || '4001' },
  { name: 'catalog', entry: 'services/catalog/dist/main.js', port: env.CATALOG_PORT || '4002' },
  { name: 'partner', entry: 'services/partner/dist/main.js', port: env.PARTNER_PORT || '4003' },
  { name: 'analytics', entry: 'services/analytics/dist/main.js', port: env.ANALYTICS_PORT || '4004' },
  { name: 'conversion', entry: 'services/conversion/dist/main.js', port: env.CONVERSION_PORT || '4005' },
  { name: 'webhook', entry: 'services/webhook/dist/main.js', port: env.WEBHOOK_PORT || '4006' },
  { name: 'redirector', entry: 'services/redirector/dist/main.js', port: redirectorPort },
  { name: 'projector', entry: 'services/redirector/dist/projector.js', port: env.PROJECTOR_PORT || '8082' },
  { name: 'console', entry: 'services/console/dist/main.js', port: env.CONSOLE_PORT || '4007' },
  { name: 'gateway', entry: 'services/gateway/dist/main.js', port: gatewayPort },
];
const upstream = (name) => `http://127.0.0.1:${SERVICES.find((s) => s.name === name).port}`;
Object.assign(env, {
  LINK_URL: env.LINK_URL || upstream('link'),
  CATALOG_URL: env.CATALOG_URL || upstream('catalog'),
  PARTNER_URL: env.PARTNER_URL || upstream('partner'),
  ANALYTICS_URL: env.ANALYTICS_URL || upstream('analytics'),
  CONVERSION_URL: env.CONVERSION_URL || upstream('conversion'),
  CONSOLE_URL: env.CONSOLE_URL || upstream('console'),
  WEBHOOK_URL: env.WEBHOOK_URL || upstream('webhook'),
  // Development only: webhooks may go to plain-http receivers on this machine (production refuses both).
  WEBHOOK_ALLOW_HTTP: env.WEBHOOK_ALLOW_HTTP || 'true',
  WEBHOOK_ALLOWED_CIDRS: env.WEBHOOK_ALLOWED_CIDRS ?? '127.0.0.0/8,::1/128',
});

function step(title, command, args) {
  console.log(`\n▶ ${title}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(`✖ ${title} failed`);
    process.exit(result.status || 1);
  }
}

step('infrastructure (PostgreSQL, Redis, Kafka)', 'bash', ['infra/up.sh']);
step('build', 'pnpm', ['-s', 'build']);

const colors = [31, 32, 33, 34, 35, 36, 91, 92, 93];
const width = Math.max(...SERVICES.map((s) => s.name.length));
const children = SERVICES.map((service, i) => {
  const prefix = `\x1b[${colors[i % colors.length]}m${service.name.padEnd(width)} |\x1b[0m `;
  const child = spawn(process.execPath, [service.entry], {
    cwd: root,
    env: { ...env, PORT: service.port },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.on('data', (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      for (const line of lines) process.stdout.write(prefix + line + '\n');
    });
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${prefix}exited (${signal || code}); stopping everything`);
      stop(1);
    }
  });
  return child;
});

let stopping = false;
function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log('\n■ stopping services …');
  let alive = children.filter((c) => c.exitCode === null && c.signalCode === null);
  for (const c of alive) c.kill('SIGTERM');
  const deadline = setTimeout(() => {
    for (const c of alive) c.kill('SIGKILL');
  }, 15_000);
  Promise.all(alive.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.once('exit', r))))).then(() => {
    clearTimeout(deadline);
    process.exit(code);
  });
}
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));

async function waitReady() {
  const deadline = Date.now() + 90_000;
  for (const service of SERVICES) {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${service.port}/readyz`);
        if (res.ok) break;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`${service.name} not ready after 90 s`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

waitReady().then(
  async () => {
    const gateway = `http://localhost:${gatewayPort}`;
    const { ensureDemoWorkspace } = require(path.join(root, 'services/gateway/dist/demo.js'));
    const demo = await ensureDemoWorkspace();
    console.log(`
✔ Hop is running
  API gateway : ${gateway}   (docs: ${gateway}/docs)
  Console     : ${gateway}/app   (sign in with an account: pnpm hop user create --email you@example.com --workspace ${demo.workspaceId})
  Short links : ${env.SHORT_BASE_URL}
  Demo key    : ${demo.key}   (workspace ${demo.workspaceId})

  Try it:
  curl -H "Authorization: Bearer ${demo.key}" ${gateway}/api/links

  Ctrl-C stops everything.`);
  },
  (err) => {
    console.error(`✖ ${err.message}`);
    stop(1);
  },
);
