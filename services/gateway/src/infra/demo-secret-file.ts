import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DemoSecretFile } from '../app/ensure-demo-workspace';

/** The demo key's secret in `<dataDir>/demo-key.json`, readable by its owner only. */
export function demoSecretFile(dataDir: string): DemoSecretFile & { path: string } {
  const file = path.join(dataDir, 'demo-key.json');
  return {
    path: file,
    async read() {
      try {
        const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as { key?: unknown; keyId?: unknown } | null;
        const { key, keyId } = parsed ?? {};
        return typeof key === 'string' && typeof keyId === 'string' ? { key, keyId } : null;
      } catch {
        return null;
      }
    },
    async write(value) {
      await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
      await fs.writeFile(file, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
    },
  };
}
