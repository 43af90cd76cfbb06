'use strict';
/**
 * Hop as several instances per service on one machine: every instance a separate OS process of
 * the built service (dist/), on its own port, all against the same PostgreSQL, Redis and Kafka.
 * The run has its own databases, Redis key prefix and Kafka topic prefix, and a Kafka broker of
 * its own (the scenarios stop it; the shared broker on :9092 is never touched), all removed by
 * `destroy()`. Services reach each other through a Balancer per service (a cluster Service).
 */
const { execFile } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { promisify } = require('node:util');
const harness = require('../../../bench/lib/harness');
const { Balancer } = require('./balancer');

const run = promisify(execFile);
const KAFKA_SCRIPTS = harness.fromRoot('infra/kafka');

/** How many instances of what: the topology. `database` is the database they share. */
const TOPOLOGY = [
  { service: 'catalog', count: 1, database: 'catalog' },
  { service: 'partner', count: 1, database: 'partner' },
  { service: 'link', count: 2, database: 'link' },
  { service: 'analytics', count: 2, database: 'analytics' },
  { service: 'conversion', count: 1, database: 'conversion' },
  { service: 'gateway', count: 2, database: 'gateway' },
  { service: 'redirector', count: 3 },
  { service: 'projector', count: 2, entry: 'services/redirector/dist/projector.js' },
];
/** Services the others call (through their Balancer), and the variable naming each. */
const CALLED = { link: 'LINK_URL', catalog: 'CATALOG_URL', partner: 'PARTNER_URL', analytics: 'ANALYTICS_URL', conversion: 'CONVERSION_URL' };
/** What a drained instance may still be answering before SIGTERM (the preStop pause). */
const DRAIN_MS = 500;
const SHORT_BASE_URL = 'https://hop.scale';
/** Generous: a machine shared with other work can take a minute to start a dozen processes. */
const READY_TIMEOUT_MS = 180_000;

class Cluster {
  constructor({ runId = harness.runId('scale') } = {}) {
    this.runId = runId;
    this.redisPrefix = `${runId}:`;
    this.kafkaPrefix = `${runId}.`;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `hop-${runId}-`));
    // start.sh uses port+1 for the controller: keep it even and away from the shared broker.
    this.kafkaPort = 29_100 + 2 * Math.floor(Math.random() * 400);
    this.brokers = `127.0.0.1:${this.kafkaPort}`;
    /** service → its instances, in start order. */
    this.instances = {};
    /** service → the Balancer in front of its instances. */
    this.balancers = {};
    for (const { service } of TOPOLOGY) {
      this.instances[service] = [];
      this.balancers[service] = new Balancer(service, this.instances[service]);
    }
  }

  database(name) {
    return `${this.runId}_${name}`;
  }

  // ---- Kafka -----------------------------------------------------------------------------------

  kafkaEnv() {
    return { ...process.env, KAFKA_PORT: String(this.kafkaPort) };
  }

  /** Starts (or restarts) the run's broker; resolves once it answers. Its data survive a stop. */
  async startKafka() {
    await run('bash', [path.join(KAFKA_SCRIPTS, 'start.sh')], { env: this.kafkaEnv(), timeout: 180_000 });
  }

  async stopKafka() {
    await run('bash', [path.join(KAFKA_SCRIPTS, 'stop.sh')], { env: this.kafkaEnv(), timeout: 60_000 });
  }

  kafka(clientId) {
    const { Kafka, logLevel } = require(require.resolve('kafkajs', { paths: [harness.fromRoot('services/redirector')] }));
    return new Kafka({ clientId, brokers: [this.brokers], logLevel: logLevel.NOTHING });
  }

  // ---- instances -------------------------------------------------------------------------------

  /** Starts the whole topology and waits until every instance is ready. */
  async start() {
    await this.startKafka();
    for (const name of Object.keys(CALLED)) await this.balancers[name].listen();
    const ports = new Set();
    for (const { service, count, database, entry } of TOPOLOGY) {
      for (let i = 1; i <= count; i++) {
        let port;
        do port = await harness.freePort();
        while (ports.has(port));
        ports.add(port);
        this.instances[service].push({ service, name: `${service}-${i}`, port, database, entry });
      }
    }
    // Services migrate their databases at start: the first instance of each alone, then the rest.
    const all = TOPOLOGY.flatMap(({ service }) => this.instances[service]);
    await Promise.all(all.filter((i) => i.name.endsWith('-1')).map((i) => this.launch(i)));
    await Promise.all(all.filter((i) => !i.name.endsWith('-1')).map((i) => this.launch(i)));
  }

  env(instance) {
    const env = {
      KAFKA_BROKERS: this.brokers,
      LOG_LEVEL: process.env.SCALE_LOG_LEVEL ?? 'warn',
      SHORT_BASE_URL,
      ADMIN_TOKEN: harness.ADMIN_TOKEN,
      HOP_DATA_DIR: path.join(this.dir, 'data'),
      CLICK_CONSUMERS: '1',
      INSTANCE_ID: instance.name,
      CLICK_SPOOL_DIR: path.join(this.dir, 'spool', instance.name),
      GEO_COUNTRY_HEADER: '',
      PROJECTOR_PORT: String(instance.port),
    };
    for (const [service, variable] of Object.entries(CALLED)) env[variable] = this.balancers[service].url;
    return env;
  }

  /** Starts `instance` on its port and waits until /readyz answers. */
  async launch(instance) {
    instance.process = await harness.startService(instance.service, {
      port: instance.port,
      entry: instance.entry,
      database: instance.database && this.database(instance.database),
      redisPrefix: this.redisPrefix,
      kafkaPrefix: this.kafkaPrefix,
      env: this.env(instance),
      log: this.logFile(instance),
    });
    await instance.process.ready('/readyz', READY_TIMEOUT_MS);
    return instance;
  }

  logFile(instance) {
    return path.join(this.dir, `${instance.name}.log`);
  }

  /** `kill -9`: no shutdown at all; the balancer still sends it connections, which are refused. */
  async crash(instance) {
    await instance.process.signal('SIGKILL');
  }

  /**
   * A rolling-update step: out of rotation, the preStop pause, SIGTERM, wait for the exit, start
   * the new process on the same port, back in rotation once ready. Returns the seconds it took.
   */
  async restart(instance) {
    const began = Date.now();
    const balancer = this.balancers[instance.service];
    balancer.drain(instance);
    await new Promise((r) => setTimeout(r, DRAIN_MS));
    await instance.process.stop();
    await this.launch(instance);
    balancer.restore(instance);
    return (Date.now() - began) / 1000;
  }

  /** Every instance, in topology order. */
  all() {
    return TOPOLOGY.flatMap(({ service }) => this.instances[service]);
  }

  /** The last lines of an instance's log (for failures). */
  tail(instance, lines = 20) {
    try {
      return fs.readFileSync(this.logFile(instance), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  // ---- reading state ---------------------------------------------------------------------------

  sql(database, text, params) {
    return harness.sql(this.database(database), text, params);
  }

  /** A Prometheus counter or gauge of an instance (sum over its label sets), or null if unreachable. */
  async metric(instance, name) {
    try {
      const text = await (await fetch(`http://127.0.0.1:${instance.port}/metrics`)).text();
      return text
        .split('\n')
        .filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
        .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    } catch {
      return null;
    }
  }

  /** Instances whose /readyz does not answer 200 (e.g. a consumer that gave up), with the answer. */
  async notReady() {
    const answers = await Promise.all(
      this.all().map(async (i) => {
        try {
          const res = await fetch(`http://127.0.0.1:${i.port}/readyz`, { signal: AbortSignal.timeout(10_000) });
          return res.ok ? null : `${i.name}: ${res.status} ${(await res.text()).slice(0, 200)}`;
        } catch (err) {
          return `${i.name}: ${err.message}`;
        }
      }),
    );
    return answers.filter(Boolean);
  }

  // ---- cleanup ---------------------------------------------------------------------------------

  /** Stops every instance and the broker, removes the run's databases, keys, broker data and files. */
  async destroy() {
    await harness.stopAll();
    await Promise.all(Object.values(this.balancers).map((b) => b.close()));
    const steps = [
      () => harness.dropDatabases([...new Set(TOPOLOGY.filter((t) => t.database).map((t) => this.database(t.database)))]),
      () => harness.deleteRedisKeys(this.redisPrefix),
      () => this.stopKafka(),
      () => run('bash', ['-c', `rm -rf "\${HOP_CACHE_DIR:-$HOME/.cache/hop}/kafka/node-${this.kafkaPort}"`]),
    ];
    for (const step of steps) await step().catch((err) => console.error('cleanup:', err.message));
    if (!process.env.SCALE_KEEP_LOGS) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

module.exports = { Cluster, TOPOLOGY, DRAIN_MS, SHORT_BASE_URL };
