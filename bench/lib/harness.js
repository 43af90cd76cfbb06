'use strict';
/**
 * What every benchmark needs around the code it measures: the built services run as child
 * processes (dist/main.js) with the run's own database, Redis key prefix and Kafka topic prefix;
 * requests signed the way the gateway signs them; cleanup of what the run created; percentiles;
 * the JSON result in bench/results/.
 *
 * Environment: BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432), BENCH_REDIS_URL
 * (else REDIS_URL, else redis://127.0.0.1:6379), BENCH_KAFKA_BROKERS (else KAFKA_BROKERS, else
 * 127.0.0.1:9092). The services started here are given the same Redis and Kafka.
 * BENCH_PROFILE_DIR: each service started here writes a V8 CPU profile there when it stops.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const fromRoot = (p) => path.join(root, p);

const POSTGRES = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const REDIS = process.env.BENCH_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const BROKERS = (process.env.BENCH_KAFKA_BROKERS ?? process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const SECRET = 'bench-internal-secret-0123456789';
const ADMIN_TOKEN = 'bench-admin-token-0123456789';
const NODE_ARGS = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];

// ---- built code and dependencies --------------------------------------------------------------

/** Exits with 2 unless every path (relative to the repository root) has been built. */
function requireBuilt(paths) {
  for (const built of paths) {
    if (!fs.existsSync(fromRoot(built))) {
      console.error(`missing ${built}: run "pnpm build" first`);
      process.exit(2);
    }
  }
}

/** `require` of a package from a service's node_modules (bench/ has no dependencies of its own). */
const fromService = (service) => (name) => require(require.resolve(name, { paths: [fromRoot(`services/${service}`)] }));

/** pg, kafkajs, ioredis for the harness itself: from the first service that has the package. */
const DEP_PATHS = ['gateway', 'link', 'redirector', 'analytics'].map((s) => fromRoot(`services/${s}`));
const dep = (name) => require(require.resolve(name, { paths: DEP_PATHS }));

/** libs/http/dist, loaded on first use (scripts check it is built). */
const httpLib = () => require(fromRoot('libs/http/dist'));

/** A name for this run's databases, Redis keys and topics: `<prefix><time in base 36>`. */
const runId = (prefix = 'bench') => `${prefix}${Date.now().toString(36)}`;

// ---- services ---------------------------------------------------------------------------------

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const started = [];

/**
 * Spawns services/<name>/dist/main.js (or `entry`, relative to the repository root or absolute) on `port`
 * (default: a free one) with PORT, HOST, LOG_LEVEL, INTERNAL_SECRET, REDIS_URL and KAFKA_BROKERS
 * set, DATABASE_URL when `database` is given, REDIS_KEY_PREFIX / KAFKA_TOPIC_PREFIX when
 * `redisPrefix` / `kafkaPrefix` are, then `env`. Output goes to the harness's own unless `log`
 * names a file to append it to. Resolves at once with
 * { name, url, port, pid, ready(path = '/healthz', timeoutMs), signal(signal), stop() }.
 */
async function startService(name, { port, database, redisPrefix, kafkaPrefix, env = {}, entry, log } = {}) {
  port ??= await freePort();
  const output = log === undefined ? 'inherit' : fs.openSync(log, 'a');
  const child = spawn(process.execPath, [...NODE_ARGS, entry === undefined ? fromRoot(`services/${name}/dist/main.js`) : path.resolve(root, entry)], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      INTERNAL_SECRET: SECRET,
      REDIS_URL: REDIS,
      KAFKA_BROKERS: BROKERS.join(','),
      ...(database === undefined ? {} : { DATABASE_URL: `${POSTGRES}/${database}` }),
      ...(redisPrefix === undefined ? {} : { REDIS_KEY_PREFIX: redisPrefix }),
      ...(kafkaPrefix === undefined ? {} : { KAFKA_TOPIC_PREFIX: kafkaPrefix }),
      ...env,
    },
    stdio: ['ignore', output, output],
  });
  if (typeof output === 'number') fs.closeSync(output);
  const url = `http://127.0.0.1:${port}`;
  const service = {
    name,
    url,
    port,
    pid: child.pid,
    /** Resolves once GET `probe` answers 2xx (`timeoutMs` at most); fails if the process exits first. */
    async ready(probe = '/healthz', timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
        try {
          if ((await fetch(`${url}${probe}`)).ok) return service;
        } catch {
          /* not listening yet */
        }
        if (Date.now() > deadline) throw new Error(`${name} (${url}) did not become ready`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
    /** Sends `signal` (SIGKILL for a crash); resolves once the process exited. */
    signal: (signal) =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill(signal);
      }),
    stop: () => service.signal('SIGTERM'),
  };
  started.push(service);
  return service;
}

/** Stops every service startService started (SIGTERM, waits for the exit). */
const stopAll = () => Promise.all(started.map((s) => s.stop()));

/** fetch + JSON; throws unless the status is `expected` (default: any 2xx). */
async function fetchJson(url, init, expected) {
  const res = await fetch(url, init);
  const text = await res.text();
  if (expected === undefined ? !res.ok : res.status !== expected) {
    throw new Error(`${init?.method ?? 'GET'} ${url} → ${res.status} ${text.slice(0, 500)}`);
  }
  return JSON.parse(text);
}

// ---- signing like the gateway -----------------------------------------------------------------

/** The gateway's context headers (see libs/http contextHeaders). */
const contextHeaders = (context) => httpLib().contextHeaders(context);

/** `context` plus the gateway's proof for `method` + `pathAndQuery` (valid for 5 minutes). */
const signed = (context, method, pathAndQuery) => ({ ...context, ...httpLib().signInternalRequest(SECRET, method, pathAndQuery, context) });

/**
 * Creates an enterprise workspace (a rate limit far above what a run sends, so every request is
 * served) and an API key with `scopes` through the gateway's admin API. Returns the workspace, the
 * key's headers for calls through the gateway, and exactly the context the gateway sends upstream
 * for that key.
 */
async function workspaceWithKey(gatewayUrl, scopes) {
  const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
  const post = (url, body) => fetchJson(url, { method: 'POST', headers: admin, body: JSON.stringify(body) }, 201);
  const workspace = await post(`${gatewayUrl}/admin/workspaces`, { name: 'bench', plan: 'enterprise', rateLimit: 10_000_000 });
  const apiKey = await post(`${gatewayUrl}/admin/workspaces/${workspace.id}/keys`, { name: 'bench', scopes });
  const context = contextHeaders({
    workspaceId: workspace.id,
    plan: workspace.plan,
    features: workspace.limits.features,
    bulkLimit: workspace.limits.bulkLimit,
    linkQuota: workspace.limits.linkQuota,
    scopes: apiKey.scopes,
    keyId: apiKey.id,
  });
  return { workspace, viaGateway: { authorization: `Bearer ${apiKey.key}` }, context };
}

// ---- PostgreSQL, Redis, Kafka -----------------------------------------------------------------

/** Runs one query on `database` with its own connection; returns the rows. */
async function sql(database, text, params = []) {
  const client = new (dep('pg').Client)({ connectionString: `${POSTGRES}/${database}` });
  await client.connect();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}

async function dropDatabases(databases) {
  for (const database of databases) await sql('postgres', `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
}

async function deleteRedisKeys(prefix) {
  const Redis = dep('ioredis');
  const redis = new Redis(REDIS);
  try {
    for (let cursor = '0'; ; ) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } finally {
    redis.disconnect();
  }
}

/** A kafkajs client for the run's brokers, silent. */
function kafka(clientId) {
  const { Kafka, logLevel } = dep('kafkajs');
  return new Kafka({ clientId, brokers: BROKERS, logLevel: logLevel.NOTHING });
}

async function deleteTopics(prefix) {
  const admin = kafka('bench-cleanup').admin();
  await admin.connect();
  try {
    const mine = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (mine.length) await admin.deleteTopics({ topics: mine });
  } finally {
    await admin.disconnect();
  }
}

/** Stops the services, then drops `databases` and deletes the keys and topics with the prefixes. */
async function cleanup({ databases = [], redisPrefix, kafkaPrefix }) {
  await stopAll();
  await dropDatabases(databases);
  if (redisPrefix) await deleteRedisKeys(redisPrefix);
  if (kafkaPrefix) await deleteTopics(kafkaPrefix);
}

// ---- figures and results ----------------------------------------------------------------------

/** CPU milliseconds a process used so far, all threads (Linux /proc; null elsewhere or once it is gone). */
function cpuMs(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/**
 * CPU milliseconds used so far by the PostgreSQL backends connected to `database`, by backend pid
 * (PostgreSQL on this machine; a backend that is not readable counts nothing). Subtract two
 * readings with `cpuSpent` to charge a service its share of the database's work.
 */
async function databaseCpuMs(database) {
  const rows = await sql('postgres', `SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [database]);
  return new Map(rows.map(({ pid }) => [pid, cpuMs(pid) ?? 0]));
}

/** CPU milliseconds between two databaseCpuMs readings (backends that came meanwhile count from zero). */
const cpuSpent = (before, after) => [...after].reduce((sum, [pid, ms]) => sum + ms - (before.get(pid) ?? 0), 0);

/** The p-th percentile (0–100) of ascending `sorted`: the value at floor(p% of the count). */
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ascending = (values) => [...values].sort((a, b) => a - b);
const median = (values) => percentile(ascending(values), 50);

/** Writes `result` as bench/results/<name>.json; returns the file's path. */
function writeResult(name, result) {
  const dir = fromRoot('bench/results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

/**
 * Runs `main`, then `cleanup` (after a failure too); a failure of either is printed and sets exit
 * code 1. With `exit`, the process exits then (open Kafka clients would keep it alive).
 */
function runMain(main, { cleanup: after = async () => undefined, exit = false } = {}) {
  return main()
    .then(after, async (err) => {
      console.error(err);
      process.exitCode = 1;
      await after();
    })
    .catch((err) => {
      console.error('cleanup failed:', err);
      process.exitCode = 1;
    })
    .then(() => {
      if (exit) process.exit();
    });
}

module.exports = {
  root,
  fromRoot,
  POSTGRES,
  REDIS,
  BROKERS,
  SECRET,
  ADMIN_TOKEN,
  requireBuilt,
  fromService,
  runId,
  freePort,
  startService,
  stopAll,
  fetchJson,
  contextHeaders,
  signed,
  workspaceWithKey,
  sql,
  dropDatabases,
  deleteRedisKeys,
  kafka,
  deleteTopics,
  cleanup,
  cpuMs,
  databaseCpuMs,
  cpuSpent,
  percentile,
  ascending,
  median,
  writeResult,
  runMain,
};
