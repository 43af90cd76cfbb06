import path from 'node:path';
import { workerScript } from './worker-script';

describe('workerScript', () => {
  it('is beside a compiled caller', () => {
    expect(workerScript('/app/services/link/dist/infra/qr-codes.js', 'qr.worker.js')).toBe(path.join('/app/services/link/dist/infra', 'qr.worker.js'));
  });

  it('is in the matching dist/ folder for a TypeScript caller under src/', () => {
    expect(workerScript('/app/services/link/src/infra/qr-codes.ts', 'qr.worker.js')).toBe(path.join('/app/services/link/dist/infra', 'qr.worker.js'));
    expect(workerScript('/app/services/redirector/src/kafka.ts', 'w.js')).toBe(path.join('/app/services/redirector/dist', 'w.js'));
  });

  it('refuses a TypeScript caller outside a src/ folder', () => {
    expect(() => workerScript('/tmp/loose.ts', 'w.js')).toThrow(/src/);
  });
});
