import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { K8sObject } from './kustomize';

const SERVICES_DIR = path.resolve(__dirname, '..', '..', 'services');

/** Hop's own workloads: what patches/workload-defaults.yaml applies to. */
export const hopWorkloads = (objects: K8sObject[]) =>
  objects.filter((o) => (o.kind === 'Deployment' || o.kind === 'StatefulSet') && o.metadata.labels?.['hop.dev/workload'] === 'service');

export const podSpec = (workload: K8sObject) => workload.spec.template.spec;

export function appContainer(workload: K8sObject): any {
  const container = podSpec(workload).containers.find((c: { name: string }) => c.name === 'app');
  if (!container) throw new Error(`${workload.metadata.name} has no container named app`);
  return container;
}

/** The services of the repository: every services/<name> with an entry point. */
export const serviceNames = () => fs.readdirSync(SERVICES_DIR).filter((name) => fs.existsSync(path.join(SERVICES_DIR, name, 'src', 'main.ts')));

/** The service package whose code a workload runs (the route projector is the redirector's second entry point). */
export const serviceOf = (workload: string) => (workload === 'route-projector' ? 'redirector' : workload);

type Env = Record<string, string | undefined>;
export type ConfigLoader = (env: Env) => unknown;

/** The service's own `load…Config` from its src/config.ts, or undefined when that service is not in this checkout. */
export function configLoaderOf(workload: string): ConfigLoader | undefined {
  const file = path.join(SERVICES_DIR, serviceOf(workload), 'src', 'config.ts');
  if (!fs.existsSync(file)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the file is found at run time
  const exported: Record<string, unknown> = require(file);
  const loaders = Object.entries(exported).filter(([name, value]) => /^load\w*Config$/.test(name) && typeof value === 'function');
  if (loaders.length !== 1) throw new Error(`${file} should export exactly one load…Config function`);
  return loaders[0][1] as ConfigLoader;
}

export type SecretLookup = (name: string, key: string) => string;

/** The values of the Secrets in a rendered overlay, by name then key. */
export function secretValues(objects: K8sObject[]): SecretLookup {
  const secrets = new Map(objects.filter((o) => o.kind === 'Secret').map((s) => [s.metadata.name, s]));
  return (name, key) => {
    const secret = secrets.get(name);
    const encoded = secret?.data?.[key];
    const plain = secret?.stringData?.[key];
    if (typeof plain === 'string') return plain;
    if (typeof encoded === 'string') return Buffer.from(encoded, 'base64').toString('utf8');
    throw new Error(`secret ${name} has no key ${key}`);
  };
}

const expand = (value: string, env: Env) => value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (whole, name: string) => env[name] ?? whole);

/**
 * The environment the container starts with, as the kubelet builds it: envFrom ConfigMaps first,
 * then `env` in order with $(VAR) references expanded; secrets from `secret`.
 */
export function containerEnv(workload: K8sObject, objects: K8sObject[], secret: SecretLookup): Env {
  const container = appContainer(workload);
  const configMap = (name: string) => {
    const found = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === name);
    if (!found) throw new Error(`${workload.metadata.name} reads ConfigMap ${name}, which is not rendered`);
    return found.data as Record<string, string>;
  };
  const env: Env = {};
  for (const source of container.envFrom ?? []) {
    if (!source.configMapRef) throw new Error(`${workload.metadata.name}: only configMapRef envFrom is expected`);
    Object.assign(env, configMap(source.configMapRef.name));
  }
  for (const entry of container.env ?? []) {
    const from = entry.valueFrom;
    if (!from) env[entry.name] = expand(String(entry.value ?? ''), env);
    else if (from.secretKeyRef) env[entry.name] = secret(from.secretKeyRef.name, from.secretKeyRef.key);
    else if (from.configMapKeyRef) env[entry.name] = configMap(from.configMapKeyRef.name)[from.configMapKeyRef.key];
    else if (from.fieldRef?.fieldPath === 'metadata.name') env[entry.name] = `${workload.metadata.name}-0`;
    else throw new Error(`${workload.metadata.name}: unexpected valueFrom in ${entry.name}`);
  }
  return env;
}

/** The secretKeyRefs of a workload, as `name/key`. */
export const secretRefs = (workload: K8sObject): string[] =>
  (appContainer(workload).env ?? [])
    .filter((e: any) => e.valueFrom?.secretKeyRef)
    .map((e: any) => `${e.valueFrom.secretKeyRef.name}/${e.valueFrom.secretKeyRef.key}`);

/**
 * The settings whose defaults only suit a developer's machine: addresses on loopback, paths under the
 * home directory (read-only in the pods), and development secrets. Returned as `path = default`.
 */
export function developmentDefaults(config: unknown, prefix = ''): Map<string, unknown> {
  const found = new Map<string, unknown>();
  const visit = (value: unknown, at: string) => {
    if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${at}[${i}]`));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, at ? `${at}.${k}` : k);
    else if (typeof value === 'string') {
      const local = /127\.0\.0\.1|localhost|change-me/.test(value) || value.startsWith(os.homedir());
      const secret = /secret|token|encryptionkey/i.test(at.split('.').pop() ?? '');
      if (local || secret) found.set(at, value);
    }
  };
  visit(config, prefix);
  return found;
}

/** A value at a dotted path such as `clicks.spoolDir` or `kafka.brokers[0]`. */
export const valueAt = (config: unknown, at: string): unknown =>
  at
    .split(/\.|\[(\d+)\]/)
    .filter(Boolean)
    .reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), config);
