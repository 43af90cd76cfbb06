import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { StartedContainers } from './containers';
import { CONTRACT_TALLY_ENV } from './contract';

/** Prints how many responses were checked against the API document (and how many failed). */
function reportContractTally(): void {
  const file = process.env[CONTRACT_TALLY_ENV];
  if (!file || !existsSync(file)) return;
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const failed = lines.filter((l) => l.startsWith('fail')).length;
  const operations = new Set(lines.map((l) => l.split(' ').slice(1, 3).join(' ')));
  console.log(`\nOpenAPI contract: ${lines.length} responses checked (${operations.size} method/path pairs), ${failed} not as documented`);
  rmSync(file, { force: true });
}

export default async function globalTeardown(): Promise<void> {
  reportContractTally();
  const started = (globalThis as Record<string, unknown>).__hopContainers as StartedContainers | undefined;
  await started?.stop();
}
