#!/usr/bin/env node
/**
 * `pnpm test:scale`: Hop as many instances on one machine, with faults (issue 17, part 1).
 * Starts the topology of lib/cluster.js from the built services (`pnpm build` first) against the
 * local PostgreSQL and Redis (`pnpm infra:up`) and a Kafka broker of its own, runs the scenarios
 * of scenarios.js one after the other, prints each one's figures as JSON, and ends with the plain
 * line `scale: N passed, N failed`. Exit code 0 only when every scenario passed.
 *
 * Options: --only <name>[,<name>…] runs those scenarios only.
 * Environment: SCALE_REDIRECTS_PER_S (60), SCALE_API_CALLS_PER_S (8), SCALE_OUTAGE_S (30),
 * SCALE_LOG_LEVEL (warn; the services' logs go to files in the run's directory, printed in part
 * when a scenario fails), SCALE_KEEP_LOGS=1 keeps that directory.
 */
'use strict';

const { parseArgs } = require('node:util');
const harness = require('../../bench/lib/harness');
const { Cluster } = require('./lib/cluster');
const scenarios = require('./scenarios');

const { values: opts } = parseArgs({ options: { only: { type: 'string' } } });
const chosen = opts.only ? opts.only.split(',') : Object.keys(scenarios);
const unknown = chosen.filter((name) => !scenarios[name]);
if (unknown.length) {
  console.error(`unknown scenario(s): ${unknown.join(', ')}; known: ${Object.keys(scenarios).join(', ')}`);
  process.exit(2);
}
harness.requireBuilt(['services/gateway/dist/main.js', 'services/redirector/dist/projector.js', 'libs/http/dist/index.js']);

const seconds = (since) => Math.round((Date.now() - since) / 100) / 10;

async function main() {
  const began = Date.now();
  const cluster = new Cluster();
  let passed = 0;
  let failed = 0;
  try {
    console.log(`scale: starting (run ${cluster.runId}, Kafka on ${cluster.brokers}, logs in ${cluster.dir})`);
    await cluster.start();
    console.log(`scale: ${cluster.all().length} instances ready after ${seconds(began)} s`);
    for (const name of chosen) {
      const start = Date.now();
      let result;
      try {
        result = await scenarios[name](cluster);
      } catch (err) {
        result = { figures: {}, failed: [`error: ${err.stack ?? err}`] };
      }
      // Not asserted (no scenario requires it), shown so that an instance left unwell is seen.
      result.figures.instancesNotReadyAfter = await cluster.notReady();
      const ok = result.failed.length === 0;
      if (ok) passed++;
      else failed++;
      console.log(`\n${ok ? 'PASS' : 'FAIL'} ${name} (${seconds(start)} s)`);
      console.log(JSON.stringify(result.figures, null, 2));
      for (const failure of result.failed) console.log(`  ✖ ${failure}`);
      if (!ok) for (const instance of cluster.all()) console.log(`--- ${instance.name} log (tail)\n${cluster.tail(instance, 8)}`);
    }
  } catch (err) {
    console.error('scale: the cluster did not start:', err);
    for (const instance of cluster.all()) console.error(`--- ${instance.name} log (tail)\n${cluster.tail(instance)}`);
    failed = Math.max(1, chosen.length - passed);
  } finally {
    await cluster.destroy().catch((err) => console.error('scale: cleanup failed:', err));
  }
  console.log(`\nscale: whole run ${seconds(began)} s`);
  console.log(`scale: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

void main();
