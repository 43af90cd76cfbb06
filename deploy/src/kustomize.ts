import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** deploy/k8s: the kustomize tree (base, overlays, components). */
export const K8S_DIR = path.resolve(__dirname, '..', 'k8s');

/** A rendered Kubernetes object: what the tests read of it is checked field by field. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: any;
}

/** What to render: an overlay under deploy/k8s/overlays, plus optional components of deploy/k8s/components. */
export interface Target {
  overlay: string;
  components?: string[];
}

export const targetName = (t: Target) => [t.overlay, ...(t.components ?? [])].join(' + ');

function kustomize(dir: string): string {
  try {
    return execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { code?: string; stderr?: string };
    if (e.code === 'ENOENT') throw new Error('kubectl is not installed: the manifests are rendered with `kubectl kustomize` (kubectl ≥ 1.21)');
    throw new Error(`kubectl kustomize ${dir} failed: ${e.stderr ?? String(err)}`);
  }
}

/**
 * Renders a target with `kubectl kustomize`. Components go into a throw-away kustomization beside
 * the overlay's (kustomize refuses absolute paths), the way docs/deploy.md tells operators to add them.
 */
export function render(target: Target): K8sObject[] {
  const overlay = path.join(K8S_DIR, 'overlays', target.overlay);
  let dir = overlay;
  let scratch: string | undefined;
  if (target.components?.length) {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hop-kustomize-'));
    const relative = (p: string) => path.relative(scratch as string, p);
    const components = target.components.map((c) => `  - ${relative(path.join(K8S_DIR, 'components', c))}`);
    fs.writeFileSync(
      path.join(scratch, 'kustomization.yaml'),
      ['namespace: hop', 'resources:', `  - ${relative(overlay)}`, 'components:', ...components, ''].join('\n'),
    );
    dir = scratch;
  }
  try {
    return parseAllDocuments(kustomize(dir))
      .map((doc) => doc.toJS() as K8sObject | null)
      .filter((o): o is K8sObject => o !== null);
  } finally {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  }
}

export interface SchemaProblem {
  object: string;
  error: string;
}

/** Every object checked against the Kubernetes or operator schema of its apiVersion/kind (validate-schemas.mjs). */
export function schemaProblems(objects: K8sObject[]): SchemaProblem[] {
  const out = execFileSync(process.execPath, [path.join(__dirname, 'validate-schemas.mjs')], {
    cwd: __dirname,
    input: JSON.stringify(objects),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out) as SchemaProblem[];
}

export const ofKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);

export function named(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} named ${name}`);
  return found;
}
