#!/usr/bin/env node
// `pnpm test`: makes sure the test infrastructure runs, runs every unit and integration test with
// jest, and ends with the plain summary line `tests: N passed, N failed`.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const extraArgs = process.argv.slice(2);

if ((process.env.HOP_TEST_INFRA || 'local') === 'local') {
  const up = spawnSync('bash', ['infra/up.sh'], { cwd: root, stdio: 'inherit' });
  if (up.status !== 0) {
    console.error('infrastructure did not come up');
    console.log('tests: 0 passed, 1 failed');
    process.exit(1);
  }
}

const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hop-jest-')), 'report.json');
const jest = spawnSync(
  process.execPath,
  [require.resolve('jest/bin/jest', { paths: [root] }), '--ci', '--maxWorkers=2', '--forceExit', '--json', `--outputFile=${report}`, ...extraArgs],
  { cwd: root, stdio: 'inherit' },
);

let passed = 0;
let failed = 0;
try {
  const result = JSON.parse(fs.readFileSync(report, 'utf8'));
  passed = result.numPassedTests;
  // A suite that fails to load has no failed test of its own: count it as one failure.
  failed = result.numFailedTests + result.testResults.filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
} catch {
  failed = Math.max(1, failed);
}
if (jest.status !== 0 && failed === 0) failed = 1;
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && jest.status === 0 ? 0 : 1);
