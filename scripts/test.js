#!/usr/bin/env node
// `pnpm test`: picks the test infrastructure, runs every unit and integration test with jest, then
// the console web app's tests with Vitest (services/console/vitest.config.mjs), and ends with the
// plain summary line `tests: N passed, N failed` counting both. Arguments go to jest (a subset of
// its tests; without any, the browser tests with Lighthouse audits run in a jest run of their own,
// after the rest); the Vitest suite always runs whole.
// Infrastructure: PostgreSQL, Redis and Kafka in containers (testcontainers, started by the jest
// global setup) when a Docker engine answers, else the loopback servers of infra/up.sh;
// HOP_TEST_INFRA=containers|local forces one. libs/testing makes the same choice for a bare `npx jest`.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const extraArgs = process.argv.slice(2);

function finish(passed, failed) {
  console.log(`tests: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

async function chooseInfra() {
  const chooser = path.join(root, 'libs/testing/dist/containers.js');
  if (!fs.existsSync(chooser)) {
    console.error('libs/testing is not built: run `pnpm build` first');
    finish(0, 1);
  }
  const { mode, reason } = await require(chooser).chooseInfraMode();
  if (reason) console.log(reason);
  if (mode === 'local') {
    const up = spawnSync('bash', ['infra/up.sh'], { cwd: root, stdio: 'inherit' });
    if (up.status !== 0) {
      console.error('infrastructure did not come up');
      finish(0, 1);
    }
  }
  return mode;
}

/**
 * Passed and failed tests of a jest-shaped JSON report (Vitest writes the same shape). A suite that
 * fails to load has no failed test of its own: it counts as one failure; so does a run that failed
 * without a report, or with a failing exit status and nothing failed in it.
 */
function countsOf(report, status) {
  let passed = 0;
  let failed = 0;
  try {
    const result = JSON.parse(fs.readFileSync(report, 'utf8'));
    passed = result.numPassedTests;
    failed = result.numFailedTests + result.testResults.filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
  } catch {
    failed = 1;
  }
  if (status !== 0 && failed === 0) failed = 1;
  return { passed, failed };
}

const reportFile = (prefix) => path.join(fs.mkdtempSync(path.join(os.tmpdir(), prefix)), 'report.json');

function runJest(env, args) {
  const report = reportFile('hop-jest-');
  const jest = spawnSync(
    process.execPath,
    [require.resolve('jest/bin/jest', { paths: [root] }), '--ci', '--maxWorkers=2', '--forceExit', '--json', `--outputFile=${report}`, ...args],
    { cwd: root, stdio: 'inherit', env },
  );
  return countsOf(report, jest.status);
}

/**
 * Run by themselves after the rest: their Lighthouse audits time the page in a browser, and a
 * neighbouring test file on the same 2 cores made those timings (total blocking time) the
 * neighbour's, failing the performance score at random.
 */
const ALONE = ['services/console/test/e2e.int.test.ts'];
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function runVitest(env) {
  const report = reportFile('hop-vitest-');
  const consoleDir = path.join(root, 'services/console');
  const vitest = spawnSync(
    process.execPath,
    [require.resolve('vitest/vitest.mjs', { paths: [consoleDir] }), 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    { cwd: consoleDir, stdio: 'inherit', env },
  );
  return countsOf(report, vitest.status);
}

function runAll(env) {
  const runs = [];
  if (extraArgs.length) runs.push(runJest(env, extraArgs));
  else {
    // every test path but those run alone (a path pattern matches anywhere in the absolute path)
    runs.push(runJest(env, [`^(?!.*(${ALONE.map(escapeRegExp).join('|')})$)`]));
    runs.push(runJest(env, ALONE));
  }
  runs.push(runVitest(env));
  finish(
    runs.reduce((sum, r) => sum + r.passed, 0),
    runs.reduce((sum, r) => sum + r.failed, 0),
  );
}

chooseInfra().then(
  (mode) => runAll({ ...process.env, HOP_TEST_INFRA: mode }),
  (e) => {
    console.error(e);
    finish(0, 1);
  },
);
