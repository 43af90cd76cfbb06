import path from 'node:path';

/**
 * The compiled script of a worker thread `name` (e.g. 'qr-codes.worker.js') that lives beside
 * `callerFile` (pass `__filename`): beside the caller when it runs from dist/; from the matching
 * dist/ folder when the caller runs as TypeScript from src/ (tests), so the package must be built.
 * Workers are TypeScript like the rest and always run compiled.
 */
export function workerScript(callerFile: string, name: string): string {
  const dir = path.dirname(callerFile);
  if (!callerFile.endsWith('.ts')) return path.join(dir, name);
  const marker = `${path.sep}src${path.sep}`;
  const at = `${dir}${path.sep}`.lastIndexOf(marker);
  if (at < 0) throw new Error(`${callerFile} is not under a src/ folder`);
  return path.join(`${dir.slice(0, at)}${path.sep}dist${path.sep}${`${dir}${path.sep}`.slice(at + marker.length)}`, name);
}
